package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// TestMigration4 checks that migration 0004 keeps what a store of schema
// version 3 held: exec runs SQL on such a database (tables as 0001–0003
// made them, the versions 1 to 3 recorded), and open then opens it with
// the store, which migrates it. The images are found by their package
// versions as PutIndexReport would have recorded them, records by their
// aliases, and the notifications are listed, the delivered one
// acknowledged.
func TestMigration4(t *testing.T, exec func(q string), open func() store.Store) {
	t.Helper()
	bullseye := indexReport(digest(1), digest(11))
	bullseye.Distribution = &strata.Distribution{ID: "debian", VersionID: "11"}
	nothing := indexReport(digest(2), digest(12))
	nothing.Packages = nil // written as "packages": null
	for _, r := range []*strata.IndexReport{bullseye, nothing} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		exec(fmt.Sprintf(`INSERT INTO manifests (digest, report, indexed_at) VALUES ('%s', '%s', '2024-01-02T03:04:05.000000Z')`,
			r.ManifestDigest, strings.ReplaceAll(string(b), "'", "''")))
		exec(fmt.Sprintf(`INSERT INTO manifest_layers (manifest, idx, layer) VALUES ('%s', 0, '%s')`, r.ManifestDigest, r.Layers[0].Digest))
	}
	for _, k := range []string{"'deb', 'debian:11', 'libssl3'", "'deb', 'debian:11', 'openssl'", "'pypi', '', 'requests'"} {
		exec(fmt.Sprintf(`INSERT INTO package_keys (manifest, ecosystem, release, name) VALUES ('%s', %s)`, digest(1), k))
	}
	v := vuln("debian", "DSA-1", "debian:11", "openssl")
	rec, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	exec(fmt.Sprintf(`INSERT INTO vulnerabilities (updater, key, hash, ecosystem, release, package, record)
		VALUES ('debian', '%s', '\x00', 'deb', 'debian:11', 'openssl', '%s')`, v.Key(), strings.ReplaceAll(string(rec), "'", "''")))
	exec(`INSERT INTO notified_diffs (diff, updater) VALUES (1, 'debian'), (2, 'debian')`)
	// More than 128 notifications in diff 2, so that the indices of its
	// changes take varints of two bytes.
	values := []string{fmt.Sprintf(`(2, 'debian', '%s', 'DSA-1', 'libssl3', '3.0.15-1~deb12u1', 'added', 3,
		'2024-01-02T03:04:05.000000Z', '2024-01-03T03:04:05.000000Z')`, digest(1))}
	for i := 2; i <= 130; i++ {
		values = append(values, fmt.Sprintf(`(2, 'debian', '%s', 'DSA-%d', 'libssl3', '3.0.15-1~deb12u1', 'removed', 4,
			'2024-01-02T03:04:05.000000Z', NULL)`, digest(1), i))
	}
	exec(`INSERT INTO notifications (diff, updater, manifest, vulnerability, package, version, reason, severity, created, delivered_at)
		VALUES ` + strings.Join(values, ", "))

	s := open()
	keys := []store.PackageKey{{Eco: strata.Deb, Release: "debian:11", Name: "openssl"}, {Eco: strata.PyPI, Name: "requests"}}
	want := []string{" requests 2.31.0", held(1, 11), "debian:11 libssl3 3.0.15-1~deb12u1", held(1, 11)}
	if diff := cmp.Diff(want, holders(t, s, keys)); diff != "" {
		t.Errorf("package versions after the migration (-want +got):\n%s", diff)
	}
	got, err := s.VulnerabilitiesByID(t.Context(), "GHSA-DSA-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]strata.Vulnerability{v}, got); diff != "" {
		t.Errorf("VulnerabilitiesByID(an alias) after the migration (-want +got):\n%s", diff)
	}
	ns, err := store.Notifications(t.Context(), s, store.NotificationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, n := range ns {
		lines = append(lines, fmt.Sprintf("%d %s %s %s %s %s %s %s created %s delivered %s", n.Diff, n.Updater, n.Manifest,
			n.Vulnerability, n.Package, n.Version, n.Reason, n.Severity, n.Created.Format(time.DateOnly), n.Delivered.Format(time.DateOnly)))
	}
	m := digest(1)
	wantLines := []string{fmt.Sprintf("2 debian %s DSA-1 libssl3 3.0.15-1~deb12u1 added Medium created 2024-01-02 delivered 2024-01-03", m)}
	for i := 2; i <= 130; i++ {
		wantLines = append(wantLines,
			fmt.Sprintf("2 debian %s DSA-%d libssl3 3.0.15-1~deb12u1 removed High created 2024-01-02 delivered 0001-01-01", m, i))
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("notifications after the migration (-want +got):\n%s", diff)
	}
	if n, err := s.AckNotifications(t.Context(), 2, store.LastNotification); err != nil || n != 129 {
		t.Errorf("AckNotifications(2) after the migration = %d, %v; want 129", n, err)
	}
}
