#!/usr/bin/env bash
# Peak memory and wall time of `strata scan` on synthetic one-layer images
# (OCI layouts, one gzip layer, written by bench/layergen):
#   1gib:     131,072 files of 8 KiB of word-like text (1 GiB), with a real
#             dpkg status (592 packages) and os-release after them;
#   1m-files: 1,000,000 empty files, with the same status and os-release;
#   go-binaries: 20 copies of strata's own binary (a Go binary of about
#             30 MiB with build info and symbols) under usr/local/bin,
#             each read for its modules and function names. Its memory
#             grows with the binaries' function names that the layer
#             report keeps (about 23,000 a binary, for the symbol
#             verdicts), not with their bytes; it has no RSS limit.
# Each scan starts from a store holding the Debian advisory lists of
# testdata/ and no layer. The floor is `tar -tzf` of the same layer blob.
# Figures are medians of RUNS runs (default 3); the peak RSS of a scan of
# the first two must stay under 150 MiB.
#
#   bash bench/layer-1gib.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
pkgdb=../shared/data/pkgdb/dpkg/debian-old/buster-vm-2020
[ -f "$pkgdb/status" ] || { echo "bench/layer-1gib.sh: $pkgdb/status not found (shared data absent)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/strata" ./cmd/strata
go build -o "$work/layergen" ./bench/layergen
"$work/strata" update --db "$work/feeds.db" --source debian=testdata/feeds/debian/DSA.list --source debian=testdata/feeds/debian/DLA.list >/dev/null 2>&1

. bench/lib.sh

status=0
# bench NAME FILES SIZE [COPIES of strata's binary]
bench() {
	local name=$1 blob
	blob=$("$work/layergen" -out "$work/$name" -files "$2" -size "$3" -status "$pkgdb/status" -os-release "$pkgdb/os-release" \
		-binary "$work/strata" -copies "${4:-0}")
	: >"$work/$name.scan"; : >"$work/$name.tar"
	for _ in $(seq "$runs"); do
		rm -f "$work/db"*; cp "$work/feeds.db" "$work/db"
		run "$work/strata" scan --db "$work/db" "$work/$name" >>"$work/$name.scan"
		run tar -tzf "$blob" >>"$work/$name.tar"
	done
	local scan rss tarT size tarsize
	scan=$(cut -d' ' -f1 "$work/$name.scan" | median); rss=$(cut -d' ' -f2 "$work/$name.scan" | median)
	tarT=$(cut -d' ' -f1 "$work/$name.tar" | median)
	size=$(stat -c %s "$blob"); tarsize=$(gzip -dc "$blob" | wc -c)
	printf '%s: %d entries, %d MiB tar, %d MiB gzip (%d runs, medians)\n' "$name" $(($2 + $2 / 1000 + 2 + ($2 % 1000 > 0) + ${4:-0})) $((tarsize >> 20)) $((size >> 20)) "$runs"
	printf '  strata scan: %6.2f s   peak RSS %d MiB\n' "$scan" $((rss / 1024))
	printf '  tar -tzf:    %6.2f s   scan / tar = %.2f\n' "$tarT" "$(awk -v s="$scan" -v t="$tarT" 'BEGIN { print s/t }')"
	if [ -z "${4:-}" ] && [ $((rss / 1024)) -ge 150 ]; then echo "  FAIL: peak RSS over 150 MiB"; status=1; fi
	rm -rf "$work/${name:?}"
}
bench 1gib 131072 8192
bench 1m-files 1000000 0
bench go-binaries 0 0 20
exit $status
