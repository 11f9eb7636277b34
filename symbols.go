package strata

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Symbols are the functions of a Go module that a binary holds, as
// "IMPORTPATH.NAME", sorted (see Package.Symbols). A binary names tens of
// thousands, so in JSON they are grouped by import path,
// {"golang.org/x/net/html": ["Parse", "Tokenizer.Next"]}, which about
// halves a stored report; the JSON array of the full names (as reports
// were stored before) is read too.
type Symbols []string

// importPath splits a symbol at the first dot after its last slash:
// "golang.org/x/net/html.Tokenizer.Next" → "golang.org/x/net/html",
// "Tokenizer.Next".
func importPath(sym string) (path, name string, ok bool) {
	slash := strings.LastIndexByte(sym, '/') + 1
	dot := strings.IndexByte(sym[slash:], '.')
	if dot <= 0 || slash+dot+1 == len(sym) {
		return "", "", false
	}
	return sym[:slash+dot], sym[slash+dot+1:], true
}

// MarshalJSON writes s grouped by import path, or as an array of the full
// names when one has no import path and name.
func (s Symbols) MarshalJSON() ([]byte, error) {
	byPath := map[string][]string{}
	for _, sym := range s {
		path, name, ok := importPath(sym)
		if !ok {
			return json.Marshal([]string(s))
		}
		byPath[path] = append(byPath[path], name)
	}
	return json.Marshal(byPath)
}

// UnmarshalJSON reads either form MarshalJSON writes, sorted.
func (s *Symbols) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '[' {
		var all []string
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		*s = slices.Sorted(slices.Values(all))
		return nil
	}
	var byPath map[string][]string
	if err := json.Unmarshal(b, &byPath); err != nil {
		return err
	}
	out := Symbols{}
	for path, names := range byPath {
		for _, n := range names {
			out = append(out, path+"."+n)
		}
	}
	if len(out) == 0 && byPath == nil {
		out = nil
	}
	slices.Sort(out)
	*s = out
	return nil
}
