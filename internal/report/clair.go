// Package report renders index reports and match results: the Clair v4
// VulnerabilityReport JSON (the stable contract shared with the HTTP API)
// and a table for people.
package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// VulnerabilityReport is Clair v4's report, plus strata's own fields
// (reasons, layers_read, uncovered) where Clair has none. Ids are strings
// of small integers assigned in a stable order.
type VulnerabilityReport struct {
	ManifestHash           strata.Digest                `json:"manifest_hash"`
	Packages               map[string]Package           `json:"packages"`
	Distributions          map[string]Distribution      `json:"distributions"`
	Repository             map[string]any               `json:"repository"`
	Environments           map[string][]Environment     `json:"environments"`
	Vulnerabilities        map[string]Vulnerability     `json:"vulnerabilities"`
	PackageVulnerabilities map[string][]string          `json:"package_vulnerabilities"`
	Enrichments            map[string]any               `json:"enrichments"`
	Reasons                map[string]map[string]Reason `json:"reasons"`
	// LayersRead counts the layers read to make the index report; the
	// others came from the layer cache.
	LayersRead int `json:"layers_read"`
	// Uncovered lists the package groups with no vulnerability data at
	// all ("deb debian:13"): they were not checked.
	Uncovered []string `json:"uncovered"`
}

// Package is Clair's package object.
type Package struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Kind    string   `json:"kind"`
	Source  *Package `json:"source,omitempty"`
	Arch    string   `json:"arch,omitempty"`
	PURL    string   `json:"purl,omitempty"`
	// OwnedBy is strata's addition: the OS package that installed a
	// language package ("deb/python3-requests").
	OwnedBy string `json:"owned_by,omitempty"`
}

// Distribution is Clair's distribution object.
type Distribution struct {
	ID              string `json:"id"`
	DID             string `json:"did"`
	Name            string `json:"name"`
	Version         string `json:"version"`
	VersionCodeName string `json:"version_code_name"`
	VersionID       string `json:"version_id"`
	Arch            string `json:"arch"`
	CPE             string `json:"cpe"`
	PrettyName      string `json:"pretty_name"`
}

// Environment says where a package was found.
type Environment struct {
	PackageDB      string        `json:"package_db"`
	IntroducedIn   strata.Digest `json:"introduced_in"`
	DistributionID string        `json:"distribution_id"`
	RepositoryIDs  []string      `json:"repository_ids"`
}

// Vulnerability is Clair's vulnerability object, with strata's aliases,
// state and CVSS scores.
type Vulnerability struct {
	ID                 string          `json:"id"`
	Updater            string          `json:"updater"`
	Name               string          `json:"name"`
	Aliases            []string        `json:"aliases"`
	Description        string          `json:"description"`
	Issued             time.Time       `json:"issued,omitzero"`
	Links              string          `json:"links"`
	Severity           string          `json:"severity"`
	NormalizedSeverity strata.Severity `json:"normalized_severity"`
	Package            *Package        `json:"package"`
	Distribution       *Distribution   `json:"distribution,omitempty"`
	FixedInVersion     string          `json:"fixed_in_version"`
	State              strata.State    `json:"state"`
	CVSS               []strata.CVSS   `json:"cvss,omitempty"`
}

// Reason says why a package matched a vulnerability.
type Reason struct {
	Updater    string `json:"updater"`
	Record     string `json:"record"`
	Release    string `json:"release,omitempty"`
	Range      string `json:"range"`
	Comparison string `json:"comparison"`
	// Symbols is strata's addition for Go findings: "symbol present",
	// "symbol absent" or "unknown (stripped)" (see strata.Reason).
	Symbols string `json:"symbols,omitempty"`
}

// Build assembles the report of an index report and its match result.
func Build(ir *strata.IndexReport, res *match.Result) *VulnerabilityReport {
	vr := &VulnerabilityReport{
		ManifestHash:           ir.ManifestDigest,
		Packages:               map[string]Package{},
		Distributions:          map[string]Distribution{},
		Repository:             map[string]any{},
		Environments:           map[string][]Environment{},
		Vulnerabilities:        map[string]Vulnerability{},
		PackageVulnerabilities: map[string][]string{},
		Enrichments:            map[string]any{},
		Reasons:                map[string]map[string]Reason{},
		LayersRead:             ir.LayersRead,
		Uncovered:              append([]string{}, res.Uncovered...),
	}
	distID := ""
	if d := ir.Distribution; d != nil {
		distID = "1"
		vr.Distributions[distID] = distribution(distID, d)
	}
	pkgIDs := map[string]string{}
	for i, p := range ir.Packages {
		id := strconv.Itoa(i + 1)
		pkgIDs[p.Key()] = id
		vr.Packages[id] = clairPackage(id, p, ir.Distribution)
		vr.Environments[id] = append(vr.Environments[id], Environment{
			PackageDB: p.PackageDB, IntroducedIn: p.IntroducedIn,
			DistributionID: distID, RepositoryIDs: []string{},
		})
	}
	vulnIDs := map[string]string{}
	for _, f := range res.Findings {
		pid := pkgIDs[f.Package.Key()]
		v := f.Vulnerability
		key := v.Updater + "|" + v.Key()
		vid, ok := vulnIDs[key]
		if !ok {
			vid = strconv.Itoa(len(vulnIDs) + 1)
			vulnIDs[key] = vid
			vr.Vulnerabilities[vid] = vulnerability(vid, v, vr.Distributions[distID])
		}
		vr.PackageVulnerabilities[pid] = append(vr.PackageVulnerabilities[pid], vid)
		if vr.Reasons[pid] == nil {
			vr.Reasons[pid] = map[string]Reason{}
		}
		vr.Reasons[pid][vid] = Reason{
			Updater: f.Reason.Updater, Record: f.Reason.Record, Release: v.Release,
			Range: f.Reason.Range, Comparison: f.Reason.Comparison, Symbols: f.Reason.Symbols,
		}
	}
	return vr
}

func distribution(id string, d *strata.Distribution) Distribution {
	return Distribution{
		ID: id, DID: d.ID, Name: d.Name, Version: d.VersionID,
		VersionCodeName: d.VersionCodename, VersionID: d.VersionID,
		CPE: d.CPE, PrettyName: d.PrettyName,
	}
}

func clairPackage(id string, p strata.Package, d *strata.Distribution) Package {
	cp := Package{ID: id, Name: p.Name, Version: p.Version, Kind: "binary", Arch: p.Arch, PURL: p.PURL(d), OwnedBy: p.OwnedBy}
	if p.SourceName != "" {
		cp.Source = &Package{Name: p.SourceName, Version: p.SourceVersion, Kind: "source"}
	}
	return cp
}

func vulnerability(id string, v strata.Vulnerability, d Distribution) Vulnerability {
	kind := "binary"
	if v.SourcePackage {
		kind = "source"
	}
	out := Vulnerability{
		ID: id, Updater: v.Updater, Name: v.ID, Aliases: append([]string{}, v.Aliases...),
		Description: v.Description, Issued: v.Published, Links: strings.Join(v.Links, " "),
		Severity: v.VendorSeverity, NormalizedSeverity: v.Severity,
		Package:        &Package{Name: v.Package, Kind: kind},
		FixedInVersion: v.FixedVersion, State: v.State, CVSS: v.CVSS,
	}
	if d.ID != "" {
		out.Distribution = &d
	}
	return out
}
