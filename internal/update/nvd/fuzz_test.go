package nvd_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/strata-scan/strata/internal/update/nvd"
)

var (
	cveID = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)
	cweID = regexp.MustCompile(`^CWE-[0-9]+$`)
)

// FuzzParse checks that Parse never panics and that every record it gives
// is an enrichment record: a CVE id, no ecosystem, release or package,
// only CWE ids, a description of at most 200 bytes and "…".
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(feeds, "*", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"cve": {"id": "CVE-2024-0001", "published": "2024-01-02T03:04Z", "vulnStatus": "Rejected"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := nvd.Updater{}.Parse(context.Background(), "page.json", bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, v := range vs {
			if !cveID.MatchString(v.ID) || v.Updater != "nvd" || v.Eco != "" || v.Release != "" || v.Package != "" {
				t.Errorf("record %q: updater %q, ecosystem %q, release %q, package %q", v.ID, v.Updater, v.Eco, v.Release, v.Package)
			}
			for _, c := range v.CWEs {
				if !cweID.MatchString(c) {
					t.Errorf("record %s: CWE %q", v.ID, c)
				}
			}
			if len(v.Description) > 200+len("…") {
				t.Errorf("record %s: description of %d bytes", v.ID, len(v.Description))
			}
		}
	})
}
