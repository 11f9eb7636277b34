package alpine

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/version"
)

// secdb is one document: a release's repository and, for each origin
// package, {fixed version: [ids]}. The fixed version "0" means that the
// package was never affected.
type secdb struct {
	DistroVersion string `json:"distroversion" yaml:"distroversion"`
	URLPrefix     string `json:"urlprefix" yaml:"urlprefix"`
	Packages      []pkg  `json:"packages" yaml:"packages"`
}

// pkg is one origin package of a document.
type pkg struct {
	Pkg struct {
		Name     string              `json:"name" yaml:"name"`
		Secfixes map[string][]string `json:"secfixes" yaml:"secfixes"`
	} `json:"pkg" yaml:"pkg"`
}

var distroVersion = regexp.MustCompile(`^v(\d+\.\d+)$`)

// release is the release key the document's records belong to.
func (db *secdb) release() (string, error) {
	if m := distroVersion.FindStringSubmatch(db.DistroVersion); m != nil {
		return "alpine:" + m[1], nil
	}
	switch {
	case db.DistroVersion == "edge":
		return "alpine:edge", nil
	case db.DistroVersion != "":
		return "", fmt.Errorf("distroversion %s: want vMAJOR.MINOR or edge", excerpt.Quote(db.DistroVersion))
	case strings.Contains(db.URLPrefix, "wolfi.dev"):
		return "wolfi:rolling", nil
	case strings.Contains(db.URLPrefix, "cgr.dev"):
		return "chainguard:rolling", nil
	}
	return "", fmt.Errorf("no distroversion, and urlprefix %s is neither Wolfi's nor Chainguard's", excerpt.Quote(db.URLPrefix))
}

// records turns the document into one record per (package, id), sorted by
// package then id. An id listed under several fixed versions of one
// package is fixed by the lowest. Entries that name no id, and fixed
// versions that apk's order cannot compare (real files hold a few typos:
// "0.8.21.r2", "4.8.0.-r1"; a record of one could never be matched), are
// skipped with a warning naming the document, the package and the entry
// or version.
func (db *secdb) records(ctx context.Context, name string) ([]strata.Vulnerability, error) {
	rel, err := db.release()
	if err != nil {
		return nil, err
	}
	byKey := map[string]*strata.Vulnerability{}
	var noID, badVersion []string
	for i, p := range db.Packages {
		if p.Pkg.Name == "" {
			return nil, fmt.Errorf("package %d: no name", i+1)
		}
		for fixed, entries := range p.Pkg.Secfixes {
			if fixed == "" {
				return nil, fmt.Errorf("package %s: empty fixed version", excerpt.Quote(p.Pkg.Name))
			}
			if fixed == "0" {
				continue
			}
			if _, err := (version.APK{}).Compare(fixed, fixed); err != nil {
				badVersion = append(badVersion, p.Pkg.Name+": "+err.Error())
				continue
			}
			for _, e := range entries {
				found := parseIDs(e)
				if len(found) == 0 {
					noID = append(noID, p.Pkg.Name+" "+fixed+": "+e)
				}
				for _, f := range found {
					add(byKey, record(rel, p.Pkg.Name, fixed, f))
				}
			}
		}
	}
	warn(ctx, "alpine: skipped entries naming no vulnerability id", name, noID)
	warn(ctx, "alpine: skipped fixed versions that apk cannot compare", name, badVersion)
	out := make([]strata.Vulnerability, 0, len(byKey))
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		out = append(out, *byKey[k])
	}
	return out, nil
}

// warn logs msg with the document's name and the entries skipped, sorted,
// when there are any.
func warn(ctx context.Context, msg, name string, skipped []string) {
	if len(skipped) > 0 {
		slices.Sort(skipped)
		slog.WarnContext(ctx, msg, "document", name, "entries", skipped)
	}
}

// add puts v in byKey, merging it with a record of the same key: the
// lower fixed version wins, aliases are joined.
func add(byKey map[string]*strata.Vulnerability, v strata.Vulnerability) {
	k := v.Package + "|" + v.ID
	old, ok := byKey[k]
	if !ok {
		byKey[k] = &v
		return
	}
	// Both versions compare: records skips those that do not.
	if c, _ := (version.APK{}).Compare(v.FixedVersion, old.FixedVersion); c < 0 {
		old.FixedVersion, old.Ranges = v.FixedVersion, v.Ranges
	}
	for _, a := range v.Aliases {
		if !slices.Contains(old.Aliases, a) {
			old.Aliases = append(old.Aliases, a)
		}
	}
	slices.Sort(old.Aliases)
}

func record(rel, pkg, fixed string, id entryID) strata.Vulnerability {
	v := strata.Vulnerability{
		ID: id.ID, Aliases: slices.Clone(id.Aliases), Updater: "alpine", Eco: strata.APK, Release: rel,
		Package: pkg, SourcePackage: true,
		Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: fixed}}}},
		FixedVersion: fixed, State: strata.Fixed, Severity: strata.Unknown,
	}
	if strings.HasPrefix(rel, "alpine:") && strings.HasPrefix(id.ID, "CVE-") {
		v.Links = []string{"https://security.alpinelinux.org/vuln/" + id.ID}
	}
	return v
}
