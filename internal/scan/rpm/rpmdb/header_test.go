package rpmdb

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shared holds the real header blob.
const shared = "../../../../../shared/data/pkgdb/rpm"

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) && name[:len(shared)] == shared {
		t.Skipf("%s not present (shared data absent)", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A real header blob (claircore's testdata), on its own.
func TestParseHeader(t *testing.T) {
	h, err := ParseHeader(readFile(t, shared+"/header/package.header"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Header{Name: "crypto-policies", Version: "20210213", Release: "1.git5c710c0.fc34", Arch: "noarch",
		SourceRPM: "crypto-policies-20210213-1.git5c710c0.fc34.src.rpm"}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "header: shorter than 8 bytes",
		"\x00\x00\x00\x00\x00\x00\x00\x00":   "header: 0 entries and 0 data bytes do not fit in 8 bytes",
		"\x00\x00\x00\x05\x00\x00\x00\x10xx": "header: 5 entries and 16 data bytes do not fit in 10 bytes",
	} {
		if _, err := ParseHeader([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("ParseHeader(%q) error = %v, want %s", in, err, want)
		}
	}
}

func TestEVR(t *testing.T) {
	for h, want := range map[Header]string{
		{Version: "1.0", Release: "2.el9"}:             "1.0-2.el9",
		{Epoch: "0", Version: "1.0", Release: "2.el9"}: "1.0-2.el9",
		{Epoch: "3", Version: "1.0", Release: "2.el9"}: "3:1.0-2.el9",
	} {
		if got := h.EVR(); got != want {
			t.Errorf("%+v.EVR() = %q, want %q", h, got, want)
		}
	}
}
