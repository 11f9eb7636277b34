package report

import (
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// IndexFinished is the state of a successful Clair index report.
const IndexFinished = "IndexFinished"

// IndexReport is Clair v4's IndexReport: what an image holds, before any
// matching, with the same package and distribution ids as the
// VulnerabilityReport Build makes of the same index report.
type IndexReport struct {
	ManifestHash  strata.Digest            `json:"manifest_hash"`
	State         string                   `json:"state"`
	Packages      map[string]Package       `json:"packages"`
	Distributions map[string]Distribution  `json:"distributions"`
	Repository    map[string]any           `json:"repository"`
	Environments  map[string][]Environment `json:"environments"`
	Success       bool                     `json:"success"`
	Err           string                   `json:"err"`
	// LayersRead counts the layers read to make the index report; the
	// others came from the layer cache.
	LayersRead int `json:"layers_read"`
}

// BuildIndexReport assembles the Clair IndexReport of a successful index.
func BuildIndexReport(ir *strata.IndexReport) *IndexReport {
	vr := Build(ir, &match.Result{})
	return &IndexReport{
		ManifestHash:  vr.ManifestHash,
		State:         IndexFinished,
		Packages:      vr.Packages,
		Distributions: vr.Distributions,
		Repository:    vr.Repository,
		Environments:  vr.Environments,
		Success:       true,
		LayersRead:    vr.LayersRead,
	}
}
