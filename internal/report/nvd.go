package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/strata-scan/strata"
)

// nvdEntries is the union, by CVE and sorted by it, of the NVD entries of
// fs (the findings of one vulnerability of one package).
func nvdEntries(fs []strata.Finding) []strata.NVDEntry {
	var es []strata.NVDEntry
	for _, f := range fs {
		for _, e := range f.NVD {
			if !slices.ContainsFunc(es, func(x strata.NVDEntry) bool { return x.CVE == e.CVE }) {
				es = append(es, e)
			}
		}
	}
	slices.SortFunc(es, func(a, b strata.NVDEntry) int { return cmp.Compare(a.CVE, b.CVE) })
	return es
}

// nvdCell is the table's NVD column: the highest NVD score of the
// entries and its CVSS version, "7.5 (3.1)", or "-" when none has one.
func nvdCell(es []strata.NVDEntry) string {
	c, _, ok := strata.NVDScore(es)
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(c.Score, 'f', 1, 64) + " (" + c.Version + ")"
}
