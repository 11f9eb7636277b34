package versiontest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/strata-scan/strata"
)

// grammar makes random versions of one ecosystem: version builds one that
// follows the ecosystem's grammar, and edits mix in alphabet's tokens,
// which may make it invalid.
type grammar struct {
	version  func(r *rand.Rand) string
	alphabet []string
}

var grammars = map[strata.Ecosystem]grammar{
	strata.Deb:   {debVersion, []string{"0", "1", "9", "a", "Z", "~", "+", ".", "-", ":", "_"}},
	strata.RPM:   {rpmVersion, []string{"0", "1", "9", "a", "Z", "~", "^", "+", ".", "_", "-", ":"}},
	strata.APK:   {apkVersion, []string{"0", "1", "9", "a", "z", ".", "_", "_rc", "_p", "~", "-r", "-"}},
	strata.PyPI:  {pep440Version, []string{"0", "1", "a", "b", "rc", "post", "dev", "v", "x", ".", "-", "_", "+", "!", " "}},
	strata.NPM:   {npmVersion, []string{"0", "1", "00", "a", "x", "v", ".", "-", "+"}},
	strata.Go:    {goVersion, []string{"0", "1", "00", "a", "x", "v", ".", "-", "+"}},
	strata.Maven: {mavenVersion, []string{"0", "1", "a", "b", "m", "rc", "sp", "ga", "x", ".", "-"}},
}

// Pairs returns n random pairs of versions of an ecosystem. The second of
// each is another random version, a small edit of the first (which shares
// its prefix and so tests the later parts) or the first itself.
func Pairs(eco strata.Ecosystem, r *rand.Rand, n int) ([]Pair, error) {
	g, ok := grammars[eco]
	if !ok {
		return nil, fmt.Errorf("versiontest: no grammar for ecosystem %q", eco)
	}
	pairs := make([]Pair, n)
	for i := range pairs {
		a := g.version(r)
		var b string
		switch k := r.IntN(20); {
		case k < 7:
			b = g.version(r)
		case k < 18:
			for b == "" {
				b = g.edit(r, a)
			}
		default:
			b = a
		}
		if r.IntN(2) == 0 {
			a, b = b, a
		}
		pairs[i] = Pair{a, b}
	}
	return pairs, nil
}

// edit changes s by one or two token insertions, replacements or
// deletions, or by a new grammatical tail.
func (g grammar) edit(r *rand.Rand, s string) string {
	for range 1 + r.IntN(2) {
		i := r.IntN(len(s) + 1)
		tok := g.alphabet[r.IntN(len(g.alphabet))]
		switch r.IntN(5) {
		case 0:
			s = s[:i] + tok + s[i:]
		case 1:
			if i < len(s) {
				s = s[:i] + tok + s[i+1:]
			}
		case 2:
			if i < len(s) {
				s = s[:i] + s[i+1:]
			}
		case 3:
			s += tok
		default:
			other := g.version(r)
			j := r.IntN(len(other) + 1)
			s = s[:i] + other[j:]
		}
	}
	return s
}

// pick returns one of the options.
func pick(r *rand.Rand, options ...string) string { return options[r.IntN(len(options))] }

// maybe returns s with probability p percent, else "".
func maybe(r *rand.Rand, p int, s func() string) string {
	if r.IntN(100) < p {
		return s()
	}
	return ""
}

// repeat joins between lo and hi results of f.
func repeat(r *rand.Rand, lo, hi int, f func() string) string {
	var b strings.Builder
	for range lo + r.IntN(hi-lo+1) {
		b.WriteString(f())
	}
	return b.String()
}
