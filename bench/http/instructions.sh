#!/usr/bin/env bash
# Instructions per request of each HTTP echo server, whole process, under
# callgrind: hello (with its accounts and demo tokens) and mizan's echo
# alone (plain_echo), both served by mizan::serve (timeouts, caps,
# compression, drain), and bare axum on axum::serve. Each server gets N,
# then 3N keep-alive POSTs from one client; the difference over 2N is the
# cost of one request, with start-up and shutdown excluded. Instruction
# counts do not depend on the machine's load, so this runs on a busy
# machine where wrk cannot; they still move by a few hundred between runs
# (which worker thread runs, allocates and frees what), so compare figures
# over several runs, not one.
#
#   bench/http/instructions.sh [N=1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000}"
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }
cargo build -q --release -p hello -p mizan-bench
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

collected() { # $1 = binary, $2 = port, $3 = requests -> instructions
  MIZAN_ADDR="127.0.0.1:$2" RUST_LOG=warn valgrind --tool=callgrind \
    --callgrind-out-file="$OUT/cg.out" "$1" >/dev/null 2>"$OUT/cg.err" &
  local pid=$!
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$2/" && break; sleep 0.2; done
  python3 - "$2" "$3" <<'PY'
import http.client, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    c.request("POST", "/api/mizan/call/echo", body='{"text":"hello, benchmark"}',
              headers={"content-type": "application/json"})
    r = c.getresponse(); body = r.read()
    assert r.status == 200, (r.status, body)
PY
  kill -TERM "$pid"; wait "$pid" || true
  grep -o "Collected : [0-9]*" "$OUT/cg.err" | awk '{print $3}'
}
per_request() { # $1 = binary, $2 = port
  local a b
  a=$(collected "$1" "$2" "$N"); b=$(collected "$1" "$(( $2 + 1 ))" $(( 3 * N )))
  echo $(( (b - a) / (2 * N) ))
}
bare=$(per_request target/release/bare_echo 18601)
plain=$(per_request target/release/plain_echo 18603)
hello=$(per_request target/release/hello 18605)
echo "instructions per request: bare axum $bare, mizan echo alone $plain, hello $hello"
echo "bare / mizan echo alone: $(awk -v a="$bare" -v b="$plain" 'BEGIN {printf "%.3f", a / b}')"
echo "bare / hello: $(awk -v a="$bare" -v b="$hello" 'BEGIN {printf "%.3f", a / b}') (the wrk ratio's goal is >= 0.9)"
