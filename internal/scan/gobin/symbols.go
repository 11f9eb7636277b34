package gobin

import (
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// setSymbols records on each package the functions of its packages that
// the binary holds (see strata.Package.Symbols), read from the function
// table the Go linker writes to .gopclntab (see functions): it is kept
// when the binary is stripped of its symbol table (-ldflags=-s), and names
// only the functions the linker found reachable. When that table cannot be
// read, every package is marked Stripped.
func setSymbols(pkgs []strata.Package, f *elf.File) {
	funcs, err := functions(f)
	if err != nil {
		for i := range pkgs {
			pkgs[i].Stripped = true
		}
		return
	}
	byModule := map[int][]string{}
	modules := map[string]int{} // import path → index in pkgs (moduleOf)
	for _, fn := range funcs {
		pkg, name, ok := splitFunc(fn)
		if !ok {
			continue
		}
		i, ok := modules[pkg]
		if !ok {
			i = moduleOf(pkgs, pkg)
			modules[pkg] = i
		}
		if i >= 0 {
			byModule[i] = append(byModule[i], pkg+"."+name)
		}
	}
	for i, syms := range byModule {
		slices.Sort(syms)
		pkgs[i].Symbols = slices.Compact(syms)
	}
}

// functions lists the names of the functions that the binary holds,
// compiled on their own or inlined into others. Since Go 1.16 the
// .gopclntab has a table of function names that the inline trees of the
// functions also point into, so that a function inlined at every call
// site (htmlcheck's x/net/html.Parse) is named there though it has no
// entry of its own: that name table alone is read. Older tables have no
// such table: their functions are read with debug/gosym, and a function
// inlined everywhere is missing from them. Either way a function inlined
// so wholly that no instruction is left of it (one that returns a
// constant) leaves no name.
func functions(f *elf.File) (names []string, err error) {
	defer func() { // debug/elf and debug/gosym do not promise not to panic on corrupt input
		if p := recover(); p != nil {
			names, err = nil, fmt.Errorf("corrupt .gopclntab: %v", p)
		}
	}()
	pcln := f.Section(".gopclntab")
	if pcln == nil {
		return nil, errors.New("no .gopclntab section")
	}
	names, err = funcNames(pcln, f.ByteOrder)
	if errors.Is(err, errNoNameTable) {
		return tableFunctions(f, pcln)
	}
	return names, err
}

// maxNameTable bounds the memory funcNames sets aside before reading.
const maxNameTable = 64 << 20

// errNoNameTable says a .gopclntab predates Go 1.16's function name table.
var errNoNameTable = errors.New("no function name table (Go before 1.16)")

// funcNames reads the function name table of a Go 1.16 or later
// .gopclntab: NUL-terminated names, from the table's funcnameOffset to its
// cuOffset, which its header gives after the magic number, two zero
// bytes, the instruction size quantum and the pointer size, then nfunc,
// nfiles and (since Go 1.18) textStart, each a pointer wide.
func funcNames(pcln *elf.Section, order binary.ByteOrder) ([]string, error) {
	rs := pcln.Open()
	var head [8 + 5*8]byte
	n, err := io.ReadFull(rs, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf(".gopclntab header: %w", err)
	}
	if n < 8 {
		return nil, errors.New(".gopclntab header: too short")
	}
	var first int // index of the funcnameOffset word
	switch order.Uint32(head[:]) {
	case 0xfffffff0, 0xfffffff1: // Go 1.18-1.19, 1.20 and later
		first = 3
	case 0xfffffffa: // Go 1.16-1.17
		first = 2
	default:
		return nil, errNoNameTable
	}
	ptr := int(head[7])
	if head[4] != 0 || head[5] != 0 || (ptr != 4 && ptr != 8) || n < 8+(first+2)*ptr {
		return nil, errors.New(".gopclntab header: corrupt")
	}
	word := func(i int) uint64 {
		b := head[8+i*ptr:]
		if ptr == 4 {
			return uint64(order.Uint32(b))
		}
		return order.Uint64(b)
	}
	start, end := word(first), word(first+1)
	if start > end || end > pcln.Size || start < uint64(8+(first+2)*ptr) {
		return nil, fmt.Errorf(".gopclntab: function name table at [%d, %d) outside the %d-byte section", start, end, pcln.Size)
	}
	if _, err := rs.Seek(int64(start), io.SeekStart); err != nil {
		return nil, err
	}
	// Read into one string that the names share, grown for the table's
	// size as the header gives it up to maxNameTable (a real table is a
	// few MiB), then only as bytes arrive: a header may lie.
	var b strings.Builder
	b.Grow(int(min(end-start, maxNameTable)))
	if _, err := io.CopyN(&b, rs, int64(end-start)); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf(".gopclntab function name table: %w", err)
	}
	table := b.String()
	names := make([]string, 0, strings.Count(table, "\x00"))
	for name := range strings.SplitSeq(table, "\x00") {
		if name != "" {
			names = append(names, name)
		}
	}
	return names, nil
}

// tableFunctions lists the functions of an older .gopclntab with
// debug/gosym.
func tableFunctions(f *elf.File, pcln *elf.Section) ([]string, error) {
	text := f.Section(".text")
	if text == nil {
		return nil, errors.New("no .text section")
	}
	b, err := pcln.Data()
	if err != nil {
		return nil, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(b, text.Addr))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(tab.Funcs))
	for i, fn := range tab.Funcs {
		names[i] = fn.Name
	}
	return names, nil
}

// isClosure says whether a name element is one the compiler gives to a
// function literal or to the wrapper of a go or defer statement: func1,
// gowrap2, deferwrap3.
func isClosure(elem string) bool {
	for _, prefix := range [...]string{"func", "gowrap", "deferwrap"} {
		if n, ok := strings.CutPrefix(elem, prefix); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// receiverMarks are what splitFunc drops of a method's receiver and of a
// method value's name.
var receiverMarks = strings.NewReplacer("(*", "", "(", "", ")", "", "-fm", "")

// splitFunc splits a linker function name into its import path and the
// name OSV uses: "golang.org/x/net/html.(*Tokenizer).Next" →
// "golang.org/x/net/html", "Tokenizer.Next". Closures count as their
// enclosing function, method values ("-fm") as their method, and type
// parameters are dropped; the linker's own
// symbols ("type:.eq.…", "go:buildid") are not functions of a package.
// A binary names tens of thousands of functions: the common name
// ("pkg.Func") allocates nothing.
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
	if strings.ContainsAny(rest, "[(-") {
		rest = receiverMarks.Replace(dropTypeArgs(rest))
	}
	// The first two elements, up to a closure's.
	end, elems := 0, 0
	for elem := range strings.SplitSeq(rest, ".") {
		if elems == 2 || isClosure(elem) {
			break
		}
		if elems > 0 {
			end++
		}
		end += len(elem)
		elems++
	}
	name = rest[:end]
	return pkg, name, name != "" && name[0] != '.'
}

// dropTypeArgs removes the bracketed type arguments of a generic
// function's name: "Map[...].Get" → "Map.Get".
func dropTypeArgs(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
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
		case strings.HasPrefix(pkg, p.Name) && (len(pkg) == len(p.Name) || pkg[len(p.Name)] == '/'):
			if best < 0 || pkgs[best].Name == "stdlib" || len(p.Name) > len(pkgs[best].Name) {
				best = i
			}
		}
	}
	return best
}
