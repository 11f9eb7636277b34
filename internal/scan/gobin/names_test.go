package gobin_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/gobin"
)

// The functions of a binary are read from the function name table of its
// .gopclntab (Go 1.16 and later), which names inlined functions too; a
// table that cannot be read leaves every package Stripped.
func TestReadBinaryFunctionNames(t *testing.T) {
	names := []string{"main.main", "golang.org/x/net/html.Parse", "golang.org/x/net/html.(*Tokenizer).Next",
		"golang.org/x/text/language.Parse.func1", "runtime.main", "type:.eq.[2]string", "go:buildid"}
	go116 := pclntab120(names...)
	binary.LittleEndian.PutUint32(go116, 0xfffffffa) // Go 1.16's header: no textStart word
	copy(go116[8+2*8:], go116[8+3*8:8+5*8])
	withSymbols := func() []strata.Package {
		pkgs := []strata.Package{
			golang("example.com/htmlcheck", "(devel)", bin),
			golang("golang.org/x/net", "0.7.0", bin),
			golang("golang.org/x/text", "0.3.7", bin),
			golang("stdlib", "1.26.8", bin),
		}
		pkgs[0].Symbols = []string{"main.main"}
		pkgs[1].Symbols = []string{"golang.org/x/net/html.Parse", "golang.org/x/net/html.Tokenizer.Next"}
		pkgs[2].Symbols = []string{"golang.org/x/text/language.Parse"}
		pkgs[3].Symbols = []string{"runtime.main"}
		return pkgs
	}
	stripped := noTable(
		golang("example.com/htmlcheck", "(devel)", bin),
		golang("golang.org/x/net", "0.7.0", bin),
		golang("golang.org/x/text", "0.3.7", bin),
		golang("stdlib", "1.26.8", bin),
	)
	outside := pclntab120(names...)
	binary.LittleEndian.PutUint64(outside[8+4*8:], 1<<40) // cuOffset, the table's end
	badPointer := pclntab120(names...)
	badPointer[7] = 2
	go12 := pclntab120(names...)
	binary.LittleEndian.PutUint32(go12, 0xfffffffb) // Go 1.2-1.15: read with debug/gosym, which needs .text
	tests := []struct {
		name    string
		pclntab []byte
		want    []strata.Package
	}{
		{"Go 1.20", pclntab120(names...), withSymbols()},
		{"Go 1.16", go116, withSymbols()},
		{"name table outside the section", outside, stripped},
		{"pointer size 2", badPointer, stripped},
		{"header cut short", pclntab120(names...)[:20], stripped},
		{"Go 1.2 table without .text", go12, stripped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gobin.ReadBinary(bin, bytes.NewReader(goELFWithTable(t, "go1.26.8", htmlcheckInfo, tt.pclntab)))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadBinary (-want +got):\n%s", diff)
			}
		})
	}
}
