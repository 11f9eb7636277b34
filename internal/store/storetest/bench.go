package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Feed makes n records of updater "debian" about 2,000 packages of
// debian:12, each about as large as a Debian tracker record. Records made
// with different tags differ in content, not in keys.
func Feed(n int, tag string) []strata.Vulnerability {
	vs := make([]strata.Vulnerability, n)
	desc := strings.Repeat("A flaw was found in the parser that allows a remote attacker to crash it. ", 4)
	for i := range vs {
		vs[i] = strata.Vulnerability{
			ID: fmt.Sprintf("CVE-%d-%05d", 2000+i%25, i), Updater: "debian", Eco: strata.Deb,
			Release: "debian:12", Package: fmt.Sprintf("pkg%d", i%2000), SourcePackage: true,
			Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.2-3" + tag}}}},
			FixedVersion: "1.2-3" + tag, State: strata.Fixed, Severity: strata.Medium,
			Description: desc, Links: []string{"https://security-tracker.debian.org/tracker/" + fmt.Sprint(i)},
			Published: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		}
	}
	return vs
}

// BenchmarkReplace measures ReplaceVulnerabilities with sets of n records
// on stores made by newStore: the first load of an updater's set, and
// replacements where none, one in ten and all of the records changed. It
// reports records/s.
func BenchmarkReplace(b *testing.B, n int, newStore func(b *testing.B) store.Store) {
	a, a2 := Feed(n, ""), Feed(n, "+1")
	tenth := append(Feed(n/10, "+1"), a[n/10:]...)
	tests := []struct {
		name  string
		fresh bool // a new updater each time
		sets  [][]strata.Vulnerability
	}{
		{"first load", true, [][]strata.Vulnerability{a}},
		{"unchanged", false, [][]strata.Vulnerability{a}},
		{"tenth changed", false, [][]strata.Vulnerability{tenth, a}},
		{"all changed", false, [][]strata.Vulnerability{a2, a}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			s := newStore(b)
			if !tt.fresh {
				if _, err := s.ReplaceVulnerabilities(b.Context(), "debian", "fp", a); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				updater := "debian"
				if tt.fresh {
					updater = fmt.Sprint("debian", i)
				}
				if _, err := s.ReplaceVulnerabilities(b.Context(), updater, "fp", tt.sets[i%len(tt.sets)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(n*i)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
