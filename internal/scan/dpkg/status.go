package dpkg

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/scan"
)

// The fields ParseStatus reads, as indexes into paragraph.vals. Field
// names are matched case-insensitively.
const (
	fPackage = iota
	fVersion
	fArch
	fSource
	fStatus
	nFields
)

var fieldNames = [nFields]string{"Package", "Version", "Architecture", "Source", "Status"}

// ParseStatus reads a dpkg status file in the deb822 control format (or
// one distroless status.d file) and returns its installed packages in file
// order. path is the file's image path: it becomes each package's
// PackageDB and is named in errors and warnings.
//
// A package is installed when its Status: field's third word is
// "installed"; a stanza without Status (as in distroless status.d files)
// counts as installed. An installed stanza without Package or Version is
// skipped with a warning to log (slog.Default when nil) naming the line
// and the package. Malformed input is an error naming the line: a line
// that is neither "Field: value" nor a continuation line, a repeated or
// continued Package, Version, Architecture, Source or Status, a Status that
// is not three words, a Source that is not "name" or "name (version)".
func ParseStatus(path string, r io.Reader, log *slog.Logger) ([]strata.Package, error) {
	var (
		pkgs []strata.Package
		para paragraph
	)
	end := func() error {
		p, ok, err := para.pkg(path)
		line := para.line
		para = paragraph{}
		if err != nil {
			return fmt.Errorf("dpkg: parse %s: line %d: %w", path, line, err)
		}
		if ok {
			pkgs = append(pkgs, p)
		}
		return nil
	}
	blank := func(line string) bool { return strings.TrimSpace(line) == "" }
	if err := scan.Stanzas("dpkg", path, r, blank, para.add, end, log); err != nil {
		return nil, err
	}
	return pkgs, nil
}

// paragraph collects the fields ParseStatus needs from one stanza.
type paragraph struct {
	line int // first line, 0 while the stanza is empty
	last int // index of the last field seen, or -1 for a field we skip
	vals [nFields]string
	seen [nFields]bool
}

// add reads one non-blank line numbered n.
func (p *paragraph) add(line string, n int) error {
	if line[0] == ' ' || line[0] == '\t' {
		switch {
		case p.line == 0:
			return errors.New("continuation line outside a field")
		case p.last >= 0:
			return fmt.Errorf("%s: unexpected continuation line", fieldNames[p.last])
		}
		return nil
	}
	name, value, ok := strings.Cut(line, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("want \"Field: value\", have %s", excerpt.Quote(line))
	}
	if p.line == 0 {
		p.line = n
	}
	p.last = -1
	for i, f := range fieldNames {
		if strings.EqualFold(name, f) {
			if p.seen[i] {
				return fmt.Errorf("duplicate field %s", f)
			}
			p.last, p.seen[i], p.vals[i] = i, true, strings.TrimSpace(value)
			break
		}
	}
	return nil
}

// pkg turns a complete stanza into a package; ok is false for an empty
// stanza or a package that is not installed.
func (p *paragraph) pkg(path string) (pkg strata.Package, ok bool, err error) {
	if p.line == 0 {
		return strata.Package{}, false, nil
	}
	if p.seen[fStatus] {
		words := strings.Fields(p.vals[fStatus])
		if len(words) != 3 {
			return strata.Package{}, false, fmt.Errorf("Status %s: want three words (want flag status)", excerpt.Quote(p.vals[fStatus]))
		}
		if words[2] != "installed" {
			return strata.Package{}, false, nil
		}
	}
	name, version := p.vals[fPackage], p.vals[fVersion]
	if name == "" {
		return strata.Package{}, false, &scan.Incomplete{Line: p.line, Missing: "a Package field"}
	}
	if version == "" {
		return strata.Package{}, false, &scan.Incomplete{Line: p.line, Package: name, Missing: "a Version field"}
	}
	srcName, srcVersion, err := parseSource(p.vals[fSource], name, version)
	if err != nil {
		return strata.Package{}, false, fmt.Errorf("package %s: %w", name, err)
	}
	return strata.Package{
		Name:          name,
		Version:       version,
		Arch:          p.vals[fArch],
		Eco:           strata.Deb,
		SourceName:    srcName,
		SourceVersion: srcVersion,
		PackageDB:     path,
	}, true, nil
}

// parseSource reads a Source: field, "name" or "name (version)"; the
// binary's own name and version stand in for what it leaves out.
func parseSource(src, name, version string) (string, string, error) {
	if src == "" {
		return name, version, nil
	}
	srcName, rest, ok := strings.Cut(src, " ")
	if !ok {
		return src, version, nil
	}
	rest = strings.TrimSpace(rest)
	v, ok := strings.CutPrefix(rest, "(")
	if v, ok2 := strings.CutSuffix(v, ")"); ok && ok2 && strings.TrimSpace(v) != "" {
		return srcName, strings.TrimSpace(v), nil
	}
	return "", "", fmt.Errorf("Source %s: want \"name\" or \"name (version)\"", excerpt.Quote(src))
}
