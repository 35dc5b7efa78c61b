#!/usr/bin/env bash
# Soak: a release `hello` under mixed load for a long while, its memory
# sampled. Not run in CI.
#
#   bench/soak/run.sh [SECONDS=600] [OUT_DIR=target/soak]
#
# The load (bench/soak/load.ts, under the repository's Bun; no wrk needed):
# 8 HTTP clients looping over calls (POST echo, a GET query, a token call, an
# invalid call), batches of 10, `say` and server-rendered pages (/hello/,
# /contexts/, /contact/: the Bun workers); 2 login clients (a quarter of the
# logins with a wrong password, the others followed by `accounts.me` and a
# logout); 40 WebSocket sockets subscribed to chat rooms, each sending every
# second and reopened every 2 minutes; 4 more that live 2 s each and send
# every 250 ms.
#
# Every SAMPLE seconds (default 5; `SOAK_SAMPLE=N`) the RSS of the server and
# of each of its descendants (the Bun render workers) goes into
# OUT_DIR/rss.csv (`t_s,pid,process,rss_kib`). At the end it prints, per
# process, the RSS at the start, the peak, at the end and the slope (least
# squares over the second half of the run, after warm-up), and a text plot
# of the server's and the workers' RSS over time. The load's counts per kind
# of request are in OUT_DIR/counts.json.
#
# Needs `scripts/setup` (Bun) and builds hello in release mode. Run it on an
# otherwise idle machine (`uptime`), or the figures measure contention.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${1:-600}"
OUT="${2:-target/soak}"
SAMPLE="${SOAK_SAMPLE:-5}"
PORT="${SOAK_PORT:-18090}"
BUN=node_modules/.bin/bun
[ -x "$BUN" ] || { echo "needs Bun: run scripts/setup" >&2; exit 1; }
cargo build -q --release -p hello
HELLO=target/release/hello
mkdir -p "$OUT"
CSV="$OUT/rss.csv"
DB="$(mktemp -d)/soak.sqlite3"
export DATABASE_URL="sqlite://$DB?mode=rwc" RUST_LOG=warn
PASSWORD="soak password $(date +%s)"
MIZAN_PASSWORD="$PASSWORD" "$HELLO" createuser soak </dev/null >/dev/null

# Failed logins are part of the load: keep the per-address limit out of the way.
MIZAN_ADDR="127.0.0.1:$PORT" HELLO_LOGIN_FAILURES=100000000 "$HELLO" >"$OUT/server.log" 2>&1 &
SERVER=$!
LOAD=
cleanup() {
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -f "$DB" "$DB-wal" "$DB-shm"; rmdir "$(dirname "$DB")" 2>/dev/null || true
}
trap cleanup EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf -o /dev/null "$BASE/hello/" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/hello/" || { echo "hello did not start: see $OUT/server.log" >&2; exit 1; }

