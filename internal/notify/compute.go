package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/store"
)

// Compute returns the notifications of d, without recording them: for
// each image holding a package key of d's records, the vulnerabilities
// that d's added records make affect it ("added") or that its removed
// records affected and nothing affects any more ("removed"). A
// vulnerability that affects the image through another current record
// (another package, another feed) is neither.
func (n *Notifier) Compute(ctx context.Context, d *strata.UpdateDiff) ([]store.Notification, error) {
	rs, err := n.Store.AffectedReports(ctx, diffKeys(d))
	if err != nil {
		return nil, fmt.Errorf("notify: diff %d: %w", d.ID, err)
	}
	added, removed := newRecordSource(d.Added), newRecordSource(d.Removed)
	current := newCachedSource(n.Source)
	var ns []store.Notification
	for _, r := range rs {
		imageNs, err := image(ctx, d, r, added, removed, current)
		if err != nil {
			return nil, fmt.Errorf("notify: diff %d: image %s: %w", d.ID, r.ManifestDigest, err)
		}
		ns = append(ns, imageNs...)
	}
	return ns, nil
}

// image returns the notifications of d for the image of report r; current
// holds the store's current records.
func image(ctx context.Context, d *strata.UpdateDiff, r *strata.IndexReport, added, removed, current match.Source) ([]store.Notification, error) {
	after, err := findings(ctx, added, r)
	if err != nil {
		return nil, err
	}
	before, err := findings(ctx, removed, r)
	if err != nil || len(after) == 0 && len(before) == 0 {
		return nil, err
	}
	ids := map[string]bool{}
	for id := range after {
		ids[id] = true
	}
	for id := range before {
		ids[id] = true
	}
	others, err := findings(ctx, &otherSource{current, ids, recordKeys(d.Updater, d.Added)}, r)
	if err != nil {
		return nil, err
	}
	var ns []store.Notification
	for _, c := range []struct {
		reason     string
		from, less map[string]strata.Finding
	}{{store.Added, after, before}, {store.Removed, before, after}} {
		for id, f := range c.from {
			if _, ok := c.less[id]; ok {
				continue
			}
			if _, ok := others[id]; ok {
				continue
			}
			ns = append(ns, notification(d, r.ManifestDigest, c.reason, f))
		}
	}
	slices.SortFunc(ns, func(a, b store.Notification) int {
		return cmp.Or(strings.Compare(a.Vulnerability, b.Vulnerability), strings.Compare(a.Reason, b.Reason))
	})
	return ns, nil
}

// findings matches r against src and returns, per vulnerability ID, the
// finding of the first package it affects, with the highest severity of
// that ID's findings.
func findings(ctx context.Context, src match.Source, r *strata.IndexReport) (map[string]strata.Finding, error) {
	res, err := match.Match(ctx, src, r, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]strata.Finding{}
	for _, f := range res.Findings {
		first, ok := out[f.Vulnerability.ID]
		if !ok {
			out[f.Vulnerability.ID] = f
			continue
		}
		first.Vulnerability.Severity = max(first.Vulnerability.Severity, f.Vulnerability.Severity)
		out[f.Vulnerability.ID] = first
	}
	return out, nil
}

func notification(d *strata.UpdateDiff, m strata.Digest, reason string, f strata.Finding) store.Notification {
	return store.Notification{
		Diff: d.ID, Updater: d.Updater, Manifest: m, Vulnerability: f.Vulnerability.ID,
		Package: f.Package.Name, Version: f.Package.Version, Reason: reason, Severity: f.Vulnerability.Severity,
	}
}

// diffKeys lists the distinct package keys of d's records.
func diffKeys(d *strata.UpdateDiff) []store.PackageKey {
	seen := map[store.PackageKey]bool{}
	var keys []store.PackageKey
	for _, vs := range [][]strata.Vulnerability{d.Added, d.Removed} {
		for _, v := range vs {
			k := store.PackageKey{Eco: v.Eco, Release: v.Release, Name: v.Package}
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}
