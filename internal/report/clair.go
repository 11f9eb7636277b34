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
	// Identified is strata's addition: how a package that no record
	// names was named ("manifest", "file-name": strata.Identification).
	Identified strata.Identification `json:"identified,omitempty"`
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
	// Nested is strata's addition: the path inside PackageDB of the
	// nested archive that holds the package ("WEB-INF/lib/x.jar").
	Nested string `json:"nested,omitempty"`
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
	// NVD is strata's addition: the NVD's CVSS scores and CWE ids of the
	// CVEs the vulnerability's records name (NormalizedSeverity stays the
	// vendor's).
	NVD []strata.NVDEntry `json:"nvd,omitempty"`
	// Sources is strata's addition for a vulnerability that several feed
	// records name (the PYSEC and the GHSA record of one CVE): one entry
	// per record, this entry's own record first. Empty when one record
	// names it.
	Sources []Source `json:"sources,omitempty"`
}

// Source is one of the feed records that name a vulnerability.
type Source struct {
	Updater            string          `json:"updater"`
	Name               string          `json:"name"`
	Severity           string          `json:"severity"`
	NormalizedSeverity strata.Severity `json:"normalized_severity"`
	FixedInVersion     string          `json:"fixed_in_version"`
	State              strata.State    `json:"state"`
	Links              string          `json:"links"`
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
	// Also holds the reasons of the other records that name the same
	// vulnerability for this package (see Vulnerability.Sources).
	Also []Reason `json:"also,omitempty"`
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
			DistributionID: distID, RepositoryIDs: []string{}, Nested: p.Nested,
		})
	}
	vulnIDs := map[string]string{}
	for _, g := range groupFindings(res.Findings) {
		pid := pkgIDs[g.primary().Package.Key()]
		vid, ok := vulnIDs[g.key()]
		if !ok {
			vid = strconv.Itoa(len(vulnIDs) + 1)
			vulnIDs[g.key()] = vid
			vr.Vulnerabilities[vid] = vulnerability(vid, g, vr.Distributions[distID])
		}
		vr.PackageVulnerabilities[pid] = append(vr.PackageVulnerabilities[pid], vid)
		if vr.Reasons[pid] == nil {
			vr.Reasons[pid] = map[string]Reason{}
		}
		r := reason(g.primary())
		for _, f := range g[1:] {
			r.Also = append(r.Also, reason(f))
		}
		vr.Reasons[pid][vid] = r
	}
	return vr
}

func reason(f strata.Finding) Reason {
	return Reason{
		Updater: f.Reason.Updater, Record: f.Reason.Record, Release: f.Vulnerability.Release,
		Range: f.Reason.Range, Comparison: f.Reason.Comparison, Symbols: f.Reason.Symbols,
	}
}

func distribution(id string, d *strata.Distribution) Distribution {
	return Distribution{
		ID: id, DID: d.ID, Name: d.Name, Version: d.VersionID,
		VersionCodeName: d.VersionCodename, VersionID: d.VersionID,
		CPE: d.CPE, PrettyName: d.PrettyName,
	}
}

func clairPackage(id string, p strata.Package, d *strata.Distribution) Package {
	cp := Package{ID: id, Name: p.Name, Version: p.Version, Kind: "binary", Arch: p.Arch, PURL: p.PURL(d), OwnedBy: p.OwnedBy, Identified: p.Identified}
	if p.SourceName != "" {
		cp.Source = &Package{Name: p.SourceName, Version: p.SourceVersion, Kind: "source"}
	}
	return cp
}

// vulnerability is the entry of a group: its primary record's, with the
// severity of its most severe record, the aliases of all its records and,
// when it has several, their sources.
func vulnerability(id string, g group, d Distribution) Vulnerability {
	v, sev := g.primary().Vulnerability, g.severest()
	kind := "binary"
	if v.SourcePackage {
		kind = "source"
	}
	out := Vulnerability{
		ID: id, Updater: v.Updater, Name: v.ID, Aliases: g.aliases(),
		Description: v.Description, Issued: v.Published, Links: strings.Join(v.Links, " "),
		Severity: sev.VendorSeverity, NormalizedSeverity: sev.Severity,
		Package:        &Package{Name: v.Package, Kind: kind},
		FixedInVersion: v.FixedVersion, State: v.State, CVSS: sev.CVSS, NVD: nvdEntries(g),
	}
	if d.ID != "" {
		out.Distribution = &d
	}
	if len(g) > 1 {
		for _, f := range g {
			s := f.Vulnerability
			out.Sources = append(out.Sources, Source{
				Updater: s.Updater, Name: s.ID, Severity: s.VendorSeverity, NormalizedSeverity: s.Severity,
				FixedInVersion: s.FixedVersion, State: s.State, Links: strings.Join(s.Links, " "),
			})
		}
	}
	return out
}
