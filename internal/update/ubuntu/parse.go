package ubuntu

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// cveFile is what one CVE file says. A file is a list of "Field: value"
// lines; a line starting with white space continues the field above it
// and "#" starts a comment (so does "--" in 44 real files: "-- Tags_xen:
// universe-binary"). Fields whose name starts with a lower-case
// letter are status lines, "<release>_<source package>: <status>".
type cveFile struct {
	candidate   string
	published   time.Time
	priority    string
	pkgPriority map[string]string // Priority_<srcpkg>
	references  []string
	description []string
	ubuntuDesc  []string
	statuses    []statusLine
}

type statusLine struct {
	line         int
	release, pkg string
	value        string // "released (1.2-3ubuntu1)"
}

func parseFile(r io.Reader) (*cveFile, error) {
	f := &cveFile{pkgPriority: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var cont *[]string // where the current field's continuation lines go
	inField := false
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case line == "" || line[0] == '#' || strings.HasPrefix(line, "--"):
		case line[0] == ' ' || line[0] == '\t':
			if !inField {
				return nil, fmt.Errorf("line %d: continuation line before any field", n)
			}
			if cont != nil {
				*cont = append(*cont, strings.TrimSpace(line))
			}
		default:
			c, err := f.field(n, line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			cont, inField = c, true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	if f.candidate == "" {
		return nil, errors.New("no Candidate field")
	}
	return f, nil
}

// field reads the field that starts on line n and returns where its
// continuation lines go (nil: they are not kept).
func (f *cveFile) field(n int, line string) (*[]string, error) {
	key, value, ok := strings.Cut(line, ":")
	if !ok || key == "" || strings.ContainsAny(key, " \t") {
		return nil, fmt.Errorf("want \"Field: value\", have %s", excerpt.Quote(line))
	}
	value = strings.TrimSpace(value)
	if key[0] >= 'a' && key[0] <= 'z' {
		release, pkg, _ := strings.Cut(key, "_")
		if pkg == "" {
			return nil, fmt.Errorf("status line %s names no package", excerpt.Quote(line))
		}
		f.statuses = append(f.statuses, statusLine{n, release, pkg, value})
		return nil, nil
	}
	switch {
	case key == "Candidate":
		f.candidate = value
	case key == "PublicDate":
		t, err := parseDate(value)
		f.published = t
		return nil, err
	case key == "Priority" || strings.HasPrefix(key, "Priority_"):
		if _, ok := priorities[value]; !ok {
			return nil, fmt.Errorf("unknown priority %s", excerpt.Quote(value))
		}
		if pkg, ok := strings.CutPrefix(key, "Priority_"); ok {
			f.pkgPriority[pkg] = value
		} else {
			f.priority = value
		}
	case key == "References":
		f.references = append(f.references, value)
		return &f.references, nil
	case key == "Description":
		f.description = append(f.description, value)
		return &f.description, nil
	case key == "Ubuntu-Description":
		f.ubuntuDesc = append(f.ubuntuDesc, value)
		return &f.ubuntuDesc, nil
	}
	return nil, nil
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad PublicDate %s", excerpt.Quote(s))
}

// records makes one record per status line of a known release, in the
// order of the file.
func (f *cveFile) records(ctx context.Context, name string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	var unknown []string
	for _, s := range f.statuses {
		rel, ok := releases[s.release]
		if !ok {
			if !pseudoRelease(s.release) {
				unknown = append(unknown, s.release)
			}
			continue
		}
		v, ok, err := f.record(rel, s)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", s.line, err)
		}
		if ok {
			out = append(out, v)
		}
	}
	logUnknown(ctx, name, unknown)
	return out, nil
}
