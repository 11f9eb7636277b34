package version

import (
	"errors"
	"fmt"
	"strings"
)

// Go compares Go module versions the way golang.org/x/mod/semver does:
// Semantic Versioning 2.0.0 with a "v" prefix, where the shorthands vMAJOR
// and vMAJOR.MINOR stand for vMAJOR.0.0 and vMAJOR.MINOR.0 (and take no
// pre-release or build). The Go vulnerability database (OSV) and the
// binary scanner write versions without the "v": "1.2.3" is read as
// "v1.2.3". Precedence is that of
// semver: major, minor and patch numerically, a pre-release lower than the
// release, pre-release identifiers compared one by one (numeric ones
// numerically and below alphanumeric ones, which compare in ASCII order, a
// shorter list lower when it is a prefix), build metadata (such as
// "+incompatible") ignored. Pseudo-versions such as
// v0.0.0-20210101000000-abcdef123456 are pre-releases and so sort by their
// timestamp under their base version. Numbers have no leading zeros.
//
// Reference: golang.org/x/mod/semver, which the differential test runs on
// random versions.
type Go struct{}

// NPM compares npm package versions the way node-semver's compare does:
// Semantic Versioning 2.0.0 (major.minor.patch, all three required, with
// an optional "v" prefix), ordered as Go's comparator orders them, with
// node-semver's limits: at most 256 characters and major, minor and patch
// at most 2^53-1. Build metadata is ignored. Numeric pre-release
// identifiers compare exactly, where node-semver would compare those above
// 2^53 as rounded floats.
//
// Reference: node-semver (the npm package "semver"), which the
// differential test runs with node when both are installed.
type NPM struct{}

// semver is a parsed version; its strings share the input.
type semver struct {
	major, minor, patch string
	pre                 string // the identifiers after '-', "" for none
}

// Compare orders two Go module versions.
func (Go) Compare(a, b string) (int, error) {
	return compareSemver(a, b, parseGoSemver)
}

// Compare orders two npm versions.
func (NPM) Compare(a, b string) (int, error) {
	return compareSemver(a, b, parseNPMSemver)
}

func compareSemver(a, b string, parse func(string) (semver, error)) (int, error) {
	va, err := parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := parse(b)
	if err != nil {
		return 0, err
	}
	for _, p := range [][2]string{{va.major, vb.major}, {va.minor, vb.minor}, {va.patch, vb.patch}} {
		if c := compareDigits(p[0], p[1]); c != 0 {
			return c, nil
		}
	}
	return comparePrerelease(va.pre, vb.pre), nil
}

func parseGoSemver(s string) (semver, error) {
	rest := strings.TrimPrefix(s, "v")
	if rest == "" || rest[0] < '0' || rest[0] > '9' {
		return semver{}, fmt.Errorf("go version %q: want [v]MAJOR[.MINOR[.PATCH]]", s)
	}
	v, err := parseSemverCore(rest, true)
	if err != nil {
		return v, fmt.Errorf("go version %q: %w", s, err)
	}
	return v, nil
}

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER, node-semver's
// limit on major, minor and patch.
const maxSafeInteger = "9007199254740991"

func parseNPMSemver(s string) (semver, error) {
	if len(s) > 256 {
		return semver{}, fmt.Errorf("npm version %.20q…: longer than 256 characters", s)
	}
	v, err := parseSemverCore(strings.TrimPrefix(s, "v"), false)
	if err == nil && (compareDigits(v.major, maxSafeInteger) > 0 || compareDigits(v.minor, maxSafeInteger) > 0 ||
		compareDigits(v.patch, maxSafeInteger) > 0) {
		err = errors.New("number above 2^53-1")
	}
	if err != nil {
		return v, fmt.Errorf("npm version %q: %w", s, err)
	}
	return v, nil
}

// parseSemverCore parses MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]], the
// shorthands allowed only when short is set.
func parseSemverCore(s string, short bool) (semver, error) {
	var v semver
	var err error
	if v.major, s, err = semverNumber(s); err != nil {
		return v, fmt.Errorf("major: %w", err)
	}
	v.minor, v.patch = "0", "0"
	if s == "" && short {
		return v, nil
	}
	if s, err = cutByte(s, '.'); err != nil {
		return v, err
	}
	if v.minor, s, err = semverNumber(s); err != nil {
		return v, fmt.Errorf("minor: %w", err)
	}
	if s == "" && short {
		return v, nil
	}
	if s, err = cutByte(s, '.'); err != nil {
		return v, err
	}
	if v.patch, s, err = semverNumber(s); err != nil {
		return v, fmt.Errorf("patch: %w", err)
	}
	s, build, hasBuild := strings.Cut(s, "+")
	if s != "" {
		if s, err = cutByte(s, '-'); err != nil {
			return v, err
		}
		if err := checkIdentifiers(s, true); err != nil {
			return v, fmt.Errorf("pre-release: %w", err)
		}
		v.pre = s
	}
	if hasBuild {
		if err := checkIdentifiers(build, false); err != nil {
			return v, fmt.Errorf("build: %w", err)
		}
	}
	return v, nil
}

func cutByte(s string, c byte) (string, error) {
	if s == "" || s[0] != c {
		return s, fmt.Errorf("want %q at %q", c, s)
	}
	return s[1:], nil
}

// semverNumber cuts a number without leading zeros off s.
func semverNumber(s string) (num, rest string, err error) {
	end := digitRun(s, 0)
	switch {
	case end == 0:
		return "", s, errors.New("not a number")
	case end > 1 && s[0] == '0':
		return "", s, fmt.Errorf("leading zero in %s", s[:end])
	}
	return s[:end], s[end:], nil
}

// checkIdentifiers checks dot-separated identifiers of [0-9A-Za-z-];
// numeric ones may not have leading zeros when pre is set.
func checkIdentifiers(s string, pre bool) error {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return errors.New("empty identifier")
		}
		numeric := true
		for i := 0; i < len(id); i++ {
			switch c := id[i]; {
			case isAlpha(c) || c == '-':
				numeric = false
			case !isDigit(c):
				return fmt.Errorf("invalid character %q in %q", c, id)
			}
		}
		if pre && numeric && len(id) > 1 && id[0] == '0' {
			return fmt.Errorf("leading zero in %q", id)
		}
	}
	return nil
}

// comparePrerelease orders two pre-release strings, "" (a release) last.
func comparePrerelease(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	for a != "" && b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		if c := compareIdentifier(x, y); c != 0 {
			return c
		}
	}
	return compareBoolEnd(a == "", b == "")
}

// compareIdentifier orders two pre-release identifiers: numeric ones
// numerically and below alphanumeric ones.
func compareIdentifier(x, y string) int {
	xn, yn := digitRun(x, 0) == len(x), digitRun(y, 0) == len(y)
	switch {
	case xn && yn:
		return compareDigits(x, y)
	case xn:
		return -1
	case yn:
		return 1
	}
	return strings.Compare(x, y)
}

// compareBoolEnd orders two identifier lists whose common part is equal:
// the one that ended first is lower.
func compareBoolEnd(aEnded, bEnded bool) int {
	switch {
	case aEnded == bEnded:
		return 0
	case aEnded:
		return -1
	}
	return 1
}
