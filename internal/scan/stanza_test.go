package scan_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/scan"
)

// Stanzas hands add each line, however long, without its line ending,
// and names the line a read fails on.
func TestStanzas(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	in := io.MultiReader(strings.NewReader("a\r\n"+long+"\n\nb"), iotest.ErrReader(errors.New("disk on fire")))
	var got []string
	add := func(line string, n int) error {
		got = append(got, fmt.Sprintf("line %d: %q, %d bytes", n, line[:1], len(line)))
		return nil
	}
	ends := 0
	err := scan.Stanzas("db", "var/db", in, func(l string) bool { return l == "" }, add, func() error { ends++; return nil }, nil)
	want := "db: parse var/db: line 4: disk on fire"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if diff := cmp.Diff([]string{`line 1: "a", 1 bytes`, `line 2: "x", 3145728 bytes`}, got); diff != "" {
		t.Errorf("lines (-want +got)\n%s", diff)
	}
	if ends != 1 {
		t.Errorf("%d stanzas ended, want 1", ends)
	}
}
