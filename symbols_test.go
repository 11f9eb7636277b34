package strata

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSymbolsJSON(t *testing.T) {
	tests := []struct {
		name string
		s    Symbols
		json string
	}{
		{"grouped by import path", Symbols{"golang.org/x/net/html.Parse", "golang.org/x/net/html.Tokenizer.Next", "golang.org/x/net/http2.Framer.ReadFrame", "main.main"},
			`{"golang.org/x/net/html":["Parse","Tokenizer.Next"],"golang.org/x/net/http2":["Framer.ReadFrame"],"main":["main"]}`},
		{"a name without an import path: the array", Symbols{"main.main", "weird"}, `["main.main","weird"]`},
		{"a path ending in a dot: the array", Symbols{"a/b."}, `["a/b."]`},
		{"none", Symbols{}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.s)
			if err != nil || string(b) != tt.json {
				t.Fatalf("Marshal = %s, %v; want %s", b, err, tt.json)
			}
			var back Symbols
			if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(tt.s, back) {
				t.Errorf("Unmarshal(%s) = %q, %v; want %q", b, back, err, tt.s)
			}
		})
	}
	// Reports stored before the grouped form hold the array of full
	// names; a package without symbols omits them.
	var p Package
	if err := json.Unmarshal([]byte(`{"name":"golang.org/x/net","symbols":["golang.org/x/net/html.Render","golang.org/x/net/html.Parse"]}`), &p); err != nil {
		t.Fatal(err)
	}
	if want := (Symbols{"golang.org/x/net/html.Parse", "golang.org/x/net/html.Render"}); !cmp.Equal(want, p.Symbols) {
		t.Errorf("symbols of the array form = %q, want %q", p.Symbols, want)
	}
	if b, err := json.Marshal(Package{Name: "stdlib"}); err != nil || string(b) != `{"name":"stdlib","version":"","ecosystem":"","package_db":""}` {
		t.Errorf("Marshal(no symbols) = %s, %v", b, err)
	}
}
