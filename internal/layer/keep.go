package layer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// A wanted file is kept in memory when it is at most maxMemFile bytes and
// the walk's files in memory stay within maxMem bytes; otherwise it goes to
// the walk's temporary file.
const (
	maxMemFile = 1 << 20
	maxMem     = 32 << 20
)

var errClosed = errors.New("layer result closed")

// kept is where the contents of one kept file are: in memory, or n bytes
// at off in the temporary file. exec says the file is an executable ELF
// file (see Wants.Executables).
type kept struct {
	mem    []byte
	off, n int64
	onDisk bool
	exec   bool
}

// spill holds the large kept files of a walk in one temporary file, and
// counts the bytes kept in memory. The file is created on first use and
// its name removed at once where the system allows it (its contents stay
// until it is closed), so that nothing is left behind.
type spill struct {
	f     *os.File
	name  string // the file's name while it still has one to remove
	size  int64
	inMem int64
}

// keep stores the next n bytes of r.
func (s *spill) keep(r io.Reader, n int64) (kept, error) {
	if n <= maxMemFile && s.inMem+n <= maxMem {
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return kept{}, err
		}
		s.inMem += n
		return kept{mem: b}, nil
	}
	if s.f == nil {
		f, err := os.CreateTemp("", "strata-layer-*")
		if err != nil {
			return kept{}, fmt.Errorf("temporary file for large files: %w", err)
		}
		s.f = f
		if os.Remove(f.Name()) != nil {
			s.name = f.Name()
		}
	}
	w, err := io.Copy(s.f, io.LimitReader(r, n))
	s.size += w
	if err == nil && w < n {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return kept{}, err
	}
	return kept{off: s.size - n, n: n, onDisk: true}, nil
}

// read returns the contents of a kept file.
func (s *spill) read(k kept) ([]byte, error) {
	if !k.onDisk {
		return k.mem, nil
	}
	if s == nil || s.f == nil {
		return nil, errClosed
	}
	b := make([]byte, k.n)
	if _, err := s.f.ReadAt(b, k.off); err != nil {
		return nil, fmt.Errorf("temporary file: %w", err)
	}
	return b, nil
}

// section returns a reader of a kept file's contents, which reads a file
// kept on disk from the temporary file, only where asked.
func (s *spill) section(k kept) (*io.SectionReader, error) {
	if !k.onDisk {
		return io.NewSectionReader(bytes.NewReader(k.mem), 0, int64(len(k.mem))), nil
	}
	if s == nil || s.f == nil {
		return nil, errClosed
	}
	return io.NewSectionReader(s.f, k.off, k.n), nil
}

// close closes and removes the temporary file.
func (s *spill) close() error {
	if s == nil || s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		err = errors.Join(err, os.Remove(s.name))
	}
	s.f, s.name = nil, ""
	return err
}
