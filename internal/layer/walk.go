package layer

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/tarend"
)

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh." // aufs metadata, such as .wh..wh.plnk
	whiteoutOpaque = ".wh..wh..opq"
)

// Walk reads one layer once, streaming, to EOF (trailing padding included,
// so that both digests are right). It keeps the contents of the regular
// files that wants names, records every whiteout, opaque directory,
// symbolic and hard link, and computes the diff_id and the blob digest.
// name identifies the layer in errors, usually by its digest. Context
// cancellation is checked between entries. Zero fields of lim take their
// defaults. When Result.Pending is not empty, ReadPending completes the
// result. Close the result when done.
func Walk(ctx context.Context, name string, r io.Reader, wants Wants, lim Limits) (*Result, error) {
	sp := &spill{}
	res, err := walk(ctx, r, wants, lim.withDefaults(), sp)
	if err != nil {
		sp.close()
		if ctx.Err() == nil {
			err = invalid{err}
		}
		return nil, fmt.Errorf("layer %s: %w", name, err)
	}
	return res, nil
}

// ErrInvalid matches the errors that say a layer's bytes are wrong (not a
// tar, truncated, hostile, over a limit, not matching its digest), as
// opposed to a failure to read them or a cancellation.
var ErrInvalid = errors.New("invalid layer")

// invalid marks an error as ErrInvalid, keeping its message.
type invalid struct{ err error }

func (e invalid) Error() string        { return e.err.Error() }
func (e invalid) Unwrap() error        { return e.err }
func (e invalid) Is(target error) bool { return target == ErrInvalid }

// Invalid marks err as ErrInvalid.
func Invalid(err error) error { return invalid{err} }

// walk is Walk, keeping large files in sp.
func walk(ctx context.Context, r io.Reader, wants Wants, lim Limits, sp *spill) (*Result, error) {
	blob := sha256.New()
	src := io.TeeReader(r, blob)
	s, err := Decompress(src, lim)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	diff := sha256.New()
	var sink io.Writer = diff
	if s.Compression == None {
		sink = io.Discard // an uncompressed layer is its own tar: one hash serves both digests
	}
	w := &walker{wants: wants, lim: lim, res: newResult(sp), extra: map[string]bool{}, extraDirs: map[string]int{}, linked: map[string]bool{}}
	w.end = tarend.New(io.TeeReader(s, sink))
	if err := w.walk(ctx, tar.NewReader(w.end)); err != nil {
		return nil, err
	}
	if _, err := io.Copy(sink, s); err != nil {
		return nil, fmt.Errorf("after the end of the tar: %w", err)
	}
	if _, err := io.Copy(io.Discard, src); err != nil {
		return nil, err
	}
	res := w.res
	res.DiffID, res.BlobDigest, res.Bytes = digest(diff), digest(blob), s.Uncompressed()
	if sink == io.Discard {
		res.DiffID = res.BlobDigest
	}
	res.Whiteouts, res.Opaques = sortedUnique(res.Whiteouts), sortedUnique(res.Opaques)
	res.Skipped = sortedUnique(res.Skipped)
	res.Symlinks = slices.Sorted(maps.Keys(res.symTargets))
	res.Pending = w.pending()
	return res, nil
}

func digest(h hash.Hash) strata.Digest {
	return strata.Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// walker is the state of one walk.
type walker struct {
	wants     Wants
	lim       Limits
	res       *Result
	extra     map[string]bool // targets of wanted links, wanted for the rest of the stream
	extraDirs map[string]int  // the directories holding extra targets
	linked    map[string]bool // the wanted links
	recorded  int64           // bytes of names recorded, against lim.MaxRecorded
	end       *tarend.Reader  // watches for a tar cut short
	last      string          // the last entry read, for errors
}

func (w *walker) walk(ctx context.Context, tr *tar.Reader) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF && !w.end.Complete() {
			return fmt.Errorf("truncated tar: no end-of-archive block after entry %q: %w", w.last, io.ErrUnexpectedEOF)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return w.readError(err)
		}
		if w.res.Entries++; w.res.Entries > w.lim.MaxEntries {
			return fmt.Errorf("more than %d tar entries", w.lim.MaxEntries)
		}
		w.last = hdr.Name
		w.end.Entry(hdr)
		p, regular, err := w.entry(hdr)
		if err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		if regular {
			if err := w.regular(tr, hdr, p); err != nil {
				return err
			}
		}
	}
}

