package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/store"
)

// Index is what finding the images of some records needs of the store:
// store.Store's methods of these names.
type Index interface {
	PackageVersions(ctx context.Context, keys []store.PackageKey) ([]store.PackageVersion, error)
	ManifestsWith(ctx context.Context, versions []int64, digests bool, fn func(store.Holding) error) error
	ManifestDigests(ctx context.Context, ids []int64) ([]store.IndexedManifest, error)
	VulnerabilitiesByID(ctx context.Context, ids ...string) ([]strata.Vulnerability, error)
}

// recordSource is a match.Source over some records only.
type recordSource map[store.PackageKey][]strata.Vulnerability

func newRecordSource(vs []strata.Vulnerability) recordSource {
	s := recordSource{}
	for _, v := range vs {
		k := store.PackageKey{Eco: v.Eco, Release: v.Release, Name: v.Package}
		s[k] = append(s[k], v)
	}
	return s
}

func (s recordSource) Vulnerabilities(_ context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	for _, n := range names {
		out = append(out, s[store.PackageKey{Eco: eco, Release: release, Name: n}]...)
	}
	return out, nil
}

// Covered is true: a key without records simply matches nothing.
func (s recordSource) Covered(context.Context, strata.Ecosystem, string) (bool, error) {
	return true, nil
}

// keys lists the distinct package keys of s's records.
func (s recordSource) keys() []store.PackageKey {
	out := make([]store.PackageKey, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	return out
}

// matchVersion returns the findings of the records of src on the package
// version v, as the matcher finds them on an image holding it.
func matchVersion(ctx context.Context, src match.Source, v store.PackageVersion) ([]strata.Finding, error) {
	r := &strata.IndexReport{Distribution: releaseDistribution(v.Release), Packages: []strata.Package{v.Package}}
	res, err := match.Match(ctx, src, r, nil)
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: %w", v.Release, v.Package.Name, v.Package.Version, err)
	}
	return res.Findings, nil
}

// releaseDistribution returns a distribution whose Release is release
// ("debian:12" → ID debian, VERSION_ID 12; "" → none), for matching a
// package version stored with its release alone.
func releaseDistribution(release string) *strata.Distribution {
	if release == "" {
		return nil
	}
	id, version, _ := strings.Cut(release, ":")
	return &strata.Distribution{ID: id, VersionID: version}
}
