#!/bin/sh
# Builds the programs under cmd/ stripped (-ldflags="-s -w" -trimpath) and
# prints their sizes as a Markdown table, with the growth over nethttp.
# Run from bench/: ./binsize.sh
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in nethttp esapikey esapi-v9 typed-v9 typed-v8; do
	go build -trimpath -ldflags="-s -w" -o "$out/$p" "./cmd/$p"
done
base=$(wc -c <"$out/nethttp")
echo "| program | size (bytes) | size (MiB) | over nethttp |"
echo "|---|---:|---:|---:|"
for p in nethttp esapikey esapi-v9 typed-v9 typed-v8; do
	n=$(wc -c <"$out/$p")
	awk -v p="$p" -v n="$n" -v b="$base" 'BEGIN { printf "| %s | %d | %.1f | %+.1f MiB |\n", p, n, n/1048576, (n-b)/1048576 }'
done
echo
echo "$(go version)"
