package gobin

import (
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/strata-scan/strata"
)

var (
	// ErrNotGo is the error of ReadBinary for a file that is not an ELF
	// file with readable Go build info.
	ErrNotGo = errors.New("not an ELF file with Go build info")
	// ErrBadELF is the error of ReadBinary, besides ErrNotGo, for a file
	// that starts with the ELF magic but cannot be read as an ELF file:
	// cut short, or with headers that point outside it.
	ErrBadELF = errors.New("not a readable ELF file")
)

// ReadBinary reads the Go build info of an ELF executable and returns its
// packages (see Packages). path is the file's image path: it becomes each
// package's PackageDB and is named in errors. Only the ELF headers, the
// section or segment that holds the build info and the function name
// table are read from r (see functions), so a large binary costs little
// memory, and stripped binaries are read as well. Each package also gets
// the functions of its packages that the binary holds (see setSymbols).
// Every error wraps ErrNotGo: a file whose build info cannot be read is
// not taken for a Go binary; that of a damaged ELF file wraps ErrBadELF
// too.
func ReadBinary(path string, r io.ReaderAt) ([]strata.Package, error) {
	magic := make([]byte, len(elf.ELFMAG))
	if _, err := r.ReadAt(magic, 0); err != nil || string(magic) != elf.ELFMAG {
		return nil, fmt.Errorf("gobin: %s: %w: no ELF header", path, ErrNotGo)
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("gobin: %s: %w: %w: %v", path, ErrNotGo, ErrBadELF, err)
	}
	bi, err := buildinfo.Read(r)
	if err != nil {
		return nil, fmt.Errorf("gobin: %s: %w: %v", path, ErrNotGo, err)
	}
	pkgs := Packages(path, bi)
	setSymbols(pkgs, f)
	return pkgs, nil
}

// Packages turns build info into packages of the Go ecosystem, at image
// path path:
//   - the main module at its version, without the leading "v"; "(devel)"
//     when the build stamped none. A binary built in GOPATH mode has no
//     module: its main package path is reported with an empty version;
//   - each dependency at its version, or at its replacement's path and
//     version when it was replaced; a dependency replaced by a local
//     directory keeps its path, at version "(devel)";
//   - "stdlib" at the toolchain's version as semver: go1.19.8 → 1.19.8,
//     go1.21rc2 → 1.21.0-rc.2, as the Go vulnerability database writes it.
//
// Versions "(devel)" and "" say the code is not a published version.
func Packages(path string, bi *debug.BuildInfo) []strata.Package {
	var pkgs []strata.Package
	add := func(name, version string) {
		pkgs = append(pkgs, strata.Package{Name: name, Version: version, Eco: strata.Go,
			SourceName: name, SourceVersion: version, PackageDB: path})
	}
	switch {
	case bi.Main.Path != "":
		add(bi.Main.Path, modVersion(bi.Main.Version))
	case bi.Path != "" && bi.Path != "command-line-arguments":
		add(bi.Path, "")
	}
	for _, d := range bi.Deps {
		switch r := d.Replace; {
		case r == nil:
			add(d.Path, modVersion(d.Version))
		case r.Version == "" || r.Version == "(devel)":
			add(d.Path, "(devel)")
		default:
			add(r.Path, modVersion(r.Version))
		}
	}
	if bi.GoVersion != "" {
		add("stdlib", goVersion(bi.GoVersion))
	}
	return pkgs
}

// modVersion drops the "v" of a module version: OSV's Go records write
// v0.7.0 as 0.7.0.
func modVersion(v string) string {
	return strings.TrimPrefix(v, "v")
}

// goTag is a release's toolchain version: go1, go1.20, go1.19.8, go1.21rc2.
var goTag = regexp.MustCompile(`^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$`)

// goVersion turns a toolchain version into semver: go1.19.8 → 1.19.8,
// go1.20 → 1.20.0, go1.21rc2 → 1.21.0-rc.2, go1.18beta1 → 1.18.0-beta.1.
// Build suffixes such as " X:boringcrypto" are dropped; a development
// toolchain ("devel go1.23-abc…") is "(devel)". Anything else is kept as it
// is.
func goVersion(v string) string {
	v, _, _ = strings.Cut(v, " ")
	if v == "devel" {
		return "(devel)"
	}
	m := goTag.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	out := m[1] + "." + cmp.Or(m[2], "0") + "." + cmp.Or(m[3], "0")
	if m[4] != "" {
		out += "-" + m[4] + "." + m[5]
	}
	return out
}
