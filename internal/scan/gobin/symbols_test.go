package gobin

import "testing"

func TestSplitFunc(t *testing.T) {
	tests := []struct{ fn, pkg, name string }{
		{"golang.org/x/net/html.Parse", "golang.org/x/net/html", "Parse"},
		{"golang.org/x/net/html.(*Tokenizer).Next", "golang.org/x/net/html", "Tokenizer.Next"},
		{"golang.org/x/net/html.Parse.func1", "golang.org/x/net/html", "Parse"},
		{"golang.org/x/net/html.(*parser).parse.gowrap2", "golang.org/x/net/html", "parser.parse"},
		{"sync/atomic.(*Pointer[go.shape.struct {}]).Load", "sync/atomic", "Pointer.Load"},
		{"main.main", "main", "main"},
		{"flag.(*FlagSet).defaultUsage-fm", "flag", "FlagSet.defaultUsage"},
		{"type:.eq.[2]interface {}", "", ""},
		{"go:buildid", "", ""},
		{"nodot", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			pkg, name, ok := splitFunc(tt.fn)
			if pkg != tt.pkg || name != tt.name || ok != (tt.name != "") {
				t.Errorf("splitFunc(%q) = %q, %q, %v; want %q, %q", tt.fn, pkg, name, ok, tt.pkg, tt.name)
			}
		})
	}
}
