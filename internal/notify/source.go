package notify

import (
	"context"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// recordSource is a match.Source over a diff's records only.
type recordSource map[recordGroup][]strata.Vulnerability

type recordGroup struct {
	eco              strata.Ecosystem
	release, pkgName string
}

func newRecordSource(vs []strata.Vulnerability) recordSource {
	s := recordSource{}
	for _, v := range vs {
		g := recordGroup{v.Eco, v.Release, v.Package}
		s[g] = append(s[g], v)
	}
	return s
}

func (s recordSource) Vulnerabilities(_ context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	for _, n := range names {
		out = append(out, s[recordGroup{eco, release, n}]...)
	}
	return out, nil
}

// Covered is true: a group without records simply matches nothing.
func (s recordSource) Covered(context.Context, strata.Ecosystem, string) (bool, error) {
	return true, nil
}

// otherSource is the store's current records of the vulnerabilities ids,
// but for the records of the diff (by updater and key).
type otherSource struct {
	src     match.Source
	ids     map[string]bool
	exclude map[string]bool
}

func (s *otherSource) Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	vs, err := s.src.Vulnerabilities(ctx, eco, release, names)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(vs, func(v strata.Vulnerability) bool {
		return !s.ids[v.ID] || s.exclude[recordKey(v)]
	}), nil
}

func (s *otherSource) Covered(context.Context, strata.Ecosystem, string) (bool, error) {
	return true, nil
}

// recordKey identifies a record among every updater's.
func recordKey(v strata.Vulnerability) string { return v.Updater + "\x00" + v.Key() }

// recordKeys lists the record keys of updater's records vs.
func recordKeys(updater string, vs []strata.Vulnerability) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		v.Updater = updater
		m[recordKey(v)] = true
	}
	return m
}

// cachedSource is src with its records memoized per package key, so that
// the images of one diff read each key's records once.
type cachedSource struct {
	src  match.Source
	recs map[recordGroup][]strata.Vulnerability
}

func newCachedSource(src match.Source) *cachedSource {
	return &cachedSource{src: src, recs: map[recordGroup][]strata.Vulnerability{}}
}

func (s *cachedSource) Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var missing []string
	for _, n := range names {
		if _, ok := s.recs[recordGroup{eco, release, n}]; !ok && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		vs, err := s.src.Vulnerabilities(ctx, eco, release, missing)
		if err != nil {
			return nil, err
		}
		for _, n := range missing {
			s.recs[recordGroup{eco, release, n}] = nil
		}
		for _, v := range vs {
			g := recordGroup{eco, release, v.Package}
			s.recs[g] = append(s.recs[g], v)
		}
	}
	var out []strata.Vulnerability
	for _, n := range names {
		out = append(out, s.recs[recordGroup{eco, release, n}]...)
	}
	return out, nil
}

func (s *cachedSource) Covered(ctx context.Context, eco strata.Ecosystem, release string) (bool, error) {
	return s.src.Covered(ctx, eco, release)
}
