#!/usr/bin/env bash
# The runs behind docs/benchmarks.md: every scenario of the targets, Parley and the Socket.IO server side by
# side on this machine, one after the other (never two at once); then docs/benchmarks.md is written from what
# they printed, by bench/report.py. About 40 minutes on 2 cores.
#
#   bench/suite.sh      results to bench/results/DATE-TIME.jsonl; docs/benchmarks.md rewritten from them
set -euo pipefail
cd "$(dirname "$0")/.."

export BENCH_RESULTS=bench/results/$(date -u +%Y-%m-%d-%H%M).jsonl
mkdir -p bench/results
run() { bench/run.sh "$@" | grep -v '^RESULT '; }

# The fan-out target: 2,000 connections in 20 rooms, 40 senders at 10 msg/s = 40,000 deliveries/s (39,600
# to the others, 400 to the senders themselves). The long
# warm-up lets the JVM compile before the measured window: under this load its JIT compiler still took a third
# of the CPU after 60 s and settled after about 150 s (performance.md). Node is measured the same way.
fanout=(--connections 2000 --rooms 20 --senders 40 --warmup 180 --duration 30)
# Parley's idle run also reports its live heap per connection (class histograms; jcmd, so a JVM only): a fixed
# heap's RSS grows as the run first touches its pages, garbage or not (performance.md, item 29).
for server in parley socketio; do
  histogram=()
  if [ "$server" = parley ]; then histogram=(--histogram target/bench/idle-histogram.txt); fi
  run --server "$server" --tag target fanout "${fanout[@]}" --rate 10
  run --server "$server" --pin --tag saturation fanout "${fanout[@]}" --rate 0 --window 8
  run --server "$server" --tag idle connect --connections 15000 "${histogram[@]}"
done

# Stored messages with receipts: as many as 50 senders get stored, then the receipt latency at half the target's
# 20,000 messages/s (50 senders at 200/s each), whatever the first run reached: "at half that rate" is half of
# the 20,000 the target names. (Before the suite of 2026-12-02 17:24 it was half of the first run's figure,
# which held a faster store to a higher rate.)
# The same long warm-up as the fan-out: after 20 s the JIT compiler still took 40% of the CPU, after 60 s 7%,
# and a cold server's commits were slow enough to fill the queue of messages waiting to be stored
# (performance.md).
store=(store --senders 50 --warmup 180 --duration 30)
for db in h2 postgres; do
  run --db "$db" --tag store-max "${store[@]}" --rate 0 --window 8
  run --db "$db" --tag store-half "${store[@]}" --rate 200
done

# Three catch-ups by other readers first: the first replay after a start runs the page query and the
# encoding cold (the JIT compiler took half the CPU of it, performance.md); the report shows both.
run --tag resume resume --messages 50000 --warmups 3

python3 bench/report.py "$BENCH_RESULTS" bench/results/progress.jsonl > docs/benchmarks.md
echo "docs/benchmarks.md written from $BENCH_RESULTS"
