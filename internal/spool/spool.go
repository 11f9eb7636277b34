// Package spool copies a stream to a temporary file, to be read again or
// at random: a zip archive's directory is at its end, a decompressed
// image archive is indexed then read, a bundle is verified then loaded.
package spool

import (
	"fmt"
	"io"
	"os"
)

// File copies r to a new temporary file (named after pattern, as
// os.CreateTemp names them), removed from its directory at once, so that
// nothing is left behind whatever happens; the open file stays readable
// until it is closed. It returns the file at its start. An error of
// creating the file says so; one of reading r is r's.
func File(r io.Reader, pattern string) (*os.File, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, fmt.Errorf("temporary file: %w", err)
	}
	os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
