package version_test

import (
	"testing"

	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

// BenchmarkCompare measures comparisons per second on each ecosystem's
// fixture pairs.
func BenchmarkCompare(b *testing.B) {
	for _, eco := range ecosystems {
		b.Run(string(eco), func(b *testing.B) {
			c, err := version.For(eco)
			if err != nil {
				b.Fatal(err)
			}
			var pairs []versiontest.Pair
			for _, cs := range readFixture(b, versiontest.FixtureFile(eco)) {
				if cs.B != "" {
					pairs = append(pairs, versiontest.Pair{A: cs.A, B: cs.B})
				}
			}
			n := 0
			for b.Loop() {
				p := pairs[n%len(pairs)]
				if _, err := c.Compare(p.A, p.B); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "cmp/s")
		})
	}
}
