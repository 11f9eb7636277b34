package python

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// ParseMetadata reads a distribution's core metadata (METADATA, PKG-INFO
// or a single-file .egg-info): its Name, normalised per PEP 503, and its
// Version. path is the file's image path: it becomes the package's
// PackageDB and is named in errors.
//
// The header block ends at the first blank line or, as Python's own email
// parser has it, at the first line that is neither a header nor a
// continuation line; what follows is the description. The first Name and
// Version headers count; field names are matched case-insensitively. A
// missing Name or Version, or a Name that is not a valid distribution name,
// is an error.
func ParseMetadata(path string, b []byte) (strata.Package, error) {
	name, version := headers(b)
	if name == "" {
		return strata.Package{}, fmt.Errorf("python: parse %s: no Name header", path)
	}
	if version == "" {
		return strata.Package{}, fmt.Errorf("python: parse %s: no Version header", path)
	}
	if !validName(name) {
		return strata.Package{}, fmt.Errorf("python: parse %s: Name %s is not a distribution name", path, excerpt.Quote(name))
	}
	name = NormalizeName(name)
	return strata.Package{
		Name:          name,
		Version:       version,
		Eco:           strata.PyPI,
		SourceName:    name,
		SourceVersion: version,
		PackageDB:     path,
	}, nil
}

// headers returns the values of the first Name and Version headers.
func headers(b []byte) (name, version string) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	for line := range bytes.Lines(b) {
		l := strings.TrimRight(string(line), "\r\n")
		if l == "" {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			continue // the continuation of a header we do not need
		}
		field, value, ok := strings.Cut(l, ":")
		if !ok || !validField(field) {
			break
		}
		value = strings.TrimSpace(value)
		switch {
		case name == "" && strings.EqualFold(field, "Name"):
			name = value
		case version == "" && strings.EqualFold(field, "Version"):
			version = value
		}
	}
	return name, version
}

// validField reports whether s is an RFC 5322 field name: printable ASCII
// other than space and colon.
func validField(s string) bool {
	for i := range len(s) {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return s != ""
}

// validName reports whether s is a distribution name as PEP 508 allows:
// ASCII letters and digits, with '.', '_' and '-' inside.
func validName(s string) bool {
	for i := range len(s) {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		inner := i > 0 && i < len(s)-1 && (c == '.' || c == '_' || c == '-')
		if !alnum && !inner {
			return false
		}
	}
	return s != ""
}

// NormalizeName is PEP 503's normalised form of a distribution name:
// lower case, each run of '-', '_' and '.' replaced by one '-'
// ("Charset_Normalizer" → "charset-normalizer"). OSV's PyPI records are
// matched on it.
func NormalizeName(name string) string {
	var sb strings.Builder
	run := false
	for _, r := range strings.ToLower(name) {
		sep := r == '-' || r == '_' || r == '.'
		switch {
		case !sep:
			sb.WriteRune(r)
		case !run:
			sb.WriteByte('-')
		}
		run = sep
	}
	return sb.String()
}
