package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// dsaList is the real DSA list of the repository's test feeds.
const dsaList = "../../testdata/feeds/debian/DSA.list"

// TestNotificationsRealData indexes real Debian systems, loads an older
// DSA list (the real one without the advisories from cutoff on), then the
// whole list: the notifications are exactly the (image, vulnerability)
// pairs a full match finds after and not before, and the update reads no
// layer (the image archives are gone by then).
func TestNotificationsRealData(t *testing.T) {
	// (bullseye-postgres-2022's status holds merge conflict markers.)
	dirs := []string{"buster-drupal-2021", "buster-vm-2020"}
	db := filepath.Join(t.TempDir(), "strata.db")
	for _, d := range dirs {
		img := dpkgImage(t, sharedPath(t, "pkgdb/dpkg/debian-old/"+d))
		mustRun(t, "index", "--db", db, img)
		if err := os.Remove(img); err != nil { // nothing may read a layer again
			t.Fatal(err)
		}
	}
	older := olderDSAList(t, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC))
	out := mustRun(t, "update", "--db", db, "--source", "debian="+older)
	if !strings.HasSuffix(out, "first update of these feeds: baseline recorded, no notifications\n") {
		t.Errorf("baseline update output:\n%s", out)
	}
	before := matchAll(t, db)
	out = mustRun(t, "update", "--db", db, "--source", "debian="+dsaList)
	after := matchAll(t, db)

	want := imageChanges(before, after)
	slices.Sort(want)
	if len(want) == 0 {
		t.Fatal("the newer list adds no finding: the test proves nothing")
	}
	summary := updateSummary(before, after)
	if !strings.HasSuffix(out, summary) {
		t.Errorf("update output:\n%s\nwant it to end with %q", out, summary)
	}
	var ns []store.Notification
	if err := json.Unmarshal([]byte(mustRun(t, "notifications", "--db", db, "--format", "json", "--ack")), &ns); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		// The vulnerability (as the report shows it) the notification names.
		v := holding(map[string]map[strata.Digest][]string{"added": after, "removed": before}[n.Reason][n.Manifest], n.Vulnerability)
		if v == "" {
			v = n.Vulnerability
		}
		got = append(got, fmt.Sprintf("%s %s %s", n.Manifest, v, n.Reason))
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	t.Logf("%d notifications; %s", len(got), strings.TrimSpace(summary))
	checkAffected(t, db, ns[0].Vulnerability, after)
	if out := mustRun(t, "notifications", "--db", db); out != "ID  IMAGE  VULNERABILITY  PACKAGE  VERSION  REASON  SEVERITY\n0 notifications pending\n" {
		t.Errorf("notifications after --ack:\n%s", out)
	}
	// Back to the older list: the findings the newer one added are
	// removed, and the summary says so.
	out = mustRun(t, "update", "--db", db, "--source", "debian="+older)
	if summary := updateSummary(after, before); !strings.HasSuffix(out, summary) || !strings.Contains(summary, "no longer affect") {
		t.Errorf("update back to the older list:\n%s\nwant it to end with %q, with removals", out, summary)
	}
}

