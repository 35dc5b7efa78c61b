#!/usr/bin/env bash
# Channels benchmark: mizan's WebSocket channels (in-memory layer) against a
# bare axum WebSocket + tokio::sync::broadcast server doing the same work.
#
# 1. Fan-out: CLIENTS sockets subscribed to one group, MESSAGES broadcasts
#    back to back: deliveries per second, and publish->receive latency
#    (p50/p99, which in a burst is mostly queueing). Then the same broadcasts
#    paced 5 ms apart: publish->receive latency of one fan-out. Rounds
#    alternate bare / mizan; medians and the ratio are printed.
# 2. Memory: IDLE idle subscribed sockets from a separate client process;
#    server RSS growth / IDLE = bytes per idle connection.
#
# Servers run on core 0, clients on core 1 (taskset), in separate processes.
#
#   bench/channels/run.sh [ROUNDS=5] [CLIENTS=500] [MESSAGES=200] [IDLE=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-5}"
CLIENTS="${2:-500}"
MESSAGES="${3:-200}"
IDLE="${4:-2000}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((IDLE + 100)) ] || { echo "ulimit -n $(ulimit -n) is too low for $IDLE sockets" >&2; exit 1; }
cargo build -q --release -p mizan-bench --bin channels_server --bin channels_client
SERVER=target/release/channels_server
CLIENT=target/release/channels_client
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # $1 = mode, $2 = port -> pid
  MIZAN_ADDR="127.0.0.1:$2" RUST_LOG=warn taskset -c 0 "$SERVER" "$1" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then echo "$pid"; return; fi
    sleep 0.05
  done
  echo "server $1 did not start" >&2; exit 1
}
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

burst() { # $1 = port, $2 = microseconds between broadcasts (0: back to back)
  taskset -c 1 "$CLIENT" burst "ws://127.0.0.1:$1/api/mizan/ws" "http://127.0.0.1:$1/publish" "$CLIENTS" "$MESSAGES" "${2:-0}"
}

echo "== fan-out: $CLIENTS clients x $MESSAGES broadcasts, $ROUNDS rounds" >&2
bare=$(start bare 18090); PIDS+=("$bare")
miz=$(start mizan 18091); PIDS+=("$miz")
burst 18090 >/dev/null; burst 18091 >/dev/null # warm-up
BD=(); MD=(); BP=(); MP=(); BQ=(); MQ=()
for r in $(seq "$ROUNDS"); do
  b=$(burst 18090); m=$(burst 18091)
  BD+=("$(echo "$b" | field deliveries_per_s)"); BP+=("$(echo "$b" | field p99_us)")
  MD+=("$(echo "$m" | field deliveries_per_s)"); MP+=("$(echo "$m" | field p99_us)")
  echo "round $r burst: bare $b" >&2
  echo "round $r burst: mizan $m" >&2
  b=$(burst 18090 5000); m=$(burst 18091 5000)
  BQ+=("$(echo "$b" | field p99_us)"); MQ+=("$(echo "$m" | field p99_us)")
  echo "round $r paced: bare $b" >&2
  echo "round $r paced: mizan $m" >&2
done
kill "$bare" "$miz"; PIDS=()
med() { printf '%s\n' "$@" | median; }
bd=$(med "${BD[@]}"); md=$(med "${MD[@]}"); bp=$(med "${BP[@]}"); mp=$(med "${MP[@]}")
bq=$(med "${BQ[@]}"); mq=$(med "${MQ[@]}")
echo "burst, median deliveries/s: bare $bd, mizan $md; median p99 publish->receive: bare ${bp} us, mizan ${mp} us"
echo "paced 5 ms, median p99 publish->receive: bare ${bq} us, mizan ${mq} us"
awk -v m="$md" -v b="$bd" 'BEGIN { printf "mizan / bare deliveries/s: %.3f (goal >= 0.8)\n", m / b }'

echo "== memory: $IDLE idle subscribed sockets" >&2
idle_kb() { # $1 = mode, $2 = port -> bytes per connection
  local pid; pid=$(start "$1" "$2"); PIDS+=("$pid")
  # Warm the server up (allocator arenas, the first socket) before the baseline.
  burst "$2" >/dev/null
  sleep 0.5
  local before; before=$(rss_kb "$pid")
  local fifo; fifo=$(mktemp -u); mkfifo "$fifo"
  taskset -c 1 "$CLIENT" idle "ws://127.0.0.1:$2/api/mizan/ws" "$IDLE" <"$fifo" >"$fifo.out" &
  local cpid=$!; PIDS+=("$cpid")
  exec 4>"$fifo"
  for _ in $(seq 600); do grep -q ready "$fifo.out" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$fifo.out" || { echo "idle client did not get ready" >&2; exit 1; }
  sleep 1
  local after; after=$(rss_kb "$pid")
  exec 4>&-
  wait "$cpid" 2>/dev/null || true
  kill "$pid"
  rm -f "$fifo" "$fifo.out"
  echo "$1: RSS ${before} kB -> ${after} kB" >&2
  echo $(( (after - before) * 1024 / IDLE ))
}
bm=$(idle_kb bare 18092); mm=$(idle_kb mizan 18093)
echo "bytes per idle subscribed connection: bare $bm, mizan $mm (goal <= 30720)"
