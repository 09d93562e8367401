#!/usr/bin/env bash
# Installs what the product needs at run time and is not in git, only when it is missing.
# Safe to run repeatedly; run.sh and test.sh call it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi
