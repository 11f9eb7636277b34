// Package match joins an index report to the vulnerability store and
// decides, with each ecosystem's version comparator, which packages are
// affected. Every finding carries the reason that decided it.
package match

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
)

// Source is what the matcher needs of the store.
type Source interface {
	// Vulnerabilities returns the records of an ecosystem and release
	// whose package is one of names.
	Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error)
	// Covered says whether the store holds any record for the ecosystem
	// and release, so that "no data" is told apart from "no findings".
	Covered(ctx context.Context, eco strata.Ecosystem, release string) (bool, error)
}

// Result is the outcome of matching one index report.
type Result struct {
	Findings []strata.Finding
	// Uncovered lists the groups of installed packages for which the
	// store has no data at all, as "debian:13 (deb)", "an unidentified
	// distribution (deb)" or "pypi": their packages were not checked.
	Uncovered []string
	// Checked counts the packages that were checked.
	Checked int
	// Skipped counts packages whose version the comparator rejected.
	Skipped int
}

// Match finds the vulnerabilities affecting the packages of r.
func Match(ctx context.Context, src Source, r *strata.IndexReport, log *slog.Logger) (*Result, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	res := &Result{}
	for eco, pkgs := range byEcosystem(r.Packages) {
		release := strata.ReleaseFor(eco, r.Distribution)
		covered, err := src.Covered(ctx, eco, release)
		if err != nil {
			return nil, fmt.Errorf("match: %w", err)
		}
		if !covered {
			res.Uncovered = append(res.Uncovered, groupName(eco, release))
			continue
		}
		res.Checked += len(pkgs)
		if err := matchGroup(ctx, src, eco, release, pkgs, res, log); err != nil {
			return nil, err
		}
	}
	slices.Sort(res.Uncovered)
	slices.SortFunc(res.Findings, compareFindings)
	return res, nil
}

// matchGroup matches the packages of one ecosystem and release. A record
// applies to a package of its module stream only (Vulnerability.Module):
// a fix for nodejs:18 says nothing of a nodejs:20 package, nor of a
// nodejs package that belongs to no module.
func matchGroup(ctx context.Context, src Source, eco strata.Ecosystem, release string, pkgs []strata.Package, res *Result, log *slog.Logger) error {
	c, err := version.For(eco)
	if err != nil {
		return fmt.Errorf("match %s: %w", eco, err)
	}
	vulns, err := src.Vulnerabilities(ctx, eco, release, names(pkgs))
	if err != nil {
		return fmt.Errorf("match %s %s: %w", eco, release, err)
	}
	byName := map[string][]strata.Vulnerability{}
	for _, v := range vulns {
		byName[v.Package] = append(byName[v.Package], v)
	}
	for _, p := range pkgs {
		if unversioned(p) {
			continue
		}
		skipped := false
		for _, v := range byName[p.SourceName] {
			if v.SourcePackage && v.Module == p.Module {
				skipped = decide(c, p, v, p.SourceVersion, res, log) || skipped
			}
		}
		for _, v := range byName[p.Name] {
			if !v.SourcePackage && v.Module == p.Module {
				skipped = decide(c, p, v, p.Version, res, log) || skipped
			}
		}
		if skipped {
			res.Skipped++
		}
	}
	return nil
}

// decide adds a finding when v affects p at version ver. It reports
// whether the comparator rejected the version.
func decide(c version.Comparator, p strata.Package, v strata.Vulnerability, ver string, res *Result, log *slog.Logger) bool {
	if v.State == strata.NotAffected {
		return false
	}
	verdict, err := version.Affected(c, v.Ranges, v.Versions, ver)
	if err != nil {
		log.Warn("version not comparable", "package", p.Name, "version", ver, "record", v.ID, "updater", v.Updater, "err", err)
		return true
	}
	if !verdict.Affected {
		return false
	}
	if len(verdict.Skipped) > 0 {
		log.Debug("parts of a record not comparable, left out", "package", p.Name, "version", ver, "record", v.ID, "updater", v.Updater, "skipped", verdict.Skipped)
	}
	v.FixedVersion, v.State = fixFor(v, verdict)
	res.Findings = append(res.Findings, strata.Finding{
		Package:       p,
		Vulnerability: v,
		Reason: strata.Reason{
			Updater:    v.Updater,
			Record:     v.ID,
			Range:      verdict.Range,
			Comparison: verdict.Comparison,
			Symbols:    symbolVerdict(p, v),
		},
	})
	return false
}

// fixFor is the fixed version and state of v for the version its verdict
// is about. The record's own (FixedVersion: its first fixed event) speak
// for all its branches; the finding has the fix of the interval that holds
// the installed version, and is unfixed when that interval has none (it
// is open, or closed by last_affected) or the version is only listed,
// whatever other branches have. A record without a fix keeps its state
// (unfixed, won't fix, under investigation).
func fixFor(v strata.Vulnerability, vd version.Verdict) (string, strata.State) {
	switch {
	case vd.Fixed != "":
		return vd.Fixed, strata.Fixed
	case v.State == strata.Fixed:
		return "", strata.Unfixed
	}
	return "", v.State
}

// unversioned says whether a package has no version to compare: a Go
// binary built from a work tree ("(devel)") or in GOPATH mode (""). It
// stays in the inventory and is not matched.
func unversioned(p strata.Package) bool {
	return p.Version == "" || p.Version == "(devel)"
}

func groupName(eco strata.Ecosystem, release string) string {
	switch {
	case !strata.OSEcosystem(eco):
		return string(eco)
	case release == "":
		return "an unidentified distribution (" + string(eco) + ")"
	default:
		return release + " (" + string(eco) + ")"
	}
}

func byEcosystem(pkgs []strata.Package) map[strata.Ecosystem][]strata.Package {
	m := map[strata.Ecosystem][]strata.Package{}
	for _, p := range pkgs {
		if p.SourceName == "" {
			p.SourceName, p.SourceVersion = p.Name, p.Version
		}
		m[p.Eco] = append(m[p.Eco], p)
	}
	return m
}

func names(pkgs []strata.Package) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range pkgs {
		for _, n := range [...]string{p.Name, p.SourceName} {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

func compareFindings(a, b strata.Finding) int {
	return cmp.Or(
		strings.Compare(a.Package.Name, b.Package.Name),
		strings.Compare(a.Package.Version, b.Package.Version),
		strings.Compare(a.Package.Arch, b.Package.Arch),
		strings.Compare(a.Vulnerability.ID, b.Vulnerability.ID),
		strings.Compare(a.Vulnerability.Updater, b.Vulnerability.Updater),
		strings.Compare(a.Vulnerability.Release, b.Vulnerability.Release),
	)
}

// Filter keeps the findings at or above min severity and, when
// ignoreUnfixed is set, only those with a fixed version.
func (r *Result) Filter(min strata.Severity, ignoreUnfixed bool) *Result {
	out := &Result{Uncovered: r.Uncovered, Checked: r.Checked, Skipped: r.Skipped}
	for _, f := range r.Findings {
		if f.Vulnerability.Severity < min {
			continue
		}
		if ignoreUnfixed && f.Vulnerability.FixedVersion == "" {
			continue
		}
		out.Findings = append(out.Findings, f)
	}
	return out
}
