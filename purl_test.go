package strata

import "testing"

// Package URLs as the purl specification spells them for each ecosystem
// (github.com/package-url/purl-spec, PURL-TYPES.rst and its test suite).
func TestPURL(t *testing.T) {
	debian := &Distribution{ID: "debian", VersionID: "12"}
	tests := []struct {
		p    Package
		d    *Distribution
		want string
	}{
		{Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Arch: "amd64", Eco: Deb, SourceName: "openssl"}, debian,
			"pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"},
		{Package{Name: "curl", Version: "7.76.1-26.el9_3", Arch: "x86_64", Eco: RPM}, &Distribution{ID: "rhel", VersionID: "9.3"},
			"pkg:rpm/rhel/curl@7.76.1-26.el9_3?arch=x86_64&distro=rhel-9.3"},
		{Package{Name: "com.fasterxml.jackson.core:jackson-databind", Version: "2.14.0", Eco: Maven}, debian,
			"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.14.0"},
		{Package{Name: "@babel/core", Version: "7.24.0", Eco: NPM}, nil, "pkg:npm/%40babel/core@7.24.0"},
		{Package{Name: "lodash", Version: "4.17.21", Eco: NPM}, nil, "pkg:npm/lodash@4.17.21"},
		{Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: Go}, debian, "pkg:golang/golang.org/x/net@v0.7.0"},
		{Package{Name: "stdlib", Version: "1.19.8", Eco: Go}, nil, "pkg:golang/stdlib@1.19.8"},
		{Package{Name: "requests", Version: "2.28.1", Eco: PyPI}, debian, "pkg:pypi/requests@2.28.1"},
	}
	for _, tt := range tests {
		if got := tt.p.PURL(tt.d); got != tt.want {
			t.Errorf("%s %s: PURL %q, want %q", tt.p.Eco, tt.p.Name, got, tt.want)
		}
	}
}
