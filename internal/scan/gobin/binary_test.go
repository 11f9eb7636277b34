package gobin_test

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/gobin"
)

const bin = "usr/local/bin/htmlcheck"

// golang is a package of the Go ecosystem found in the binary at db.
func golang(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.Go,
		SourceName: name, SourceVersion: version, PackageDB: db}
}

// noTable marks pkgs as read from a binary without a function table, as
// the ELF files of goELF are.
func noTable(pkgs ...strata.Package) []strata.Package {
	for i := range pkgs {
		pkgs[i].Stripped = true
	}
	return pkgs
}

// htmlcheckInfo is the module info of the real usr/local/bin/htmlcheck of
// the bookworm-apps image (see shared/data/PROVENANCE.md), as `go version
// -m` prints it.
const htmlcheckInfo = "path\texample.com/htmlcheck\n" +
	"mod\texample.com/htmlcheck\t(devel)\t\n" +
	"dep\tgolang.org/x/net\tv0.7.0\th1:rJrUqqhjsgNp7KqAIc25s9pZnjU7TUcSY7HcVZjdn1g=\n" +
	"dep\tgolang.org/x/text\tv0.7.0\n" +
	"=>\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=\n" +
	"build\t-buildmode=exe\nbuild\tCGO_ENABLED=0\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\n"

// runcInfo is the module info of Debian's usr/sbin/runc: a GOPATH-mode
// build, with no module.
const runcInfo = "path\tgithub.com/opencontainers/runc\nbuild\t-compiler=gc\nbuild\tCGO_ENABLED=1\n"

