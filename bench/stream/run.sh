#!/usr/bin/env bash
# Streaming benchmark: COUNT u32 (default 1,000,000) streamed as NDJSON to
# one client, mizan's `numbers` (a query returning `mizan::Stream<u32>`,
# served by `mizan::serve`) against a bare axum handler writing the same
# lines (`axum::serve`), one body chunk per line as `Body::from_stream` of
# lines gives, and against that handler gathering the lines ready together
# into one chunk (`ready_chunks`), as mizan's body does. Servers on core 0,
# client on core 1; each round runs all three, the order rotating; the
# client checks every line. Prints the median items/s of each, the median
# of per-round ratios, and each server's RSS before the runs and its peak
# (VmHWM) after.
#
#   bench/stream/run.sh [ROUNDS=7] [COUNT=1000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-7}"
COUNT="${2:-1000000}"
cargo build -q --release -p mizan-bench --bin stream_server --bin stream_client
SERVER=target/release/stream_server
CLIENT=target/release/stream_client
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
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
run() { taskset -c 1 "$CLIENT" "http://127.0.0.1:$1" "$COUNT"; }

bare=$(start bare 18095); PIDS+=("$bare")
miz=$(start mizan 18096); PIDS+=("$miz")
gat=$(start gathered 18097); PIDS+=("$gat")
bare_rss=$(kb "$bare" VmRSS); miz_rss=$(kb "$miz" VmRSS); gat_rss=$(kb "$gat" VmRSS)
for port in 18095 18096 18097; do run "$port" >/dev/null; done # warm-up
B=(); M=(); G=(); R=(); Q=()
for r in $(seq "$ROUNDS"); do
  case $(( r % 3 )) in
    1) b=$(run 18095); m=$(run 18096); g=$(run 18097) ;;
    2) m=$(run 18096); g=$(run 18097); b=$(run 18095) ;;
    *) g=$(run 18097); b=$(run 18095); m=$(run 18096) ;;
  esac
  bi=$(echo "$b" | field items_per_s); mi=$(echo "$m" | field items_per_s); gi=$(echo "$g" | field items_per_s)
  B+=("$bi"); M+=("$mi"); G+=("$gi")
  R+=("$(awk -v m="$mi" -v b="$bi" 'BEGIN {print m / b}')"); Q+=("$(awk -v m="$mi" -v g="$gi" 'BEGIN {print m / g}')")
  echo "round $r: bare $b | gathered $g | mizan $m | mizan/bare ${R[-1]} mizan/gathered ${Q[-1]}" >&2
done
med() { printf '%s\n' "$@" | median; }
echo "median items/s streaming $COUNT u32: bare axum $(med "${B[@]}"), bare axum gathered $(med "${G[@]}"), mizan $(med "${M[@]}")"
echo "mizan / bare axum, median of per-round ratios: $(med "${R[@]}") (goal >= 0.8)"
echo "mizan / bare axum gathered, median of per-round ratios: $(med "${Q[@]}")"
echo "server RSS before -> peak (VmHWM): bare ${bare_rss} -> $(kb "$bare" VmHWM) kB, gathered ${gat_rss} -> $(kb "$gat" VmHWM) kB, mizan ${miz_rss} -> $(kb "$miz" VmHWM) kB"
