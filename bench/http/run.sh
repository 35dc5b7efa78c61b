#!/usr/bin/env bash
# HTTP benchmark: mizan's `echo` (the hello binary, with its accounts and
# demo tokens) and mizan's `echo` alone (plain_echo: no extension, no
# authenticator) against a bare axum handler doing the same serde work,
# and a batch of 10 echoes against 10 single calls. Server pinned to core 0, wrk to core 1, keep-alive, 64
# connections. Runs are interleaved and repeated; medians and ratios printed.
#
#   bench/http/run.sh [ROUNDS=5] [SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-5}"
SECS="${2:-10}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
cargo build -q --release -p hello -p mizan-bench
HELLO=target/release/hello
BARE=target/release/bare_echo
PLAIN=target/release/plain_echo

start() { # $1 = binary, $2 = port
  MIZAN_ADDR="127.0.0.1:$2" RUST_LOG=warn taskset -c 0 "$1" >/dev/null 2>&1 &
  echo $!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$2/" && return; sleep 0.1; done
}
rps() { # $1 = url, $2 = lua script -> requests/s
  taskset -c 1 wrk -t1 -c64 -d"${SECS}s" -s "$2" "$1" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

m_pid=$(start "$HELLO" 18080); b_pid=$(start "$BARE" 18081); p_pid=$(start "$PLAIN" 18082)
trap 'kill $m_pid $b_pid $p_pid 2>/dev/null || true' EXIT
M=(); B=(); S=(); T=()
R=(); Q=(); P=()
for r in $(seq "$ROUNDS"); do
  # Alternate which server goes first, so drift in the machine's load does
  # not always favour the same one.
  if (( r % 2 )); then
    b=$(rps http://127.0.0.1:18081/api/mizan/call/echo bench/http/echo.lua)
    m=$(rps http://127.0.0.1:18080/api/mizan/call/echo bench/http/echo.lua)
  else
    m=$(rps http://127.0.0.1:18080/api/mizan/call/echo bench/http/echo.lua)
    b=$(rps http://127.0.0.1:18081/api/mizan/call/echo bench/http/echo.lua)
  fi
  p=$(rps http://127.0.0.1:18082/api/mizan/call/echo bench/http/echo.lua)
  t=$(rps http://127.0.0.1:18080/api/mizan/batch bench/http/batch10.lua)
  B+=("$b"); M+=("$m"); T+=("$t")
  R+=("$(awk -v m="$m" -v b="$b" 'BEGIN {print m / b}')")
  P+=("$(awk -v p="$p" -v b="$b" 'BEGIN {print p / b}')")
  Q+=("$(awk -v m="$m" -v t="$t" 'BEGIN {print t * 10 / m}')")
  echo "round $r: bare $b rps, mizan $m rps (ratio ${R[-1]}), echo alone $p rps (ratio ${P[-1]}), batch-of-10 $t rps" >&2
done
mb=$(printf '%s\n' "${B[@]}" | median); mm=$(printf '%s\n' "${M[@]}" | median); mt=$(printf '%s\n' "${T[@]}" | median)
echo "median requests/s: bare axum $mb, mizan echo $mm, mizan batch of 10 $mt"
echo "mizan / bare axum, median of per-round ratios: $(printf '%s\n' "${R[@]}" | median) (goal >= 0.9)"
echo "mizan echo alone / bare axum, median of per-round ratios: $(printf '%s\n' "${P[@]}" | median)"
echo "echoes/s via batches of 10 / via single calls, median of per-round ratios: $(printf '%s\n' "${Q[@]}" | median)"
