package bundle

import (
	"bufio"
	"bytes"
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

// maxLine bounds one line of the uncompressed content: the largest real
// record (a kernel's, with hundreds of affected versions) is well under
// a megabyte.
const maxLine = 64 << 20

// maxWindow bounds the memory of the zstd decoder, as for layers.
const maxWindow = 128 << 20

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// Bundle is a verified bundle.
type Bundle struct {
	Created time.Time
	Feeds   []Feed
	Records int // of all feeds
	open    func() (io.ReadCloser, error)
	// sections are the SHA-256 of each feed's lines, as Open read them.
	sections [][sha256.Size]byte
}

// Open reads the bundle that open opens, whole, and checks it (see the
// package doc). Each calls open again to read the records.
func Open(open func() (io.ReadCloser, error)) (*Bundle, error) {
	b := &Bundle{open: open}
	h, err := b.read(func(f Feed, sum [sha256.Size]byte, _ []strata.Vulnerability) error {
		b.Feeds = append(b.Feeds, f)
		b.Records += f.Records
		b.sections = append(b.sections, sum)
		return nil
	}, false)
	if err != nil {
		return nil, err
	}
	b.Created = h.Created
	return b, nil
}

// Each reads the bundle again and calls fn with each feed and its records,
// in the bundle's order. Before fn sees a feed, its lines are checked to
// be those Open verified, so that a file changed since then is an error,
// not an import of unverified data; the feeds before the change have been
// handed out.
func (b *Bundle) Each(fn func(Feed, []strata.Vulnerability) error) error {
	i := 0
	_, err := b.read(func(f Feed, sum [sha256.Size]byte, vs []strata.Vulnerability) error {
		if i >= len(b.sections) || sum != b.sections[i] {
			return fmt.Errorf("feed %s changed since the bundle was verified", f.Updater)
		}
		i++
		return fn(f, vs)
	}, true)
	return err
}

// read decompresses and decodes the bundle, calling feed for each feed
// (with its records when keep is set) as soon as its lines are read.
func (b *Bundle) read(feed func(Feed, [sha256.Size]byte, []strata.Vulnerability) error, keep bool) (*header, error) {
	rc, err := b.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<16)
	if magic, _ := br.Peek(len(zstdMagic)); !bytes.Equal(magic, zstdMagic) {
		return nil, errors.New("not a strata feed bundle: not zstd-compressed")
	}
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxWindow))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return decode(zr, feed, keep)
}

// decoder reads the uncompressed content line by line.
type decoder struct {
	br   *bufio.Reader
	n    int       // lines read
	all  hash.Hash // every line before the end line
	sect hash.Hash // the current feed's lines
}

// decode reads the uncompressed content of a bundle.
func decode(r io.Reader, feed func(Feed, [sha256.Size]byte, []strata.Vulnerability) error, keep bool) (*header, error) {
	d := &decoder{br: bufio.NewReaderSize(r, 1<<16), all: sha256.New(), sect: sha256.New()}
	h, err := d.header()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	records := 0
	for {
		b, err := d.next()
		if err != nil {
			return nil, err
		}
		var l line
		if err := json.Unmarshal(b, &l); err != nil || (l.Feed == nil) == (l.End == nil) {
			return nil, d.errorf("want a feed line or the end line")
		}
		if l.End != nil {
			return h, d.finish(*l.End, len(seen), records)
		}
		d.hash(b)
		f := *l.Feed
		switch {
		case f.Updater == "":
			return nil, d.errorf("a feed without an updater name")
		case seen[f.Updater]:
			return nil, d.errorf("feed %s appears twice", f.Updater)
		case f.Records < 0:
			return nil, d.errorf("feed %s: %d records", f.Updater, f.Records)
		case f.LastSuccess.IsZero():
			return nil, d.errorf("feed %s: no last_success", f.Updater)
		}
		seen[f.Updater] = true
		vs, err := d.records(f, keep)
		if err != nil {
			return nil, err
		}
		records += f.Records
		var sum [sha256.Size]byte
		d.sect.Sum(sum[:0])
		d.sect.Reset()
		if err := feed(f, sum, vs); err != nil {
			return nil, err
		}
	}
}

func (d *decoder) header() (*header, error) {
	b, err := d.next()
	if err != nil {
		return nil, err
	}
	var h header
	if json.Unmarshal(b, &h) != nil || h.Format != Format {
		return nil, errors.New("not a strata feed bundle: no bundle header")
	}
	switch {
	case h.Version > Version:
		return nil, fmt.Errorf("bundle format version %d is newer than this strata reads (%d): use a newer strata", h.Version, Version)
	case h.Version < 1:
		return nil, d.errorf("bad format version %d", h.Version)
	}
	d.all.Write(b)
	d.all.Write([]byte{'\n'})
	return &h, nil
}

// records reads the f.Records record lines of feed f, keeping them when
// keep is set.
func (d *decoder) records(f Feed, keep bool) ([]strata.Vulnerability, error) {
	var vs []strata.Vulnerability
	for i := range f.Records {
		b, err := d.next()
		if err != nil {
			return nil, err
		}
		var v strata.Vulnerability
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, d.errorf("feed %s: record %d of %d: %v", f.Updater, i+1, f.Records, err)
		}
		if v.ID == "" {
			return nil, d.errorf("feed %s: record %d of %d: no id", f.Updater, i+1, f.Records)
		}
		d.hash(b)
		if keep {
			vs = append(vs, v)
		}
	}
	return vs, nil
}

// finish checks the end line against what was read, and that nothing
// follows it.
func (d *decoder) finish(e end, feeds, records int) error {
	if e.Feeds != feeds || e.Records != records {
		return d.errorf("the end line counts %d feeds and %d records, the bundle holds %d and %d", e.Feeds, e.Records, feeds, records)
	}
	if sum := hex.EncodeToString(d.all.Sum(nil)); e.SHA256 != sum {
		return fmt.Errorf("checksum mismatch: the end line says sha256 %s, the content has %s: the bundle is corrupt or was altered", e.SHA256, sum)
	}
	if _, err := d.br.ReadByte(); !errors.Is(err, io.EOF) {
		if err != nil {
			return fmt.Errorf("after the end line: %w", err)
		}
		return fmt.Errorf("line %d: data after the end line", d.n+1)
	}
	return nil
}

// next reads one line, without its "\n".
func (d *decoder) next() ([]byte, error) {
	d.n++
	var b []byte
	for {
		part, err := d.br.ReadSlice('\n')
		b = append(b, part...)
		switch {
		case err == nil:
			return b[:len(b)-1], nil
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("line %d: unexpected end of the bundle: it is truncated", d.n)
		case !errors.Is(err, bufio.ErrBufferFull):
			return nil, fmt.Errorf("line %d: decompress: %w (is the bundle truncated or corrupt?)", d.n, err)
		case len(b) > maxLine:
			return nil, d.errorf("line longer than %d bytes", maxLine)
		}
	}
}

// hash adds a line read to the checksums.
func (d *decoder) hash(b []byte) {
	for _, h := range []hash.Hash{d.all, d.sect} {
		h.Write(b)
		h.Write([]byte{'\n'})
	}
}

func (d *decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", d.n, fmt.Sprintf(format, args...))
}
