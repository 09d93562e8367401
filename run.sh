#!/usr/bin/env bash
# Starts the server on http://127.0.0.1:8180 with SQLite under ./data (created and migrated on first start).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
# Many charge points need many sockets: raise the open-files limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# `dotnet run` starts the server in the project folder: keep relative paths anchored at the repository root.
export Storage__DataDirectory="${Storage__DataDirectory:-$PWD/data}"
export Vision__ModelDirectory="${Vision__ModelDirectory:-$PWD/models/ppocr}"
exec dotnet run --project OcppServer -c Release -- "$@"
