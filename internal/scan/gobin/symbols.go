package gobin

import (
	"debug/elf"
	"debug/gosym"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// setSymbols records on each package the functions of its packages that
// the binary holds (see strata.Package.Symbols), read from the function
// table the Go linker writes to .gopclntab: it is kept when the binary is
// stripped of its symbol table (-ldflags=-s), and holds only the functions
// the linker found reachable. A function inlined at every call site has no
// entry of its own: it counts as absent (htmlcheck holds x/net/html's
// ParseWithOptions but not Parse, inlined into main). When that table cannot be read, every
// package is marked Stripped.
func setSymbols(pkgs []strata.Package, r io.ReaderAt) {
	funcs, err := functions(r)
	if err != nil {
		for i := range pkgs {
			pkgs[i].Stripped = true
		}
		return
	}
	byModule := map[int][]string{}
	for _, fn := range funcs {
		pkg, name, ok := splitFunc(fn)
		if !ok {
			continue
		}
		if i := moduleOf(pkgs, pkg); i >= 0 {
			byModule[i] = append(byModule[i], pkg+"."+name)
		}
	}
	for i, syms := range byModule {
		slices.Sort(syms)
		pkgs[i].Symbols = slices.Compact(syms)
	}
}

// functions lists the function names of .gopclntab.
func functions(r io.ReaderAt) (names []string, err error) {
	defer func() { // debug/gosym does not promise not to panic on corrupt tables
		if p := recover(); p != nil {
			names, err = nil, fmt.Errorf("corrupt .gopclntab: %v", p)
		}
	}()
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return nil, errors.New("no .gopclntab or .text section")
	}
	b, err := pcln.Data()
	if err != nil {
		return nil, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(b, text.Addr))
	if err != nil {
		return nil, err
	}
	for _, fn := range tab.Funcs {
		names = append(names, fn.Name)
	}
	return names, nil
}

// closure is a name element the compiler gives to function literals and
// to the wrappers of go and defer statements.
var closure = regexp.MustCompile(`^(func|gowrap|deferwrap)\d+$`)

// splitFunc splits a linker function name into its import path and the
// name OSV uses: "golang.org/x/net/html.(*Tokenizer).Next" →
// "golang.org/x/net/html", "Tokenizer.Next". Closures count as their
// enclosing function, method values ("-fm") as their method, and type
// parameters are dropped; the linker's own
// symbols ("type:.eq.…", "go:buildid") are not functions of a package.
func splitFunc(fn string) (pkg, name string, ok bool) {
	if strings.HasPrefix(fn, "type:") || strings.HasPrefix(fn, "go:") {
		return "", "", false
	}
	slash := strings.LastIndexByte(fn, '/') + 1
	dot := strings.IndexByte(fn[slash:], '.')
	if dot < 0 {
		return "", "", false
	}
	pkg, rest := fn[:slash+dot], fn[slash+dot+1:]
	rest = strings.NewReplacer("(*", "", "(", "", ")", "", "-fm", "").Replace(dropTypeArgs(rest))
	var parts []string
	for _, p := range strings.Split(rest, ".") {
		if closure.MatchString(p) || len(parts) == 2 {
			break
		}
		parts = append(parts, p)
	}
	return pkg, strings.Join(parts, "."), len(parts) > 0 && parts[0] != ""
}

// dropTypeArgs removes the bracketed type arguments of a generic
// function's name: "Map[...].Get" → "Map.Get".
func dropTypeArgs(s string) string {
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// moduleOf is the index in pkgs of the module that holds import path pkg:
// the longest module path that is pkg or a prefix of it, the standard
// library for a path whose first element has no dot, and the main module
// (the first package) for package main. It is -1 for none.
func moduleOf(pkgs []strata.Package, pkg string) int {
	if pkg == "main" {
		return 0
	}
	best := -1
	for i, p := range pkgs {
		switch {
		case p.Name == "stdlib":
			first, _, _ := strings.Cut(pkg, "/")
			if best < 0 && !strings.Contains(first, ".") {
				best = i
			}
		case pkg == p.Name || strings.HasPrefix(pkg, p.Name+"/"):
			if best < 0 || pkgs[best].Name == "stdlib" || len(p.Name) > len(pkgs[best].Name) {
				best = i
			}
		}
	}
	return best
}
