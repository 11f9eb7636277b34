package scan

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Incomplete is the error a stanza's end function returns for a package
// that lacks a field it needs: Stanzas skips that stanza, with a warning
// naming the database, the line and the package, and reads on, so that
// one broken entry does not hide the others. A file that is no stanza
// database at all still fails, on its first line that is not a field.
type Incomplete struct {
	Line    int    // the stanza's first line
	Package string // its name; "" when the name is what it lacks
	Missing string // what it lacks: "a version (V:)", "a Version field"
}

func (e *Incomplete) Error() string {
	if e.Package == "" {
		return fmt.Sprintf("line %d: package without %s", e.Line, e.Missing)
	}
	return fmt.Sprintf("line %d: package %s without %s", e.Line, e.Package, e.Missing)
}

// Stanzas reads r, the database at path of a package manager that keeps
// one stanza of lines per package with blank lines between them (dpkg's
// status, apk's installed). add gets every line that is not blank with its
// number, counted from 1; end is called after each blank line and at the
// end of input, to finish the stanza read so far, if any. An error from
// add or from reading is returned as "NAME: parse PATH: line N: …"; one
// from end, which knows the stanza's lines, as it is, but an *Incomplete
// one, which is logged to log (slog.Default when nil) as a warning.
func Stanzas(name, path string, r io.Reader, blank func(string) bool, add func(line string, n int) error, end func() error, log *slog.Logger) error {
	finish := func() error {
		err := end()
		if inc := (*Incomplete)(nil); errors.As(err, &inc) {
			attrs := []any{"path", path, "line", inc.Line}
			if inc.Package != "" {
				attrs = append(attrs, "package", inc.Package)
			}
			Logger(log).Warn(name+": skipped a package without "+inc.Missing, attrs...)
			return nil
		}
		return err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF {
			return finish()
		}
		if err != nil {
			return fmt.Errorf("%s: parse %s: line %d: %w", name, path, n, err)
		}
		if blank(line) {
			if err := finish(); err != nil {
				return err
			}
			continue
		}
		if err := add(line, n); err != nil {
			return fmt.Errorf("%s: parse %s: line %d: %w", name, path, n, err)
		}
	}
}

// readLine reads the next line of br, without its "\n" or "\r\n", and
// returns io.EOF at the end of input. A line may be as long as the file,
// as dpkg allows (a long Description): a database is a file kept by the
// layer walk, whose size is bounded.
func readLine(br *bufio.Reader) (string, error) {
	line, err := br.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil // the last line, without "\n"
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), err
}
