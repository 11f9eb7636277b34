package debian

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update/jsonstream"
)

// The tracker JSON is {source package: {CVE or TEMP id: jsonCVE}}.
type jsonCVE struct {
	Description string              `json:"description"`
	Releases    object[jsonRelease] `json:"releases"`
}

type jsonRelease struct {
	Status       string `json:"status"` // resolved, open, undetermined
	FixedVersion string `json:"fixed_version"`
	Urgency      string `json:"urgency"`
	NoDSAReason  string `json:"nodsa_reason"` // postponed, ignored
}

// object is a JSON object that the tracker writes as [] when it is
// empty (as PHP does).
type object[T any] map[string]T

func (o *object[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("[]")) {
		*o = nil
		return nil
	}
	return json.Unmarshal(b, (*map[string]T)(o))
}

// parseJSON streams the tracker JSON one source package at a time (the
// whole file is about 100 MB). Records come in the file's package order,
// then by id and codename.
func parseJSON(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	dec := json.NewDecoder(r)
	var out []strata.Vulnerability
	skip := skipped{}
	err := jsonstream.Object(dec, func(pkg string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var cves object[jsonCVE]
		if err := dec.Decode(&cves); err != nil {
			return fmt.Errorf("package %s: %w", excerpt.Quote(pkg), typeError(err))
		}
		var err error
		out, err = appendPackage(out, pkg, cves, skip)
		return err
	})
	if err == nil {
		err = jsonstream.End(dec)
	}
	if err != nil {
		return nil, fmt.Errorf("debian: parse %s: offset %d: %w", name, dec.InputOffset(), err)
	}
	skip.log(ctx, name)
	return out, nil
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
	}
	if te.Field == "" {
		return fmt.Errorf("%s, want %s", te.Value, want)
	}
	return fmt.Errorf("%s: %s, want %s", te.Field, te.Value, want)
}

func appendPackage(out []strata.Vulnerability, pkg string, cves object[jsonCVE], skip skipped) ([]strata.Vulnerability, error) {
	if pkg == "" {
		return nil, errors.New("empty package name")
	}
	for _, id := range slices.Sorted(maps.Keys(cves)) {
		if id == "" {
			return nil, fmt.Errorf("package %s: empty id", excerpt.Quote(pkg))
		}
		c := cves[id]
		for _, codename := range slices.Sorted(maps.Keys(c.Releases)) {
			rel, ok := releases[codename]
			if !ok {
				skip[codename]++
				continue
			}
			v, ok, err := jsonRecord(id, rel, pkg, c.Releases[codename])
			if err != nil {
				return nil, fmt.Errorf("%s %s %s: %w", excerpt.ID(pkg), excerpt.ID(id), codename, err)
			}
			if ok {
				v.Description = c.Description
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// jsonRecord converts one release's entry; ok is false when the package
// is not affected there.
//
// "resolved" with fixed_version "0" (or none) is not affected. "open" is
// unfixed, but won't be fixed when the release has reached its end of
// life for this package or the tracker ignores the issue (nodsa_reason
// "ignored"). "undetermined" is under investigation.
func jsonRecord(id, rel, pkg string, r jsonRelease) (v strata.Vulnerability, ok bool, err error) {
	switch r.Status {
	case "resolved":
		if r.FixedVersion == "" || r.FixedVersion == "0" {
			return v, false, nil
		}
		v = record(id, rel, pkg, r.FixedVersion, strata.Fixed)
	case "open":
		state := strata.Unfixed
		if r.Urgency == "end-of-life" || r.NoDSAReason == "ignored" {
			state = strata.WontFix
		}
		v = record(id, rel, pkg, "", state)
	case "undetermined":
		v = record(id, rel, pkg, "", strata.UnderInvestigation)
	default:
		return v, false, fmt.Errorf("unknown status %s", excerpt.Quote(r.Status))
	}
	v.VendorSeverity = r.Urgency
	v.Severity = severity(r.Urgency)
	return v, true, nil
}
