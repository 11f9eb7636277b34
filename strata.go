// Package strata holds the plain domain types shared by every part of the
// engine: digests, ecosystems, packages, distributions, vulnerabilities and
// their affected ranges, findings and index reports. It does no I/O.
package strata

import (
	"fmt"
	"strings"
)

// Digest is a content address such as "sha256:0123…".
type Digest string

// ParseDigest checks that s is "algorithm:hex" with a known algorithm and
// the right hex length.
func ParseDigest(s string) (Digest, error) {
	alg, hex, ok := strings.Cut(s, ":")
	if !ok {
		return "", fmt.Errorf("digest %q: missing algorithm", s)
	}
	want := map[string]int{"sha256": 64, "sha512": 128}[alg]
	if want == 0 {
		return "", fmt.Errorf("digest %q: unknown algorithm %q", s, alg)
	}
	if len(hex) != want {
		return "", fmt.Errorf("digest %q: want %d hex digits, have %d", s, want, len(hex))
	}
	for _, c := range hex {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", fmt.Errorf("digest %q: %q is not a lower-case hex digit", s, c)
		}
	}
	return Digest(s), nil
}

// Short is the first 12 hex digits, for tables and logs.
func (d Digest) Short() string {
	_, hex, _ := strings.Cut(string(d), ":")
	if len(hex) > 12 {
		return hex[:12]
	}
	return hex
}

// Ecosystem names a package universe with its own version order.
type Ecosystem string

// The ecosystems strata knows. The names are those of purl types.
const (
	Deb   Ecosystem = "deb"
	RPM   Ecosystem = "rpm"
	APK   Ecosystem = "apk"
	Go    Ecosystem = "golang"
	PyPI  Ecosystem = "pypi"
	NPM   Ecosystem = "npm"
	Maven Ecosystem = "maven"
)
