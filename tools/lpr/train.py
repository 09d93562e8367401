#!/usr/bin/python3
"""Trains the plate recogniser on synthetic plate crops, rendered on the fly (see README.md beside this file).

    /usr/bin/python3 tools/lpr/train.py --steps 30000 --out training/lpr

Seeded and resumable: sample k of step s is augment.sample(seed * 2**40 + s * batch + k), so the data a step sees
does not depend on how the run was split into sessions; the model, optimiser and step are saved every
--checkpoint-every steps in OUT/checkpoints and a run given the same OUT continues from the last one.
The learning rate follows a cosine over --schedule-steps (keep it fixed across the sessions of one run);
--restart-step continues a finished run with a second cosine (a warm restart) to a longer --schedule-steps.
Validation: a fixed synthetic set (other seeds than training), exact-match % and per-character accuracy, overall
and per region, every --validate-every steps and at the end; OUT/log.tsv keeps them.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import sample, to_tensor_array  # noqa: E402
from model import TIME_STEPS, PlateNet, encode, greedy_decode  # noqa: E402

VALIDATION_OFFSET = 1 << 52  # validation seeds: far from every training seed


class Batches(IterableDataset):
    """Yields (images, targets, lengths, labels) for steps start, start+1, ...; worker w renders steps s ≡ w."""

    def __init__(self, seed, batch, start, stop):
        self.seed, self.batch, self.start, self.stop = seed, batch, start, stop

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        workers, worker = (info.num_workers, info.id) if info else (1, 0)
        torch.set_num_threads(1)
        for step in range(self.start + worker, self.stop, workers):
            base = self.seed * (1 << 40) + step * self.batch
            yield collate([sample(base + k) for k in range(self.batch)])


def collate(items):
    images = torch.from_numpy(np.stack([to_tensor_array(image) for image, _, _ in items]))
    labels = [label for _, label, _ in items]
    regions = [region for _, _, region in items]
    targets = torch.tensor([c for label in labels for c in encode(label)], dtype=torch.long)
    lengths = torch.tensor([len(label) for label in labels], dtype=torch.long)
    return images, targets, lengths, labels, regions


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def validation_set(out, seed, size):
    path = os.path.join(out, f"validation-seed{seed}-n{size}.npz")
    if not os.path.exists(path):
        items = [sample(VALIDATION_OFFSET + seed * 1_000_000 + k) for k in range(size)]
        np.savez_compressed(path + ".tmp.npz", images=np.stack([i for i, _, _ in items]),
                            labels=np.array([l for _, l, _ in items]), regions=np.array([g for _, _, g in items]))
        os.replace(path + ".tmp.npz", path)
    data = np.load(path)
    return data["images"], list(data["labels"]), list(data["regions"])


def validate(model, images, labels, regions, batch=128):
    model.eval()
    reads = []
    with torch.no_grad():
        for k in range(0, len(images), batch):
            x = torch.from_numpy(np.stack([to_tensor_array(i) for i in images[k:k + batch]]))
            reads += [text for text, _ in greedy_decode(model(x))]
    model.train()
    report = {}
    for name in ["all"] + sorted(set(regions)):
        pairs = [(read, label) for read, label, region in zip(reads, labels, regions) if name in ("all", region)]
        exact = sum(read == label for read, label in pairs) / len(pairs)
        # Characters right: per plate its length less the edit distance (not below 0), over all characters.
        chars = sum(max(0, len(label) - edit_distance(read, label)) for read, label in pairs) / sum(len(label) for _, label in pairs)
        report[name] = (exact, chars, len(pairs))
    return report, reads


def format_report(report):
    return "  ".join(f"{name}: exact {e * 100:.1f}% chars {c * 100:.1f}% (n={n})" for name, (e, c, n) in report.items())


def learning_rate(step, peak, warmup, total, restart=None, restart_peak=None):
    """Linear warm-up, then a cosine to 2 % of the peak at step total. From step restart (a warm restart to go on
    training a finished run), a second cosine from restart_peak, after a warm-up of warmup / 2 steps, to step total."""
    if restart is not None and step >= restart:
        return learning_rate(step - restart, restart_peak, max(1, warmup // 2), total - restart)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))


def save(path, model, optimizer, step, args):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step, "args": vars(args)}, path + ".tmp")
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, required=True, help="train until this many steps in all (a resumed run counts the earlier ones)")
    parser.add_argument("--out", default="training/lpr")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--schedule-steps", type=int, default=40000, help="length of the cosine schedule; fixed for one run")
    parser.add_argument("--restart-step", type=int, help="a warm restart: from this step a new cosine (to --schedule-steps) starts")
    parser.add_argument("--restart-lr", type=float, default=5e-4, help="the warm restart's peak learning rate")
    parser.add_argument("--threads", type=int, default=1, help="torch threads of the training process")
    parser.add_argument("--workers", type=int, default=1, help="rendering processes (0: render in the training process)")
    parser.add_argument("--checkpoint-every", type=int, default=250)
    parser.add_argument("--validate-every", type=int, default=1000)
    parser.add_argument("--validation-size", type=int, default=1000)
    parser.add_argument("--keep", type=int, default=3, help="numbered checkpoints kept besides last.pt")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(os.path.join(args.out, "checkpoints"), exist_ok=True)
    model = PlateNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    last = os.path.join(args.out, "checkpoints", "last.pt")
    step = 0
    if os.path.exists(last):
        state = torch.load(last, map_location="cpu")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
        print(f"resuming from {last} at step {step}", flush=True)
    print(f"PlateNet: {sum(p.numel() for p in model.parameters()):,} parameters; batch {args.batch}, "
          f"{args.threads} thread(s), {args.workers} rendering worker(s)", flush=True)

    images, labels, regions = validation_set(args.out, args.seed, args.validation_size)
    log = open(os.path.join(args.out, "log.tsv"), "a")
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    loader = DataLoader(Batches(args.seed, args.batch, step, args.steps), batch_size=None, num_workers=args.workers,
                        prefetch_factor=4 if args.workers else 2, persistent_workers=False)
    started, done, losses = time.time(), 0, []
    for x, targets, lengths, _, _ in loader:
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.lr, args.warmup, args.schedule_steps, args.restart_step, args.restart_lr)
        log_probs = model(x)
        loss = ctc(log_probs.permute(1, 0, 2), targets, torch.full((x.shape[0],), TIME_STEPS, dtype=torch.long), lengths)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        step += 1
        done += 1
        losses.append(loss.item())
        if step % 50 == 0:
            rate = done * args.batch / (time.time() - started)
            print(f"step {step}  loss {np.mean(losses[-50:]):.3f}  lr {optimizer.param_groups[0]['lr']:.2e}  {rate:.1f} samples/s", flush=True)
        if step % args.checkpoint_every == 0 or step == args.steps:
            save(last, model, optimizer, step, args)
            numbered = os.path.join(args.out, "checkpoints", f"step-{step:07d}.pt")
            save(numbered, model, optimizer, step, args)
            kept = sorted(f for f in os.listdir(os.path.dirname(last)) if f.startswith("step-"))
            for old in kept[:-args.keep]:
                os.remove(os.path.join(os.path.dirname(last), old))
        if step % args.validate_every == 0 or step == args.steps:
            report, _ = validate(model, images, labels, regions)
            rate = done * args.batch / (time.time() - started)
            print(f"validation at step {step}: {format_report(report)}", flush=True)
            log.write(f"{step}\t{np.mean(losses[-50:]):.4f}\t{rate:.1f}\t" + "\t".join(
                f"{name}={e:.4f}/{c:.4f}" for name, (e, c, _) in report.items()) + "\n")
            log.flush()
    if done == 0:
        report, _ = validate(model, images, labels, regions)
        print(f"already at step {step}; validation: {format_report(report)}", flush=True)


if __name__ == "__main__":
    main()
