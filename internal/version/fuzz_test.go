package version_test

import (
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

func FuzzCompareDeb(f *testing.F)    { fuzzComparator(f, strata.Deb) }
func FuzzCompareRPM(f *testing.F)    { fuzzComparator(f, strata.RPM) }
func FuzzCompareAPK(f *testing.F)    { fuzzComparator(f, strata.APK) }
func FuzzCompareGo(f *testing.F)     { fuzzComparator(f, strata.Go) }
func FuzzCompareNPM(f *testing.F)    { fuzzComparator(f, strata.NPM) }
func FuzzComparePEP440(f *testing.F) { fuzzComparator(f, strata.PyPI) }
func FuzzCompareMaven(f *testing.F)  { fuzzComparator(f, strata.Maven) }

// intransitive are the ecosystems whose reference order is not transitive
// (see TestMavenCycle), where the fuzz tests check the rest.
var intransitive = map[strata.Ecosystem]bool{strata.Maven: true}

// fuzzComparator checks, on any three strings, that the comparator does
// not panic, rejects a string whichever side it is on, and, on the
// strings it accepts, is reflexive, antisymmetric and (but for Maven)
// transitive. It is seeded from the ecosystem's fixture file.
func fuzzComparator(f *testing.F, eco strata.Ecosystem) {
	c, err := version.For(eco)
	if err != nil {
		f.Fatal(err)
	}
	cases := readFixture(f, versiontest.FixtureFile(eco))
	for i, cs := range cases {
		f.Add(cs.A, cs.B, cases[(i+1)%len(cases)].A)
	}
	f.Fuzz(func(t *testing.T, a, b, x string) {
		ab, errAB := c.Compare(a, b)
		ba, errBA := c.Compare(b, a)
		if (errAB == nil) != (errBA == nil) || ab != -ba {
			t.Fatalf("Compare(%q, %q) = %d, %v; reversed %d, %v", a, b, ab, errAB, ba, errBA)
		}
		for _, v := range []string{a, b, x} {
			if n, err := c.Compare(v, v); err == nil && n != 0 {
				t.Fatalf("Compare(%q, itself) = %d", v, n)
			}
		}
		if errAB != nil || intransitive[eco] {
			return
		}
		bx, errBX := c.Compare(b, x)
		ax, errAX := c.Compare(a, x)
		if errBX != nil || errAX != nil {
			return
		}
		if want, ok := transitive(ab, bx); ok && ax != want {
			t.Fatalf("%q vs %q: %d, %q vs %q: %d, but %q vs %q: %d", a, b, ab, b, x, bx, a, x, ax)
		}
	})
}

// transitive is what a total order implies for a vs x from a vs b and
// b vs x, when it implies anything.
func transitive(ab, bx int) (int, bool) {
	switch {
	case ab == 0:
		return bx, true
	case bx == 0 || ab == bx:
		return ab, true
	}
	return 0, false
}

// FuzzAffected evaluates one range of up to four events (kinds taken two
// bits each from kinds: introduced, fixed, last_affected, limit) and a
// listed version with the Deb comparator: no panic, and an affected
// verdict's fix is one of the range's fixed events, above v.
func FuzzAffected(f *testing.F) {
	// introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17 (PYSEC-2023-192).
	f.Add("1.26.12", "2.0.0", "2.0.6", "0", "1.26.17", uint8(0b01_00_01_00), "a3")
	f.Add("1.2", "0", "1.4", "2.0", "2.3", uint8(0b01_00_10_00), "1.2")
	f.Add("1.9", "0", "2.0", "3.0", "*", uint8(0b11_11_00_00), "x")
	c := version.Deb{}
	f.Fuzz(func(t *testing.T, v, a, b, x, y string, kinds uint8, listed string) {
		var r strata.Range
		fixes := map[string]bool{}
		for i, s := range []string{a, b, x, y} {
			var e strata.Event
			switch kinds >> (2 * i) & 3 {
			case 0:
				e.Introduced = s
			case 1:
				e.Fixed, fixes[s] = s, s != ""
			case 2:
				e.LastAffected = s
			default:
				e.Limit = s
			}
			r.Events = append(r.Events, e)
		}
		vd, err := version.Affected(c, []strata.Range{r}, []string{listed}, v)
		if err != nil || vd.Fixed == "" {
			return
		}
		if !vd.Affected || !fixes[vd.Fixed] {
			t.Fatalf("Affected(%q) = %+v: a fix but not affected, or not a fixed event of %v", v, vd, r.Events)
		}
		if n, err := c.Compare(v, vd.Fixed); err != nil || n >= 0 {
			t.Fatalf("Affected(%q) = %+v: fix not above v (%d, %v)", v, vd, n, err)
		}
	})
}
