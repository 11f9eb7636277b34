package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/store"
)

// AffectedStore is what Affected needs of the store.
type AffectedStore interface {
	VulnerabilitiesByID(ctx context.Context, id string) ([]strata.Vulnerability, error)
	AffectedReports(ctx context.Context, keys []store.PackageKey) ([]*strata.IndexReport, error)
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
// the record that matched it.
type AffectedPackage struct {
	Name    string        `json:"name"`
	Version string        `json:"version"`
	Layer   strata.Digest `json:"layer"`
	Record  string        `json:"record"`
}

// ErrUnknownVulnerability is returned by Affected when no record has the id
// or the alias.
var ErrUnknownVulnerability = errors.New("no record has this id or alias")

// Affected finds the indexed images that the vulnerability id (any id or
// alias of a record) affects, through the package-key index and the
// matcher, reading no layer.
func Affected(ctx context.Context, st AffectedStore, id string) (*AffectedReport, error) {
	recs, err := st.VulnerabilitiesByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("affected %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("affected %s: %w", id, ErrUnknownVulnerability)
	}
	indexed, err := st.CountManifests(ctx)
	if err != nil {
		return nil, fmt.Errorf("affected %s: %w", id, err)
	}
	rs, err := st.AffectedReports(ctx, diffKeys(&strata.UpdateDiff{Added: recs}))
	if err != nil {
		return nil, fmt.Errorf("affected %s: %w", id, err)
	}
	ar := &AffectedReport{Vulnerability: id, Indexed: indexed, Images: []AffectedImage{}}
	for _, v := range recs {
		if !slices.Contains(ar.Records, v.ID) {
			ar.Records = append(ar.Records, v.ID)
		}
	}
	slices.Sort(ar.Records)
	src := newRecordSource(recs)
	for _, r := range rs {
		img, err := affectedImage(ctx, src, r)
		if err != nil {
			return nil, fmt.Errorf("affected %s: image %s: %w", id, r.ManifestDigest, err)
		}
		if img != nil {
			ar.Images = append(ar.Images, *img)
		}
	}
	if ar.Indexed > 0 {
		ar.Share = float64(len(ar.Images)) / float64(ar.Indexed)
	}
	return ar, nil
}

// affectedImage matches the image of report r against src: nil when
// nothing matches.
func affectedImage(ctx context.Context, src match.Source, r *strata.IndexReport) (*AffectedImage, error) {
	res, err := match.Match(ctx, src, r, nil)
	if err != nil || len(res.Findings) == 0 {
		return nil, err
	}
	img := &AffectedImage{Manifest: r.ManifestDigest}
	for _, f := range res.Findings {
		p := AffectedPackage{Name: f.Package.Name, Version: f.Package.Version, Layer: f.Package.IntroducedIn, Record: f.Vulnerability.ID}
		if !slices.Contains(img.Packages, p) {
			img.Packages = append(img.Packages, p)
		}
	}
	return img, nil
}
