#!/usr/bin/env bash
# Runs the sio4j benchmarks side by side with the peers and prints one table.
#
#   benchmarks/run.sh            full run (~10 minutes on 2 cores)
#   benchmarks/run.sh --quick    smoke run, a few seconds per workload (used by scripts/test-all.sh)
#   benchmarks/run.sh --workloads soak   the soak (not in the full run's default list: 10 minutes
#                                per server): 10,000 connections with echoes, joins, broadcasts and
#                                reconnects, the server sampled every 10 s, failing on growth;
#                                SIO4J_BENCH_SOAK_SECONDS (default 600), SIO4J_BENCH_SOAK_CONNS
#                                (default 10000). --quick runs it for 20 s with 500 connections
#                                and judges no growth.
#   options: --servers ours,node,nettysio,raw,raw-coalesce
#            --workloads echo,broadcast,idle,handshake,polling,cluster-broadcast,capacity,soak
#            --no-build (use the jars as they are)
#            --transport auto|io_uring|epoll|nio   (the JVM servers' Netty transport; default auto:
#            epoll on Linux)
#   SIO4J_BENCH_METRICS=1        our server binds its Micrometer meters (socketio-micrometer) to a
#                                registry: run with and without to see what they cost
#
# The server under test runs pinned to CPU 0, the load generator to CPU 1. Server CPU time comes
# from /proc/<pid>/stat of the server process. Everything binds 127.0.0.1; every process started
# here is stopped on exit. The cluster workloads run a redis-server and several nodes per server
# instead (cluster-broadcast two, capacity five or more), all on CPU 0 (see start_cluster), and are
# skipped, not failed, where redis-server is not installed. Exit status: non-zero when the harness or our server fails a workload
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
WORKLOADS=
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
# The soak is part of the quick run (20 s) but not of the full run's defaults (10 minutes per
# server): a full run asks for it with --workloads soak.
if [ -z "$WORKLOADS" ]; then
  WORKLOADS="echo,broadcast,handshake,polling,idle,cluster-broadcast,capacity"
  [ $QUICK = 1 ] && WORKLOADS="$WORKLOADS,soak"
fi

mkdir -p "$T"
RUN=$T/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
RESULTS=$RUN/results.txt
: >"$RESULTS"

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  # Bounded: whatever has not exited after 10 s (a JVM stuck in a shutdown hook) is killed.
  for _ in $(seq 1 100); do
    local alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
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
        socketio-parser/src socketio-adapter/src socketio-server/src socketio-micrometer/src \
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
  CLUSTER_CLIENTS=100; CLUSTER_WARM=$WARM; CLUSTER_JIT_MAX=0
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
  # Two JVM nodes and Redis share one core, so each JVM compiles at about half the pace of a
  # single server: a 5 s warm-up left C2 busy in the measured window. After 12 s the warm-up goes
  # on while the nodes' compiler threads are still busy (at most 30 s more: a busy machine).
  CLUSTER_CLIENTS=1000; CLUSTER_WARM=12; CLUSTER_JIT_MAX=30
fi
# cluster-broadcast: one run per adapter kind, each on a fresh Redis, two nodes, receivers split
# evenly over the nodes, the window of broadcasts in flight the single-node broadcast used.
CLUSTER_ADAPTERS=${SIO4J_BENCH_CLUSTER_ADAPTERS:-"redis redis-sharded redis-streams"}
CLUSTER_NODES=2
CLUSTER_WINDOW=${SIO4J_BENCH_CLUSTER_WINDOW:-4}

# capacity: CAP_CONNS connections held by a cluster of at least five nodes on one Redis (the
# classic pub/sub adapter, kind `redis`), then CAP_BROADCASTS broadcasts that must each reach all
# of them. A node holds at most its open-file limit less its own files (jars, epoll, Redis links),
# so where the limit is 20,000, 100,000 connections need six nodes, not five. The load generator
# is a driver and worker processes of at most CAP_PER_WORKER connections each (same limit), each
# worker with CAP_SOURCES loopback source addresses of its own (127.0.0.10 and up) so that no
# address runs out of ephemeral ports. Nothing here needs a kernel setting changed: see
# check_capacity_knobs.
if [ $QUICK = 1 ]; then
  CAP_CONNS=500; CAP_PER_WORKER=250; CAP_BROADCASTS=2; CAP_WARM=0
  CAP_CONNECT_TIMEOUT=30; CAP_DELIVER_TIMEOUT=10; CAP_SETTLE=0.5; CAP_IDLE_WINDOW=0.5