# The server and its descendants: "pid process rss_kib" lines.
tree_rss() {
  ps -e -o pid=,ppid=,rss=,args= | awk -v root="$SERVER" '
    # A descendant is named by its program and first argument (the worker
    # script, or `build` for a bundle being built): "bun:worker.js".
    { pid[NR] = $1; ppid[NR] = $2; rss[NR] = $3; a = $4; b = $5; sub(/.*\//, "", a); sub(/.*\//, "", b)
      comm[NR] = b == "" ? a : a ":" b; gsub(/,/, "", comm[NR]) }
    END {
      keep[root] = 1
      for (changed = 1; changed; ) {
        changed = 0
        for (i = 1; i <= NR; i++) if (!(pid[i] in keep) && (ppid[i] in keep)) { keep[pid[i]] = 1; changed = 1 }
      }
      for (i = 1; i <= NR; i++) if (pid[i] in keep) print pid[i], (pid[i] == root ? "server" : comm[i]), rss[i]
    }'
}

echo "t_s,pid,process,rss_kib" >"$CSV"
echo "soak: $SECS s against $BASE, sampling every $SAMPLE s into $CSV (load average: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$BUN" bench/soak/load.ts "$BASE" "$SECS" soak "$PASSWORD" >"$OUT/counts.json" &
LOAD=$!
START=$(date +%s)
while kill -0 "$LOAD" 2>/dev/null; do
  t=$(( $(date +%s) - START ))
  tree_rss | while read -r pid name rss; do echo "$t,$pid,$name,$rss"; done >>"$CSV"
  kill -0 "$SERVER" 2>/dev/null || { echo "soak: the server died at $t s: see $OUT/server.log" >&2; exit 1; }
  sleep "$SAMPLE"
done
wait "$LOAD"
LOAD=

echo
echo "per process (RSS in MiB; slope: least squares over the second half of the run, for a process"
echo "alive that long; processes that lived less, such as recycled workers, summed up per program):"
awk -F, -v secs="$SECS" 'NR > 1 {
    k = $3 " " $2
    if (!(k in first)) { first[k] = $4; t0[k] = $1; name[k] = $3; order[++n] = k }
    last[k] = $4; t1[k] = $1
    if ($4 > peak[k]) peak[k] = $4
    if ($1 >= secs / 2) { c[k]++; sx[k] += $1; sy[k] += $4; sxx[k] += $1 * $1; sxy[k] += $1 * $4 }
  }
  END {
    printf "%-32s %8s %8s %8s %8s %14s\n", "process pid", "from s", "start", "peak", "end", "MiB/min"
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (t1[k] - t0[k] < secs / 2) {
        m = name[k]; if (!(m in short)) sorder[++ns] = m
        short[m]++; sfirst[m] += first[k]; slast[m] += last[k]; if (peak[k] > speak[m]) speak[m] = peak[k]
        continue
      }
      d = c[k] * sxx[k] - sx[k] * sx[k]
      slope = (c[k] > 2 && d > 0) ? (c[k] * sxy[k] - sx[k] * sy[k]) / d * 60 / 1024 : 0
      printf "%-32s %8d %8.1f %8.1f %8.1f %14.3f\n", k, t0[k], first[k] / 1024, peak[k] / 1024, last[k] / 1024, slope
    }
    for (i = 1; i <= ns; i++) {
      m = sorder[i]
      printf "%d shorter-lived %s: first sample %.1f on average, peak %.1f, last sample %.1f on average\n", short[m], m, sfirst[m] / short[m] / 1024, speak[m] / 1024, slast[m] / short[m] / 1024
    }
  }' "$CSV"

echo
echo "RSS over time (MiB; 'workers' is the sum of the server's descendants):"
awk -F, 'NR > 1 { if ($3 == "server") s[$1] = $4; else w[$1] += $4; if (!($1 in seen)) { seen[$1] = 1; ts[++n] = $1 } }
  END {
    max = 0
    for (i = 1; i <= n; i++) { if (s[ts[i]] > max) max = s[ts[i]]; if (w[ts[i]] > max) max = w[ts[i]] }
    step = n > 20 ? int(n / 20) : 1
    printf "%6s %9s %9s  %s\n", "t s", "server", "workers", "server #, workers ="
    for (i = 1; i <= n; i += step) {
      t = ts[i]; bs = int(s[t] / max * 40); bw = int(w[t] / max * 40); bar = ""
      for (j = 0; j < 40; j++) bar = bar (j < bs ? "#" : " ")
      bar = bar "|"
      for (j = 0; j < 40; j++) bar = bar (j < bw ? "=" : " ")
      printf "%6d %9.1f %9.1f  %s\n", t, s[t] / 1024, w[t] / 1024, bar
    }
  }' "$CSV"

echo
echo "load, operations per kind (ok / failed):"
COUNTS="$OUT/counts.json" "$BUN" -e 'const c = JSON.parse(await Bun.file(process.env.COUNTS).text());
for (const [k, v] of Object.entries(c)) console.log(`  ${k.padEnd(24)} ${String(v.ok).padStart(8)} / ${v.failed}  ${JSON.stringify(v.codes)}`);'