// readError says what a failure to read the next header or contents means.
func (w *walker) readError(err error) error {
	truncated := errors.Is(err, io.ErrUnexpectedEOF)
	switch {
	case w.res.Entries == 0 && (errors.Is(err, tar.ErrHeader) || truncated):
		return errors.New("not a tar archive")
	case truncated:
		return fmt.Errorf("truncated tar: %w", err)
	case errors.Is(err, tar.ErrHeader):
		return fmt.Errorf("corrupt tar after entry %q: %w", w.last, err)
	}
	return err
}

// entry records one header; regular says the entry is a regular file, at
// path p, whose contents may be kept (see regular).
func (w *walker) entry(hdr *tar.Header) (p string, regular bool, err error) {
	p, err = cleanEntry(hdr.Name)
	if err != nil || p == "." {
		return "", false, err
	}
	dir, base := path.Split(p)
	if strings.HasPrefix(base, whiteoutPrefix) {
		return "", false, w.whiteout(path.Clean(dir), base)
	}
	w.res.forget(p)
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse:
		return p, true, nil
	case tar.TypeSymlink:
		return "", false, w.symlink(p, hdr.Linkname)
	case tar.TypeLink:
		t, err := cleanEntry(hdr.Linkname)
		if err != nil {
			return "", false, fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
		}
		if err := w.record(p, t); err != nil {
			return "", false, err
		}
		w.res.hardTargets[p] = t
		if w.wanted(p) {
			w.linked[p] = true
		}
	}
	return "", false, nil
}

func (w *walker) whiteout(dir, base string) error {
	switch {
	case base == whiteoutOpaque:
		w.res.Opaques = append(w.res.Opaques, dir)
		return w.record(dir)
	case strings.HasPrefix(base, whiteoutMeta), base == whiteoutPrefix:
		return nil
	}
	p := path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix))
	w.res.Whiteouts = append(w.res.Whiteouts, p)
	return w.record(p)
}

// record counts the names recorded against Limits.MaxRecorded.
func (w *walker) record(names ...string) error {
	for _, n := range names {
		w.recorded += int64(len(n))
	}
	if w.recorded > w.lim.MaxRecorded {
		return fmt.Errorf("links and whiteouts recorded exceed the %s limit", FormatSize(w.lim.MaxRecorded))
	}
	return nil
}

// wanted reports whether p is wanted by its path: wants.Path names it, or
// it is the target of a wanted link.
func (w *walker) wanted(p string) bool {
	return w.extra[p] || (w.wants.Path != nil && w.wants.Path(p))
}

// regular keeps the contents of the regular file at p, read from r, when
// it is wanted: by its path, whatever it holds (larger than MaxFileSize,
// it fails the walk), or, with wants.Executables, as an executable ELF
// file: its mode has an execute bit and its first bytes are the ELF magic
// (larger than MaxFileSize, it is listed in Skipped and not kept). Only
// the magic is read of the other executables.
func (w *walker) regular(r io.Reader, hdr *tar.Header, p string) error {
	byPath := w.wanted(p)
	exec := w.wants.Executables && hdr.Mode&0o111 != 0
	if !byPath && !exec {
		return nil
	}
	if byPath && hdr.Size > w.lim.MaxFileSize {
		return fmt.Errorf("entry %q: wanted file of %d bytes exceeds the %s limit", hdr.Name, hdr.Size, FormatSize(w.lim.MaxFileSize))
	}
	var head []byte
	if exec {
		head = make([]byte, min(hdr.Size, int64(len(elf.ELFMAG))))
		if _, err := io.ReadFull(r, head); err != nil {
			return w.readError(err)
		}
		exec = string(head) == elf.ELFMAG
	}
	switch {
	case !byPath && !exec:
		return nil
	case !byPath && hdr.Size > w.lim.MaxFileSize:
		w.res.Skipped = append(w.res.Skipped, p)
		if err := w.record(p); err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		return nil
	}
	k, err := w.res.spill.keep(io.MultiReader(bytes.NewReader(head), r), hdr.Size)
	if err != nil {
		return w.readError(err)
	}
	k.exec = exec
	w.res.files[p] = k
	return nil
}
