#!/bin/sh
# Runs the benchmarks of BENCHMARKS.md and prints their tables. Short runs,
# for a small shared machine; raise COUNT and BENCHTIME on a quiet one.
# Run from bench/: ./run.sh   (results go to results/)
set -eu
cd "$(dirname "$0")"
COUNT=${COUNT:-6}
BENCHTIME=${BENCHTIME:-0.5s}
BENCHSTAT="go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"
mkdir -p results
go test -run '^$' -bench '^BenchmarkUpdate$' -count "$COUNT" -benchtime "$BENCHTIME" . | tee results/update.txt
go test -run '^$' -bench '^BenchmarkConcurrent$' -count "$COUNT" -benchtime 1s . | tee results/concurrent.txt
go test -run '^$' -bench '^BenchmarkBulk$' -count 3 -benchtime 1x . | tee results/bulk.txt
$BENCHSTAT -col /.name results/update.txt
$BENCHSTAT results/concurrent.txt
$BENCHSTAT results/bulk.txt
./binsize.sh
