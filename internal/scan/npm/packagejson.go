package npm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// manifest is the part of a package.json that ParsePackageJSON reads.
// Private is kept raw: some manifests write "true" as a string.
type manifest struct {
	Name    string          `json:"name"`
	Version string          `json:"version"`
	Private json.RawMessage `json:"private"`
}

// ParsePackageJSON reads the package.json of an installed package. path is
// the file's image path: it becomes the package's PackageDB and is named
// in errors.
//
// A UTF-8 byte order mark is skipped, as Node.js does. ok is false for a manifest marked private (true or "true") that lacks a
// name or a version: a workspace or an application root, not an installed
// package. Input that is not a JSON object, a name or version that is not a
// string, or another manifest without a name or version is an error.
func ParsePackageJSON(path string, b []byte) (pkg strata.Package, ok bool, err error) {
	var m manifest
	if err := json.Unmarshal(bytes.TrimPrefix(b, []byte("\uFEFF")), &m); err != nil {
		return strata.Package{}, false, fmt.Errorf("npm: parse %s: %w", path, err)
	}
	name, version := strings.TrimSpace(m.Name), strings.TrimSpace(m.Version)
	if name == "" || version == "" {
		if private(m.Private) {
			return strata.Package{}, false, nil
		}
		return strata.Package{}, false, fmt.Errorf("npm: parse %s: want a name and a version, have %s and %s", path, excerpt.Quote(name), excerpt.Quote(version))
	}
	return strata.Package{
		Name:          name,
		Version:       version,
		Eco:           strata.NPM,
		SourceName:    name,
		SourceVersion: version,
		PackageDB:     path,
	}, true, nil
}

// private reports whether a manifest's "private" value is true.
func private(raw json.RawMessage) bool {
	s := string(raw)
	return s == "true" || s == `"true"`
}
