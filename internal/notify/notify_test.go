package notify

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

const manifest = strata.Digest("sha256:0000000000000000000000000000000000000000000000000000000000000001")

// record is a debian:12 record of id on the source (or binary) package
// pkg, fixed in fixed.
func record(id, pkg, fixed string) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Eco: strata.Deb, Release: "debian:12", Package: pkg, SourcePackage: pkg == "openssl",
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: fixed}}}},
		State:  strata.Fixed, FixedVersion: fixed, Severity: strata.High,
	}
}

func TestNotifier(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &strata.IndexReport{ManifestDigest: manifest, Distribution: &strata.Distribution{ID: "debian", VersionID: "12"},
		Packages: []strata.Package{{Name: "libssl3", Version: "3.0.15-1~deb12u1", Eco: strata.Deb,
			SourceName: "openssl", SourceVersion: "3.0.15-1~deb12u1"}}}
	if err := st.PutIndexReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	a, b, c := record("CVE-A", "openssl", "3.0.16-1"), record("CVE-B", "openssl", "3.0.16-1"), record("CVE-C", "openssl", "3.0.1-1")
	aFixed, bBinary := record("CVE-A", "openssl", "3.0.0-1"), record("CVE-B", "libssl3", "3.0.16-1")
	note := func(diff int64, id, reason string) store.Notification {
		return store.Notification{Diff: diff, Updater: "debian", Manifest: manifest, Vulnerability: id,
			Package: "libssl3", Version: "3.0.15-1~deb12u1", Reason: reason, Severity: strata.High}
	}
	steps := []struct {
		name  string
		vulns []strata.Vulnerability
		want  []store.Notification
	}{
		{"baseline", []strata.Vulnerability{a}, nil},
		{"a new record affects, another does not", []strata.Vulnerability{a, b, c}, []store.Notification{note(2, "CVE-B", store.Added)}},
		{"a changed record no longer affects", []strata.Vulnerability{aFixed, b, c}, []store.Notification{note(3, "CVE-A", store.Removed)}},
		{"affected before through another record", []strata.Vulnerability{aFixed, b, bBinary, c}, nil},
		{"every record of the vulnerability removed", []strata.Vulnerability{aFixed, c}, []store.Notification{note(5, "CVE-B", store.Removed)}},
	}
	n := &Notifier{Store: st, Source: st}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if _, err := st.ReplaceVulnerabilities(ctx, "debian", s.name, s.vulns); err != nil {
				t.Fatal(err)
			}
			sum, err := n.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.want, sum.Notifications, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("notifications (-want +got):\n%s", diff)
			}
			if sum.Diffs != 1 {
				t.Errorf("diffs processed = %d, want 1", sum.Diffs)
			}
			again, err := n.Run(ctx)
			if err != nil || again.Diffs != 0 {
				t.Errorf("second run: %+v, %v; want nothing processed", again, err)
			}
		})
	}
}