func TestPackages(t *testing.T) {
	tests := []struct {
		name, version, modinfo string
		want                   []strata.Package
	}{
		{"htmlcheck", "go1.26.8", htmlcheckInfo, []strata.Package{
			golang("example.com/htmlcheck", "(devel)", bin),
			golang("golang.org/x/net", "0.7.0", bin),
			golang("golang.org/x/text", "0.3.7", bin),
			golang("stdlib", "1.26.8", bin),
		}},
		{"GOPATH mode", "go1.19.8", runcInfo, []strata.Package{
			golang("github.com/opencontainers/runc", "", bin),
			golang("stdlib", "1.19.8", bin),
		}},
		{"stamped main version, pseudo-version, +incompatible", "go1.24.1",
			"path\texample.com/tool/cmd/tool\nmod\texample.com/tool\tv1.2.3\th1:x=\n" +
				"dep\tgithub.com/a/b\tv0.0.0-20230101000000-abcdefabcdef\th1:y=\n" +
				"dep\tgithub.com/c/d\tv2.0.0+incompatible\th1:z=\n",
			[]strata.Package{
				golang("example.com/tool", "1.2.3", bin),
				golang("github.com/a/b", "0.0.0-20230101000000-abcdefabcdef", bin),
				golang("github.com/c/d", "2.0.0+incompatible", bin),
				golang("stdlib", "1.24.1", bin),
			}},
		{"replacement by another module and by a directory", "go1.21rc2",
			"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n" +
				"dep\tgithub.com/old/lib\tv1.0.0\n=>\tgithub.com/fork/lib\tv1.0.1\th1:f=\n" +
				"dep\texample.com/local\tv1.2.3\n=>\t../local\t(devel)\t\n" +
				"dep\texample.com/old\tv0.1.0\n=>\t/src/old\t\t\n",
			[]strata.Package{
				golang("example.com/app", "(devel)", bin),
				golang("github.com/fork/lib", "1.0.1", bin),
				golang("example.com/local", "(devel)", bin),
				golang("example.com/old", "(devel)", bin),
				golang("stdlib", "1.21.0-rc.2", bin),
			}},
		{"go run of a file", "go1.22.0", "path\tcommand-line-arguments\n", []strata.Package{
			golang("stdlib", "1.22.0", bin),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bi, err := debug.ParseBuildInfo(tt.modinfo)
			if err != nil {
				t.Fatal(err)
			}
			bi.GoVersion = tt.version
			if diff := cmp.Diff(tt.want, gobin.Packages(bin, bi)); diff != "" {
				t.Errorf("Packages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadBinary(t *testing.T) {
	got, err := gobin.ReadBinary(bin, bytes.NewReader(goELF(t, "go1.26.8", htmlcheckInfo)))
	if err != nil {
		t.Fatal(err)
	}
	want := noTable(
		golang("example.com/htmlcheck", "(devel)", bin),
		golang("golang.org/x/net", "0.7.0", bin),
		golang("golang.org/x/text", "0.3.7", bin),
		golang("stdlib", "1.26.8", bin),
	)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadBinary (-want +got):\n%s", diff)
	}
}

// A file that is no ELF file with Go build info is not a Go binary
// (ErrNotGo); one with the ELF magic that cannot be read as an ELF file
// is a damaged ELF file too (ErrBadELF).
func TestReadBinaryNotGo(t *testing.T) {
	noInfo := bytes.Replace(goELF(t, "go1.26.8", htmlcheckInfo), []byte("\xff Go buildinf:"), []byte("\xff Go nothing!:"), 1)
	headersOutside := goELF(t, "go1.26.8", htmlcheckInfo)
	binary.LittleEndian.PutUint64(headersOutside[0x28:], 1<<30) // e_shoff: the section headers at 1 GiB
	const pre = "gobin: " + bin + ": not an ELF file with Go build info: "
	tests := []struct {
		name string
		in   []byte
		want string
		bad  bool
	}{
		{"empty", nil, "no ELF header", false},
		{"script", []byte("#!/bin/sh\necho hello\n"), "no ELF header", false},
		{"truncated ELF", goELF(t, "go1.26.8", htmlcheckInfo)[:40], "not a readable ELF file: EOF", true},
		{"section headers outside the file", headersOutside, "not a readable ELF file: EOF", true},
		{"ELF without build info", noInfo, "not a Go executable", false},
		{"build info without version", goELF(t, "", htmlcheckInfo), "not a Go executable", false},
		{"corrupt module info", goELF(t, "go1.26.8", "mod\tonly-a-path\n"), "could not parse Go build info: line 1: expected 2 or 3 columns; got 1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gobin.ReadBinary(bin, bytes.NewReader(tt.in))
			if !errors.Is(err, gobin.ErrNotGo) || err.Error() != pre+tt.want {
				t.Errorf("ReadBinary = %v, %v; want error %q wrapping ErrNotGo", got, err, pre+tt.want)
			}
			if errors.Is(err, gobin.ErrBadELF) != tt.bad {
				t.Errorf("ReadBinary error %v wraps ErrBadELF: %v, want %v", err, !tt.bad, tt.bad)
			}
		})
	}
}

// built compiles a small module with the go tool, once: a main package that
// calls a function of a dependency replaced by a local directory, a
// function small enough to be inlined, as is and with its symbol table and
// debug info stripped (-ldflags=-s -w).
var built = sync.OnceValues(func() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "gobin-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := map[string]string{
		"go.mod":     "module example.com/hello\n\ngo 1.22\n\nrequire example.com/dep v1.2.3\n\nreplace example.com/dep => ./dep\n",
		"main.go":    "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { println(dep.Scale(len(os.Args))) }\n",
		"dep/go.mod": "module example.com/dep\n\ngo 1.22\n",
		"dep/dep.go": "package dep\n\nfunc Scale(n int) int { return n*3 + 1 }\n",
	}
	for name, body := range src {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	out := map[string][]byte{}
	for name, ldflags := range map[string]string{"plain": "", "stripped": "-s -w"} {
		cmd := exec.Command("go", "build", "-buildvcs=false", "-ldflags="+ldflags, "-o", name, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, errors.New("go build: " + err.Error() + ": " + string(b))
		}
		if out[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	return out, nil
})

// builtBinaries returns the binaries of built and the version of the
// toolchain that made them; the test is skipped without a go tool.
func builtBinaries(t *testing.T) (map[string][]byte, string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go tool is not on PATH")
	}
	bins, err := built()
	if err != nil {
		t.Fatal(err)
	}
	v, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	return bins, strings.TrimSpace(string(v))
}

// A binary stripped with -ldflags=-s -w keeps its function table
// (.gopclntab, which the runtime needs for stack traces), so its symbols
// are read as well as those of the plain binary: Stripped stays false.
// dep.Scale is inlined into main.main, and has no function of its own in
// the binary (as debug/gosym shows), yet it is among dep's symbols.
func TestReadBinaryBuilt(t *testing.T) {
	bins, goVersion := builtBinaries(t)
	stdlib := strings.TrimPrefix(goVersion, "go") // a release such as go1.26.8
	for _, name := range []string{"plain", "stripped"} {
		t.Run(name, func(t *testing.T) {
			got, err := gobin.ReadBinary(bin, bytes.NewReader(bins[name]))
			if err != nil {
				t.Fatal(err)
			}
			hello := golang("example.com/hello", "(devel)", bin)
			hello.Symbols = []string{"main.main"}
			dep := golang("example.com/dep", "(devel)", bin)
			dep.Symbols = []string{"example.com/dep.Scale"}
			want := []strata.Package{hello, dep, golang("stdlib", stdlib, bin)}
			if std := got[len(got)-1].Symbols; !slices.Contains(std, "runtime.main") || !slices.Contains(std, "runtime.gopanic") {
				t.Errorf("stdlib symbols %v lack runtime.main or runtime.gopanic", std)
			}
			got[len(got)-1].Symbols = nil
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ReadBinary (-want +got):\n%s", diff)
			}
		})
	}
	if own := ownFunctions(t, bins["plain"]); !slices.Contains(own, "main.main") || slices.Contains(own, "example.com/dep.Scale") {
		t.Errorf("functions of their own %v: want main.main and not the inlined example.com/dep.Scale", own)
	}
	plain, _ := gobin.ReadBinary(bin, bytes.NewReader(bins["plain"]))
	stripped, _ := gobin.ReadBinary(bin, bytes.NewReader(bins["stripped"]))
	if diff := cmp.Diff(plain, stripped); diff != "" {
		t.Errorf("stripped binary's packages differ from the plain one's (-plain +stripped):\n%s", diff)
	}
}

// ownFunctions lists the functions that have an entry of their own in the
// binary's .gopclntab, as debug/gosym reads them.
func ownFunctions(t *testing.T, b []byte) []string {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	pcln, err := f.Section(".gopclntab").Data()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(pcln, f.Section(".text").Addr))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fn := range tab.Funcs {
		names = append(names, fn.Name)
	}
	return names
}
