#!/usr/bin/env bash
# What an open dashboard costs the OCPP path (issue 18: at most 5 %). Runs the journey benchmark (3) and the steady-call
# benchmark (2) of README "Performance" against a fresh server, alternately without and with a real headless browser
# (Debian's chromium via OcppServer.Benchmarks dashboard-viewer) signed in and left on the overview with its live
# stream open, and prints each run's server CPU per journey / per call and p99 latencies. The order alternates
# (off, on, on, off, ...) so that a drift of the shared host falls on both sides. Needs a Release build
# (dotnet build OcppAuth.sln -c Release) and chromium (scripts/setup-test-services.sh installs it).
#
#   scripts/bench-dashboard.sh [--rounds 2] [--journeys 250] [--calls 1000] [--duration 40] [--warmup 10] [--pages 1]
#                              [--baseline OTHER/OcppServer.dll]  (also runs another build without a browser, e.g. the
#                                                                  commit before the dashboard, in every round)
set -euo pipefail

rounds=2 journeys=250 calls=1000 duration=40 warmup=10 pages=1 port=8470 baseline=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --journeys) journeys=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
server_dll=$root/OcppServer/bin/Release/net10.0/OcppServer.dll
simulator_dll=$root/ChargePointSimulator/bin/Release/net10.0/ChargePointSimulator.dll
bench_dll=$root/OcppServer.Benchmarks/bin/Release/net10.0/OcppServer.Benchmarks.dll
for f in "$server_dll" "$simulator_dll" "$bench_dll"; do
  [ -f "$f" ] || { echo "build first: dotnet build OcppAuth.sln -c Release" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ocppauth-dashbench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
api_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
url=http://127.0.0.1:$port

# run NAME BROWSER(0|1|base) -> appends "NAME browser journey_ms start_p99 authorize_p99 call_ms heartbeat_p99" to results
run() {
  local name=$1 browser=$2 data=$work/$1 dll=$server_dll
  [ "$browser" = base ] && dll=$baseline
  mkdir -p "$data"
  Api__Keys__0=$api_key Urls=$url Storage__DataDirectory=$data Vision__ModelDirectory=$root/models/ppocr \
    Dashboard__InitialAdmin__UserName=bench Dashboard__InitialAdmin__Password=$password Logging__LogLevel__Default=Warning \
    dotnet "$dll" >"$data/server.log" 2>&1 &
  local server=$!
  pids+=("$server")
  for _ in $(seq 1 60); do curl -sf "$url/healthz" >/dev/null && break; sleep 1; done
  local viewer=""
  if [ "$browser" = 1 ]; then
    dotnet "$bench_dll" dashboard-viewer --url "$url" --user bench --password "$password" --pages "$pages" \
      --seconds $((2 * (duration + warmup) + 40)) >"$data/viewer.log" 2>&1 &
    viewer=$!
    pids+=("$viewer")
    for _ in $(seq 1 60); do grep -q "watching" "$data/viewer.log" 2>/dev/null && break; sleep 1; done
  fi
  dotnet "$simulator_dll" load --url "ws://127.0.0.1:$port/ocpp" --count 1000 --mix Journey --rate "$journeys" \
    --warmup "$warmup" --duration "$duration" --api-key "$api_key" --server-pid "$server" >"$data/journeys.txt" 2>&1 || true
  dotnet "$simulator_dll" load --url "ws://127.0.0.1:$port/ocpp" --count 1000 --rate "$calls" \
    --warmup "$warmup" --duration "$duration" --api-key "$api_key" --server-pid "$server" >"$data/calls.txt" 2>&1 || true
  if [ -n "$viewer" ]; then
    kill "$viewer" 2>/dev/null || true
    wait "$viewer" 2>/dev/null || true
  fi
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  local jms cms ap sp hp
  jms=$(grep -o '([0-9.]* ms per journey)' "$data/journeys.txt" | grep -o '[0-9.]*' | head -1)
  cms=$(grep -o '([0-9.]* ms per call)' "$data/calls.txt" | grep -o '[0-9.]*' | head -1)
  ap=$(awk '$1 == "Authorize" {print $7}' "$data/journeys.txt" | head -1)
  sp=$(awk '$1 == "StartTransaction" {print $7}' "$data/journeys.txt" | head -1)
  hp=$(awk '$1 == "Heartbeat" {print $7}' "$data/calls.txt" | head -1)
  printf '%-10s %-8s %12s %12s %12s %12s %14s\n' "$name" "$(case $browser in 1) echo yes ;; base) echo base ;; *) echo no ;; esac)" \
    "${jms:-?}" "${ap:-?}" "${sp:-?}" "${cms:-?}" "${hp:-?}" | tee -a "$work/results"
  echo "--- $name journeys ---" >>"$work/reports"; cat "$data/journeys.txt" >>"$work/reports"
  echo "--- $name calls ---" >>"$work/reports"; cat "$data/calls.txt" >>"$work/reports"
  [ -f "$data/viewer.log" ] && cat "$data/viewer.log" >>"$work/reports"
  rm -rf "$data"
}

printf '%-10s %-8s %12s %12s %12s %12s %14s\n' run browser "ms/journey" "Authorize p99" "Start p99" "ms/call" "Heartbeat p99"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then
    [ -n "$baseline" ] && run "r$r-base" base
    run "r$r-off" 0; run "r$r-on" 1
  else
    run "r$r-on" 1; run "r$r-off" 0
    [ -n "$baseline" ] && run "r$r-base" base
  fi
done
echo
awk '{ if ($2 == "no") { jo += $3; co += $6; no++ } else if ($2 == "yes") { jy += $3; cy += $6; ny++ } else if ($2 == "base") { jb += $3; cb += $6; nb++ } }
  END { if (no && ny) printf "mean server CPU per journey: %.3f ms without, %.3f ms with the dashboard open (%+.1f %%); per call: %.3f / %.3f ms (%+.1f %%)\n",
    jo/no, jy/ny, 100*(jy/ny - jo/no)/(jo/no), co/no, cy/ny, 100*(cy/ny - co/no)/(co/no);
        if (nb && ny) printf "baseline build: %.3f ms per journey, %.3f ms per call; dashboard open vs baseline: %+.1f %% per journey, %+.1f %% per call\n",
    jb/nb, cb/nb, 100*(jy/ny - jb/nb)/(jb/nb), 100*(cy/ny - cb/nb)/(cb/nb) }' "$work/results"
[ -n "${BENCH_REPORTS:-}" ] && cp "$work/reports" "$BENCH_REPORTS"
exit 0
