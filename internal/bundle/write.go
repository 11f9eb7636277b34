package bundle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/strata-scan/strata"
)

// Writer writes a bundle: NewWriter, WriteFeed for each feed, Close.
type Writer struct {
	zw       *zstd.Encoder
	sum      hash.Hash // of the uncompressed content
	bw       *bufio.Writer
	updaters map[string]bool
	records  int
}

// NewWriter starts a bundle on w with its header.
func NewWriter(w io.Writer, created time.Time) (*Writer, error) {
	zw, err := zstd.NewWriter(w)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	bw := &Writer{zw: zw, sum: sha256.New(), updaters: map[string]bool{}}
	bw.bw = bufio.NewWriterSize(io.MultiWriter(bw.sum, zw), 1<<20)
	if err := bw.writeLine(header{Format: Format, Version: Version, Created: created.UTC()}); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	return bw, nil
}

// WriteFeed writes one feed with its records; f.Records is set to their
// number.
func (w *Writer) WriteFeed(f Feed, records []strata.Vulnerability) error {
	switch {
	case f.Updater == "":
		return errors.New("bundle: a feed without an updater name")
	case w.updaters[f.Updater]:
		return fmt.Errorf("bundle: feed %s written twice", f.Updater)
	case f.LastSuccess.IsZero():
		return fmt.Errorf("bundle: feed %s: no time of last success", f.Updater)
	}
	w.updaters[f.Updater] = true
	f.Records = len(records)
	f.LastSuccess = f.LastSuccess.UTC()
	if err := w.writeLine(line{Feed: &f}); err != nil {
		return fmt.Errorf("bundle: feed %s: %w", f.Updater, err)
	}
	for i := range records {
		if err := w.writeLine(&records[i]); err != nil {
			return fmt.Errorf("bundle: feed %s: record %s: %w", f.Updater, records[i].ID, err)
		}
	}
	w.records += len(records)
	return nil
}

// Close writes the end line and ends the zstd stream; it does not close
// the underlying writer.
func (w *Writer) Close() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	e := end{Feeds: len(w.updaters), Records: w.records, SHA256: hex.EncodeToString(w.sum.Sum(nil))}
	if err := w.writeLine(line{End: &e}); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := w.zw.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// writeLine writes v as one line of JSON.
func (w *Writer) writeLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.bw.Write(append(b, '\n'))
	return err
}
