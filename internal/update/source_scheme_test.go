package update

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// TestFetchScheme: a URL of another scheme than http(s) is refused by
// name; a path holding a colon is still a path.
func TestFetchScheme(t *testing.T) {
	dir := t.TempDir()
	colon := testutil.WriteFile(t, filepath.Join(dir, "a:b"), []byte("CVE-1 bash 1\n"))
	tests := []struct {
		loc, want string // want "" for no error
	}{
		{"ftp://x/y", `ftp://x/y: unsupported URL scheme "ftp" (want http or https, or a local path)`},
		{"file:///etc/feed.json", `file:///etc/feed.json: unsupported URL scheme "file" (want http or https, or a local path)`},
		{"git+ssh://host/repo", `git+ssh://host/repo: unsupported URL scheme "git+ssh" (want http or https, or a local path)`},
		{colon, ""},
		{dir + "/x://y", "fetch: stat " + dir + "/x://y: no such file or directory"},
		{"1ftp://x", "fetch: stat 1ftp://x: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.loc, func(t *testing.T) {
			_, err := Fetch(context.Background(), nil, tt.loc, "", func(Document) error { return nil })
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Fetch(%q) error = %q, want %q", tt.loc, got, tt.want)
			}
		})
	}
}
