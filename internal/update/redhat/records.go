package redhat

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/version"
)

// entry is one product status of one RHEL package: a product id of a
// status list resolved to its stream and component.
type entry struct {
	productID string
	status    string // fixed, known_affected, under_investigation
	platform  string // the platform's product id: "AppStream-9.4.0.GA"
	stream    stream
	component
}

// recordKey groups entries into records: one per release, binary
// package and module stream.
type recordKey struct {
	release, name, module string
}

// The status lists that make records. known_not_affected makes none, as
// "not affected" does in the other feeds.
var statuses = []string{"fixed", "known_affected", "under_investigation"}

// records converts the document's statuses about RHEL packages into
// records, one per (release, binary package, module stream).
//
// Source packages (arch "src") make no record, nor does a fixed product
// without a version (nothing to compare with): Red Hat lists each binary
// package beside its source package, and records keyed by binary name
// are matched to the installed binary's name and version. The entries of
// a key are merged: the mainline streams' entries, when there are any,
// else the ELS stream's; then a fix, when any entry is fixed (see fix for
// which, when several builds are listed), else affected, else under
// investigation.
func (doc *document) records(v *vulnerability) ([]strata.Vulnerability, error) {
	groups := map[recordKey][]entry{}
	for _, status := range statuses {
		for _, id := range v.ProductStatus[status] {
			e, ok := doc.entry(id, status)
			if !ok || e.arch == "src" || status == "fixed" && e.version == "" {
				continue
			}
			k := recordKey{e.stream.release, e.name, e.module}
			groups[k] = append(groups[k], e)
		}
	}
	rems := remediations(v)
	var out []strata.Vulnerability
	for _, k := range slices.SortedFunc(maps.Keys(groups), compareKeys) {
		r, err := doc.record(v, k, chosen(groups[k]), rems)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// entry resolves a status's product id: a relationship joining a RHEL
// platform to an RPM component.
func (doc *document) entry(id, status string) (entry, bool) {
	rel, ok := doc.relations[id]
	if !ok {
		return entry{}, false
	}
	st, ok := streamOf(doc.products[rel.platform].CPE)
	if !ok {
		return entry{}, false
	}
	c, ok := componentOf(rel.component, doc.products[rel.component])
	if !ok {
		return entry{}, false
	}
	return entry{productID: id, status: status, platform: rel.platform, stream: st, component: c}, true
}

// id is the vulnerability's id: its CVE, else the document's.
func (doc *document) id(v *vulnerability) string { return cmp.Or(v.CVE, doc.ID) }

// notAffected says whether v's statuses say of a RHEL package that it is
// not affected.
func (doc *document) notAffected(v *vulnerability) bool {
	return slices.ContainsFunc(v.ProductStatus["known_not_affected"], func(id string) bool {
		_, ok := doc.entry(id, "known_not_affected")
		return ok
	})
}

// chosen keeps the entries that decide a record: the mainline's when
// there are any, and of those the fixed ones when there are any, else
// the affected ones.
func chosen(es []entry) []entry {
	if slices.ContainsFunc(es, func(e entry) bool { return e.stream.mainline }) {
		es = slices.DeleteFunc(slices.Clone(es), func(e entry) bool { return !e.stream.mainline })
	}
	for _, status := range statuses {
		if slices.ContainsFunc(es, func(e entry) bool { return e.status == status }) {
			return slices.DeleteFunc(slices.Clone(es), func(e entry) bool { return e.status != status })
		}
	}
	return es
}

// remedy is what the remediations say of one product.
type remedy struct {
	category string // the first of vendor_fix, no_fix_planned, none_available
	url      string // the errata of a vendor_fix
}

func remediations(v *vulnerability) map[string]remedy {
	m := map[string]remedy{}
	for _, r := range v.Remediations {
		switch r.Category {
		case "vendor_fix", "no_fix_planned", "none_available":
			for _, id := range r.ProductIDs {
				if _, ok := m[id]; !ok {
					m[id] = remedy{r.Category, r.URL}
				}
			}
		}
	}
	return m
}

// record makes the record of one key from its chosen entries.
func (doc *document) record(v *vulnerability, k recordKey, es []entry, rems map[string]remedy) (strata.Vulnerability, error) {
	first := es[0]
	r := strata.Vulnerability{
		ID: doc.id(v), Updater: "redhat", Eco: strata.RPM, Release: k.release,
		Package: k.name, Module: k.module,
		Description: description(v), Published: v.ReleaseDate, Modified: doc.Modified,
	}
	if link := selfLink(v); link != "" {
		r.Links = append(r.Links, link)
	}
	events := []strata.Event{{Introduced: "0"}}
	switch first.status {
	case "fixed":
		f, err := fix(es)
		if err != nil {
			return r, fmt.Errorf("%s %s: %w", excerpt.ID(r.ID), excerpt.ID(k.name), err)
		}
		r.State, r.FixedVersion = strata.Fixed, f.version
		events = append(events, strata.Event{Fixed: f.version})
		if u := rems[f.productID].url; u != "" {
			r.Links = append(r.Links, u)
		}
		first = f
	case "known_affected":
		r.State = strata.Unfixed
		if !slices.ContainsFunc(es, func(e entry) bool { return rems[e.productID].category != "no_fix_planned" }) {
			r.State = strata.WontFix
		}
	default:
		r.State = strata.UnderInvestigation
	}
	r.Ranges = []strata.Range{{Events: events}}
	r.VendorSeverity, r.Severity = severity(cmp.Or(impact(v, first.productID), doc.AggregateSeverity))
	r.CVSS = scores(v, first.productID)
	return r, nil
}

// fix is the entry whose version fixes a record. Of one platform's
// entries (one minor release's stream) it takes the lowest build: they
// differ only where a module stream was built for several contexts
// (perl-FCGI:0.78 once for each perl stream). Of the platforms it takes
// the highest: the mainline of a later minor release carries a later
// build (curl 7.76.1-26.el9_3.2 after 7.76.1-23.el9_2.4 of 9.2), which a
// system on the mainline needs; the earlier one would pass 7.76.1-26.el9_3
// as fixed.
func fix(es []entry) (entry, error) {
	var c version.RPM
	compare := func(a, b entry) (int, error) {
		n, err := c.Compare(a.version, b.version)
		if err != nil {
			return 0, fmt.Errorf("product %s: %w", excerpt.ID(a.productID), err)
		}
		return n, nil
	}
	lowest := map[string]entry{}
	for _, e := range es {
		low, ok := lowest[e.platform]
		if !ok {
			low = e
		}
		n, err := compare(e, low)
		if err != nil {
			return e, err
		}
		if !ok || n < 0 {
			lowest[e.platform] = e
		}
	}
	var best entry
	for i, p := range slices.Sorted(maps.Keys(lowest)) {
		e := lowest[p]
		if i == 0 {
			best = e
			continue
		}
		n, err := compare(e, best)
		if err != nil {
			return e, err
		}
		if n > 0 {
			best = e
		}
	}
	return best, nil
}

// vendorSeverities maps Red Hat's impact ratings, lower-cased, to their
// usual spelling and to strata's severities.
var vendorSeverities = map[string]struct {
	name     string
	severity strata.Severity
}{
	"low":       {"Low", strata.Low},
	"moderate":  {"Moderate", strata.Medium},
	"important": {"Important", strata.High},
	"critical":  {"Critical", strata.Critical},
}

func severity(s string) (string, strata.Severity) {
	if vs, ok := vendorSeverities[strings.ToLower(s)]; ok {
		return vs.name, vs.severity
	}
	return s, strata.Unknown
}

// impact is the impact rating Red Hat gives product id.
func impact(v *vulnerability, id string) string {
	for _, t := range v.Threats {
		if t.Category == "impact" && slices.Contains(t.ProductIDs, id) {
			return t.Details
		}
	}
	return ""
}

// scores are the CVSS scores Red Hat gives product id.
func scores(v *vulnerability, id string) []strata.CVSS {
	var out []strata.CVSS
	for _, s := range v.Scores {
		if !slices.Contains(s.Products, id) {
			continue
		}
		for _, c := range []*cvss{s.CVSSv3, s.CVSSv2} {
			if c != nil && c.Vector != "" {
				out = append(out, strata.CVSS{Version: c.Version, Vector: c.Vector, Score: c.BaseScore, Source: "redhat"})
			}
		}
	}
	return out
}

func description(v *vulnerability) string {
	for _, n := range v.Notes {
		if n.Category == "description" {
			return n.Text
		}
	}
	return ""
}

// selfLink is Red Hat's page of the CVE.
func selfLink(v *vulnerability) string {
	for _, r := range v.References {
		if r.Category == "self" {
			return r.URL
		}
	}
	return ""
}

func compareKeys(a, b recordKey) int {
	return cmp.Or(cmp.Compare(a.release, b.release), cmp.Compare(a.name, b.name), cmp.Compare(a.module, b.module))
}
