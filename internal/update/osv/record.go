package osv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/scan/python"
)

// record is the part of an OSV record strata reads.
type record struct {
	ID               string           `json:"id" yaml:"id"`
	Aliases          []string         `json:"aliases" yaml:"aliases"`
	Upstream         []string         `json:"upstream" yaml:"upstream"`
	Related          []string         `json:"related" yaml:"related"`
	Modified         string           `json:"modified" yaml:"modified"`
	Published        string           `json:"published" yaml:"published"`
	Withdrawn        string           `json:"withdrawn" yaml:"withdrawn"`
	Summary          string           `json:"summary" yaml:"summary"`
	Details          string           `json:"details" yaml:"details"`
	Severity         []severity       `json:"severity" yaml:"severity"`
	Affected         []affected       `json:"affected" yaml:"affected"`
	References       []reference      `json:"references" yaml:"references"`
	DatabaseSpecific databaseSpecific `json:"database_specific" yaml:"database_specific"`
}

type severity struct {
	Type  string `json:"type" yaml:"type"`
	Score string `json:"score" yaml:"score"`
}

type affected struct {
	Package struct {
		Ecosystem string `json:"ecosystem" yaml:"ecosystem"`
		Name      string `json:"name" yaml:"name"`
	} `json:"package" yaml:"package"`
	Severity          []severity       `json:"severity" yaml:"severity"`
	Ranges            []osvRange       `json:"ranges" yaml:"ranges"`
	Versions          []string         `json:"versions" yaml:"versions"`
	DatabaseSpecific  databaseSpecific `json:"database_specific" yaml:"database_specific"`
	EcosystemSpecific struct {
		Imports []struct {
			Path    string   `json:"path" yaml:"path"`
			Symbols []string `json:"symbols" yaml:"symbols"`
		} `json:"imports" yaml:"imports"`
	} `json:"ecosystem_specific" yaml:"ecosystem_specific"`
}

type osvRange struct {
	Type   string     `json:"type" yaml:"type"`
	Events []osvEvent `json:"events" yaml:"events"`
}

// osvEvent is a strata.Event as a record writes it, named for YAML too
// (yaml.v3 would read last_affected as "lastaffected").
type osvEvent struct {
	Introduced   string `json:"introduced" yaml:"introduced"`
	Fixed        string `json:"fixed" yaml:"fixed"`
	LastAffected string `json:"last_affected" yaml:"last_affected"`
	Limit        string `json:"limit" yaml:"limit"`
}

type reference struct {
	URL string `json:"url" yaml:"url"`
}

// databaseSpecific holds the severity that GitHub's advisories (and
// databases following them) give: LOW, MODERATE, HIGH or CRITICAL. Its
// other fields vary by database and are not read.
type databaseSpecific struct {
	Severity string `json:"severity" yaml:"severity"`
}

// UnmarshalJSON reads the severity when the field is an object and
// ignores any other shape, which some databases use.
func (d *databaseSpecific) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	_ = json.Unmarshal(m["severity"], &d.Severity)
	return nil
}

// document is one record, or the records of an OSV.dev API answer
// ({"vulns": [...]}).
type document struct {
	record `yaml:",inline"`
	Vulns  []record `json:"vulns" yaml:"vulns"`
}

// decode reads the records of one JSON or YAML document.
func decode(r io.Reader, isJSON bool) ([]record, error) {
	var doc document
	var err error
	if isJSON {
		err = json.NewDecoder(r).Decode(&doc)
	} else {
		err = yaml.NewDecoder(r).Decode(&doc)
	}
	if ute := (*json.UnmarshalTypeError)(nil); errors.As(err, &ute) && ute.Field == "" {
		return nil, fmt.Errorf("want an OSV record (a JSON object with an id) or an OSV.dev answer ({\"vulns\": [...]}), have a JSON %s", ute.Value)
	}
	if err != nil {
		return nil, err
	}
	recs := doc.Vulns
	if doc.ID != "" || len(recs) == 0 {
		recs = append(recs, doc.record)
	}
	for i, rec := range recs {
		if rec.ID == "" {
			return nil, fmt.Errorf("record %d: no id", i+1)
		}
	}
	return recs, nil
}