else
  CAP_CONNS=100000; CAP_BROADCASTS=5; CAP_WARM=3000
  # 150 s is three to four times what the connect phase takes on a quiet machine; a busy one (other
  # builds on the same cores) may need more: SIO4J_BENCH_CAPACITY_CONNECT_TIMEOUT=<seconds>.
  CAP_CONNECT_TIMEOUT=${SIO4J_BENCH_CAPACITY_CONNECT_TIMEOUT:-150}
  CAP_DELIVER_TIMEOUT=30; CAP_SETTLE=2; CAP_IDLE_WINDOW=2
  CAP_PER_WORKER=$(( FD_LIMIT - 1000 < 17000 ? FD_LIMIT - 1000 : 17000 ))
fi
# soak: SOAK_CONNS connections (one load generator process, so at most its open-file limit less
# 1,000, over four loopback source addresses) with traffic per second: SOAK_ECHO echoes with acks,
# SOAK_PUB broadcasts to a room of ~100, SOAK_JOIN joins, SOAK_CHURN connections closed and
# reopened; the server sampled every SOAK_SAMPLE s. The quick run only shows it runs: too few
# samples to judge growth, so the check is off.
if [ $QUICK = 1 ]; then
  SOAK_SECS=${SIO4J_BENCH_SOAK_SECONDS:-20}; SOAK_CONNS=${SIO4J_BENCH_SOAK_CONNS:-500}
  SOAK_SAMPLE=2; SOAK_ECHO=200; SOAK_PUB=5; SOAK_JOIN=20; SOAK_CHURN=10; SOAK_CHECK=off
else
  SOAK_SECS=${SIO4J_BENCH_SOAK_SECONDS:-600}; SOAK_CONNS=${SIO4J_BENCH_SOAK_CONNS:-10000}
  SOAK_SAMPLE=10; SOAK_ECHO=2000; SOAK_PUB=10; SOAK_JOIN=100; SOAK_CHURN=50; SOAK_CHECK=on
fi
[ "$SOAK_CONNS" -gt $(( FD_LIMIT - 1000 )) ] && SOAK_CONNS=$(( FD_LIMIT - 1000 ))
CAP_PER_NODE=$(( FD_LIMIT - 500 ))
CAP_NODES=$(( (CAP_CONNS + CAP_PER_NODE - 1) / CAP_PER_NODE ))
[ "$CAP_NODES" -lt 5 ] && CAP_NODES=5
CAP_SOURCES=2
# The driver and its workers: a small heap (a worker's 17,000 connections take ~250 MB), and C1
# only: seven load generator JVMs compiling the same Netty code with C2 cost more CPU at start-up
# than C2's faster code saves in a phase bound by the servers' handshakes.
CAP_LOADGEN_JVM=(-Xms64m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
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

# ---- clusters: one redis-server and several nodes of one server ------------------------------
# The cluster workloads treat the whole cluster as the server under test: every node and Redis
# run on CLUSTER_CPU (by default the server's CPU 0) and the load generator keeps CPU 1, as in the
# single-node workloads, and the CPU is summed over all of them (CLUSTER_PIDS plus REDIS_PID). Why
# one core for the lot rather than a core for Redis: the cost per delivery then stays comparable
# with the single-node rows and between servers (a cluster cannot look cheaper by pushing work
# onto an unmeasured or idle core), and the load generator is never starved by a node. The price
# is that the processes take turns on that core (context switches, and a node waits while Redis
# runs), which Node's and our cluster pay alike.
#
#   start_cluster SERVER ADAPTER NODES   redis-server on a free port, then NODES nodes of SERVER
#                                        (ours|node) joined to it with ADAPTER
#                                        (redis|redis-sharded|redis-streams); sets REDIS_PORT,
#                                        REDIS_PID, CLUSTER_PORTS, CLUSTER_PIDS; returns non-zero
#                                        (with everything stopped) when something did not start
#   stop_cluster                         stops the nodes, then Redis
#   cluster_ports / cluster_pids         comma lists for the load generator's --port / --pid
# A fresh Redis for every cluster: the streams adapter's stream (and any leftovers) of the
# previous run must not weigh on the next one.
REDIS_PORT=
REDIS_PID=
CLUSTER_PORTS=()
CLUSTER_PIDS=()
CLUSTER_CPU=("${SERVER_CPU[@]}")

REDIS_SERVER=${SIO4J_BENCH_REDIS_SERVER:-redis-server}
have_redis() { command -v "$REDIS_SERVER" >/dev/null 2>&1; }
cluster_capable() { [ "$1" = ours ] || [ "$1" = node ]; }

redis_ping() { # port
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    timeout 2 head -c 5 <&3
  ) 2>/dev/null | grep -q PONG
}

