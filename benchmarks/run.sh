#!/usr/bin/env bash
# Runs the sio4j benchmarks side by side with the peers and prints one table.
#
#   benchmarks/run.sh            full run (~10 minutes on 2 cores)
#   benchmarks/run.sh --quick    smoke run, a few seconds per workload (used by scripts/test-all.sh)
#   options: --servers ours,node,nettysio,raw,raw-coalesce   --workloads echo,broadcast,idle,handshake,polling
#            --no-build (use the jars as they are)
#            --transport auto|io_uring|epoll|nio   (the JVM servers' Netty transport; default auto:
#            epoll on Linux)
#
# The server under test runs pinned to CPU 0, the load generator to CPU 1. Server CPU time comes
# from /proc/<pid>/stat of the server process. Everything binds 127.0.0.1; every process started
# here is stopped on exit. Exit status: non-zero when the harness or our server fails a workload
# (a peer failing, or a slow number, does not fail the run).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/benchmarks
T=$B/target

QUICK=0
BUILD=1
SERVERS="ours,node,nettysio,raw,raw-coalesce"
TRANSPORT=auto
WORKLOADS="echo,broadcast,handshake,polling,idle"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --servers) SERVERS=$2; shift ;;
    --workloads) WORKLOADS=$2; shift ;;
    --transport) TRANSPORT=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
  shift
done

