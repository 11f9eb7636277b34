#!/usr/bin/env bash
# Compares strata's version comparators with the ecosystems' reference
# tools on a million random pairs each (dpkg --compare-versions for deb,
# rpm.vercmp for rpm, Debian's python3-packaging for PEP 440) and prints
# the disagreement count and pairs per second of each. dpkg has no batch
# mode, so the deb run takes minutes.
#
#   bench/versions-vs-reference.sh                  # deb, rpm, pypi; 1,000,000 pairs each
#   PAIRS=100000 ECOS=deb,rpm,pypi,npm,golang,maven bench/versions-vs-reference.sh
#
# Installs the reference tools first (scripts/install-reference-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
STRATA_REF_SKIP_MAVEN=${STRATA_REF_SKIP_MAVEN:-1} bash scripts/install-reference-tools.sh
exec go run ./scripts/refcheck -eco "${ECOS:-deb,rpm,pypi}" -pairs "${PAIRS:-1000000}" -seed "${SEED:-1}"
