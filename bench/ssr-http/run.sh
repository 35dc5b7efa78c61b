#!/usr/bin/env bash
# SSR pages under load (wrk, keep-alive): two pages, `Hello` and the 100-item
# list of bench/ssr/components, each served with the same component, props
# and document by
#   mizan      the bench app (ssr_http_mizan: mizan::render, 2 Bun workers),
#              and `hello`'s own /hello/ as served (its CSRF cookie, CSP
#              nonce, global context) for the headline figure;
#   bun        2 Bun.serve processes rendering in-process (inprocess.ts),
#              sharing the port;
#   sidecar    Inertia-style: an axum server (ssr_http_sidecar) POSTing
#              {component, props} over keep-alive HTTP to 2 Bun render
#              servers (render-server.ts) sharing a port, wrapping the HTML.
# Beside them, two figures of mizan alone:
#   /todos/    the bench app's list read by one in-render call (/todos/) vs
#              the same list passed as props (/todos-props/), same root;
#   /slow/     hello's streamed page (slow_quote, 300 ms, under <Suspense>)
#              at 32 concurrent requests, timed per request to the first
#              body byte and to the full page by ssr_first_byte.
# Every setup's processes (and their threads and children) run on core 0,
# wrk on core 1; see bench/README.md. Rounds are interleaved, their order
# alternating; the figures are medians, the ratios medians of per-round ratios.
#
#   bench/ssr-http/run.sh [ROUNDS=5] [SECONDS=10]
#   bench/ssr-http/run.sh 0      # only the checks: same pages, placement, no errors under load
#
# Knobs: SSR_HTTP_CONNS (default 32), SSR_HTTP_SERVER_CPUS (0),
# SSR_HTTP_WRK_CPUS (1), SSR_HTTP_LAUNCH_CPUS (0,1: what the processes see
# when they start and size their thread pools and, for hello, its Bun pool),
# SSR_HTTP_WARMUP (seconds of wrk per URL before the rounds, 2);
# SSR_HTTP_RECYCLE_AFTER reaches the bench app (its workers' recycling,
# mizan's default when unset); SSR_HTTP_SLOW_REQUESTS (/slow/ requests per
# round, 640; the rounds' SECONDS do not apply to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-5}"
SECS="${2:-10}"
CONNS="${SSR_HTTP_CONNS:-32}"
SERVER_CPUS="${SSR_HTTP_SERVER_CPUS:-0}"
WRK_CPUS="${SSR_HTTP_WRK_CPUS:-1}"
LAUNCH_CPUS="${SSR_HTTP_LAUNCH_CPUS:-0,1}"
WARMUP="${SSR_HTTP_WARMUP:-2}"
SLOW_REQUESTS="${SSR_HTTP_SLOW_REQUESTS:-640}"
SLOW_CONNS=32
BUN=node_modules/.bin/bun
# The CSRF cookie of a returning visitor: sent to every setup but hello, so
# that the bench app does not mint one per page (the baselines have none).
COOKIE="Cookie: mizan_csrf=0123456789abcdef0123456789abcdef"

