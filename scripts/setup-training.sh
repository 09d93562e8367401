#!/usr/bin/env bash
# Installs what the plate recogniser's training tool (tools/lpr, a development tool, not part of the product)
# needs, only when it is missing: Debian's CPU build of PyTorch 1.13, ONNX, Pillow, NumPy, and the fonts the plate
# renderer draws with. Run as root (apt-get). Use /usr/bin/python3 with it, not another Python.
set -euo pipefail

# Debian packages:
#   python3-torch python3-onnx python3-pil python3-numpy   training and ONNX export
#   fonts-opendin          a DIN 1451 face (German and many EU plates, Mercosur's FE-Schrift is close)
#   fonts-dejavu-extra     DejaVu Sans Condensed and DejaVu Serif (condensed plate text, US state names)
#   fonts-liberation       Liberation Sans Narrow (condensed plate text)
#   fonts-roboto-unhinted  Roboto Condensed (condensed plate text)
#   fonts-bebas-neue       a tall condensed capital face, like many US plates
#   fonts-dejavu-core fonts-liberation2 fonts-wqy-zenhei   the product's generator fonts; wqy for province characters
#   fonts-roadgeek         the FHWA "Highway Gothic" series B-E (the face most US state plates are close to)
#   fonts-tiresias         Tiresias LPfont, a face designed for number plates
#   fonts-urw-base35 fonts-freefont-ttf fonts-national-park   Nimbus Sans (Narrow) Bold, FreeSans Bold, a heavy
#                          grotesque: more shapes of the same letters, so the model learns the letters, not a font
source "$(dirname "$0")/lib/debian-packages.sh"
ensure_debian_packages setup-training python3-torch python3-onnx python3-pil python3-numpy \
  fonts-opendin fonts-dejavu-extra fonts-liberation fonts-roboto-unhinted fonts-bebas-neue \
  fonts-dejavu-core fonts-liberation2 fonts-wqy-zenhei \
  fonts-roadgeek fonts-tiresias fonts-urw-base35 fonts-freefont-ttf fonts-national-park
/usr/bin/python3 -c 'import torch, onnx, PIL, numpy; print("setup-training: torch", torch.__version__, "onnx", onnx.__version__)'