# A free port that none of the cluster's processes has been given yet (they bind later).
pick_cluster_port() {
  local p
  for _ in $(seq 1 20); do
    pick_port || return 1
    p=$PORT
    [ "$p" != "$REDIS_PORT" ] && [[ " ${CLUSTER_PORTS[*]} " != *" $p "* ]] && return 0
  done
  return 1
}

start_redis() {
  local logf
  pick_cluster_port || return 1
  REDIS_PORT=$PORT
  logf=$RUN/redis-$REDIS_PORT.log
  "${CLUSTER_CPU[@]}" "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" \
    --appendonly no --daemonize no >"$logf" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  for _ in $(seq 1 100); do
    redis_ping "$REDIS_PORT" && return 0
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "redis-server did not answer PING: $(tail -3 "$logf" | tr '\n' ' ')"
  return 1
}

start_cluster() { # server adapter nodes
  local name=$1 adapter=$2 nodes=$3 i pid logf url ok=0
  CLUSTER_PORTS=()
  CLUSTER_PIDS=()
  local logs=()
  cluster_capable "$name" || { log "$name has no Redis adapter"; return 1; }
  start_redis || { stop_cluster; return 1; }
  url=redis://127.0.0.1:$REDIS_PORT
  # All nodes start together (a JVM takes seconds to start on a busy core), then each must print
  # READY.
  for i in $(seq 1 "$nodes"); do
    pick_cluster_port || { stop_cluster; return 1; }
    logf=$RUN/cluster-$name-$adapter-node$i-$PORT.log
    case $name in
      # Lettuce runs on epoll (told so: it warns when it finds io_uring on the class path too).
      ours) "${CLUSTER_CPU[@]}" java "${SERVER_JVM[@]}" -Dsio4j.transport="$TRANSPORT" \
              -Dio.lettuce.core.iouring=false \
              -jar "$T/sio4j-bench-server.jar" --port "$PORT" --redis "$url" --adapter "$adapter" \
              >"$logf" 2>&1 & ;;
      node) SIO4J_INTEROP_DIR=$ROOT/interop "${CLUSTER_CPU[@]}" node --expose-gc \
              "$B/node/bench-server.mjs" --port "$PORT" --redis "$url" --adapter "$adapter" \
              >"$logf" 2>&1 & ;;
    esac
    pid=$!
    PIDS+=("$pid")
    CLUSTER_PORTS+=("$PORT")
    CLUSTER_PIDS+=("$pid")
    logs+=("$logf")
  done
  for i in "${!CLUSTER_PIDS[@]}"; do
    ok=0
    for _ in $(seq 1 300); do
      if grep -q READY "${logs[$i]}" 2>/dev/null; then ok=1; break; fi
      kill -0 "${CLUSTER_PIDS[$i]}" 2>/dev/null || break
      sleep 0.1
    done
    if [ $ok = 0 ]; then
      log "$name node $((i + 1)) ($adapter) did not print READY: $(tail -3 "${logs[$i]}" | tr '\n' ' ')"
      stop_cluster
      return 1
    fi
  done
  return 0
}

stop_pid() { # pid: SIGTERM, 5 s to exit, then SIGKILL; then forgotten by the exit trap
  local p=$1 i
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
  wait "$p" 2>/dev/null || true
  for i in "${!PIDS[@]}"; do [ "${PIDS[$i]}" = "$p" ] && unset "PIDS[$i]"; done
}

stop_cluster() {
  local p
  # Nodes first (they say goodbye to Redis), Redis last.
  for p in "${CLUSTER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${CLUSTER_PIDS[@]}"; do stop_pid "$p"; done
  [ -n "$REDIS_PID" ] && stop_pid "$REDIS_PID"
  CLUSTER_PORTS=()
  CLUSTER_PIDS=()
  REDIS_PID=
  REDIS_PORT=
}

