#!/usr/bin/env bash
# Builds (warnings are errors) and runs every test; the last line is "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh || exit 1
log=$(mktemp)
dotnet test OcppAuth.sln -c Release -warnaserror --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints a summary per test assembly: "Total tests: N" then "     Passed: N" / "     Failed: N".
passed=$(grep -E '^ +Passed: +[0-9]+ *$' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^ +Failed: +[0-9]+ *$' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
[ -n "$passed" ] || passed=0
[ -n "$failed" ] || failed=0
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
