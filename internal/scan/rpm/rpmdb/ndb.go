package rpmdb

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// NDB (usr/lib/sysimage/rpm/Packages.db, SUSE), as rpm's
// lib/backend/ndb/rpmpkg.c writes it, all little-endian: a 32-byte header
// ("RpmP", version 0, generation, number of slot pages), then 16-byte
// slots ("Slot", package index, block offset, block count) filling the
// slot pages, then blobs at block offsets in 16-byte blocks, each a
// 16-byte header ("BlbS", package index, generation, length) and the
// package header.
const (
	ndbMagic     = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbPage      = 4096
	ndbBlock     = 16
)

// NDB returns the package headers of an NDB database, in slot order.
func NDB(b []byte) ([][]byte, error) {
	le := binary.LittleEndian
	if len(b) < 32 || le.Uint32(b) != ndbMagic {
		return nil, errors.New("ndb: bad magic")
	}
	if v := le.Uint32(b[4:]); v != 0 {
		return nil, fmt.Errorf("ndb: version %d, want 0", v)
	}
	slotsEnd := int64(le.Uint32(b[12:])) * ndbPage
	if slotsEnd > int64(len(b)) {
		return nil, fmt.Errorf("ndb: %d slot pages do not fit in %d bytes", slotsEnd/ndbPage, len(b))
	}
	var out [][]byte
	for off := 32; off+16 <= int(slotsEnd); off += 16 {
		s := b[off:]
		idx := le.Uint32(s[4:])
		if idx == 0 {
			continue // a free slot
		}
		if le.Uint32(s) != ndbSlotMagic {
			return nil, fmt.Errorf("ndb: slot at offset %d: bad magic", off)
		}
		blob, err := ndbBlob(b, idx, int64(le.Uint32(s[8:]))*ndbBlock)
		if err != nil {
			return nil, fmt.Errorf("ndb: package %d: %w", idx, err)
		}
		out = append(out, blob)
	}
	return out, nil
}

func ndbBlob(b []byte, idx uint32, off int64) ([]byte, error) {
	le := binary.LittleEndian
	if off+16 > int64(len(b)) {
		return nil, fmt.Errorf("blob at offset %d is past the end", off)
	}
	h := b[off:]
	if le.Uint32(h) != ndbBlobMagic || le.Uint32(h[4:]) != idx {
		return nil, fmt.Errorf("blob at offset %d: bad magic or package index", off)
	}
	n := int64(le.Uint32(h[12:]))
	if off+16+n > int64(len(b)) {
		return nil, fmt.Errorf("blob at offset %d: %d bytes past the end", off, n)
	}
	return h[16 : 16+n], nil
}
