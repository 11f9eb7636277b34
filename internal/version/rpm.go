package version

import (
	"fmt"
	"strings"
)

// RPM compares RPM versions ([epoch:]version[-release]) the way rpm does
// (rpmio/rpmver.c and rpmvercmp.c):
//
//   - the epoch is the run of digits before a colon, 0 when absent; the
//     release is everything after the last hyphen;
//   - epoch, version and release are each compared with rpmvercmp: the
//     strings are split into runs of letters and runs of digits, everything
//     else separating them; digit runs compare numerically and beat letter
//     runs, letter runs compare as ASCII strings; '~' (pre-release) sorts
//     before everything, even the end of the string, and '^' (post-release)
//     sorts after the end but before anything else; when all runs match,
//     the string with runs left over is higher.
//
// A version without a release sorts before the same version with any
// release (1.0 < 1.0-~1 < 1.0-1), as rpm.vercmp and rpm.ver do (rpm's
// dependency matching instead ignores a missing release, which is not an
// order). A version is valid when its epoch (when there is one), its
// version and its release (when there is a hyphen) are not empty, and the
// version and release hold only letters, digits and "._+~^", as rpmbuild
// requires.
//
// Reference: rpm's own comparison, rpm.vercmp in rpm's Lua (rpm --eval);
// testdata/rpm-versions.txt is generated from it by scripts/gen/versions
// and the differential test re-runs it when rpm is installed.
type RPM struct{}

type rpmVersion struct {
	epoch, version, release string
	hasRelease              bool
}

// Compare orders two RPM versions.
func (RPM) Compare(a, b string) (int, error) {
	va, err := parseRPM(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseRPM(b)
	if err != nil {
		return 0, err
	}
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c, nil
	}
	if c := rpmvercmp(va.version, vb.version); c != 0 {
		return c, nil
	}
	if va.hasRelease != vb.hasRelease {
		return compareBoolEnd(!va.hasRelease, !vb.hasRelease), nil
	}
	return rpmvercmp(va.release, vb.release), nil
}

func parseRPM(s string) (rpmVersion, error) {
	var v rpmVersion
	rest := s
	if i := digitRun(s, 0); i < len(s) && s[i] == ':' {
		v.epoch, rest = s[:i], s[i+1:]
		if v.epoch == "" {
			return v, fmt.Errorf("rpm version %q: empty epoch", s)
		}
	}
	v.version = rest
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.version, v.release, v.hasRelease = rest[:i], rest[i+1:], true
		if v.release == "" {
			return v, fmt.Errorf("rpm version %q: empty release", s)
		}
	}
	if v.version == "" {
		return v, fmt.Errorf("rpm version %q: empty version", s)
	}
	if err := checkRPMChars(v.version); err != nil {
		return v, fmt.Errorf("rpm version %q: version: %w", s, err)
	}
	if err := checkRPMChars(v.release); err != nil {
		return v, fmt.Errorf("rpm version %q: release: %w", s, err)
	}
	return v, nil
}

func checkRPMChars(s string) error {
	if i := indexInvalid(s, "._+~^"); i >= 0 {
		return fmt.Errorf("invalid character %q", s[i:i+1])
	}
	return nil
}

// rpmvercmp is rpm's rpmvercmp.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		i, j = rpmSkip(a, i), rpmSkip(b, j)
		ca, cb := byteAt(a, i), byteAt(b, j)
		if ca == '~' || cb == '~' {
			if ca != '~' {
				return 1
			}
			if cb != '~' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if ca == '^' || cb == '^' {
			switch {
			case i == len(a):
				return -1
			case j == len(b):
				return 1
			case ca != '^':
				return 1
			case cb != '^':
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if i == len(a) || j == len(b) {
			break
		}
		var c int
		if c, i, j = rpmSegment(a, b, i, j); c != 0 {
			return c
		}
	}
	switch {
	case i == len(a) && j == len(b):
		return 0
	case i == len(a):
		return -1
	}
	return 1
}

// rpmSkip skips the separators at s[i:]: all but letters, digits, '~'
// and '^'.
func rpmSkip(s string, i int) int {
	for i < len(s) && !isAlnum(s[i]) && s[i] != '~' && s[i] != '^' {
		i++
	}
	return i
}

// byteAt is s[i], or 0 past the end, as C strings read.
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// rpmSegment compares the digit or letter runs at a[i:] and b[j:], where
// a[i] and b[j] are letters or digits, and returns their ends. A digit run
// beats a letter run.
func rpmSegment(a, b string, i, j int) (c, ei, ej int) {
	if isDigit(a[i]) {
		ei, ej = digitRun(a, i), digitRun(b, j)
		if ej == j {
			return 1, ei, ej
		}
		return compareDigits(a[i:ei], b[j:ej]), ei, ej
	}
	ei, ej = alphaRun(a, i), alphaRun(b, j)
	if ej == j {
		return -1, ei, ej
	}
	return strings.Compare(a[i:ei], b[j:ej]), ei, ej
}

func alphaRun(s string, i int) int {
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	return i
}
