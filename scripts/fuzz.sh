#!/usr/bin/env bash
# Runs every fuzz test of the repository (or those whose package path or
# name matches $1, a grep pattern) for $FUZZTIME each (default 30s), one
# after another, and prints a line per target; stops at the first failure
# (go test leaves the failing input under the package's testdata/fuzz).
#
#   bash scripts/fuzz.sh                      # all, 30 s each
#   FUZZTIME=5m bash scripts/fuzz.sh update/  # the feed parsers, 5 min each
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' internal |
	sed 's|^\(.*\)/[^/]*_test.go:func |./\1 |' | sort -u | grep -- "${1:-.}" |
	while read -r pkg target; do
		start=$(date +%s)
		go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1 ||
			{ cat "$log"; echo "FAIL $pkg $target"; exit 1; }
		# (go test's execs count lags: a worker reports only between
		# batches, so slow targets show a handful; it is not printed.)
		echo "ok $pkg $target: fuzzed $fuzztime, no failure ($(($(date +%s) - start)) s with the build)"
	done
