package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/store"
)

// AffectedStore is what Affected needs of the store.
type AffectedStore interface {
	Index
	CountManifests(ctx context.Context) (int, error)
}

// AffectedReport says which indexed images a vulnerability affects.
type AffectedReport struct {
	Vulnerability string `json:"vulnerability"`
	// Records lists the ids of the records found for it (its own and
	// those that name it as an alias), sorted.
	Records []string        `json:"records"`
	Images  []AffectedImage `json:"images"`
	// Indexed counts every indexed image; Share is len(Images)/Indexed.
	Indexed int     `json:"indexed"`
	Share   float64 `json:"share"`
}

// AffectedImage is one affected image and the packages involved.
type AffectedImage struct {
	Manifest strata.Digest     `json:"manifest"`
	Packages []AffectedPackage `json:"packages"`
}

// AffectedPackage is an affected package, the layer that introduced it and
// the records that matched it (sorted: several when feeds give the
// vulnerability under several ids, as a PYSEC and a GHSA record).
type AffectedPackage struct {
	Name    string        `json:"name"`
	Version string        `json:"version"`
	Layer   strata.Digest `json:"layer"`
	Records []string      `json:"records"`
}

// ErrUnknownVulnerability is returned by Affected when no record has the id
// or the alias.
var ErrUnknownVulnerability = errors.New("no record has this id or alias")

// Affected finds the indexed images that the vulnerability id (any id or
// alias of a record, white space around it ignored; when none has it as
// given, its canonical spelling: "cve-2014-0160" is found as
// CVE-2014-0160, "ghsa-ABCD-…" as GHSA-abcd-…) affects: the package
// versions under its records' keys are matched, and the manifests holding
// those that match are listed, with the layers that introduced them; no
// report or image is read.
func Affected(ctx context.Context, st AffectedStore, id string) (*AffectedReport, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, errors.New("vulnerability id: empty")
	}
	recs, err := st.VulnerabilitiesByID(ctx, id)
	if canon := canonicalID(id); err == nil && len(recs) == 0 && canon != id {
		if recs, err = st.VulnerabilitiesByID(ctx, canon); len(recs) > 0 {
			id = canon
		}
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability %s: %w", excerpt.ID(id), err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("vulnerability %s: %w", excerpt.ID(id), ErrUnknownVulnerability)
	}
	if recs, err = withSame(ctx, st, recs); err != nil {
		return nil, fmt.Errorf("vulnerability %s: %w", excerpt.ID(id), err)
	}
	indexed, err := st.CountManifests(ctx)
	if err != nil {
		return nil, fmt.Errorf("vulnerability %s: %w", id, err)
	}
	images, err := affectedImages(ctx, st, recs)
	if err != nil {
		return nil, fmt.Errorf("vulnerability %s: %w", id, err)
	}
	ar := &AffectedReport{Vulnerability: id, Indexed: indexed, Images: images}
	for _, v := range recs {
		if !slices.Contains(ar.Records, v.ID) {
			ar.Records = append(ar.Records, v.ID)
		}
	}
	slices.Sort(ar.Records)
	if ar.Indexed > 0 {
		ar.Share = float64(len(ar.Images)) / float64(ar.Indexed)
	}
	return ar, nil
}

// withSame returns recs and the records that are the same vulnerability
// as one of them (strata.Vulnerability.SameAs): PyPA's PYSEC record names
// GitHub's GHSA record of its CVE, which names only the CVE; asked for
// either, affected lists both, as reports show them as one.
func withSame(ctx context.Context, st Index, recs []strata.Vulnerability) ([]strata.Vulnerability, error) {
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.IDs()...)
	}
	all, err := st.VulnerabilitiesByID(ctx, ids...)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{} // by updater and key
	for _, r := range recs {
		have[r.Updater+"\x00"+r.Key()] = true
	}
	for _, r := range all {
		k := r.Updater + "\x00" + r.Key()
		if !have[k] && slices.ContainsFunc(recs, func(o strata.Vulnerability) bool { return r.SameAs(&o) }) {
			have[k] = true
			recs = append(recs, r)
		}
	}
	return recs, nil
}

// affectedImages returns, in manifest order, the images that recs affect.
func affectedImages(ctx context.Context, st Index, recs []strata.Vulnerability) ([]AffectedImage, error) {
	src := newRecordSource(recs)
	vs, err := st.PackageVersions(ctx, src.keys())
	if err != nil {
		return nil, err
	}
	records := map[int64][]string{} // version ID → the records that affect it
	var ids []int64
	for _, v := range vs {
		fs, err := matchVersion(ctx, src, v)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if !slices.Contains(records[v.ID], f.Vulnerability.ID) {
				records[v.ID] = append(records[v.ID], f.Vulnerability.ID)
			}
		}
		slices.Sort(records[v.ID])
		if len(fs) > 0 {
			ids = append(ids, v.ID)
		}
	}
	byID := map[int64]strata.Package{}
	for _, v := range vs {
		byID[v.ID] = v.Package
	}
	pkgs := map[strata.Digest][]AffectedPackage{}
	if len(ids) > 0 {
		err = st.ManifestsWith(ctx, ids, true, func(h store.Holding) error {
			p := byID[h.Version]
			pkgs[h.Digest] = append(pkgs[h.Digest], AffectedPackage{Name: p.Name, Version: p.Version, Layer: h.Layer, Records: records[h.Version]})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	images := make([]AffectedImage, 0, len(pkgs))
	for m, ps := range pkgs {
		slices.SortFunc(ps, func(a, b AffectedPackage) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Version, b.Version), strings.Compare(string(a.Layer), string(b.Layer)))
		})
		images = append(images, AffectedImage{Manifest: m, Packages: slices.CompactFunc(ps, func(a, b AffectedPackage) bool {
			return a.Name == b.Name && a.Version == b.Version && a.Layer == b.Layer
		})})
	}
	slices.SortFunc(images, func(a, b AffectedImage) int { return strings.Compare(string(a.Manifest), string(b.Manifest)) })
	return images, nil
}

// canonicalID spells id as the feeds do: upper case, but for the body of a
// GHSA id, which is lower case.
func canonicalID(id string) string {
	up := strings.ToUpper(id)
	if body, ok := strings.CutPrefix(up, "GHSA-"); ok {
		return "GHSA-" + strings.ToLower(body)
	}
	return up
}