// vulnerabilities is one strata.Vulnerability for each affected package
// of an ecosystem strata reads; a package named twice gives one record
// with the ranges and versions of both.
func (rec *record) vulnerabilities(ctx context.Context) ([]strata.Vulnerability, error) {
	if rec.Withdrawn != "" {
		slog.DebugContext(ctx, "osv: skip withdrawn record", "id", rec.ID)
		return nil, nil
	}
	if notice(rec.ID) {
		slog.DebugContext(ctx, "osv: skip Ubuntu notice (its CVE records are read)", "id", rec.ID)
		return nil, nil
	}
	base, err := rec.base()
	if err != nil {
		return nil, err
	}
	var vs []strata.Vulnerability
	at := make(map[string]int)
	for _, a := range rec.Affected {
		tg, ok := ecosystem(a.Package.Ecosystem)
		if !ok {
			slog.DebugContext(ctx, "osv: skip ecosystem", "id", rec.ID, "ecosystem", a.Package.Ecosystem)
			continue
		}
		name := packageName(tg.eco, a.Package.Name)
		if name == "" {
			return nil, fmt.Errorf("affected package of ecosystem %s without a name", excerpt.ID(a.Package.Ecosystem))
		}
		ranges := affectedRanges(a.Ranges)
		if len(ranges) == 0 && len(a.Versions) == 0 {
			continue
		}
		// Ubuntu's standard and Pro ecosystems of one release share a
		// record: affected when either range says so.
		key := string(tg.eco) + "/" + tg.release + "/" + name
		if i, ok := at[key]; ok {
			vs[i].Ranges = append(vs[i].Ranges, ranges...)
			vs[i].Versions = append(vs[i].Versions, a.Versions...)
			addSymbols(&vs[i], a)
			setState(&vs[i])
			continue
		}
		v := base
		v.Eco, v.Release, v.SourcePackage = tg.eco, tg.release, tg.source
		v.Package, v.Ranges, v.Versions = name, ranges, a.Versions
		setSeverity(&v, rec, a)
		addSymbols(&v, a)
		setState(&v)
		at[key] = len(vs)
		vs = append(vs, v)
	}
	return vs, nil
}

// base is the part of every record's vulnerability that does not depend
// on the affected package.
func (rec *record) base() (strata.Vulnerability, error) {
	v := strata.Vulnerability{ID: rec.ID, Aliases: rec.Aliases, Updater: "osv", Description: rec.Summary}
	// The ids a record derives from (a UBUNTU-CVE-… record's CVE) are
	// aliases too, so that a search by CVE id finds the record; so are
	// the Ubuntu notices it names as related (USN-5614-1, which fixed
	// UBUNTU-CVE-2021-3782), whose own records are skipped (see notice).
	ids := slices.Clone(rec.Upstream)
	for _, id := range rec.Related {
		if notice(id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		if !slices.Contains(v.Aliases, id) {
			v.Aliases = append(slices.Clip(v.Aliases), id)
		}
	}
	if rec.Details != "" && v.Description != "" {
		v.Description += "\n\n"
	}
	v.Description += rec.Details
	for _, ref := range rec.References {
		v.Links = append(v.Links, ref.URL)
	}
	var err error
	if v.Published, err = parseTime("published", rec.Published); err != nil {
		return v, err
	}
	v.Modified, err = parseTime("modified", rec.Modified)
	return v, err
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil { // time.ParseError would quote s whole, twice
		return t, fmt.Errorf("%s: bad time %s: want RFC 3339", field, excerpt.Quote(s))
	}
	return t.UTC(), nil
}

// packageName is name as strata's scanners report it: PEP 503's
// normalised form for PyPI.
func packageName(eco strata.Ecosystem, name string) string {
	if eco == strata.PyPI {
		return python.NormalizeName(name)
	}
	return name
}

// affectedRanges are the SEMVER and ECOSYSTEM ranges of rs; GIT ranges
// name commits, not versions, and are left out.
func affectedRanges(rs []osvRange) []strata.Range {
	var out []strata.Range
	for _, r := range rs {
		if r.Type != "SEMVER" && r.Type != "ECOSYSTEM" {
			continue
		}
		events := make([]strata.Event, len(r.Events))
		for i, e := range r.Events {
			events[i] = strata.Event(e)
		}
		out = append(out, strata.Range{Events: events})
	}
	return out
}

// setState sets FixedVersion to the first fixed event and the state to
// Fixed when there is one, Unfixed otherwise. That describes the record
// (a fix exists), not a version of a record with several branches: the
// matcher gives each finding the fix of the branch holding the installed
// version (version.Verdict.Fixed).
func setState(v *strata.Vulnerability) {
	v.FixedVersion, v.State = "", strata.Unfixed
	for _, r := range v.Ranges {
		for _, e := range r.Events {
			if e.Fixed != "" {
				v.FixedVersion, v.State = e.Fixed, strata.Fixed
				return
			}
		}
	}
}

// addSymbols keeps the vulnerable symbols by import path that the Go
// vulnerability database gives in ecosystem_specific.imports.
func addSymbols(v *strata.Vulnerability, a affected) {
	for _, imp := range a.EcosystemSpecific.Imports {
		if imp.Path == "" {
			continue
		}
		if v.Symbols == nil {
			v.Symbols = map[string][]string{}
		}
		v.Symbols[imp.Path] = append(v.Symbols[imp.Path], imp.Symbols...)
	}
}
