package version

import (
	"fmt"
	"regexp"
	"strings"
)

// PEP440 compares Python package versions as PEP 440 and the packaging
// library's Version define them:
//
//	[v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
//
// with the spellings PEP 440 normalises: any case, "alpha", "beta", "c",
// "pre" and "preview" for a, b and rc, "rev" and "r" or a bare "-N" for
// post, optional separators ('.', '-', '_') before and inside the pre,
// post and dev parts, numbers with leading zeros (2022.12.07 ==
// 2022.12.7, 1.0RC1 == 1.0rc1) and leading and trailing white space
// (Python's: ASCII's and \x1c to \x1f).
// Versions order by epoch, then release (trailing zeros ignored: 1.0 ==
// 1.0.0), then pre-release (a < b < rc; a version with only a dev part
// sorts before all of its pre-releases), then post-release (none first),
// then dev release (none last), then local version (none first; segments
// split at '.', '-', '_'; numbers numerically and above strings, which
// compare lower-cased). Only ASCII is accepted: packaging also accepts a
// few non-ASCII letters and spaces (K, ſ, U+00A0…) that Python's regular
// expressions fold into the grammar.
//
// Reference: the packaging library (Debian's python3-packaging,
// packaging.version.Version); testdata/pep440-versions.txt is generated
// from it by scripts/gen/versions and the differential test re-runs it when
// installed.
type PEP440 struct{}

// pep440Pattern is packaging's VERSION_PATTERN, anchored; RE2's
// leftmost-first submatches equal Python's backtracking ones here.
var pep440Pattern = regexp.MustCompile(`(?i)^[\t-\r\x1c- ]*v?(?:(?:([0-9]+)!)?` + // epoch
	`([0-9]+(?:\.[0-9]+)*)` + // release
	`([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?` + // pre
	`((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?` + // post
	`([-_.]?(dev)[-_.]?([0-9]+)?)?)` + // dev
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?[\t-\r\x1c- ]*$`) // local

// The submatch indexes of pep440Pattern.
const (
	pepEpoch = 1 + iota
	pepRelease
	pepPre
	pepPreL
	pepPreN
	pepPost
	pepPostN1
	pepPostL
	pepPostN2
	pepDev
	pepDevL
	pepDevN
	pepLocal
)

// pep440 is a parsed version, its numbers as digit strings.
type pep440 struct {
	epoch   string
	release []string // trailing zeros removed
	pre     int      // pep440DevOnly, 1 a, 2 b, 3 rc, pep440NoPre
	preN    string
	post    string // "" for none, else the number (at least "0")
	hasPost bool
	dev     string
	hasDev  bool
	local   string // lower-cased, "" for none
}

// The pre-release ranks of pep440.pre beyond a, b and rc.
const (
	pep440DevOnly = 0
	pep440NoPre   = 4
)

var pep440PreRank = map[string]int{"a": 1, "alpha": 1, "b": 2, "beta": 2, "c": 3, "rc": 3, "pre": 3, "preview": 3}

func parsePEP440(s string) (pep440, error) {
	var m []string
	if isASCII(s) {
		m = pep440Pattern.FindStringSubmatch(s)
	}
	if m == nil {
		return pep440{}, fmt.Errorf("pep440 version %q: not a PEP 440 version", s)
	}
	v := pep440{epoch: m[pepEpoch], local: strings.ToLower(m[pepLocal])}
	v.release = strings.Split(m[pepRelease], ".")
	for len(v.release) > 0 && strings.TrimLeft(v.release[len(v.release)-1], "0") == "" {
		v.release = v.release[:len(v.release)-1]
	}
	switch {
	case m[pepPre] != "":
		v.pre, v.preN = pep440PreRank[strings.ToLower(m[pepPreL])], m[pepPreN]
	case m[pepPost] == "" && m[pepDev] != "":
		v.pre = pep440DevOnly
	default:
		v.pre = pep440NoPre
	}
	v.hasPost, v.post = m[pepPost] != "", m[pepPostN1]+m[pepPostN2]
	v.hasDev, v.dev = m[pepDev] != "", m[pepDevN]
	return v, nil
}

// Compare orders two Python package versions.
func (PEP440) Compare(a, b string) (int, error) {
	va, err := parsePEP440(a)
	if err != nil {
		return 0, err
	}
	vb, err := parsePEP440(b)
	if err != nil {
		return 0, err
	}
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c, nil
	}
	if c := compareNumberLists(va.release, vb.release); c != 0 {
		return c, nil
	}
	if c := sign(va.pre - vb.pre); c != 0 {
		return c, nil
	}
	if c := compareDigits(va.preN, vb.preN); c != 0 {
		return c, nil
	}
	if c := compareOptional(va.hasPost, vb.hasPost, va.post, vb.post, -1); c != 0 {
		return c, nil
	}
	if c := compareOptional(va.hasDev, vb.hasDev, va.dev, vb.dev, 1); c != 0 {
		return c, nil
	}
	return comparePEP440Local(va.local, vb.local), nil
}

// compareNumberLists orders two lists of digit strings element by element,
// a shorter list lower when it is a prefix.
func compareNumberLists(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareDigits(a[i], b[i]); c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}

// compareOptional orders two optional numbers, absent sorting as
// absentSign says (-1 below every number, +1 above).
func compareOptional(hasA, hasB bool, a, b string, absentSign int) int {
	switch {
	case hasA && hasB:
		return compareDigits(a, b)
	case hasA == hasB:
		return 0
	case hasA:
		return -absentSign
	}
	return absentSign
}

// comparePEP440Local orders local versions: none first, then segment by
// segment, numbers numerically and above strings.
func comparePEP440Local(a, b string) int {
	if a == "" || b == "" {
		return compareBoolEnd(a == "", b == "")
	}
	split := func(r rune) bool { return r == '.' || r == '-' || r == '_' }
	sa, sb := strings.FieldsFunc(a, split), strings.FieldsFunc(b, split)
	for i := 0; i < len(sa) && i < len(sb); i++ {
		an, bn := digitRun(sa[i], 0) == len(sa[i]), digitRun(sb[i], 0) == len(sb[i])
		var c int
		switch {
		case an && bn:
			c = compareDigits(sa[i], sb[i])
		case an != bn:
			c = compareBoolEnd(bn, an)
		default:
			c = strings.Compare(sa[i], sb[i])
		}
		if c != 0 {
			return c
		}
	}
	return sign(len(sa) - len(sb))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
