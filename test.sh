#!/usr/bin/env bash
# Builds (warnings are errors) and runs every test; the last line is "N passed, M failed".
# By default the servers under test run on SQLite. OCPPAUTH_TEST_ENGINES="Sqlite PostgreSql" (what .ci/run sets) runs
# the suite a second time with every test server on PostgreSQL (a private cluster the tests start; needs Debian's
# postgresql, see scripts/setup-test-services.sh); that pass leaves out the Storage and Unit tests, which test one
# engine's code directly and ran in the first pass.
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh || exit 1
engines=${OCPPAUTH_TEST_ENGINES:-Sqlite}
passed=0
failed=0
status=0
first=1
for engine in $engines; do
  log=$(mktemp)
  if [ "$first" -eq 1 ]; then
    OCPPAUTH_TEST_STORAGE=$engine dotnet test OcppAuth.sln -c Release -warnaserror --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
  else
    echo "test.sh: the suite again with the servers on $engine"
    OCPPAUTH_TEST_STORAGE=$engine dotnet test OcppServer.Tests -c Release --no-build --logger "console;verbosity=normal" \
      --filter "FullyQualifiedName!~OcppServer.Tests.Storage.&FullyQualifiedName!~OcppServer.Tests.Unit." "$@" 2>&1 | tee "$log"
  fi
  run_status=${PIPESTATUS[0]}
  # dotnet test prints a summary per test assembly: "Total tests: N" then "     Passed: N" / "     Failed: N".
  run_passed=$(grep -E '^ +Passed: +[0-9]+ *$' "$log" | awk '{s+=$2} END {print s+0}')
  run_failed=$(grep -E '^ +Failed: +[0-9]+ *$' "$log" | awk '{s+=$2} END {print s+0}')
  rm -f "$log"
  [ -n "$run_passed" ] || run_passed=0
  [ -n "$run_failed" ] || run_failed=0
  if [ "$run_status" -ne 0 ] && [ "$run_failed" -eq 0 ]; then run_failed=1; fi
  if [ "$run_status" -ne 0 ]; then status=$run_status; fi
  passed=$((passed + run_passed))
  failed=$((failed + run_failed))
  first=0
done
echo "${passed} passed, ${failed} failed"
exit "$status"
