#!/usr/bin/env bash
# The several-nodes load benchmark (README "Running several nodes"): starts a private PostgreSQL cluster and a Redis on
# this machine, N OcppServer nodes on loopback ports sharing them, and the simulator's `load` across all nodes (charger i
# on node i mod N), with heartbeats and three-factor journeys; prints the simulator's report (journeys/s, per-action
# latency, RSS and CPU per node) and PostgreSQL's and Redis's CPU over the steady phase. Everything it starts lives in a
# temporary folder and is stopped at the end. Needs a Release build (dotnet build OcppAuth.sln -c Release) and Debian's
# postgresql and redis-server (scripts/setup-test-services.sh installs them).
#
#   scripts/bench-cluster.sh [--nodes 2] [--count 20000] [--journeys 50] [--heartbeats 333] [--duration 60] [--warmup 15]
#                            [--sqlite]   (one node on SQLite instead, for the figures to compare with)
#                            [--pg-option 'key=value']... (extra postgres -c settings, e.g. synchronous_commit=off)
#                            [--no-cluster] (one node on PostgreSQL without Redis: what the cluster itself costs)
#                            [--pg-stats]  (PostgreSQL's statements by calls and time, from pg_stat_statements)
set -euo pipefail

nodes=2 count=20000 journeys=50 heartbeats=333 duration=60 warmup=15 sqlite=0 base_port=8400 pg_stats=0 cluster=1
pg_options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --journeys) journeys=$2; shift 2 ;;
    --heartbeats) heartbeats=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --sqlite) sqlite=1; nodes=1; shift ;;
    --pg-option) pg_options+=(-c "$2"); shift 2 ;;
    --port) base_port=$2; shift 2 ;;
    --no-cluster) cluster=0; nodes=1; shift ;;
    --pg-stats) pg_stats=1; pg_options+=(-c shared_preload_libraries=pg_stat_statements); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
server_dll=$root/OcppServer/bin/Release/net10.0/OcppServer.dll
simulator_dll=$root/ChargePointSimulator/bin/Release/net10.0/ChargePointSimulator.dll
[ -f "$server_dll" ] && [ -f "$simulator_dll" ] || { echo "build first: dotnet build OcppAuth.sln -c Release" >&2; exit 1; }

work=$(mktemp -d /tmp/ocppauth-bench.XXXXXX)
chmod 755 "$work"
pids=()
pg_ctl_cmd=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ ${#pg_ctl_cmd[@]} -gt 0 ]; then "${pg_ctl_cmd[@]}" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The node processes hold 10,000+ sockets each.
ulimit -n "$(ulimit -Hn)"
api_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

node_env=()
if [ "$sqlite" = 0 ]; then
  pg_bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/setup-test-services.sh)" >&2; exit 1; }
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
  mkdir -p "$work/pg" "$work/pgsock" "$work/pglog"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$work/pg" "$work/pgsock" "$work/pglog"; fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync >/dev/null
  pg_ctl_cmd=("${as_pg[@]}" "$pg_bin/pg_ctl")
  "${pg_ctl_cmd[@]}" -D "$work/pg" -l "$work/pglog/pg.log" -w \
    -o "-k $work/pgsock -c listen_addresses= -c max_connections=$((nodes * 110 + 20)) -c shared_buffers=512MB ${pg_options[*]}" start >/dev/null
  "${as_pg[@]}" "$pg_bin/createdb" -h "$work/pgsock" -U postgres ocppauth
  psql_cmd=("${as_pg[@]}" "$pg_bin/psql" -h "$work/pgsock" -U postgres -d ocppauth -X -q)
  [ "$pg_stats" = 1 ] && "${psql_cmd[@]}" -c "CREATE EXTENSION pg_stat_statements"
  redis_port=$((base_port + 90))
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log" >/dev/null
  for _ in $(seq 1 50); do [ -s "$work/redis.pid" ] && break; sleep 0.1; done
  node_env=(
    Storage__Provider=PostgreSql
    "Storage__PostgreSql__ConnectionString=Host=$work/pgsock;Database=ocppauth;Username=postgres"
    "Biometrics__TemplateKey=$(head -c 32 /dev/urandom | base64)"
    Storage__ImageDirectory=$work/images
  )
  [ "$cluster" = 1 ] && node_env+=(Cluster__Redis=127.0.0.1:$redis_port)
fi

urls=() server_pids=()
for i in $(seq 1 "$nodes"); do
  port=$((base_port + i))
  mkdir -p "$work/node$i"
  env "${node_env[@]}" Cluster__NodeId=node$i Api__Keys__0=$api_key Urls=http://127.0.0.1:$port \
    Storage__DataDirectory=$work/node$i Vision__ModelDirectory=$root/models/ppocr Logging__LogLevel__Default=Warning \
    dotnet "$server_dll" >"$work/node$i.log" 2>&1 &
  pids+=($!) server_pids+=($!)
  urls+=(--url ws://127.0.0.1:$port/ocpp)
done
for i in $(seq 1 "$nodes"); do
  port=$((base_port + i))
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "node $i did not start:"; tail -20 "$work/node$i.log"; exit 1; }
done

mix="Journey=$journeys"
[ "$heartbeats" -gt 0 ] && mix="$mix,Heartbeat=$heartbeats"
server_args=()
for pid in "${server_pids[@]}"; do server_args+=(--server-pid "$pid"); done

# PostgreSQL's and Redis's CPU over the whole run (connect phase included), sampled at the start and the end.
postgres_cpu() {
  local total=0 postmaster
  postmaster=$(head -1 "$work/pg/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster" || true); do total=$((total + $(cpu_ticks "$pid"))); done
  echo "$total"
}
redis_cpu() { if [ "$cluster" = 1 ]; then cpu_ticks "$(cat "$work/redis.pid")"; else echo 0; fi; }
if [ "$sqlite" = 0 ]; then pg_before=$(postgres_cpu) redis_before=$(redis_cpu); fi
started=$(date +%s%N)
dotnet "$simulator_dll" load "${urls[@]}" --count "$count" --mix "$mix" --rate $((journeys + heartbeats)) \
  --warmup "$warmup" --duration "$duration" --api-key "$api_key" "${server_args[@]}" --no-progress
ended=$(date +%s%N)
if [ "$sqlite" = 0 ]; then
  awk -v pg=$(($(postgres_cpu) - pg_before)) -v redis=$(($(redis_cpu) - redis_before)) -v hz="$(getconf CLK_TCK)" \
    -v ns=$((ended - started)) 'BEGIN { s = ns / 1e9;
    printf "Over the whole run (%.0f s, connect phase included): PostgreSQL %.2f cores, Redis %.2f cores\n", s, pg / hz / s, redis / hz / s }'
  if [ "$pg_stats" = 1 ]; then
    "${psql_cmd[@]}" -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
      left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query FROM pg_stat_statements ORDER BY calls DESC LIMIT 40"
  fi
fi