cluster_ports() { local IFS=,; echo "${CLUSTER_PORTS[*]}"; }
cluster_pids() { local IFS=,; echo "${CLUSTER_PIDS[*]}${REDIS_PID:+,$REDIS_PID}"; }

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

w_soak() {
  loadgen "$1" soak --conns "$SOAK_CONNS" --sources 4 --duration "$SOAK_SECS" \
    --sample "$SOAK_SAMPLE" --echo-rate "$SOAK_ECHO" --pub-rate "$SOAK_PUB" \
    --join-rate "$SOAK_JOIN" --churn-rate "$SOAK_CHURN" --growth-check "$SOAK_CHECK" \
    --connect-timeout 300 --tolerance "${SIO4J_BENCH_SOAK_TOLERANCE:-1}"
}

# The raw servers have no polling; the coalescing raw floor differs from the raw ceiling only in
# how it flushes, which only broadcast shows.
skip_pair() { # server workload
  [ "$1" = raw ] && [ "$2" = polling ] && return 0
  [ "$1" = raw-coalesce ] && [ "$2" != broadcast ] && return 0
  # The soak: ours, and Node when the run is not a quick one (keeping CI short).
  if [ "$2" = soak ]; then
    [ "$1" = ours ] && return 1
    [ "$1" = node ] && [ $QUICK = 0 ] && return 1
    return 0
  fi
  return 1
}

# ---- cluster workloads ------------------------------------------------------------------------
# A cluster workload is a function cw_<name> (dashes as underscores) taking the server; it starts
# and stops its own clusters (start_cluster/stop_cluster) instead of running inside with_server.
CLUSTER_WORKLOADS="cluster-broadcast capacity"
is_cluster_workload() { [[ " $CLUSTER_WORKLOADS " == *" $1 "* ]]; }

cluster_skip() { # server workload reason
  echo "RESULT server=$1 workload=$2 variant=- status=skipped reason=$3" >>"$RESULTS"
}

REDIS_WARNED=0
with_cluster() { # server workload
  local server=$1 workload=$2
  if ! cluster_capable "$server"; then
    cluster_skip "$server" "$workload" no_redis_adapter
    return
  fi
  if ! have_redis; then
    if [ $REDIS_WARNED = 0 ]; then
      log "redis-server is not installed: skipping the cluster workloads (apt-get install redis-server)"
      REDIS_WARNED=1
    fi
    cluster_skip "$server" "$workload" redis-server_not_installed
    return
  fi
  if [ "$server" = node ] && ! have_node; then
    cluster_skip node "$workload" node_or_interop/node_modules_missing
    return
  fi
  "cw_${workload//-/_}" "$server"
}

# The load generator against the running cluster: connections spread over the nodes, CPU summed
# over the nodes and Redis.
cluster_loadgen() { # server workload variant args...
  local server=$1 workload=$2 variant=$3 out rc p; shift 3
  out=$("${LOAD_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$T/sio4j-bench-loadgen.jar" \
    --workload "$workload" --variant "$variant" --port "$(cluster_ports)" --pid "$(cluster_pids)" \
    --server "$server" "$@" 2>>"$RUN/loadgen.log")
  rc=$?
  echo "$out" | grep '^RESULT' >>"$RESULTS"
  echo "$out" | grep '^RESULT' | sed 's/^/  /' >&2
  if [ $rc -ne 0 ]; then
    if ! echo "$out" | grep -q '^RESULT'; then
      record_failure "$server" "$workload" "$variant" "loadgen_exit_$rc"
    else
      [ "$server" = ours ] && OURS_FAILED=1
    fi
  fi
  for p in "${CLUSTER_PIDS[@]}" "$REDIS_PID"; do
    if ! kill -0 "$p" 2>/dev/null; then
      record_failure "$server" "$workload" "$variant" "cluster_process_${p}_died"
      break
    fi
  done
}

