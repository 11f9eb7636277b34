#!/usr/bin/env bash
# Index speed of the real bookworm-openssl image (2 gzip layers, 34 MB):
# cold (empty store) wall time and peak RSS, warm (every layer cached) wall
# time, and the time of `tar -tzf` over the same layer blobs — the cost of
# just reading them, the floor for a cold index. Each figure is the median
# of RUNS runs (default 5).
#
#   bash bench/index.sh [IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-../shared/data/images/debian-bookworm-openssl.oci.tar.gz}
runs=${RUNS:-5}
[ -f "$image" ] || { echo "bench/index.sh: $image not found (shared data absent)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/strata" ./cmd/strata

. bench/lib.sh

: >"$work/cold"; : >"$work/warm"; : >"$work/tar"
for i in $(seq "$runs"); do
	rm -f "$work/db"*
	run "$work/strata" index --db "$work/db" "$image" >>"$work/cold"
	run "$work/strata" index --db "$work/db" "$image" >>"$work/warm"
done
mkdir "$work/oci" && tar -xzf "$image" -C "$work/oci"
layers=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join(l["digest"].split(":")[1] for l in m["layers"]))' \
	"$work/oci/blobs/sha256/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"].split(":")[1])' "$work/oci/index.json")")
for i in $(seq "$runs"); do
	s=$( { /usr/bin/time -f '%e' bash -c "for l in $layers; do tar -tzf $work/oci/blobs/sha256/\$l >/dev/null; done" ; } 2>&1 )
	echo "$s" >>"$work/tar"
done
cold=$(cut -d' ' -f1 "$work/cold" | median); rss=$(cut -d' ' -f2 "$work/cold" | median)
warm=$(cut -d' ' -f1 "$work/warm" | median); tarT=$(median <"$work/tar")
echo "image: $image ($runs runs, medians)"
printf 'cold index: %6.2f s   peak RSS %d MiB\n' "$cold" $((rss / 1024))
printf 'warm index: %6.2f s\n' "$warm"
printf 'tar -tzf layers:  %6.2f s\n' "$tarT"
awk -v c="$cold" -v t="$tarT" -v w="$warm" 'BEGIN { printf "cold / tar -tzf = %.2f   warm / cold = %.2f\n", c/t, w/c }'