// imageChanges returns the changes of each image (see changes) from
// before to after, as sorted "manifest ids reason" lines.
func imageChanges(before, after map[strata.Digest][]string) []string {
	var out []string
	for m := range after {
		for _, c := range changes(before[m], after[m]) {
			out = append(out, string(m)+" "+c)
		}
	}
	for m := range before {
		if _, ok := after[m]; !ok {
			for _, c := range changes(before[m], nil) {
				out = append(out, string(m)+" "+c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// updateSummary is the summary line of an update that changes the
// images' vulnerabilities from before to after.
func updateSummary(before, after map[strata.Digest][]string) string {
	count := func(reason string) (int, int) {
		vulns, images := map[string]bool{}, map[string]bool{}
		for _, c := range imageChanges(before, after) {
			f := strings.Fields(c)
			if f[2] == reason {
				images[f[0]], vulns[f[1]] = true, true
			}
		}
		return len(vulns), len(images)
	}
	added, addedTo := count("added")
	removed, removedFrom := count("removed")
	return summaryLine(added, addedTo, removed, removedFrom)
}

// olderDSAList writes the DSA list without the advisories dated cutoff or
// later, and returns its path.
func olderDSAList(t *testing.T, cutoff time.Time) string {
	t.Helper()
	f, err := os.Open(dsaList)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	keep := true
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if date, _, ok := strings.Cut(strings.TrimPrefix(line, "["), "]"); ok && strings.HasPrefix(line, "[") {
			d, err := time.Parse("2 Jan 2006", date)
			if err != nil {
				t.Fatalf("%s: %q: %v", dsaList, line, err)
			}
			keep = d.Before(cutoff)
		}
		if keep {
			b.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "DSA.list")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// matchAll matches every indexed image against the store, as a scan does,
// and returns their vulnerabilities (see vulnerabilities) by manifest.
func matchAll(t *testing.T, db string) map[strata.Digest][]string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, err := st.Manifests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[strata.Digest][]string{}
	for _, m := range ms {
		r, err := st.IndexReport(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		res, err := match.Match(ctx, st, r, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[m] = vulnerabilities(report.Build(r, res))
	}
	return out
}

// checkAffected checks strata affected for the record id and for an
// alias of it against the images that a full match finds.
func checkAffected(t *testing.T, db, id string, vulns map[strata.Digest][]string) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.VulnerabilitiesByID(context.Background(), id)
	st.Close()
	if err != nil || len(recs) == 0 || len(recs[0].Aliases) == 0 {
		t.Fatalf("records of %s: %v, %v; want one with aliases", id, recs, err)
	}
	// Any alias, and the id spelt as users type it, name the same records.
	for _, name := range []string{id, recs[0].Aliases[0], " " + strings.ToLower(id) + "\n"} {
		var ar notify.AffectedReport
		if err := json.Unmarshal([]byte(mustRun(t, "affected", "--db", db, "--format", "json", name)), &ar); err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for m, vs := range vulns {
			if holding(vs, strings.Join(ar.Records, ",")) != "" {
				want = append(want, string(m))
			}
		}
		for _, img := range ar.Images {
			got = append(got, string(img.Manifest))
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" || !slices.Contains(ar.Records, id) || ar.Indexed != 2 {
			t.Errorf("affected %s: records %v, %d indexed; images (-want +got):\n%s", name, ar.Records, ar.Indexed, diff)
		}
	}
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		added, addedTo, removed, removedFrom int
		want                                 string
	}{
		{0, 0, 0, 0, "0 new vulnerabilities affect 0 indexed images\n"},
		{1, 1, 0, 0, "1 new vulnerability affects 1 indexed image\n"},
		{41, 2, 1, 3, "41 new vulnerabilities affect 2 indexed images; 1 vulnerability no longer affects 3 images\n"},
		{2, 1, 7, 1, "2 new vulnerabilities affect 1 indexed image; 7 vulnerabilities no longer affect 1 image\n"},
	}
	for _, tt := range tests {
		if got := summaryLine(tt.added, tt.addedTo, tt.removed, tt.removedFrom); got != tt.want {
			t.Errorf("summaryLine(%d, %d, %d, %d) = %q, want %q", tt.added, tt.addedTo, tt.removed, tt.removedFrom, got, tt.want)
		}
	}
}

// TestAffectedErrors: an unknown id is named, quoted and cut when odd; a
// store no feed was loaded into says so.
func TestAffectedErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "index", "--db", db, dpkgImage(t, sharedPath(t, "pkgdb/dpkg/debian-old/buster-vm-2020")))
	long := strings.Repeat("X", 5000)
	tests := []struct{ id, want string }{
		{"CVE-2014-0160", "strata affected: vulnerability CVE-2014-0160: no record has this id or alias; no feed was ever loaded: run \"strata update\" or \"strata db import\"\n"},
		{long, "strata affected: vulnerability " + long[:80] + "…: no record has this id or alias; no feed was ever loaded: run \"strata update\" or \"strata db import\"\n"},
	}
	for _, tt := range tests {
		if _, errOut, code := run(t, "affected", "--db", db, tt.id); code != 1 || errOut != tt.want {
			t.Errorf("affected %.20q: exit %d, stderr %q; want 1, %q", tt.id, code, errOut, tt.want)
		}
	}
	mustRun(t, "update", "--db", db, "--source", "debian="+dsaList)
	want := "strata affected: vulnerability \"cve-2014-0160 x\": no record has this id or alias\n"
	if _, errOut, code := run(t, "affected", "--db", db, "cve-2014-0160 x"); code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q; want 1, %q", code, errOut, want)
	}
}

// An update that finds another process recording notifications waits
// for it, then records its own: its summary is the usual one.
func TestUpdateWaitsForNotifier(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "strata.db")
	older, newer := filepath.Join(dir, "old.list"), filepath.Join(dir, "new.list")
	first, _, _ := strings.Cut(twoDSAs, "[28 Mar 2023]")
	for p, body := range map[string]string{older: first, newer: twoDSAs} {
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, "update", "--db", db, "--source", "debian="+older)
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	unlock, ok, err := st.TryLock(t.Context(), "notifier")
	if err != nil || !ok {
		t.Fatalf("TryLock: %v, %v", ok, err)
	}
	time.AfterFunc(time.Second, unlock)
	if out := mustRun(t, "update", "--db", db, "--source", "debian="+newer); !strings.HasSuffix(out, "\n0 new vulnerabilities affect 0 indexed images\n") {
		t.Errorf("update while another process records notifications:\n%s", out)
	}
}
