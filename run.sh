#!/usr/bin/env bash
# Starts the server on http://127.0.0.1:8180 with SQLite under ./data (created and migrated on first start).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec dotnet run --project OcppServer -c Release -- "$@"
