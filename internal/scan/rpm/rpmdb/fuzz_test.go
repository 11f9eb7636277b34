package rpmdb

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ndbOf makes an NDB database holding blob as package 1, for seeds.
func ndbOf(blob []byte) []byte {
	b := make([]byte, 2*ndbPage+16+len(blob))
	le := binary.LittleEndian
	le.PutUint32(b, ndbMagic)
	le.PutUint32(b[12:], 1) // one slot page
	le.PutUint32(b[32:], ndbSlotMagic)
	le.PutUint32(b[36:], 1)
	le.PutUint32(b[40:], ndbPage/ndbBlock)
	le.PutUint32(b[ndbPage:], ndbBlobMagic)
	le.PutUint32(b[ndbPage+4:], 1)
	le.PutUint32(b[ndbPage+12:], uint32(len(blob)))
	copy(b[ndbPage+16:], blob)
	return b
}

// FuzzParse feeds the Berkeley DB and NDB readers and the header parser:
// no panic, and every header read has a name.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/libuuid.Packages", "testdata/epoch.Packages"} {
		b := readFile(f, name)
		if len(b) <= 32<<10 {
			f.Add(b) // larger seeds make the fuzzer crawl
		}
		blobs, err := BerkeleyDB(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ndbOf(blobs[0]))
		f.Add(blobs[0])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		bdb, _ := BerkeleyDB(b)
		ndb, _ := NDB(b)
		for _, blob := range append(append([][]byte{b}, bdb...), ndb...) {
			if h, err := ParseHeader(blob); err == nil && h.Name == "" {
				t.Fatalf("header without a name: %+v", h)
			}
		}
	})
}

// The header of the real Berkeley DB, put in an NDB, reads the same.
func TestNDBOf(t *testing.T) {
	blobs, err := BerkeleyDB(readFile(t, "testdata/libuuid.Packages"))
	if err != nil || len(blobs) != 1 {
		t.Fatalf("BerkeleyDB = %d blobs, %v; want 1", len(blobs), err)
	}
	got, err := NDB(ndbOf(blobs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(blobs, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
