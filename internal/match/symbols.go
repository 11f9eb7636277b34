package match

import (
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// The verdicts of symbolVerdict.
const (
	SymbolPresent  = "symbol present"
	SymbolAbsent   = "symbol absent"
	SymbolStripped = "unknown (stripped)"
)

// symbolVerdict says whether the Go binary that p was found in holds one
// of the functions that v names as vulnerable: present when it holds one
// of them (or, for an import path listed without symbols, any function
// of that package), compiled on its own or inlined into another, absent
// when it holds none, unknown when its function table could not be read.
// It is "" when v names no symbols. The inlined functions are those of
// the function name table of binaries built by Go 1.16 or later (see
// package gobin): in an older binary, a function inlined at every call
// site counts as absent.
func symbolVerdict(p strata.Package, v strata.Vulnerability) string {
	if p.Eco != strata.Go || len(v.Symbols) == 0 {
		return ""
	}
	if p.Stripped {
		return SymbolStripped
	}
	for path, syms := range v.Symbols {
		if len(syms) == 0 {
			// p.Symbols is sorted: the first symbol at or after "path."
			// is one of the package's, if it has any.
			i, _ := slices.BinarySearch(p.Symbols, path+".")
			if i < len(p.Symbols) && strings.HasPrefix(p.Symbols[i], path+".") {
				return SymbolPresent
			}
		}
		for _, s := range syms {
			if _, found := slices.BinarySearch(p.Symbols, path+"."+s); found {
				return SymbolPresent
			}
		}
	}
	return SymbolAbsent
}
