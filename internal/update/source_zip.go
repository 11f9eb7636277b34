package update

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/strata-scan/strata/internal/spool"
)

// zipMagic starts a zip archive's first local file header.
var zipMagic = []byte("PK\x03\x04")

// isZip says whether br starts with a zip archive's local file header.
func isZip(br *bufio.Reader) bool {
	magic, _ := br.Peek(len(zipMagic))
	return bytes.Equal(magic, zipMagic)
}

// spoolZip hands fn each regular file of the zip archive r, in the
// archive's order. A zip archive's directory is at its end, so r is
// spooled to a temporary file first.
func spoolZip(ctx context.Context, name string, r io.Reader, fn func(Document) error) error {
	f, err := spool.File(r, "strata-fetch-*.zip")
	if err != nil {
		return fmt.Errorf("fetch %s: spool zip: %w", name, err)
	}
	defer f.Close()
	return readZipFile(ctx, name, f, fn)
}

// readZipFile hands fn each regular file of the zip archive f, in the
// archive's order.
func readZipFile(ctx context.Context, name string, f *os.File, fn func(Document) error) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("fetch %s: %w", name, err)
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return fmt.Errorf("fetch %s: read zip: %w", name, err)
	}
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !zf.Mode().IsRegular() {
			continue
		}
		if err := readZipEntry(name, zf, fn); err != nil {
			return err
		}
	}
	return nil
}

func readZipEntry(name string, zf *zip.File, fn func(Document) error) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("fetch %s: read zip entry %s: %w", name, zf.Name, err)
	}
	defer rc.Close()
	return fn(Document{Name: name + ":" + zf.Name, Body: rc})
}
