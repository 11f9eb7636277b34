package layer

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// executables is a layer of executables and other files for
// TestWalkExecutables: ELF files (a 2 MiB one, kept on disk), one over
// the 1 MiB limit the test sets, one cut short of its magic, copies
// without an execute bit, a script, links.
func executables(t *testing.T) (blob []byte, large string) {
	t.Helper()
	b := make([]byte, 2<<20)
	rand.NewChaCha8([32]byte{3}).Read(b)
	large = "\x7fELF" + string(b)
	blob = buildTar(t,
		exe("opt/app/server", "\x7fELF server"),
		reg("opt/app/server.copy", "\x7fELF server"),
		exe("opt/app/large", large),
		exe("opt/app/huge", "\x7fELF"+strings.Repeat("x", 3<<20)),
		exe("opt/app/tiny", "\x7fEL"),
		exe("opt/app/empty", ""),
		exe("usr/bin/script", "#!/bin/sh\nexec /opt/app/server\n"),
		exe("usr/bin/wanted", "\x7fELF wanted"),
		exe("usr/bin/wanted-script", "#!/bin/sh\n"),
		reg("etc/os-release", "ID=debian\n"),
		symlink("usr/bin/server", "../../opt/app/server"),
		hardlink("opt/app/server.hard", "opt/app/server"),
		symlink("usr/bin/huge", "/opt/app/huge"),
	)
	return blob, large
}

// With Wants.Executables, the walk keeps the regular files with an execute
// bit that start with the ELF magic, wherever they are, besides the files
// wanted by path; it skips, without failing, an executable ELF file over
// the size limit, and lists it in Skipped. Executable tells the executable
// ELF files (and the links to them) from the other files kept.
func TestWalkExecutables(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	blob, large := executables(t)
	byPath := []string{"etc/os-release", "usr/bin/wanted", "usr/bin/wanted-script"}
	tests := []struct {
		name                  string
		wants                 Wants
		paths, execs, skipped []string
	}{
		{
			name:  "by path and executables",
			wants: Wants{Path: wantSet(byPath...).Path, Executables: true},
			paths: []string{"etc/os-release", "opt/app/large", "opt/app/server", "opt/app/server.hard",
				"usr/bin/server", "usr/bin/wanted", "usr/bin/wanted-script"},
			execs:   []string{"opt/app/large", "opt/app/server", "opt/app/server.hard", "usr/bin/server", "usr/bin/wanted"},
			skipped: []string{"opt/app/huge"},
		},
		{
			name:    "executables only",
			wants:   Wants{Executables: true},
			paths:   []string{"opt/app/large", "opt/app/server", "opt/app/server.hard", "usr/bin/server", "usr/bin/wanted"},
			execs:   []string{"opt/app/large", "opt/app/server", "opt/app/server.hard", "usr/bin/server", "usr/bin/wanted"},
			skipped: []string{"opt/app/huge"},
		},
		{
			name:  "by path only",
			wants: wantSet(byPath...),
			paths: byPath,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Walk(context.Background(), "L", bytes.NewReader(blob), tt.wants, Limits{MaxFileSize: 3 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Close()
			if diff := cmp.Diff(tt.paths, res.Paths()); diff != "" {
				t.Errorf("Paths (-want +got)\n%s", diff)
			}
			var execs []string
			for _, p := range res.Paths() {
				if res.Executable(p) {
					execs = append(execs, p)
				}
			}
			if diff := cmp.Diff(tt.execs, execs); diff != "" {
				t.Errorf("executables (-want +got)\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, res.Skipped); diff != "" {
				t.Errorf("Skipped (-want +got)\n%s", diff)
			}
			want := map[string]string{"etc/os-release": "ID=debian\n", "opt/app/large": large, "opt/app/server": "\x7fELF server",
				"opt/app/server.hard": "\x7fELF server", "usr/bin/server": "\x7fELF server",
				"usr/bin/wanted": "\x7fELF wanted", "usr/bin/wanted-script": "#!/bin/sh\n"}
			for _, p := range res.Paths() {
				if b, err := res.ReadFile(p); err != nil || string(b) != want[p] {
					t.Errorf("ReadFile(%q) = %.20q (%d bytes), %v; want %.20q (%d bytes)", p, b, len(b), err, want[p], len(want[p]))
				}
			}
		})
	}
	res, err := Walk(context.Background(), "L", bytes.NewReader(blob), Wants{Executables: true}, Limits{MaxFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if diff := cmp.Diff([]string{"opt/app/huge", "opt/app/large"}, res.Skipped); diff != "" {
		t.Errorf("Skipped with a 1 MiB limit (-want +got)\n%s", diff)
	}
}
