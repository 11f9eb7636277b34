package layer

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readResult is ReadFile's answer in a comparable form.
type readResult struct {
	Body     string
	Err      string
	NotExist bool
}

func readFile(res *Result, p string) readResult {
	b, err := res.ReadFile(p)
	if err != nil {
		return readResult{Err: err.Error(), NotExist: errors.Is(err, fs.ErrNotExist)}
	}
	return readResult{Body: string(b)}
}

func TestReadFileLinks(t *testing.T) {
	layer := buildTar(t,
		dir("usr/lib/"),
		reg("usr/lib/os-release", "ID=debian\n"),
		symlink("etc/os-release", "../usr/lib/os-release"),
		symlink("etc/abs", "/usr/lib/os-release"),
		symlink("etc/chain", "os-release"),
		symlink("lib", "usr/lib"),
		symlink("etc/escape", "../../../../usr/lib/os-release"),
		symlink("etc/escape-abs", "/../../usr/lib/os-release"),
		symlink("etc/secret", "../../secret.txt"),
		symlink("etc/dangling", "nowhere"),
		symlink("loop/a", "b"),
		symlink("loop/b", "a"),
		symlink("loop/self", "self"),
		hardlink("usr/bin/hard", "usr/lib/os-release"),
		hardlink("usr/bin/hard2", "./usr/bin/hard"),
		symlink("usr/bin/via-hard", "hard"),
	)
	res, err := Walk(context.Background(), "L", bytes.NewReader(layer), wantSet("usr/lib/os-release"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	debian := readResult{Body: "ID=debian\n"}
	for _, tc := range []struct {
		path string
		want readResult
	}{
		{"usr/lib/os-release", debian},
		{"/usr/lib/os-release", debian},
		{"./usr/lib/../lib/os-release", debian},
		{"etc/os-release", debian},
		{"etc/abs", debian},
		{"etc/chain", debian},
		{"lib/os-release", debian},
		{"etc/escape", debian},
		{"etc/escape-abs", debian},
		{"../../usr/lib/os-release", debian},
		{"usr/bin/hard", debian},
		{"usr/bin/hard2", debian},
		{"usr/bin/via-hard", debian},
		{"etc/secret", readResult{Err: "read etc/secret: file does not exist", NotExist: true}},
		{"etc/dangling", readResult{Err: "read etc/dangling: file does not exist", NotExist: true}},
		{"loop/a", readResult{Err: "read loop/a: too many levels of symbolic links (more than 40)", NotExist: true}},
		{"loop/self", readResult{Err: "read loop/self: too many levels of symbolic links (more than 40)", NotExist: true}},
		{"usr/lib", readResult{Err: "read usr/lib: file does not exist", NotExist: true}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, readFile(res, tc.path)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	wantPaths := []string{
		"etc/abs", "etc/chain", "etc/escape", "etc/escape-abs", "etc/os-release",
		"usr/bin/hard", "usr/bin/hard2", "usr/bin/via-hard", "usr/lib/os-release",
	}
	if diff := cmp.Diff(wantPaths, res.Paths()); diff != "" {
		t.Errorf("Paths (-want +got)\n%s", diff)
	}
	// The links that cannot be resolved, among those wanted; a dangling
	// link resolves (to nothing) and is not one of them.
	if diff := cmp.Diff([]string{"loop/a", "loop/b", "loop/self"}, res.Unresolved(wantAll.Path)); diff != "" {
		t.Errorf("Unresolved (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"loop/self"}, res.Unresolved(wantSet("loop/self", "etc/dangling").Path)); diff != "" {
		t.Errorf("Unresolved of loop/self and etc/dangling (-want +got)\n%s", diff)
	}
}

// Resolve names what a path finally is, as ReadFile follows it, so that
// scanners read a file reached through several links once.
func TestResolve(t *testing.T) {
	layer := buildTar(t,
		reg("usr/share/java/x.jar", "jar"),
		symlink("usr/share/java/x-1.0.jar", "x.jar"),
		symlink("usr/share/maven-repo/x/1.0/x-1.0.jar", "/usr/share/java/x-1.0.jar"),
		hardlink("usr/bin/hard", "usr/share/java/x.jar"),
		symlink("loop/a", "a"),
	)
	res, err := Walk(context.Background(), "L", bytes.NewReader(layer), wantAll, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want, err string }{
		{"usr/share/java/x.jar", "usr/share/java/x.jar", ""},
		{"/usr/share/java/x-1.0.jar", "usr/share/java/x.jar", ""},
		{"usr/share/maven-repo/x/1.0/x-1.0.jar", "usr/share/java/x.jar", ""},
		{"usr/bin/hard", "usr/share/java/x.jar", ""},
		{"usr/share/java/absent", "usr/share/java/absent", ""},
		{"loop/a", "", "too many levels of symbolic links (more than 40)"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := res.Resolve(tc.path)
			if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
				t.Errorf("Resolve(%q) = %q, %v; want %q, %q", tc.path, got, err, tc.want, tc.err)
			}
		})
	}
}

// A wanted link makes its target wanted for the rest of the stream,
// following links seen so far. A target that came earlier, and was not
// wanted, is pending: ReadPending reads it from a second pass.
func TestWalkWantedLinkTargets(t *testing.T) {
	debian := readResult{Body: "ID=debian\n"}
	for _, tc := range []struct {
		name        string
		entries     []ent
		wants       []string
		wantPending []string
		want        map[string]readResult // after ReadPending
	}{
		{
			name: "target after the link",
			entries: []ent{
				symlink("etc/os-release", "../usr/lib/os-release"),
				reg("usr/lib/os-release", "ID=debian\n"),
			},
			wants: []string{"etc/os-release"},
			want:  map[string]readResult{"etc/os-release": debian},
		},
		{
			name: "chain of links, target last",
			entries: []ent{
				symlink("a", "b"),
				symlink("b", "/dir/c"),
				symlink("dir", "real"),
				reg("real/c", "C"),
			},
			wants: []string{"a"},
			want:  map[string]readResult{"a": {Body: "C"}},
		},
		{
			name: "through a directory link seen earlier",
			entries: []ent{
				symlink("lib", "usr/lib"),
				symlink("etc/os-release", "../lib/os-release"),
				reg("usr/lib/os-release", "ID=debian\n"),
			},
			wants: []string{"etc/os-release"},
			want:  map[string]readResult{"etc/os-release": debian},
		},
		{
			name: "target before the link",
			entries: []ent{
				reg("usr/lib/os-release", "ID=debian\n"),
				symlink("etc/os-release", "../usr/lib/os-release"),
			},
			wants:       []string{"etc/os-release"},
			wantPending: []string{"usr/lib/os-release"},
			want:        map[string]readResult{"etc/os-release": debian},
		},
		{
			name: "hard link to an unwanted file",
			entries: []ent{
				reg("usr/bin/python3.11", "ELF"),
				hardlink("usr/bin/python3", "usr/bin/python3.11"),
			},
			wants:       []string{"usr/bin/python3"},
			wantPending: []string{"usr/bin/python3.11"},
			want:        map[string]readResult{"usr/bin/python3": {Body: "ELF"}},
		},
		{
			// The first name is gone from the image once an upper layer
			// whites it out; the database is still read through the link.
			name: "package database hard-linked to a temporary name",
			entries: []ent{
				reg("tmp/s", "Package: bash\n"),
				hardlink("var/lib/dpkg/status", "tmp/s"),
			},
			wants:       []string{"var/lib/dpkg/status"},
			wantPending: []string{"tmp/s"},
			want:        map[string]readResult{"var/lib/dpkg/status": {Body: "Package: bash\n"}},
		},
		{
			name: "target replaced after the link: the last entry counts",
			entries: []ent{
				reg("usr/lib/os-release", "ID=old\n"),
				symlink("etc/os-release", "../usr/lib/os-release"),
				dir("usr/lib/os-release"),
				reg("usr/lib/os-release", "ID=debian\n"),
			},
			wants: []string{"etc/os-release"},
			want:  map[string]readResult{"etc/os-release": debian},
		},
		{
			name: "dangling link: pending, and absent after the second pass",
			entries: []ent{
				reg("usr/lib/other", "x"),
				symlink("etc/os-release", "../usr/lib/os-release"),
			},
			wants:       []string{"etc/os-release"},
			wantPending: []string{"usr/lib/os-release"},
			want:        map[string]readResult{"etc/os-release": {Err: "read etc/os-release: file does not exist", NotExist: true}},
		},
		{
			name: "wanted link replaced by a file: nothing pending",
			entries: []ent{
				reg("usr/lib/os-release", "ID=debian\n"),
				symlink("etc/os-release", "../usr/lib/os-release"),
				reg("etc/os-release", "ID=alpine\n"),
			},
			wants: []string{"etc/os-release"},
			want:  map[string]readResult{"etc/os-release": {Body: "ID=alpine\n"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blob := buildTar(t, tc.entries...)
			res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantSet(tc.wants...), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Close()
			if diff := cmp.Diff(tc.wantPending, res.Pending); diff != "" {
				t.Errorf("Pending (-want +got)\n%s", diff)
			}
			if err := res.ReadPending(context.Background(), "L", bytes.NewReader(blob), Limits{}); err != nil {
				t.Fatal(err)
			}
			got := map[string]readResult{}
			for p := range tc.want {
				got[p] = readFile(res, p)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reads after ReadPending (-want +got)\n%s", diff)
			}
			if res.Pending != nil {
				t.Errorf("Pending after ReadPending = %q, want none", res.Pending)
			}
		})
	}
}

// The second pass must read the same layer.
func TestReadPendingChangedLayer(t *testing.T) {
	first := buildTar(t, reg("tmp/s", "Package: bash\n"), hardlink("var/lib/dpkg/status", "tmp/s"))
	second := buildTar(t, reg("tmp/s", "Package: evil\n"), hardlink("var/lib/dpkg/status", "tmp/s"))
	res, err := Walk(context.Background(), "L", bytes.NewReader(first), wantSet("var/lib/dpkg/status"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	err = res.ReadPending(context.Background(), "L", bytes.NewReader(second), Limits{})
	want := "layer L: second read for link targets: content changed: blob is " + string(sha(second)) + ", was " + string(sha(first))
	if err == nil || err.Error() != want {
		t.Errorf("ReadPending of other bytes: %v, want %s", err, want)
	}
	err = res.ReadPending(context.Background(), "L", bytes.NewReader(first[:1000]), Limits{})
	if want := `layer L: second read for link targets: truncated tar: no end-of-archive block after entry "tmp/s": unexpected EOF`; err == nil || err.Error() != want {
		t.Errorf("ReadPending of a truncated layer: %v, want %s", err, want)
	}
}

// A kept file under a directory that a later entry replaces with a link is
// read through the link, as a container would see it.
func TestWalkDirectoryReplacedByLink(t *testing.T) {
	blob := buildTar(t,
		reg("dir1/sample.txt", "old"),
		reg("other/sample.txt", "new"),
		symlink("dir1", "other"),
		symlink("loop", "loop"),
		reg("loop/x", "x"),
	)
	res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantAll, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]readResult{"dir1/sample.txt": readFile(res, "dir1/sample.txt"), "loop/x": readFile(res, "loop/x")}
	want := map[string]readResult{
		"dir1/sample.txt": {Body: "new"},
		"loop/x":          {Err: "read loop/x: too many levels of symbolic links (more than 40)", NotExist: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reads (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"dir1/sample.txt", "other/sample.txt"}, res.Paths()); diff != "" {
		t.Errorf("Paths (-want +got)\n%s", diff)
	}
}