mkdir -p "$T"
RUN=$T/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
RESULTS=$RUN/results.txt
: >"$RESULTS"

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  rm -f "$RUN"/*.jar
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench] $*" >&2; }

# ---- build (offline first, online when something is missing) ---------------------------------

stale() { # jar dirs...
  local jar=$1; shift
  [ -f "$jar" ] || return 0
  [ -n "$(find "$@" \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit 2>/dev/null)" ]
}
if [ $BUILD = 1 ]; then
  if stale "$T/sio4j-bench-server.jar" benchmarks/server engineio-parser/src engineio-server/src \
        socketio-parser/src socketio-adapter/src socketio-server/src \
     || stale "$T/sio4j-bench-loadgen.jar" benchmarks/loadgen \
     || stale "$T/sio4j-bench-netty-socketio.jar" benchmarks/netty-socketio; then
    log "building the benchmark jars"
    MVN_ARGS=(-B -q -pl benchmarks/loadgen,benchmarks/server,benchmarks/netty-socketio -am package
      -DskipTests -Dsio4j.skipNpm=true -Dspotless.check.skip=true -Denforcer.skip=true)
    if ! mvn -o "${MVN_ARGS[@]}" >"$RUN/build.log" 2>&1; then
      log "offline build failed, trying online"
      mvn "${MVN_ARGS[@]}" >"$RUN/build.log" 2>&1 || { cat "$RUN/build.log" >&2; exit 1; }
    fi
  fi
fi
for jar in sio4j-bench-server.jar sio4j-bench-loadgen.jar; do
  [ -f "$T/$jar" ] || { log "missing $T/$jar"; exit 1; }
done
# Run from copies: a build running meanwhile (mvn package rewrites the jars) must not pull the
# classes out from under a running server.
for jar in sio4j-bench-server.jar sio4j-bench-loadgen.jar sio4j-bench-netty-socketio.jar; do
  [ -f "$T/$jar" ] && cp "$T/$jar" "$RUN/$jar"
done
T=$RUN

# ---- limits and parameters --------------------------------------------------------------------

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
CORES=$(nproc)
if [ "$CORES" -ge 2 ]; then
  SERVER_CPU=(taskset -c 0)
  LOAD_CPU=(taskset -c 1)
else
  SERVER_CPU=()
  LOAD_CPU=()
fi
command -v taskset >/dev/null 2>&1 || { SERVER_CPU=(); LOAD_CPU=(); }

if [ $QUICK = 1 ]; then
  ECHO_VARIANTS="16:1 1024:8"
  # Broadcast: the two ends of the window range (one in flight: nothing to coalesce; sixteen:
  # mostly coalesced), so that both write paths run.
  BCAST_WINDOWS="1 16"
  ECHO_CLIENTS=20; BCAST_CLIENTS=100; POLL_CLIENTS=10; IDLE_CONNS=500; IDLE_MAX=0; IDLE_WARM=100
  WARM=0.5; DUR=1.5; HS_WARM=0.5
else
  ECHO_VARIANTS="16:1 16:8 1024:1 1024:8"
  # Broadcasts in flight: 1 (each costs one write per receiver), 4 and 16 (a receiver's writes
  # coalesce when several broadcasts reach it in one loop turn).
  BCAST_WINDOWS="1 4 16"
  ECHO_CLIENTS=100; BCAST_CLIENTS=1000; POLL_CLIENTS=50; IDLE_CONNS=10000; IDLE_WARM=5000
  # "As many as the machine allows": 100k, capped by the open-file limit of each process.
  IDLE_MAX=$(( FD_LIMIT - 500 < 100000 ? FD_LIMIT - 500 : 100000 ))
  [ "$IDLE_MAX" -le "$IDLE_CONNS" ] && IDLE_MAX=0
  # Warm-ups long enough for the JIT to be done: measured, C2 compiles for 2-5 s of the server's
  # core on the echo path and about 6 s on the handshake path, and that CPU would otherwise be
  # counted as the server's cost per operation.
  WARM=5; DUR=5; HS_WARM=8
fi
LOADGEN_JVM=(-Xms512m -Xmx3g -XX:+UseSerialGC -XX:TieredStopAtLevel=4)
# Every JVM server (ours, netty-socketio, raw Netty) gets the same flags: SerialGC (what the JVM
# picks on one CPU anyway), a small initial heap (the default, 1/64 of RAM, is a floor the heap
# never shrinks below, and pages touched once stay resident), a 16 MB young generation, tight
# heap free ratios and shrinking at once rather than over several collections, so that the heap
# follows the live data. With the defaults an idle connection costs about twice its live data in
# RSS. Override with SIO4J_BENCH_SERVER_JVM_OPTS.
SERVER_JVM=(${SIO4J_BENCH_SERVER_JVM_OPTS:--XX:+UseSerialGC -Xms32m -Xmn16m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps})

have_node() {
  command -v node >/dev/null 2>&1 && [ -d "$ROOT/interop/node_modules/socket.io" ]
}

PORT=
SPID=
pick_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 10000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; return 0; fi
  done
  return 1
}

start_server() { # name
  local name=$1 logf
  pick_port || return 1
  logf=$RUN/server-$name-$PORT.log
  case $name in
    ours) "${SERVER_CPU[@]}" java "${SERVER_JVM[@]}" -Dsio4j.transport="$TRANSPORT" -jar "$T/sio4j-bench-server.jar" --port "$PORT" >"$logf" 2>&1 & ;;
    nettysio) "${SERVER_CPU[@]}" java "${SERVER_JVM[@]}" -jar "$T/sio4j-bench-netty-socketio.jar" --port "$PORT" >"$logf" 2>&1 & ;;
    raw) "${SERVER_CPU[@]}" java "${SERVER_JVM[@]}" -cp "$T/sio4j-bench-loadgen.jar" dev.sio4j.bench.raw.RawNettyServer --port "$PORT" --transport "$TRANSPORT" >"$logf" 2>&1 & ;;
    raw-coalesce) "${SERVER_CPU[@]}" java "${SERVER_JVM[@]}" -cp "$T/sio4j-bench-loadgen.jar" dev.sio4j.bench.raw.RawNettyServer --port "$PORT" --transport "$TRANSPORT" --coalesce >"$logf" 2>&1 & ;;
    node) SIO4J_INTEROP_DIR=$ROOT/interop "${SERVER_CPU[@]}" node --expose-gc "$B/node/bench-server.mjs" --port "$PORT" >"$logf" 2>&1 & ;;
  esac
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 150); do
    if grep -q READY "$logf" 2>/dev/null; then return 0; fi
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.2
  done
  log "$name did not print READY: $(tail -3 "$logf" | tr '\n' ' ')"
  stop_server
  return 1
}

stop_server() {
  [ -n "$SPID" ] || return 0
  kill "$SPID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
  SPID=
}

OURS_FAILED=0
record_failure() { # server workload variant reason
  echo "RESULT server=$1 workload=$2 variant=$3 status=failed reason=$4" >>"$RESULTS"
  [ "$1" = ours ] && OURS_FAILED=1
  log "$1 $2 $3 failed: $4"
}

loadgen() { # server workload args...
  local server=$1 workload=$2; shift 2
  local raw=()
  [ "${server%%-*}" = raw ] && raw=(--raw)
  # netty-socketio closes the connection after every polling response.
  [ "$server" = nettysio ] && raw=(--http-fresh)
  local out
  out=$("${LOAD_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$T/sio4j-bench-loadgen.jar" \
    --workload "$workload" --port "$PORT" --pid "$SPID" --server "$server" "${raw[@]}" "$@" \
    2>>"$RUN/loadgen.log")
  local rc=$?
  echo "$out" | grep '^RESULT' >>"$RESULTS"
  echo "$out" | grep '^RESULT' | sed 's/^/  /' >&2
  if [ $rc -ne 0 ]; then
    if ! echo "$out" | grep -q '^RESULT'; then
      record_failure "$server" "$workload" "-" "loadgen_exit_$rc"
    else
      [ "$server" = ours ] && OURS_FAILED=1
    fi
  fi
  if [ -n "$SPID" ] && ! kill -0 "$SPID" 2>/dev/null; then
    record_failure "$server" "$workload" "-" "server_died"
    SPID=
  fi
  return 0
}

with_server() { # server workload fn
  local server=$1 workload=$2 fn=$3
  if [ "$server" = node ] && ! have_node; then
    echo "RESULT server=node workload=$workload variant=- status=skipped reason=node_or_interop/node_modules_missing" >>"$RESULTS"
    return
  fi
  if ! start_server "$server"; then
    record_failure "$server" "$workload" "-" "server_did_not_start"
    return
  fi
  log "$server: $workload (port $PORT, pid $SPID)"
  "$fn" "$server"
  stop_server
}

w_echo() {
  local v
  for v in $ECHO_VARIANTS; do
    loadgen "$1" echo --payload "${v%%:*}" --inflight "${v##*:}" --clients "$ECHO_CLIENTS" \
      --warmup "$WARM" --duration "$DUR"
  done
}
w_broadcast() {
  local w
  for w in $BCAST_WINDOWS; do
    loadgen "$1" broadcast --clients "$BCAST_CLIENTS" --window "$w" --warmup "$WARM" --duration "$DUR"
  done
}
w_handshake() {
  loadgen "$1" handshake --mode ws --warmup "$HS_WARM" --duration "$DUR"
  [ "${1%%-*}" = raw ] || loadgen "$1" handshake --mode upgrade --warmup "$HS_WARM" --duration "$DUR"
}
w_polling() { loadgen "$1" polling --clients "$POLL_CLIENTS" --warmup "$WARM" --duration "$DUR"; }
w_idle() { loadgen "$1" idle --conns "$IDLE_CONNS" --warm-conns "$IDLE_WARM" --settle 2; }
w_idle_max() {
  loadgen "$1" idle --conns "$IDLE_MAX" --variant "max-$IDLE_MAX" --sources 4 --settle 2 \
    --warm-conns "$IDLE_WARM" \
    --connect-timeout 400
}

# The raw servers have no polling; the coalescing raw floor differs from the raw ceiling only in
# how it flushes, which only broadcast shows.
skip_pair() { # server workload
  [ "$1" = raw ] && [ "$2" = polling ] && return 0
  [ "$1" = raw-coalesce ] && [ "$2" != broadcast ] && return 0
  return 1
}

START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
IFS=, read -r -a WORKLOAD_LIST <<<"$WORKLOADS"
if [ $QUICK = 1 ]; then
  # Smoke run: one server process per server for every workload, to keep it short.
  w_all() {
    local workload
    for workload in "${WORKLOAD_LIST[@]}"; do
      skip_pair "$1" "$workload" && continue
      [ -n "$SPID" ] || { record_failure "$1" "$workload" "-" "server_died"; continue; }
      "w_$workload" "$1"
    done
  }
  for server in "${SERVER_LIST[@]}"; do
    with_server "$server" all w_all
  done
else
  # Workload by workload, so that the servers compared in one row ran close together in time, each
  # in a fresh process.
  for workload in "${WORKLOAD_LIST[@]}"; do
    for server in "${SERVER_LIST[@]}"; do
      skip_pair "$server" "$workload" && continue
      with_server "$server" "$workload" "w_$workload"
      if [ "$workload" = idle ] && [ "$IDLE_MAX" -gt 0 ] \
          && { [ "$server" = ours ] || [ "$server" = node ]; }; then
        with_server "$server" idle w_idle_max
      fi
    done
  done
fi
ELAPSED=$(( $(date +%s) - START ))

echo
echo "sio4j benchmarks$( [ $QUICK = 1 ] && echo ' (--quick smoke run: numbers are not meaningful)')"
echo "machine: $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), server on CPU 0, load generator on CPU 1"
echo "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg); open-file limit $FD_LIMIT; ${ELAPSED}s"
echo "servers: ours=sio4j, node=socket.io 4.8, nettysio=netty-socketio 2.0.14, raw=plain Netty WebSocket flushing every write (ceiling), raw-coalesce=the same flushing each socket once per loop turn (the broadcast floor)"
echo "JVM servers' Netty transport: --transport $TRANSPORT, used: $(grep -ho 'transport=[a-z_]*' "$RUN"/server-*.log 2>/dev/null | sort | uniq -c | tr -s ' \n' ' ')"
echo "ratios: peer CPU per op / ours (higher is better for us); memory: ours / peer (lower is better)"
java -cp "$T/sio4j-bench-loadgen.jar" dev.sio4j.bench.loadgen.LoadGen report "$RESULTS" || exit 1
if [ $QUICK = 1 ]; then
  echo "(--quick: 0.5 s warm-ups, before the JIT has compiled the JVM servers' hot paths, and tiny"
  echo " loads: these numbers only show that every workload runs; compare ratios from a full run)"
fi
echo "(raw RESULT lines: $RESULTS)"
if [ $OURS_FAILED = 1 ]; then
  echo "FAILED: the sio4j server failed a workload (see $RUN)" >&2
  exit 1
fi
