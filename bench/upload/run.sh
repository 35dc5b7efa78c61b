#!/usr/bin/env bash
# Upload benchmark: a MIB MiB (default 200) multipart upload, SHA-256'd as
# it arrives, to mizan's `hash` (a function taking one
# `#[upload(max_bytes = 256 MiB)]` file, served by `mizan::serve`) and to a
# bare axum handler reading the same body with multer (`axum::serve`).
# The client (`upload_client`) makes the body on the fly from one 64 KiB
# block, never holding it whole, and checks each answer's size and hash.
# Servers on core 0, client on core 1; each round runs both, the order
# alternating. Prints each round's MB/s (10^6 bytes of file per second,
# from the request's start to the answer's end), the median MB/s of each,
# the median of per-round ratios, and each server's RSS before the runs
# and its peak (VmHWM) before and after them.
#
#   bench/upload/run.sh [ROUNDS=7] [MIB=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-7}"
MIB="${2:-200}"
cargo build -q --release -p mizan-bench --bin upload_server --bin upload_client
SERVER=target/release/upload_server
CLIENT=target/release/upload_client
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
run() { taskset -c 1 "$CLIENT" "http://127.0.0.1:$1" "$MIB"; }

bare=$(start bare 18195); PIDS+=("$bare")
miz=$(start mizan 18196); PIDS+=("$miz")
bare_rss=$(kb "$bare" VmRSS); miz_rss=$(kb "$miz" VmRSS)
for port in 18195 18196; do taskset -c 1 "$CLIENT" "http://127.0.0.1:$port" 1 >/dev/null; done # warm-up, 1 MiB
bare_hwm=$(kb "$bare" VmHWM); miz_hwm=$(kb "$miz" VmHWM)
B=(); M=(); R=()
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then b=$(run 18195); m=$(run 18196); else m=$(run 18196); b=$(run 18195); fi
  bm=$(echo "$b" | field mb_per_s); mm=$(echo "$m" | field mb_per_s)
  B+=("$bm"); M+=("$mm")
  R+=("$(awk -v m="$mm" -v b="$bm" 'BEGIN {print m / b}')")
  echo "round $r: bare $b | mizan $m | mizan/bare ${R[-1]}" >&2
done
med() { printf '%s\n' "$@" | median; }
echo "median MB/s hashing a $MIB MiB upload: bare axum + multer $(med "${B[@]}"), mizan $(med "${M[@]}")"
echo "mizan / bare axum, median of per-round ratios: $(med "${R[@]}") (goal >= 0.8)"
echo "server RSS at start; peak (VmHWM) after the warm-up -> after the rounds: bare ${bare_rss}; ${bare_hwm} -> $(kb "$bare" VmHWM) kB, mizan ${miz_rss}; ${miz_hwm} -> $(kb "$miz" VmHWM) kB"
