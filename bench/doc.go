// Package bench measures esapikey against go-elasticsearch and a
// hand-written net/http call. It holds only benchmarks and the programs
// that bench/binsize.sh builds; see BENCHMARKS.md at the repository root.
package bench
