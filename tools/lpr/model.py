"""The plate recogniser: a small all-convolutional CTC network (LPRNet-like, no recurrent layer).

Input  N x 3 x 32 x 128, RGB scaled to -1..1 (pixel / 127.5 - 1), the plate crop stretched to that size.
Output N x 32 x C log-probabilities (time steps left to right, C = 1 + len(ALPHABET); class 0 is the CTC blank).

No recurrent layer on purpose: convolutions export to every ONNX opset and run fast on one CPU core in
ONNX Runtime; the context a GRU would add comes from the wide 1-D convolutions over the 32 columns.
"""
import torch
import torch.nn as nn

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The 31 province abbreviations that start a Chinese plate; the same string as OcppServer/Vision/PlateText.cs.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ALPHABET = DIGITS + LETTERS + PROVINCES
BLANK = 0
INPUT_HEIGHT = 32
INPUT_WIDTH = 128
TIME_STEPS = 32


def conv(cin, cout, kernel=3, padding=1):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, padding=padding, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PlateNet(nn.Module):
    def __init__(self, classes=len(ALPHABET) + 1, width=1.0):
        super().__init__()
        c = [int(round(x * width)) for x in (32, 64, 96, 128, 160)]
        self.features = nn.Sequential(
            conv(3, c[0]), nn.MaxPool2d(2),                  # 16 x 64
            conv(c[0], c[1]), nn.MaxPool2d(2),               # 8 x 32
            conv(c[1], c[2]), conv(c[2], c[2]),
            nn.MaxPool2d((2, 1)),                            # 4 x 32
            conv(c[2], c[3]), conv(c[3], c[3]),
            nn.MaxPool2d((2, 1)),                            # 2 x 32
            conv(c[3], c[4], kernel=(2, 1), padding=0),      # 1 x 32: the column's features
        )
        self.sequence = nn.Sequential(
            nn.Conv2d(c[4], c[4], (1, 5), padding=(0, 2), bias=False), nn.BatchNorm2d(c[4]), nn.ReLU(inplace=True),
            nn.Dropout(0.1),
            nn.Conv2d(c[4], c[4], (1, 5), padding=(0, 2), bias=False), nn.BatchNorm2d(c[4]), nn.ReLU(inplace=True),
        )
        self.classifier = nn.Conv2d(c[4], classes, 1)

    def forward(self, x):
        x = self.features(x)
        x = x + self.sequence(x)
        x = self.classifier(x)              # N x C x 1 x T
        x = x.squeeze(2).permute(0, 2, 1)   # N x T x C
        return x.log_softmax(-1)


def encode(text):
    return [ALPHABET.index(ch) + 1 for ch in text]


def greedy_decode(log_probs):
    """log_probs: N x T x C tensor -> list of (text, per-character probabilities)."""
    best = log_probs.argmax(-1)
    probs = log_probs.exp().max(-1).values
    results = []
    for row, prow in zip(best.tolist(), probs.tolist()):
        chars, confidences, previous = [], [], BLANK
        for k, p in zip(row, prow):
            if k != BLANK and k != previous:
                chars.append(ALPHABET[k - 1])
                confidences.append(p)
            previous = k
        results.append(("".join(chars), confidences))
    return results
