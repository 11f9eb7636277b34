#!/usr/bin/env bash
# Installs the reference tools that internal/version's differential tests
# and scripts/refcheck compare the version comparators with:
#   dpkg (always there on Debian), rpm, python3-packaging (for Debian's
#   /usr/bin/python3), nodejs with node-semver from the npm registry, and
#   Maven's ComparableVersion (Debian's maven package, with a JDK).
# apk-tools is not packaged by Debian; the apk tests use apk-tools' own
# test vectors instead.
#
# Idempotent: it installs only what is missing. node-semver goes into
# $STRATA_REF_DIR (default $HOME/.cache/strata-ref)/node_modules.
# Set STRATA_REF_SKIP_MAVEN=1 to skip maven and the JDK (the largest).
set -euo pipefail

ref_dir=${STRATA_REF_DIR:-$HOME/.cache/strata-ref}
semver_version=7.7.2

missing=()
# Commands rather than packages: node and npm may come from one non-Debian
# nodejs package, which Debian's npm package would conflict with.
command -v dpkg >/dev/null || missing+=(dpkg)
command -v rpm >/dev/null || missing+=(rpm)
/usr/bin/python3 -c 'import packaging' 2>/dev/null || missing+=(python3 python3-packaging)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "${STRATA_REF_SKIP_MAVEN:-}" != 1 ]; then
	ls /usr/share/maven/lib/maven-artifact*.jar >/dev/null 2>&1 || missing+=(maven)
	command -v javac >/dev/null || missing+=(default-jdk-headless)
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-reference-tools: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$ref_dir/node_modules/semver/package.json" ] ||
	! grep -q "\"version\": \"$semver_version\"" "$ref_dir/node_modules/semver/package.json"; then
	echo "install-reference-tools: installing node-semver $semver_version into $ref_dir" >&2
	mkdir -p "$ref_dir"
	npm install --silent --no-audit --no-fund --prefix "$ref_dir" "semver@$semver_version" >/dev/null
fi

echo "install-reference-tools: dpkg $(dpkg-query -W -f='${Version}' dpkg), rpm $(rpm --version | awk '{print $3}')," \
	"packaging $(/usr/bin/python3 -c 'import packaging; print(packaging.__version__)')," \
	"node $(node --version), node-semver $semver_version" >&2
