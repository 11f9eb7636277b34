#!/usr/bin/env bash
# Makes rhel8.rpmdb.sqlite.gz and rhel9.rpmdb.sqlite.gz with rpm itself
# (rpmbuild and rpm 4.18): empty packages that carry the names, epochs,
# versions, releases, source RPMs and module labels of Red Hat builds,
# installed with --justdb into an SQLite rpmdb. No real RHEL 8/9 or UBI
# database holding packages that the Red Hat VEX documents of
# shared/data name is small enough to keep (shared/data/PROVENANCE.md,
# pkgdb/rpm); these stand in for one.
# Usage: make-rpmdb.sh (writes next to itself; needs rpm and rpmbuild).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build SOURCE EPOCH VERSION RELEASE MODULARITYLABEL ARCH BINARY...: one
# source package and the binary packages built from it.
build() {
	local name=$1 epoch=$2 version=$3 release=$4 label=$5 arch=$6
	shift 6
	local spec="$work/$name-$release.spec"
	{
		echo "Name: $name"
		[ "$epoch" = 0 ] || echo "Epoch: $epoch"
		printf 'Version: %s\nRelease: %s\nSummary: stand-in\nLicense: none\n' "$version" "$release"
		[ "$arch" = noarch ] && echo "BuildArch: noarch"
		[ "$label" = - ] || echo "ModularityLabel: $label"
		printf '%%description\nstand-in\n'
		for bin in "$@"; do
			if [ "$bin" = "$name" ]; then
				echo "%files"
			else
				printf '%%package -n %s\nSummary: stand-in\n%%description -n %s\nstand-in\n%%files -n %s\n' "$bin" "$bin" "$bin"
			fi
		done
	} >"$spec"
	rpmbuild --quiet --define "_topdir $work/build" --define '_build_id_links none' --target x86_64 -bb "$spec" >/dev/null
}

# db OUT: the packages built so far, as an SQLite rpmdb, gzip-compressed.
db() {
	rm -rf "$work/db"
	rpm --dbpath "$work/db" --define '_db_backend sqlite' --initdb
	rpm --dbpath "$work/db" --define '_db_backend sqlite' -i --justdb --nodeps --noscripts \
		--ignorearch --ignoreos --nosignature --nodigest "$work"/build/RPMS/*/*.rpm
	rpm --dbpath "$work/db" -qa --qf '%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH} %{SOURCERPM} %{MODULARITYLABEL}\n' | sort >&2
	gzip -9 -n -c "$work/db/rpmdb.sqlite" >"$here/$1"
	rm -rf "$work/build"
}

# RHEL 9 (UBI 9).
build openssl 1 3.0.7 24.el9 - x86_64 openssl-libs
build openssl-fips-provider 0 3.0.7 2.el9 - x86_64 openssl-fips-provider
build curl 0 7.76.1 26.el9_3 - x86_64 curl-minimal libcurl-minimal
build python3.9 0 3.9.18 3.el9 - x86_64 python3 python3-libs
build perl-FCGI 1 0.79 8.1.el9_6 - x86_64 perl-FCGI
db rhel9.rpmdb.sqlite.gz

# RHEL 8 (UBI 8): a package of the perl-FCGI:0.78 module stream.
build perl-FCGI 1 0.78 11.module+el8.9.0+19595+2fbd5b0c perl-FCGI:0.78:8090020230720111408:2fbd5b0c x86_64 perl-FCGI
build openssl 1 1.1.1k 12.el8_9 - x86_64 openssl-libs
build edk2 0 20220126gitbb1bba3d77 13.el8 - noarch edk2-ovmf
db rhel8.rpmdb.sqlite.gz
