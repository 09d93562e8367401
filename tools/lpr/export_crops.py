#!/usr/bin/python3
"""Writes a set of hard synthetic plate crops as PNG files with labels, for calibrating the reader's confidence.

    /usr/bin/python3 tools/lpr/export_crops.py --out training/lpr/calibration --count 2000

The crops are augment.sample at the camera's resolution (every degradation of the training stream: perspective,
loose and tight crops, blur, low light, glare, noise, JPEG; EU, US, Brazilian and Chinese plates) from seeds that
neither the training stream nor the validation set draws (CALIBRATION_OFFSET). OUT/labels.csv has the columns of
../shared/plates/labels.csv (file,plate,region,source). `plates-calibrate --crops OUT` reads them with the product's
reader and prints how often accepted reads are right per confidence threshold: a validation set on which the plate
recogniser is often wrong, where a threshold has something to separate (the generated scenes are read ~99 % right).
"""
import argparse
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import sample  # noqa: E402

CALIBRATION_OFFSET = 3 << 52  # far from the training seeds (seed * 2**40 + ...) and from VALIDATION_OFFSET (1 << 52)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="training/lpr/calibration")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = ["file,plate,region,source"]
    for k in range(args.count):
        image, label, region = sample(CALIBRATION_OFFSET + args.seed * 1_000_000 + k, network_size=False)
        name = f"{region}_{k:05d}.png"
        Image.fromarray(image).save(os.path.join(args.out, name))
        rows.append(f"{name},{label},{region},tools/lpr augment.sample seed {CALIBRATION_OFFSET + args.seed * 1_000_000 + k}")
    with open(os.path.join(args.out, "labels.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{args.count} crops in {args.out}")


if __name__ == "__main__":
    main()