die() { echo "ssr-http: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[0-9]+$ && $SECS =~ ^[1-9][0-9]*$ && $WARMUP =~ ^[1-9][0-9]*$ && $CONNS =~ ^[1-9][0-9]*$ && $SLOW_REQUESTS =~ ^[1-9][0-9]*$ ]] \
  || die "usage: run.sh [ROUNDS (0: only the checks)] [SECONDS >= 1]; SSR_HTTP_CONNS, SSR_HTTP_WARMUP and SSR_HTTP_SLOW_REQUESTS >= 1"
command -v wrk >/dev/null || die "needs wrk (apt-get install wrk)"
command -v taskset >/dev/null || die "needs taskset (util-linux)"
[ -x "$BUN" ] || die "needs $BUN: run scripts/setup"
(( $(nproc --all) >= 2 )) || die "needs 2 cores (server side on one, wrk on the other)"
cargo build -q --release -p hello -p mizan-bench

TMP=$(mktemp -d)
ROOTS=()      # every process started here
declare -A PIDS  # setup -> its root processes
cleanup() {
  local all=() p
  for p in "${ROOTS[@]}"; do all+=("$p" $(descendants "$p")); done
  kill "${ROOTS[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    local alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  for p in "${all[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

descendants() { # $1 = pid -> its descendants, one a line
  local c
  for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done
}
tree() { # pids -> them and their descendants
  local p
  for p in "$@"; do echo "$p"; descendants "$p"; done
}
pin() { # pids: them, their threads and their descendants onto SERVER_CPUS
  local p
  for p in $(tree "$@"); do taskset -a -p -c "$SERVER_CPUS" "$p" >/dev/null; done
}
launch() { # $1 = log name, rest = command; started on LAUNCH_CPUS, its pid in $LAST
  local name=$1; shift
  taskset -c "$LAUNCH_CPUS" "$@" >"$TMP/$name.log" 2>&1 &
  LAST=$!
  ROOTS+=("$LAST")
}
wait_up() { # $1 = port, $2 = pid, $3 = log name
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return
    kill -0 "$2" 2>/dev/null || { cat "$TMP/$3.log" >&2; die "$3 exited before listening on $1"; }
    sleep 0.1
  done
  cat "$TMP/$3.log" >&2
  die "$3 is not listening on $1"
}
cpu_ticks() { # pids -> CPU clock ticks used by them and their descendants (reaped ones included)
  local p sum=0 t
  for p in $(tree "$@"); do
    # utime stime cutime cstime: fields 14-17, after the ")" of the name.
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}') || t=0
    sum=$(( sum + ${t:-0} ))
  done
  echo "$sum"
}

# --- start the setups: each started on LAUNCH_CPUS, moved to SERVER_CPUS before its first page
M_PORT=18280 H_PORT=18281 B_PORT=18282 S_PORT=18283 R_PORT=18284
launch mizan env MIZAN_ADDR=127.0.0.1:$M_PORT RUST_LOG=warn target/release/ssr_http_mizan; m=$LAST
launch hello env MIZAN_ADDR=127.0.0.1:$H_PORT RUST_LOG=warn target/release/hello; h=$LAST
wait_up $M_PORT "$m" mizan; wait_up $H_PORT "$h" hello
pin "$m" "$h"
PIDS[M]=$m; PIDS[H]=$h
# The first pages start the workers (on SERVER_CPUS) and build the bundles;
# the baselines load the same bundle URLs, so that the documents are equal.
for page in hello list; do
  curl -sf -H "$COOKIE" "http://127.0.0.1:$M_PORT/$page/" -o "$TMP/M.$page" || die "the bench app failed /$page/"
done
curl -sf "http://127.0.0.1:$H_PORT/hello/" -o "$TMP/H.hello" || die "hello failed /hello/"
script_of() { grep -o '<script type="module" src="[^"]*"' "$1" | sed 's/.*src="//; s/"$//'; }
export SSR_HTTP_SCRIPT_HELLO SSR_HTTP_SCRIPT_LIST
SSR_HTTP_SCRIPT_HELLO=$(script_of "$TMP/M.hello"); SSR_HTTP_SCRIPT_LIST=$(script_of "$TMP/M.list")
[ -n "$SSR_HTTP_SCRIPT_HELLO" ] && [ -n "$SSR_HTTP_SCRIPT_LIST" ] || die "no bundle URL in the bench app's pages"

launch bun1 env NODE_ENV=production "$BUN" bench/ssr-http/inprocess.ts $B_PORT; b1=$LAST
launch bun2 env NODE_ENV=production "$BUN" bench/ssr-http/inprocess.ts $B_PORT; b2=$LAST
launch render1 env NODE_ENV=production "$BUN" bench/ssr-http/render-server.ts $R_PORT; r1=$LAST
launch render2 env NODE_ENV=production "$BUN" bench/ssr-http/render-server.ts $R_PORT; r2=$LAST
launch sidecar env MIZAN_ADDR=127.0.0.1:$S_PORT SSR_HTTP_RENDER_URL=http://127.0.0.1:$R_PORT/render \
  RUST_LOG=warn target/release/ssr_http_sidecar; s=$LAST
for _ in $(seq 100); do grep -q listening "$TMP/bun1.log" && grep -q listening "$TMP/bun2.log" && break; sleep 0.1; done
for _ in $(seq 100); do grep -q listening "$TMP/render1.log" && grep -q listening "$TMP/render2.log" && break; sleep 0.1; done
wait_up $B_PORT "$b1" bun1; wait_up $S_PORT "$s" sidecar
for p in "$b2" "$r1" "$r2"; do kill -0 "$p" 2>/dev/null || die "a Bun server exited: $(cat "$TMP"/*.log)"; done
pin "$b1" "$b2" "$r1" "$r2" "$s"
PIDS[B]="$b1 $b2"; PIDS[S]="$s $r1 $r2"

# --- the pages are the same: bodies byte for byte, headers but the date
headers_of() { tr -d '\r' <"$1" | sed 1d | grep -v '^$' | grep -vi '^date:' | tr 'A-Z' 'a-z' | sort; }
for page in hello list; do
  curl -sf -H "$COOKIE" -D "$TMP/M.$page.h" "http://127.0.0.1:$M_PORT/$page/" -o "$TMP/M.$page"
  for x in B S; do
    port=$B_PORT; [ $x = S ] && port=$S_PORT
    curl -sf -H "$COOKIE" -D "$TMP/$x.$page.h" "http://127.0.0.1:$port/$page/" -o "$TMP/$x.$page" \
      || die "setup $x failed /$page/"
    cmp -s "$TMP/M.$page" "$TMP/$x.$page" || { diff "$TMP/M.$page" "$TMP/$x.$page" >&2 || true; die "setup $x's /$page/ is not the bench app's document"; }
    [ "$(headers_of "$TMP/M.$page.h")" = "$(headers_of "$TMP/$x.$page.h")" ] \
      || { diff <(headers_of "$TMP/M.$page.h") <(headers_of "$TMP/$x.$page.h") >&2 || true; die "setup $x's /$page/ headers differ"; }
  done
done
root_of() { grep -o '<div id="mizan-root">.*</div>' "$1"; }
[ "$(root_of "$TMP/H.hello")" = "$(root_of "$TMP/M.hello")" ] || die "hello's /hello/ renders another root than the bench app"

# --- /todos/: one in-render call and props render the root hello's /todos/ renders
for page in todos todos-props; do
  curl -sf -H "$COOKIE" -D "$TMP/M.$page.h" "http://127.0.0.1:$M_PORT/$page/" -o "$TMP/M.$page" \
    || die "the bench app failed /$page/"
done
curl -sf "http://127.0.0.1:$H_PORT/todos/" -o "$TMP/H.todos" || die "hello failed /todos/"
grep -q '<li data-done="true">Buy milk</li>' "$TMP/M.todos" || die "the bench app's /todos/ was rendered without its data: $(root_of "$TMP/M.todos")"
grep -q 'id="mizan-queries"' "$TMP/M.todos" || die "the bench app's /todos/ has no #mizan-queries: no in-render call"
! grep -q 'id="mizan-queries"' "$TMP/M.todos-props" || die "the bench app's /todos-props/ made an in-render call"
for x in M.todos-props H.todos; do
  [ "$(root_of "$TMP/$x")" = "$(root_of "$TMP/M.todos")" ] \
    || { diff <(root_of "$TMP/M.todos") <(root_of "$TMP/$x") >&2 || true; die "$x renders another root than the bench app's /todos/"; }
done
todo_headers() { headers_of "$1" | grep -v '^content-length:'; } # the documents' lengths differ
[ "$(todo_headers "$TMP/M.todos.h")" = "$(todo_headers "$TMP/M.todos-props.h")" ] \
  || { diff <(todo_headers "$TMP/M.todos.h") <(todo_headers "$TMP/M.todos-props.h") >&2 || true; die "the /todos/ pages' headers differ"; }

# --- /slow/: streamed (each first body chunk the shell, the quote later), timed per request
slow_run() { # $1 = requests -> "first_p50 first_p99 full_p50 full_p99" (ms)
  taskset -c "$WRK_CPUS" target/release/ssr_first_byte "http://127.0.0.1:$H_PORT/slow/" "$SLOW_CONNS" "$1" \
    || die "hello's /slow/ failed under $SLOW_CONNS concurrent requests"
}
slow_run "$SLOW_CONNS" >/dev/null

# --- measuring
declare -A URL=([M]="http://127.0.0.1:$M_PORT" [H]="http://127.0.0.1:$H_PORT"
  [B]="http://127.0.0.1:$B_PORT" [S]="http://127.0.0.1:$S_PORT")
declare -A NAME=([M]="mizan bench app" [H]="hello /hello/" [B]="Bun in-process" [S]="sidecar")
# A run: case (page and connections) and setup.
# slow:H is ssr_first_byte's run of SLOW_REQUESTS, not wrk.
RUNS=(hello:M hello:H hello:B hello:S list:M list:B list:S one:M one:H one:B one:S todos:M todosp:M slow:H)
to_ms() { awk '{v=$1; if (v ~ /us$/) print v/1000; else if (v ~ /ms$/) print v+0; else if (v ~ /m$/) print v*60000; else print v*1000}'; }
wrk_run() { # $1 = case, $2 = setup, $3 = seconds -> "rps p99_ms cpu_share"
  local page=${1/one/hello} conns=$CONNS args=()
  [ "$1" = todosp ] && page=todos-props
  [ "$1" = one ] && conns=1
  [ "$2" = H ] || args=(-H "$COOKIE")
  local t0 t1 out
  t0=$(cpu_ticks ${PIDS[$2]})
  out=$(taskset -c "$WRK_CPUS" wrk -t1 -c"$conns" -d"${3}s" --latency "${args[@]}" "${URL[$2]}/$page/")
  t1=$(cpu_ticks ${PIDS[$2]})
  if grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out"; then
    echo "$out" >&2
    die "${NAME[$2]} /$page/ answered errors under load"
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms)
  [ -n "$rps" ] && [ -n "$p99" ] || { echo "$out" >&2; die "wrk said nothing usable"; }
  echo "$rps $p99 $(awk -v t=$((t1 - t0)) -v s="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz / s}')"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }

echo "warming up (${WARMUP} s per run)..." >&2
for run in "${RUNS[@]}"; do
  if [ "$run" = slow:H ]; then slow_run $((SLOW_CONNS * 4)) >/dev/null; continue; fi
  wrk_run "${run%%:*}" "${run##*:}" "$WARMUP" >/dev/null
done

check_pinned() { # every thread of every setup's processes on SERVER_CPUS; prints the process counts
  local want x p t n threads
  want=$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$m/status")
  for x in M H B S; do
    n=0; threads=0
    for p in $(tree ${PIDS[$x]}); do
      n=$((n + 1))
      for t in /proc/"$p"/task/*; do
        [ -r "$t/status" ] || continue
        threads=$((threads + 1))
        [ "$(awk '/Cpus_allowed_list/ {print $2}' "$t/status")" = "$want" ] \
          || die "${NAME[$x]}: thread ${t##*/} of $p is not pinned to CPUs $want"
      done
    done
    echo "  ${NAME[$x]}: $n processes, $threads threads, all on CPUs $want"
  done
}
echo "placement (server side on CPUs $SERVER_CPUS, wrk on $WRK_CPUS):"
check_pinned
bun_children() { tree "$1" | tail -n +2 | xargs -r ps -o comm= -p | grep -c '^bun' || true; }
for x in M H; do
  [ "$(bun_children ${PIDS[$x]})" = 2 ] || die "${NAME[$x]} runs $(bun_children ${PIDS[$x]}) Bun workers, not 2"
done

if (( ROUNDS == 0 )); then
  echo "the pages are the same in all setups and each served under load without errors; ROUNDS=0: nothing measured"
  exit 0
fi

LOAD_BEFORE=$(uptime)
declare -A RPS P99 CPU RATIO SLOW
add() { RATIO[$1]="${RATIO[$1]:-} $2"; }
for r in $(seq "$ROUNDS"); do
  order=("${RUNS[@]}")
  if (( r % 2 == 0 )); then # reversed every other round: no setup always goes first
    order=(); for ((i = ${#RUNS[@]} - 1; i >= 0; i--)); do order+=("${RUNS[i]}"); done
  fi
  declare -A now=()
  for run in "${order[@]}"; do
    if [ "$run" = slow:H ]; then
      read -r f50 f99 t50 t99 <<<"$(slow_run "$SLOW_REQUESTS")"
      SLOW[f50]="${SLOW[f50]:-} $f50"; SLOW[f99]="${SLOW[f99]:-} $f99"
      SLOW[t50]="${SLOW[t50]:-} $t50"; SLOW[t99]="${SLOW[t99]:-} $t99"
      continue
    fi
    res=$(wrk_run "${run%%:*}" "${run##*:}" "$SECS")
    read -r rps p99 cpu <<<"$res"
    now[$run]=$rps
    RPS[$run]="${RPS[$run]:-} $rps"; P99[$run]="${P99[$run]:-} $p99"; CPU[$run]="${CPU[$run]:-} $cpu"
  done
  add hello:M/S "$(ratio "${now[hello:M]}" "${now[hello:S]}")"
  add hello:H/S "$(ratio "${now[hello:H]}" "${now[hello:S]}")"
  add hello:M/B "$(ratio "${now[hello:M]}" "${now[hello:B]}")"
  add hello:H/B "$(ratio "${now[hello:H]}" "${now[hello:B]}")"
  add list:M/S "$(ratio "${now[list:M]}" "${now[list:S]}")"
  add list:M/B "$(ratio "${now[list:M]}" "${now[list:B]}")"
  add one:M/S "$(ratio "${now[one:M]}" "${now[one:S]}")"
  add one:H/S "$(ratio "${now[one:H]}" "${now[one:S]}")"
  add todos:C/P "$(ratio "${now[todos:M]}" "${now[todosp:M]}")"
  echo "round $r: Hello req/s mizan ${now[hello:M]}, hello ${now[hello:H]}, bun ${now[hello:B]}, sidecar ${now[hello:S]};" \
    "list mizan ${now[list:M]}, bun ${now[list:B]}, sidecar ${now[list:S]};" \
    "1 connection mizan ${now[one:M]}, hello ${now[one:H]}, bun ${now[one:B]}, sidecar ${now[one:S]};" \
    "/todos/ in-render ${now[todos:M]}, props ${now[todosp:M]};" \
    "/slow/ p99 first byte $f99 ms, full page $t99 ms" >&2
  unset now
done
LOAD_AFTER=$(uptime)
echo "after the rounds:"
check_pinned

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN {printf "%." d "f", v}'; }
cell() { # run -> "rps (p99 ms, CPU %)"
  echo "$(fmt "$(med "${RPS[$1]}")" 0) ($(fmt "$(med "${P99[$1]}")" 2) ms, $(fmt "$(awk -v c="$(med "${CPU[$1]}")" 'BEGIN {print c * 100}')" 0) %)"
}
us() { awk -v r="$(med "${RPS[$1]}")" 'BEGIN {printf "%.1f", 1e6 / r}'; }
goal() { # ratio key, goal -> "R (goal >= G: met|NOT met)"
  local v; v=$(med "${RATIO[$1]}")
  echo "$(fmt "$v" 2) (goal ≥ $2: $(awk -v v="$v" -v g="$2" 'BEGIN {print (v >= g) ? "met" : "NOT met"}'))"
}
slow() { # /slow/ figure (f50 f99 t50 t99), goal in ms or "" -> "median over rounds ms [(goal ≤ G ms: met|NOT met)]"
  local v; v=$(med "${SLOW[$1]}")
  if [ -n "${2:-}" ]; then
    echo "$(fmt "$v" 1) ms (goal ≤ $2 ms: $(awk -v v="$v" -v g="$2" 'BEGIN {print (v <= g) ? "met" : "NOT met"}'))"
  else
    echo "$(fmt "$v" 1) ms"
  fi
}

echo
echo "SSR pages over HTTP: $ROUNDS rounds of $SECS s, wrk -t1, server side on CPUs $SERVER_CPUS, wrk on $WRK_CPUS"
echo "load before: $LOAD_BEFORE"
echo "load after:  $LOAD_AFTER"
echo
echo "Median req/s (p99 latency, server-side CPU as % of one core):"
echo
echo "| page | connections | mizan bench app | hello \`/hello/\` as served | Bun in-process | sidecar |"
echo "|---|---|---|---|---|---|"
echo "| Hello | $CONNS | $(cell hello:M) | $(cell hello:H) | $(cell hello:B) | $(cell hello:S) |"
echo "| 100-item list | $CONNS | $(cell list:M) | | $(cell list:B) | $(cell list:S) |"
echo "| Hello | 1 | $(cell one:M) | $(cell one:H) | $(cell one:B) | $(cell one:S) |"
echo "| µs per Hello page, 1 connection | | $(us one:M) | $(us one:H) | $(us one:B) | $(us one:S) |"
echo
echo "\`/todos/\`, the bench app, $CONNS connections: median req/s (p99 latency, server-side CPU):"
echo
echo "| one in-render call (\`/todos/\`) | the todos as props (\`/todos-props/\`) |"
echo "|---|---|"
echo "| $(cell todos:M) | $(cell todosp:M) |"
echo
echo "\`/slow/\`, hello as served, $SLOW_CONNS concurrent connections, $SLOW_REQUESTS requests per round (medians over the rounds):"
echo
echo "| first body byte p50 | first body byte p99 | full page p50 | full page p99 |"
echo "|---|---|---|---|"
echo "| $(slow f50) | $(slow f99 100) | $(slow t50) | $(slow t99 400) |"
echo
echo "Medians of per-round ratios:"
echo
echo "| ratio | figure |"
echo "|---|---|"
echo "| Hello, hello \`/hello/\` ÷ sidecar (headline) | $(goal hello:H/S 1.5) |"
echo "| Hello, bench app ÷ sidecar (like-for-like) | $(goal hello:M/S 1.5) |"
echo "| 100-item list, bench app ÷ sidecar | $(goal list:M/S 1.2) |"
echo "| 100-item list, bench app ÷ Bun in-process | $(goal list:M/B 0.8) |"
echo "| Hello, hello \`/hello/\` ÷ Bun in-process | $(fmt "$(med "${RATIO[hello:H/B]}")" 2) |"
echo "| Hello, bench app ÷ Bun in-process | $(fmt "$(med "${RATIO[hello:M/B]}")" 2) |"
echo "| Hello at 1 connection, bench app ÷ sidecar | $(fmt "$(med "${RATIO[one:M/S]}")" 2) |"
echo "| Hello at 1 connection, hello \`/hello/\` ÷ sidecar | $(fmt "$(med "${RATIO[one:H/S]}")" 2) |"
echo "| \`/todos/\`, one in-render call ÷ props (bench app) | $(goal todos:C/P 0.7) |"
