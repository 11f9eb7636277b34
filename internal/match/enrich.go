package match

import (
	"context"
	"fmt"

	"github.com/strata-scan/strata"
)

// NVDUpdater is the updater whose records enrich findings (update/nvd):
// they name no package and match nothing themselves.
const NVDUpdater = "nvd"

// NVDSource is what enrichment needs of the store.
type NVDSource interface {
	// VulnerabilitiesByIDs returns the updater's records whose ID is one
	// of ids.
	VulnerabilitiesByIDs(ctx context.Context, updater string, ids []string) ([]strata.Vulnerability, error)
}

// EnrichNVD sets the NVD entries of res's findings: for each CVE that a
// finding's record names (its ID and aliases), the NVD's CVSS scores and
// CWE ids. The NVD records of every finding are read in one query. The
// vendor's severity is left as it is.
func EnrichNVD(ctx context.Context, src NVDSource, res *Result) error {
	seen := map[string]bool{}
	var ids []string
	for i := range res.Findings {
		for _, id := range res.Findings[i].Vulnerability.CVEs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	recs, err := src.VulnerabilitiesByIDs(ctx, NVDUpdater, ids)
	if err != nil {
		return fmt.Errorf("match: NVD records: %w", err)
	}
	byID := make(map[string]strata.NVDEntry, len(recs))
	for _, r := range recs {
		byID[r.ID] = strata.NVDEntry{CVE: r.ID, CVSS: r.CVSS, CWEs: r.CWEs}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		f.NVD = nil
		for _, id := range f.Vulnerability.CVEs() {
			if e, ok := byID[id]; ok {
				f.NVD = append(f.NVD, e)
			}
		}
	}
	return nil
}
