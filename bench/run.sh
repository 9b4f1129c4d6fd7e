#!/bin/sh
# Runs the benchmarks of BENCHMARKS.md and prints their tables. Short runs,
# for a small shared machine; raise COUNT and BENCHTIME on a quiet one.
# Run from bench/: ./run.sh   (results go to results/)
set -eu
cd "$(dirname "$0")"
COUNT=${COUNT:-8}
BENCHTIME=${BENCHTIME:-0.5s}
BENCHSTAT="go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"
mkdir -p results
go test -run '^$' -bench '^BenchmarkUpdate$' -count "$COUNT" -benchtime "$BENCHTIME" . | tee results/update.txt
go test -run '^$' -bench '^BenchmarkConcurrent$' -count "$COUNT" -benchtime 1s . | tee results/concurrent.txt
go test -run '^$' -bench '^BenchmarkBulk$' -count 3 -benchtime 1x . | tee results/bulk.txt
$BENCHSTAT -col /.name results/update.txt
for c in esapikey nethttp typed-v9; do grep "/$c-" results/update.txt | sed "s|/$c-|-|" > "results/u-$c.txt"; done
$BENCHSTAT nethttp=results/u-nethttp.txt esapikey=results/u-esapikey.txt typed-v9=results/u-typed-v9.txt
$BENCHSTAT results/concurrent.txt
$BENCHSTAT results/bulk.txt
./binsize.sh