cw_cluster_broadcast() { # server
  local server=$1 adapter variant
  for adapter in $CLUSTER_ADAPTERS; do
    variant=$adapter-$CLUSTER_CLIENTS
    if ! start_cluster "$server" "$adapter" "$CLUSTER_NODES"; then
      record_failure "$server" cluster-broadcast "$variant" cluster_did_not_start
      continue
    fi
    log "$server: cluster-broadcast $adapter (node ports $(cluster_ports), pids $(cluster_pids))"
    cluster_loadgen "$server" cluster-broadcast "$variant" --clients "$CLUSTER_CLIENTS" \
      --window "$CLUSTER_WINDOW" --warmup "$CLUSTER_WARM" --warmup-jit-max "$CLUSTER_JIT_MAX" \
      --duration "$DUR"
    stop_cluster
  done
}

# The kernel settings 100,000 loopback connections touch, checked rather than changed (changing
# them needs root and a writable /proc/sys, which CI may not have; none needs changing at the
# defaults of a current kernel).
check_capacity_knobs() {
  local somax orphans range lo hi
  somax=$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 4096)
  orphans=$(cat /proc/sys/net/ipv4/tcp_max_orphans 2>/dev/null || echo 0)
  range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "32768 60999")
  read -r lo hi <<<"$range"
  log "capacity: somaxconn=$somax tcp_max_orphans=$orphans ephemeral ports $lo-$hi" \
    "open files $FD_LIMIT per process -> $CAP_NODES nodes"
  # Connections are opened 64 at a time per worker: a backlog of a few hundred is plenty.
  [ "$somax" -lt 512 ] && log "capacity: net.core.somaxconn=$somax is low; connects may be retried"
  # Every node killed while holding its connections leaves them to the kernel to close.
  [ "$orphans" -lt "$CAP_CONNS" ] \
    && log "capacity: net.ipv4.tcp_max_orphans=$orphans < $CAP_CONNS: the kernel may log 'too many orphaned sockets' at teardown"
  local per_source=$(( CAP_PER_WORKER / CAP_SOURCES ))
  [ $(( hi - lo )) -lt "$per_source" ] \
    && log "capacity: ephemeral port range $lo-$hi is smaller than $per_source connections per source address"
  return 0
}

cw_capacity() { # server
  local server=$1 variant=$CAP_CONNS-conns
  # The driver's workers are started with the driver's JVM flags (dynamic scope: cluster_loadgen
  # sees this LOADGEN_JVM).
  local LOADGEN_JVM=("${CAP_LOADGEN_JVM[@]}")
  check_capacity_knobs
  if ! start_cluster "$server" redis "$CAP_NODES"; then
    record_failure "$server" capacity "$variant" cluster_did_not_start
    return
  fi
  log "$server: capacity $CAP_CONNS connections, $CAP_NODES nodes, adapter redis" \
    "(node ports $(cluster_ports), pids $(cluster_pids))"
  local t0=$SECONDS
  cluster_loadgen "$server" capacity "$variant" --conns "$CAP_CONNS" \
    --per-worker "$CAP_PER_WORKER" --sources "$CAP_SOURCES" --broadcasts "$CAP_BROADCASTS" \
    --warm-conns "$CAP_WARM" --connect-timeout "$CAP_CONNECT_TIMEOUT" \
    --deliver-timeout "$CAP_DELIVER_TIMEOUT" --settle "$CAP_SETTLE" \
    --idle-window "$CAP_IDLE_WINDOW"
  log "$server: capacity took $(( SECONDS - t0 ))s"
  stop_cluster
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
      is_cluster_workload "$workload" && continue
      [ -n "$SPID" ] || { record_failure "$1" "$workload" "-" "server_died"; continue; }
      "w_$workload" "$1"
    done
  }
  single=0
  for workload in "${WORKLOAD_LIST[@]}"; do is_cluster_workload "$workload" || single=1; done
  for server in "${SERVER_LIST[@]}"; do
    [ $single = 1 ] && with_server "$server" all w_all
  done
  for workload in "${WORKLOAD_LIST[@]}"; do
    is_cluster_workload "$workload" || continue
    for server in "${SERVER_LIST[@]}"; do
      with_cluster "$server" "$workload"
    done
  done
else
  # Workload by workload, so that the servers compared in one row ran close together in time, each
  # in a fresh process.
  for workload in "${WORKLOAD_LIST[@]}"; do
    for server in "${SERVER_LIST[@]}"; do
      skip_pair "$server" "$workload" && continue
      if is_cluster_workload "$workload"; then
        with_cluster "$server" "$workload"
        continue
      fi
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
