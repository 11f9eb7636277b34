package alpine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update/jsonstream"
	"github.com/strata-scan/strata/internal/version"
)

// secdb is one document: a release's repository and, for each origin
// package, {fixed version: [ids]}. The fixed version "0" means that the
// package was never affected.
type secdb struct {
	DistroVersion string `json:"distroversion" yaml:"distroversion"`
	RepoName      string `json:"reponame" yaml:"reponame"`
	URLPrefix     string `json:"urlprefix" yaml:"urlprefix"`
	Packages      []struct {
		Pkg struct {
			Name     string              `json:"name" yaml:"name"`
			Secfixes map[string][]string `json:"secfixes" yaml:"secfixes"`
		} `json:"pkg" yaml:"pkg"`
	} `json:"packages" yaml:"packages"`
}

func decodeJSON(r io.Reader) (*secdb, error) {
	var db secdb
	dec := json.NewDecoder(r)
	if err := dec.Decode(&db); err != nil {
		return nil, fmt.Errorf("offset %d: %w", dec.InputOffset(), typeError(err))
	}
	if err := jsonstream.End(dec); err != nil {
		return nil, fmt.Errorf("offset %d: %w", dec.InputOffset(), err)
	}
	return &db, nil
}

// typeError rewords a JSON type mismatch without Go's type names.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	want := te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Map, reflect.Struct:
		want = "object"
	case reflect.Slice:
		want = "array"
	}
	return fmt.Errorf("%s: %s, want %s", te.Field, te.Value, want)
}

// decodeYAML reads the YAML form. Its keys are decoded as the text they
// are written with, so a fixed version such as 1.10 stays "1.10".
func decodeYAML(r io.Reader) (*secdb, error) {
	var db secdb
	if err := yaml.NewDecoder(r).Decode(&db); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return &db, nil
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
		return "", fmt.Errorf("distroversion %q: want vMAJOR.MINOR or edge", db.DistroVersion)
	case strings.Contains(db.URLPrefix, "wolfi.dev"):
		return "wolfi:rolling", nil
	case strings.Contains(db.URLPrefix, "cgr.dev"):
		return "chainguard:rolling", nil
	}
	return "", fmt.Errorf("no distroversion, and urlprefix %q is neither Wolfi's nor Chainguard's", db.URLPrefix)
}

// records turns the document into one record per (package, id), sorted by
// package then id. An id listed under several fixed versions of one
// package is fixed by the lowest.
func (db *secdb) records(ctx context.Context, name string) ([]strata.Vulnerability, error) {
	if db.DistroVersion == "" && db.URLPrefix == "" && len(db.Packages) == 0 {
		return nil, nil
	}
	rel, err := db.release()
	if err != nil {
		return nil, err
	}
	byKey := map[string]*strata.Vulnerability{}
	var dropped []string
	for i, p := range db.Packages {
		if p.Pkg.Name == "" {
			return nil, fmt.Errorf("package %d: no name", i+1)
		}
		for fixed, entries := range p.Pkg.Secfixes {
			if fixed == "" {
				return nil, fmt.Errorf("package %q: empty fixed version", p.Pkg.Name)
			}
			if fixed == "0" {
				continue
			}
			for _, e := range entries {
				found := parseIDs(e)
				if len(found) == 0 {
					dropped = append(dropped, p.Pkg.Name+" "+fixed+": "+e)
				}
				for _, f := range found {
					add(byKey, record(rel, p.Pkg.Name, fixed, f))
				}
			}
		}
	}
	if len(dropped) > 0 {
		slices.Sort(dropped)
		slog.WarnContext(ctx, "alpine: skipped entries naming no vulnerability id", "document", name, "entries", dropped)
	}
	out := make([]strata.Vulnerability, 0, len(byKey))
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		out = append(out, *byKey[k])
	}
	return out, nil
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
	if lower(v.FixedVersion, old.FixedVersion) {
		old.FixedVersion, old.Ranges = v.FixedVersion, v.Ranges
	}
	for _, a := range v.Aliases {
		if !slices.Contains(old.Aliases, a) {
			old.Aliases = append(old.Aliases, a)
		}
	}
	slices.Sort(old.Aliases)
}

// lower says whether a is before b in apk order; versions that do not
// parse are ordered as text, so that the choice stays deterministic.
func lower(a, b string) bool {
	c, err := version.APK{}.Compare(a, b)
	if err != nil {
		return a < b
	}
	return c < 0
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
