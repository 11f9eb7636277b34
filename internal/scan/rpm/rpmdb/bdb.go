package rpmdb

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Berkeley DB hash database (var/lib/rpm/Packages), as libdb lays it
// out (dbinc/db_page.h): a metadata page, then pages of 26-byte header.
// Hash pages hold key/value item pairs; rpm's values (the headers) are
// "off-page" items pointing at a chain of overflow pages.
const (
	bdbHashMagic    = 0x061561
	bdbPageHeader   = 26
	bdbHashUnsorted = 2 // hash pages written before libdb 4.6
	bdbOverflow     = 7
	bdbHashMeta     = 8
	bdbHash         = 13
	bdbOffPage      = 3 // H_OFFPAGE item
)

// BerkeleyDB returns the values of a Berkeley DB hash database: the
// package headers.
func BerkeleyDB(b []byte) ([][]byte, error) {
	if len(b) < 512 {
		return nil, errors.New("berkeley db: shorter than a metadata page")
	}
	var order binary.ByteOrder = binary.LittleEndian
	if binary.BigEndian.Uint32(b[12:]) == bdbHashMagic {
		order = binary.BigEndian
	} else if order.Uint32(b[12:]) != bdbHashMagic {
		return nil, errors.New("berkeley db: not a hash database (bad magic)")
	}
	pageSize, last := order.Uint32(b[20:]), order.Uint32(b[32:])
	if b[25] != bdbHashMeta || pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("berkeley db: bad metadata page (type %d, page size %d)", b[25], pageSize)
	}
	db := bdb{b: b, order: order, pageSize: int(pageSize)}
	if n := len(b) / db.pageSize; int(last) >= n {
		return nil, fmt.Errorf("berkeley db: last page %d, but the file holds %d pages", last, n)
	}
	var out [][]byte
	for p := 1; p <= int(last); p++ {
		page := db.page(p)
		if page[25] != bdbHash && page[25] != bdbHashUnsorted {
			continue
		}
		values, err := db.values(page)
		if err != nil {
			return nil, fmt.Errorf("berkeley db: page %d: %w", p, err)
		}
		out = append(out, values...)
	}
	return out, nil
}

type bdb struct {
	b        []byte
	order    binary.ByteOrder
	pageSize int
}

func (db bdb) page(n int) []byte { return db.b[n*db.pageSize : (n+1)*db.pageSize] }

// values reads the off-page values of a hash page (its odd items).
func (db bdb) values(page []byte) ([][]byte, error) {
	n := int(db.order.Uint16(page[20:]))
	if bdbPageHeader+2*n > len(page) {
		return nil, fmt.Errorf("%d items do not fit", n)
	}
	var out [][]byte
	for i := 1; i < n; i += 2 {
		off := int(db.order.Uint16(page[bdbPageHeader+2*i:]))
		if off >= len(page) {
			return nil, fmt.Errorf("item %d at offset %d is past the page", i, off)
		}
		if page[off] != bdbOffPage {
			continue // keys and small values, kept on the page: no header
		}
		if off+12 > len(page) {
			return nil, fmt.Errorf("item %d at offset %d is past the page", i, off)
		}
		v, err := db.overflow(db.order.Uint32(page[off+4:]), db.order.Uint32(page[off+8:]))
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// overflow reads a value of size bytes from the chain of overflow pages
// that starts at page first.
func (db bdb) overflow(first, size uint32) ([]byte, error) {
	pages := len(db.b) / db.pageSize
	if int64(size) > int64(len(db.b)) {
		return nil, fmt.Errorf("value of %d bytes is larger than the file", size)
	}
	out := make([]byte, 0, size)
	for p, seen := first, 0; p != 0; seen++ {
		if int(p) >= pages || seen >= pages {
			return nil, fmt.Errorf("overflow chain reaches page %d of %d", p, pages)
		}
		page := db.page(int(p))
		used := int(db.order.Uint16(page[22:]))
		if page[25] != bdbOverflow || bdbPageHeader+used > len(page) {
			return nil, fmt.Errorf("page %d is not a valid overflow page", p)
		}
		out = append(out, page[bdbPageHeader:bdbPageHeader+used]...)
		p = db.order.Uint32(page[16:])
	}
	if len(out) != int(size) {
		return nil, fmt.Errorf("overflow chain holds %d bytes, want %d", len(out), size)
	}
	return out, nil
}
