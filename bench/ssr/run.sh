#!/bin/sh
# The SSR bridge benchmark: bridge cost per render against in-process Bun
# renderToString (Hello and a 100-item list), and one worker against two.
#
#   bench/ssr/run.sh                      # full run (7 repeats)
#   MIZAN_BENCH_REPEATS=3 MIZAN_BENCH_SCALE=0.3 bench/ssr/run.sh   # quick
#
# Needs `npm install` at the repository root. Writes the JSON report to
# $MIZAN_BENCH_OUT when set.
set -eu
cd "$(dirname "$0")/../.."
exec cargo run --release -q -p mizan-bench --bin ssr_bridge
