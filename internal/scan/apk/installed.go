package apk

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/scan"
)

// ParseInstalled reads apk's installed database and returns its packages
// in file order. path is the file's image path: it becomes each package's
// PackageDB and is named in errors and warnings.
//
// The database is a list of stanzas separated by blank lines, each line a
// one-letter key, a colon and a value: P: name, V: version, A: arch,
// o: origin (the source package, built at the same version). A stanza
// without P or V (apk writes both; such an entry was edited or damaged)
// is skipped with a warning to log (slog.Default when nil) naming the
// line and the package. A repeated P, V, A or o, or a line that is not
// "K:value" (a file that is not an apk database), is an error naming the
// line.
func ParseInstalled(path string, r io.Reader, log *slog.Logger) ([]strata.Package, error) {
	var (
		pkgs []strata.Package
		st   stanza
	)
	end := func() error {
		if st.line == 0 {
			return nil
		}
		p, err := st.pkg(path)
		st = stanza{}
		if err != nil {
			return err
		}
		pkgs = append(pkgs, p)
		return nil
	}
	empty := func(line string) bool { return line == "" }
	if err := scan.Stanzas("apk", path, r, empty, st.add, end, log); err != nil {
		return nil, err
	}
	return pkgs, nil
}

// stanza collects the fields ParseInstalled needs from one package.
type stanza struct {
	line                        int // first line, 0 while empty
	name, version, arch, origin string
}

// add reads one non-empty line numbered n.
func (s *stanza) add(line string, n int) error {
	if len(line) < 2 || line[1] != ':' {
		return fmt.Errorf("want \"K:value\", have %s", excerpt.Quote(line))
	}
	if s.line == 0 {
		s.line = n
	}
	var f *string
	switch line[0] {
	case 'P':
		f = &s.name
	case 'V':
		f = &s.version
	case 'A':
		f = &s.arch
	case 'o':
		f = &s.origin
	default:
		return nil
	}
	if *f != "" {
		return fmt.Errorf("duplicate %c: field", line[0])
	}
	*f = strings.TrimSpace(line[2:])
	return nil
}

// pkg turns a complete stanza into a package.
func (s *stanza) pkg(path string) (strata.Package, error) {
	if s.name == "" {
		return strata.Package{}, &scan.Incomplete{Line: s.line, Missing: "a name (P:)"}
	}
	if s.version == "" {
		return strata.Package{}, &scan.Incomplete{Line: s.line, Package: s.name, Missing: "a version (V:)"}
	}
	origin := s.origin
	if origin == "" {
		origin = s.name
	}
	return strata.Package{
		Name:          s.name,
		Version:       s.version,
		Arch:          s.arch,
		Eco:           strata.APK,
		SourceName:    origin,
		SourceVersion: s.version,
		PackageDB:     path,
	}, nil
}
