#!/usr/bin/python3
"""Exports a checkpoint of the plate recogniser to ONNX and writes what proves the export right.

    /usr/bin/python3 tools/lpr/export.py --checkpoint training/lpr/checkpoints/last.pt --out training/lpr/lpr.onnx

Writes
  OUT                 the model (opset 13; input "image" N x 3 x 32 x 128 RGB in -1..1, output "log_probs"
                      N x 32 x C, class 0 the CTC blank, class k the alphabet's character k-1); the alphabet and
                      input layout are also in the model's metadata
  OUT.alphabet.txt    the alphabet, one line
  OUT.check.bin       a batch of validation crops with the torch model's output, for ONNX Runtime to compare:
                      int32 n, 3, 32, 128, T, C, then n labels (int32 byte length + UTF-8), then the inputs and the
                      torch outputs as little-endian float32
and checks the ONNX graph (onnx.checker) and that the torch model decodes the batch. The ONNX Runtime comparison
is the C# one (the product's runtime; Debian has no Python onnxruntime):
  dotnet run -c Release --project OcppServer.Benchmarks -- lpr-check --model OUT
"""
import argparse
import hashlib
import os
import struct
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import sample, to_tensor_array  # noqa: E402
from model import ALPHABET, INPUT_HEIGHT, INPUT_WIDTH, PlateNet, greedy_decode  # noqa: E402
from train import VALIDATION_OFFSET  # noqa: E402

OPSET = 13


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", default="training/lpr/checkpoints/last.pt")
    parser.add_argument("--out", default="training/lpr/lpr.onnx")
    parser.add_argument("--check-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1, help="validation seed of the check batch")
    args = parser.parse_args()

    torch.set_num_threads(1)
    state = torch.load(args.checkpoint, map_location="cpu")
    model = PlateNet()
    model.load_state_dict(state["model"])
    model.eval()

    items = [sample(VALIDATION_OFFSET + args.seed * 1_000_000 + k) for k in range(args.check_size)]
    x = torch.from_numpy(np.stack([to_tensor_array(image) for image, _, _ in items]))
    labels = [label for _, label, _ in items]
    with torch.no_grad():
        y = model(x)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.onnx.export(model, x[:1], args.out, opset_version=OPSET, input_names=["image"], output_names=["log_probs"],
                      dynamic_axes={"image": {0: "n"}, "log_probs": {0: "n"}}, do_constant_folding=True)
    graph = onnx.load(args.out)
    onnx.checker.check_model(graph)
    for key, value in {"alphabet": ALPHABET, "input": f"RGB 3x{INPUT_HEIGHT}x{INPUT_WIDTH}, pixel/127.5-1, crop stretched",
                       "blank": "0", "step": str(state["step"])}.items():
        entry = graph.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(graph, args.out)
    with open(args.out + ".alphabet.txt", "w", encoding="utf-8") as f:
        f.write(ALPHABET + "\n")

    with open(args.out + ".check.bin", "wb") as f:
        f.write(struct.pack("<6i", len(items), 3, INPUT_HEIGHT, INPUT_WIDTH, y.shape[1], y.shape[2]))
        for label in labels:
            data = label.encode("utf-8")
            f.write(struct.pack("<i", len(data)) + data)
        f.write(x.numpy().astype("<f4").tobytes())
        f.write(y.numpy().astype("<f4").tobytes())

    reads = [text for text, _ in greedy_decode(y)]
    right = sum(read == label for read, label in zip(reads, labels))
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"exported step {state['step']} to {args.out}: {os.path.getsize(args.out) / 1e6:.2f} MB, opset {OPSET}, SHA-256 {digest}")
    print(f"torch reads {right}/{len(items)} of the check batch exactly: " + ", ".join(f"{l}->{r}" for l, r in zip(labels, reads)))
    print(f"check batch for ONNX Runtime: {args.out}.check.bin")


if __name__ == "__main__":
    main()
