package match

import (
	"testing"

	"github.com/strata-scan/strata"
)

func TestSymbolVerdict(t *testing.T) {
	xnet := strata.Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: strata.Go,
		Symbols: []string{"golang.org/x/net/html.Parse", "golang.org/x/net/html.Tokenizer.Next"}}
	stripped := xnet
	stripped.Symbols, stripped.Stripped = nil, true
	render := map[string][]string{"golang.org/x/net/html": {"Render", "render1"}}
	parse := map[string][]string{"golang.org/x/net/html": {"ParseFragment", "Tokenizer.Next"}}
	wholeHTML := map[string][]string{"golang.org/x/net/html": nil}
	wholeHTTP2 := map[string][]string{"golang.org/x/net/http2": nil}
	tests := []struct {
		name    string
		p       strata.Package
		symbols map[string][]string
		want    string
	}{
		{"no symbols in the record", xnet, nil, ""},
		{"a method present", xnet, parse, SymbolPresent},
		{"none present", xnet, render, SymbolAbsent},
		{"a whole package, present", xnet, wholeHTML, SymbolPresent},
		{"a whole package, absent", xnet, wholeHTTP2, SymbolAbsent},
		{"stripped", stripped, parse, SymbolStripped},
		{"not Go", strata.Package{Name: "requests", Eco: strata.PyPI}, parse, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := symbolVerdict(tt.p, strata.Vulnerability{Symbols: tt.symbols}); got != tt.want {
				t.Errorf("symbolVerdict = %q, want %q", got, tt.want)
			}
		})
	}
}
