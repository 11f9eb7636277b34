package version

import (
	"errors"
	"fmt"
	"strings"
)

// Deb compares Debian package versions ([epoch:]upstream[-revision]) the way
// dpkg does (lib/dpkg/version.c, dpkg_version_compare):
//
//   - the epoch is a decimal number, 0 when absent, compared numerically;
//   - the upstream version is everything between the first colon and the
//     last hyphen, the revision everything after the last hyphen (absent
//     equals "0", so 1.0 == 1.0-0);
//   - upstream and revision are compared by alternating runs: a non-digit
//     run compared character by character, where '~' sorts before
//     everything, even the end of the string, letters sort before all other
//     characters, and a digit run compared numerically (leading zeros do
//     not count).
//
// A version is valid when dpkg parses it without error or warning: the
// epoch is a number from 0 to 2147483647 (strtol's optional sign allowed),
// the upstream version starts with a digit and holds only letters, digits
// and ".+~-:", and the revision is non-empty and holds only letters, digits
// and ".+~". Leading and trailing blanks are ignored, as dpkg does.
//
// Reference: dpkg --compare-versions (testdata/deb-versions.txt is
// generated from it by scripts/gen/versions, and the differential test
// re-runs it when dpkg is installed).
type Deb struct{}

// debVersion is a parsed Debian version; its strings share the input.
type debVersion struct {
	epoch    string // digits without leading zeros, "" for 0
	upstream string
	revision string
}

// Compare orders two Debian versions.
func (Deb) Compare(a, b string) (int, error) {
	va, err := parseDeb(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseDeb(b)
	if err != nil {
		return 0, err
	}
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c, nil
	}
	if c := debCompareRun(va.upstream, vb.upstream); c != 0 {
		return c, nil
	}
	return debCompareRun(va.revision, vb.revision), nil
}

func parseDeb(s string) (debVersion, error) {
	v, err := parseDebParts(strings.Trim(s, " \t"))
	if err != nil {
		return debVersion{}, fmt.Errorf("deb version %q: %w", s, err)
	}
	return v, nil
}

func parseDebParts(s string) (debVersion, error) {
	var v debVersion
	if s == "" {
		return v, errors.New("empty")
	}
	if strings.ContainsAny(s, " \t") {
		return v, errors.New("embedded blank")
	}
	if epoch, rest, ok := strings.Cut(s, ":"); ok {
		digits, err := checkDebEpoch(epoch)
		if err != nil {
			return v, err
		}
		if rest == "" {
			return v, errors.New("nothing after the epoch's colon")
		}
		v.epoch = digits
		s = rest
	}
	v.upstream = s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		v.upstream, v.revision = s[:i], s[i+1:]
		if v.revision == "" {
			return v, errors.New("empty revision")
		}
	}
	if v.upstream == "" {
		return v, errors.New("empty upstream version")
	}
	if !isDigit(v.upstream[0]) {
		return v, errors.New("upstream version does not start with a digit")
	}
	if i := indexInvalid(v.upstream, ".+~-:"); i >= 0 {
		return v, fmt.Errorf("invalid character %q in upstream version", v.upstream[i:i+1])
	}
	if i := indexInvalid(v.revision, ".+~"); i >= 0 {
		return v, fmt.Errorf("invalid character %q in revision", v.revision[i:i+1])
	}
	return v, nil
}

// checkDebEpoch accepts what dpkg's strtol-based parse accepts after the
// blanks are trimmed: an optional sign and digits, whose value is 0 to
// 2147483647. It returns the digits without sign or leading zeros.
func checkDebEpoch(e string) (string, error) {
	digits := strings.TrimLeft(e, "+-")
	if len(e)-len(digits) > 1 || digits == "" {
		return "", fmt.Errorf("epoch %q is not a number", e)
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return "", fmt.Errorf("epoch %q is not a number", e)
		}
	}
	digits = strings.TrimLeft(digits, "0")
	switch {
	case e[0] == '-' && digits != "":
		return "", fmt.Errorf("epoch %q is negative", e)
	case compareDigits(digits, "2147483647") > 0:
		return "", fmt.Errorf("epoch %q is too big", e)
	}
	return digits, nil
}

// debCompareRun is dpkg's verrevcmp.
func debCompareRun(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isDigit(a[i]) || j < len(b) && !isDigit(b[j]) {
			ac, bc := debOrder(a, i), debOrder(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		ei, ej := digitRun(a, i), digitRun(b, j)
		if c := compareDigits(a[i:ei], b[j:ej]); c != 0 {
			return c
		}
		i, j = ei, ej
	}
	return 0
}

// debOrder is dpkg's order(): the weight of the character at s[i], where
// the end of the string and digits weigh 0.
func debOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}
