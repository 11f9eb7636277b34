#!/usr/bin/env bash
# The notifier and `strata affected` at scale (see bench/notify/main.go):
# indexes $N synthetic images (default 100000) into the store $DB (an
# SQLite file or postgres://…; default a temporary SQLite file, removed
# after; a kept file is reused: only missing images are indexed), times
# the notifications of three 1,000-record diffs, then `strata affected` as
# a user runs it (the whole command, table output), median of 5 runs.
# Arguments go to bench/notify (-k, -v, -p, -records, -runs).
#
#   N=1000000 DB=/var/tmp/strata-1m.db bash bench/notify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
db=${DB:-$work/strata.db}
go build -o "$work/strata" ./cmd/strata
go run ./bench/notify -db "$db" -n "${N:-100000}" "$@" | tee "$work/out"
id=$(sed -n 's/^affected \([^:]*\):.*/\1/p' "$work/out")
for _ in 1 2 3 4 5; do
	start=$(date +%s%N)
	"$work/strata" affected --db "$db" "$id" >/dev/null
	echo $((($(date +%s%N) - start) / 1000000))
done | median | sed "s/^/strata affected $id (whole command): median ms of 5: /"
