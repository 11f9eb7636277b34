#!/usr/bin/env bash
# Vulnerability-report latency (p50, p90, p99) and throughput of strata
# serve over loopback, for the bookworm-openssl image with every feed of the
# shared data loaded (see bench/api/main.go): on SQLite, and on PostgreSQL
# when STRATA_BENCH_POSTGRES names an empty database (postgres://…).
# Arguments go to bench/api (-c clients, -d duration, -n max requests).
#
#   bash bench/api.sh [-c 4] [-d 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== SQLite"
go run ./bench/api "$@"
if [ -n "${STRATA_BENCH_POSTGRES:-}" ]; then
	echo "== PostgreSQL"
	go run ./bench/api -db "$STRATA_BENCH_POSTGRES" "$@"
fi
