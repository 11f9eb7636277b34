package scan

import (
	"bufio"
	"fmt"
	"io"
)

// maxStanzaLine bounds one line of a stanza database; real ones stay under
// a few KiB (dpkg's long Depends and Breaks lists).
const maxStanzaLine = 1 << 20

// Stanzas reads r, the database at path of a package manager that keeps
// one stanza of lines per package with blank lines between them (dpkg's
// status, apk's installed). add gets every line that is not blank with its
// number, counted from 1; end is called after each blank line and at the
// end of input, to finish the stanza read so far, if any. An error from
// add or from reading is returned as "NAME: parse PATH: line N: …"; one
// from end, which knows the stanza's lines, as it is.
func Stanzas(name, path string, r io.Reader, blank func(string) bool, add func(line string, n int) error, end func() error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxStanzaLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if blank(line) {
			if err := end(); err != nil {
				return err
			}
			continue
		}
		if err := add(line, n); err != nil {
			return fmt.Errorf("%s: parse %s: line %d: %w", name, path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: parse %s: line %d: %w", name, path, n+1, err)
	}
	return end()
}
