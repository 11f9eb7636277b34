package testutil

import (
	"slices"

	"github.com/strata-scan/strata/internal/report"
)

// ReportPackages lists an index report's packages as "name version",
// sorted, for tests to compare.
func ReportPackages(ir *report.IndexReport) []string {
	var out []string
	for _, p := range ir.Packages {
		out = append(out, p.Name+" "+p.Version)
	}
	slices.Sort(out)
	return out
}
