package versiontest

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/strata-scan/strata"
)

// A fixture file (testdata/<eco>-versions.txt) holds one case a line:
//
//	a < b      a = b      a > b      (the order of two versions)
//	!v                               (v is not a valid version)
//	v                                (v is a valid version)
//
// A '#' starts a comment. apk-tools' fuzzy-match lines (a ~ b, a <~ b,
// a >~ b, a !~ b) are skipped: they test a match, not the order. The
// hand-picked cases come first; the line GeneratedMarker starts the ones
// that scripts/gen/versions generates.

// GeneratedMarker starts the generated part of a fixture file.
const GeneratedMarker = "# Generated"

// Case is one line of a fixture file.
type Case struct {
	Line int
	A, B string // B is empty for a validity case
	// Want is -1, 0 or +1 for an order, and 0 (valid) or Invalid for a
	// validity case.
	Want    int
	Comment string
}

// Ops are the operators of fixture files, by answer.
var Ops = map[int]string{-1: "<", 0: "=", 1: ">"}

// ParseCase reads one fixture line; ok is false for a blank, comment-only
// or fuzzy-match line.
func ParseCase(n int, line string) (c Case, ok bool, err error) {
	c.Line = n
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line, c.Comment = line[:i], strings.TrimSpace(line[i+1:])
	}
	f := strings.Fields(line)
	switch {
	case len(f) == 1 && strings.HasPrefix(f[0], "!"):
		c.A, c.Want = f[0][1:], Invalid
	case len(f) == 1:
		c.A = f[0]
	case len(f) == 3 && strings.Contains(f[1], "~"):
		return c, false, nil
	case len(f) == 3:
		c.A, c.B = f[0], f[2]
		want, found := -2, false
		for w, op := range Ops {
			if op == f[1] {
				want, found = w, true
			}
		}
		if !found {
			return c, false, fmt.Errorf("line %d: unknown operator %q", n, f[1])
		}
		c.Want = want
	case len(f) == 0:
		return c, false, nil
	default:
		return c, false, fmt.Errorf("line %d: want \"a OP b\", \"!v\" or \"v\", have %q", n, line)
	}
	return c, true, nil
}

// ReadFixture reads every case of a fixture file.
func ReadFixture(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		c, ok, err := ParseCase(n, sc.Text())
		if err != nil {
			return nil, err
		}
		if ok {
			cases = append(cases, c)
		}
	}
	return cases, sc.Err()
}

// String formats the case as a fixture line.
func (c Case) String() string {
	var s string
	switch {
	case c.B != "":
		s = c.A + " " + Ops[c.Want] + " " + c.B
	case c.Want == Invalid:
		s = "!" + c.A
	default:
		s = c.A
	}
	if c.Comment != "" {
		s += "\t# " + c.Comment
	}
	return s
}

// fixtureNames name each ecosystem's fixture file in
// internal/version/testdata.
var fixtureNames = map[strata.Ecosystem]string{
	strata.Deb: "deb", strata.RPM: "rpm", strata.APK: "apk", strata.PyPI: "pep440",
	strata.NPM: "npm", strata.Go: "go", strata.Maven: "maven",
}

// FixtureFile is the name of an ecosystem's fixture file, such as
// "deb-versions.txt".
func FixtureFile(eco strata.Ecosystem) string { return fixtureNames[eco] + "-versions.txt" }
