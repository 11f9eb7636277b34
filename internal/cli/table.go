package cli

import (
	"bufio"
	"io"
	"text/tabwriter"
)

// table writes aligned columns to w through one buffer (tabwriter writes
// each cell and its padding apart: a syscall each on a terminal or pipe,
// most of the time of a 10,000-row table).
type table struct {
	*tabwriter.Writer
	buf *bufio.Writer
}

func newTable(w io.Writer) *table {
	buf := bufio.NewWriter(w)
	return &table{tabwriter.NewWriter(buf, 0, 4, 2, ' ', 0), buf}
}

// Flush writes out the aligned rows.
func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.buf.Flush()
}
