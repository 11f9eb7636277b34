package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strata-scan/strata/internal/store/sqlite"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/bundle"
	"github.com/strata-scan/strata/internal/store"
)

// dlaList is the real DLA list of the repository's test feeds.
const dlaList = "../../testdata/feeds/debian/DLA.list"

// drupalImage is the repository's real buster image.
const drupalImage = "../../testdata/images/debian-buster-drupal.docker.tar"

// testImage is an image to scan: path, or the shared data at src; make,
// when set, builds the image of that data and returns its path ("" when
// other shared data it needs is absent).
type testImage struct {
	name, path string
	src        string
	make       func(t *testing.T, data string) string
}

// reportImages are every test image: the repository's, the shared data's
// images, and images made of the shared data's real Debian, Ubuntu,
// Alpine and RPM package databases (and of the stand-in RHEL databases
// of testdata/rpm), one at least for every feed of feedSources.
var reportImages = []testImage{
	{name: "buster-drupal", path: drupalImage},
	{name: "buster-vm", src: "pkgdb/dpkg/debian-old/buster-vm-2020", make: dpkgImage},
	{name: "bookworm-minbase", src: "images/debian-bookworm-minbase.docker.tar.gz"},
	{name: "bookworm-openssl", src: "images/debian-bookworm-openssl.oci.tar.gz"},
	{name: "bookworm-apps", src: "images/debian-bookworm-apps.oci.tar.gz"},
	{name: "alpine-3.3-min-node", src: "pkgdb/apk/alpine-old/v3.3-min-node-2016", make: apkImage},
	{name: "bionic-docker", src: "pkgdb/dpkg/ubuntu-old/bionic-docker-2021", make: dpkgImage},
	{name: "bionic-texlive", src: "pkgdb/dpkg/texlive.status", make: texliveImage},
	{name: "jammy", path: "testdata/ubuntu-osv/jammy", make: dpkgImage},
	{name: "focal", path: "testdata/ubuntu-osv/focal", make: dpkgImage},
	{name: "xenial", path: "testdata/ubuntu-osv/xenial", make: dpkgImage},
	{name: "rhel8-libuuid", src: "pkgdb/rpm/bdb/libuuid.Packages", make: rhelImage("8", "var/lib/rpm/Packages")},
	{name: "rhel8", path: "testdata/rpm/rhel8.rpmdb.sqlite.gz", make: rhelImage("8", "var/lib/rpm/rpmdb.sqlite")},
	{name: "rhel9", path: "testdata/rpm/rhel9.rpmdb.sqlite.gz", make: rhelImage("9", "var/lib/rpm/rpmdb.sqlite")},
}

// texliveImage makes an image of the real texlive system's dpkg status
// (an Ubuntu 18.04 system) with a real 18.04 os-release ("" when the
// shared data lacks it).
func texliveImage(t *testing.T, status string) string {
	osRelease := filepath.Join(shared, "pkgdb/dpkg/ubuntu-old/bionic-docker-2021/os-release")
	if !exists(osRelease) {
		return ""
	}
	dir := t.TempDir()
	copyFile(t, status, filepath.Join(dir, "status"))
	copyFile(t, osRelease, filepath.Join(dir, "os-release"))
	return dpkgImage(t, dir)
}

// rhelImage makes images of an RPM database, kept at dbPath, with the
// real os-release of RHEL release ("" when the shared data lacks it).
func rhelImage(release, dbPath string) func(t *testing.T, db string) string {
	return func(t *testing.T, db string) string {
		osRelease := filepath.Join(shared, "os-release/claircore/rhel/releasefiles/"+release+"/etc/os-release")
		if !exists(osRelease) {
			return ""
		}
		return rpmImage(t, "rhel"+release+"-"+strings.ToLower(filepath.Base(db)), osRelease, db, dbPath)
	}
}

// presentImages returns the paths of the test images whose data is
// present, by name.
func presentImages(t *testing.T) map[string]string {
	images := map[string]string{}
	for _, im := range reportImages {
		p := im.path
		if im.src != "" {
			p = filepath.Join(shared, im.src)
			if !exists(p) {
				t.Logf("%s absent: image %s left out", p, im.name)
				continue
			}
		}
		if im.make != nil {
			if p = im.make(t, p); p == "" {
				t.Logf("shared data absent: image %s left out", im.name)
				continue
			}
		}
		images[im.name] = p
	}
	return images
}

// feedSources are the --source flags of every real feed present: the
// Debian lists and the tracker JSON excerpt, the Ubuntu CVE Tracker, the
// Alpine secdb, the Red Hat VEX documents, OSV's Go, PyPA and Ubuntu
// records, and the NVD excerpts.
func feedSources(t *testing.T) []string {
	args := []string{"--source", "debian=" + dsaList, "--source", "debian=" + dlaList, "--source", "nvd=../../testdata/feeds/nvd"}
	for _, s := range []struct{ feed, path string }{
		{"debian", "feeds/debian/tracker-json-excerpt.vunnel.json"},
		{"ubuntu", "feeds/ubuntu/uct/ubuntu-cve-tracker-active-2020-06.tar.gz"},
		{"alpine", "feeds/alpine/secdb-yaml/v3.3"},
		{"alpine", "feeds/alpine/secdb-yaml/v3.4"},
		{"redhat", "feeds/redhat/csaf-vex"},
		{"osv", "feeds/osv/go/golang-vulndb-osv.tar.gz"},
		{"osv", "feeds/osv/pypi/pypa-advisory-database.tar.gz"},
		{"osv", "feeds/ubuntu/osv"},
	} {
		if p := filepath.Join(shared, s.path); exists(p) {
			args = append(args, "--source", s.feed+"="+p)
		} else {
			t.Logf("%s absent: feed %s loaded without it", p, s.feed)
		}
	}
	return args
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// scanReports scans every image into db and returns, by image name, the
// exit code and the JSON report (written even when the store has no data
// for the image's distribution: then the exit code is 1).
func scanReports(t *testing.T, db string, images map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	// In a fixed order: the first image to hold a shared layer reads it
	// ("layers_read"), the next finds it cached.
	for _, name := range slices.Sorted(maps.Keys(images)) {
		stdout, stderr, code := run(t, "scan", "--db", db, "--format", "json", images[name])
		if code != 0 && !strings.Contains(stderr, "no vulnerability data for") {
			t.Fatalf("scan %s: exit %d: %s", name, code, stderr)
		}
		out[name] = fmt.Sprintf("exit %d\n%s", code, stdout)
	}
	return out
}

// TestExportImportIdenticalReports is the acceptance test of the offline
// bundle: every real feed is loaded, every test image scanned; the store
// is exported, the bundle imported into a fresh store, the images
// scanned there: each JSON report is byte for byte the one of the
// original store (nothing in a report depends on when or where it was
// made, so nothing is normalised), and each feed keeps its record count
// and the time it was fetched.
func TestExportImportIdenticalReports(t *testing.T) {
	t.Parallel() // with the other feed bundle tests: each has its own stores
	dir := t.TempDir()
	orig, fresh, file := filepath.Join(dir, "orig.db"), filepath.Join(dir, "fresh.db"), filepath.Join(dir, "feeds.bundle")
	sources := feedSources(t)
	mustRun(t, append([]string{"update", "--db", orig}, sources...)...)
	images := presentImages(t)
	want := scanReports(t, orig, images)

	out := mustRun(t, "db", "export", "--db", orig, file)
	sum := fileSHA256(t, file)
	if !strings.Contains(out, "sha256 "+sum+"\n") {
		t.Errorf("export output lacks the file's sha256 %s:\n%s", sum, out)
	}
	out = mustRun(t, "db", "import", "--db", fresh, file)
	if !strings.Contains(out, file+": sha256 "+sum+",") || !strings.HasSuffix(out, "first update of these feeds: baseline recorded, no notifications\n") {
		t.Errorf("import output:\n%s\nwant the file's sha256 %s and a baseline", out, sum)
	}
	got := scanReports(t, fresh, images)
	// Every feed gives findings to some image (the NVD its scores), so
	// that each feed's records are compared.
	byFeed := map[string]int{}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if got[name] != want[name] {
			t.Errorf("%s: the report after export and import differs (-orig +imported):\n%s", name, cmp.Diff(want[name], got[name]))
		}
		var vr struct {
			Vulnerabilities map[string]struct {
				Updater string
				NVD     []json.RawMessage
			}
		}
		_, report, _ := strings.Cut(got[name], "\n")
		if err := json.Unmarshal([]byte(report), &vr); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %s, %d vulnerabilities", name, strings.SplitN(got[name], "\n", 2)[0], len(vr.Vulnerabilities))
		for _, v := range vr.Vulnerabilities {
			byFeed[v.Updater]++
			if len(v.NVD) > 0 {
				byFeed["nvd"]++
			}
		}
	}
	t.Logf("findings by feed: %v", byFeed)
	for i := 1; i < len(sources); i += 2 {
		if feed, _, _ := strings.Cut(sources[i], "="); byFeed[feed] == 0 {
			t.Errorf("no report has a finding of feed %s: its export is not compared", feed)
		}
	}
	if diff := cmp.Diff(statuses(t, orig), statuses(t, fresh)); diff != "" {
		t.Errorf("feed status after import (-orig +imported):\n%s", diff)
	}
	t.Logf("%d images compared; bundle %d bytes", len(want), fileSize(t, file))
}

// statuses is db status --format json, without the age (which ticks) and
// the last attempt (the import's own).
func statuses(t *testing.T, db string) []store.UpdaterStatus {
	t.Helper()
	var out struct{ Updaters []feedStatus }
	if err := json.Unmarshal([]byte(mustRun(t, "db", "status", "--db", db, "--format", "json")), &out); err != nil {
		t.Fatal(err)
	}
	var sts []store.UpdaterStatus
	for _, s := range out.Updaters {
		s.LastAttempt = time.Time{}
		sts = append(sts, s.UpdaterStatus)
	}
	return sts
}

func fileSHA256(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestExportImportPostgres carries a bundle from SQLite to PostgreSQL and
// back: the reports and statuses are those of the original store.
func TestExportImportPostgres(t *testing.T) {
	t.Parallel() // with the other feed bundle tests: each has its own stores
	pg := postgresDB(t)
	dir := t.TempDir()
	orig, back := filepath.Join(dir, "orig.db"), filepath.Join(dir, "back.db")
	toPG, fromPG := filepath.Join(dir, "to-pg.bundle"), filepath.Join(dir, "from-pg.bundle")
	mustRun(t, "update", "--db", orig, "--source", "debian="+dsaList, "--source", "debian="+dlaList)
	want := mustRun(t, "scan", "--db", orig, "--format", "json", drupalImage)
	mustRun(t, "db", "export", "--db", orig, toPG)
	mustRun(t, "db", "import", "--db", pg, toPG)
	mustRun(t, "db", "export", "--db", pg, fromPG)
	mustRun(t, "db", "import", "--db", back, fromPG)
	for _, db := range []string{pg, back} {
		if got := mustRun(t, "scan", "--db", db, "--format", "json", drupalImage); got != want {
			t.Errorf("%s: report differs (-orig +imported):\n%s", db, cmp.Diff(want, got))
		}
		if diff := cmp.Diff(statuses(t, orig), statuses(t, db)); diff != "" {
			t.Errorf("%s: feed status (-orig +imported):\n%s", db, diff)
		}
	}
}

// TestImportNotifies imports into a store that holds older data: the
// notifications are exactly those the same data loaded by "strata update"
// records.
func TestImportNotifies(t *testing.T) {
	t.Parallel() // with the other feed bundle tests: each has its own stores
	dir := t.TempDir()
	older := olderDSAList(t, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC))
	full, file := filepath.Join(dir, "full.db"), filepath.Join(dir, "feeds.bundle")
	mustRun(t, "update", "--db", full, "--source", "debian="+dsaList)
	mustRun(t, "db", "export", "--db", full, file)

	img := dpkgImage(t, sharedPath(t, "pkgdb/dpkg/debian-old/buster-vm-2020"))
	outputs := map[string]string{}
	var lists [][]string
	for _, how := range []string{"update", "import"} {
		db := filepath.Join(dir, how+".db")
		mustRun(t, "index", "--db", db, img)
		mustRun(t, "index", "--db", db, drupalImage)
		mustRun(t, "update", "--db", db, "--source", "debian="+older)
		if how == "update" {
			outputs[how] = mustRun(t, "update", "--db", db, "--source", "debian="+dsaList)
		} else {
			outputs[how] = mustRun(t, "db", "import", "--db", db, file)
		}
		var ns []store.Notification
		if err := json.Unmarshal([]byte(mustRun(t, "notifications", "--db", db, "--format", "json")), &ns); err != nil {
			t.Fatal(err)
		}
		var list []string
		for _, n := range ns {
			list = append(list, fmt.Sprintf("%s %s %s %s", n.Manifest, n.Package, n.Vulnerability, n.Reason))
		}
		slices.Sort(list)
		lists = append(lists, list)
	}
	if len(lists[0]) == 0 {
		t.Fatal("the newer list notifies nothing: the test proves nothing")
	}
	if diff := cmp.Diff(lists[0], lists[1]); diff != "" {
		t.Errorf("notifications (-update +import):\n%s", diff)
	}
	summary := regexp.MustCompile(`\d+ new vulnerabilit(y affects|ies affect) \d+ indexed images?\n$`)
	u, i := summary.FindString(outputs["update"]), summary.FindString(outputs["import"])
	if u == "" || u != i {
		t.Errorf("summary after update %q, after import %q; want the same", u, i)
	}
	t.Logf("%d notifications; %s", len(lists[1]), strings.TrimSpace(i))
}

// TestImportBadBundle: a damaged bundle is an error naming the file and
// what is wrong, and leaves the store as it was.
func TestImportBadBundle(t *testing.T) {
	t.Parallel() // with the other feed bundle tests: each has its own stores
	dir := t.TempDir()
	src, db, file := filepath.Join(dir, "src.db"), filepath.Join(dir, "target.db"), filepath.Join(dir, "feeds.bundle")
	mustRun(t, "update", "--db", src, "--source", "debian="+dsaList, "--source", "debian="+dlaList)
	mustRun(t, "db", "export", "--db", src, file)
	mustRun(t, "update", "--db", db, "--source", "debian="+dsaList)
	mustRun(t, "index", "--db", db, drupalImage) // so that every scan finds its layer cached
	before := mustRun(t, "scan", "--db", db, "--format", "json", drupalImage)
	beforeStatus := statuses(t, db)
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)*2/3] ^= 0x01
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated", good[:len(good)-100], "decompress: unexpected EOF (is the bundle truncated or corrupt?) (nothing was imported)"},
		{"one bit flipped", flipped, "(nothing was imported)"},
		{"not a bundle", []byte("DSA-1 curl\n"), "not a strata feed bundle: not zstd-compressed (nothing was imported)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.bundle")
			if err := os.WriteFile(p, tt.b, 0o644); err != nil {
				t.Fatal(err)
			}
			_, errOut, code := run(t, "db", "import", "--db", db, p)
			if want := "strata db: " + p + ": "; code != 1 || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1, %q…%q", code, errOut, want, tt.want)
			}
			if got := mustRun(t, "scan", "--db", db, "--format", "json", drupalImage); got != before {
				t.Errorf("the report changed after a failed import:\n%s", cmp.Diff(before, got))
			}
			if diff := cmp.Diff(beforeStatus, statuses(t, db)); diff != "" {
				t.Errorf("feed status changed after a failed import (-before +after):\n%s", diff)
			}
		})
	}
}

// redate rewrites the bundle at path with every feed fetched at fetched.
func redate(t *testing.T, path string, fetched time.Time) {
	t.Helper()
	b, err := bundle.Open(func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := bundle.NewWriter(&buf, b.Created)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Each(func(f bundle.Feed, vs []strata.Vulnerability) error {
		f.LastSuccess = fetched
		return w.WriteFeed(f, vs)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFeedAge imports feed data fetched ten days ago: db status shows its
// age, scan warns of it unless --max-feed-age allows it, and scanning a
// store where no feed was ever loaded warns of that.
func TestFeedAge(t *testing.T) {
	t.Parallel() // with the other feed bundle tests: each has its own stores
	dir := t.TempDir()
	src, db, file := filepath.Join(dir, "src.db"), filepath.Join(dir, "old.db"), filepath.Join(dir, "feeds.bundle")
	mustRun(t, "update", "--db", src, "--source", "debian="+dsaList)
	mustRun(t, "db", "export", "--db", src, file)
	fetched := time.Now().Add(-10*24*time.Hour - time.Hour).UTC().Truncate(time.Second)
	redate(t, file, fetched)
	mustRun(t, "db", "import", "--db", db, file)
	if _, _, code := run(t, "update", "--db", db, "--source", "alpine="+filepath.Join(dir, "absent.yaml")); code != 1 {
		t.Fatalf("update from an absent file: exit %d, want 1 (a failure, recorded as alpine's last error)", code)
	}

	// The table, and the same as JSON.
	out := mustRun(t, "db", "status", "--db", db)
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	if got, want := strings.Join(rows["debian"][:5], " "), "debian 10d 1h "+fetched.Format(time.RFC3339)+" 6926"; got != want {
		t.Errorf("debian row %q, want %q\n%s", got, want, out)
	}
	if got := strings.Join(rows["alpine"], " "); !strings.HasPrefix(got, "alpine never loaded - 0 update alpine: ") || !strings.Contains(got, "absent.yaml") {
		t.Errorf("alpine row %q, want never loaded with its error\n%s", got, out)
	}
	if rows["osv"] == nil || rows["ubuntu"] == nil {
		t.Errorf("feeds never run are not listed:\n%s", out)
	}
	for _, s := range statuses(t, db) {
		if s.Updater == "debian" && (!s.LastSuccess.Equal(fetched) || s.Records != 6926 || s.Fingerprint != "") {
			t.Errorf("db status --format json: %+v; want fetched %v, 6926 records, no fingerprint", s, fetched)
		}
	}

	warning := "WARNING: feed debian is 10d 1h old (last updated " + fetched.Format(time.RFC3339) + ", more than --max-feed-age 7d ago)"
	tests := []struct {
		args []string
		warn bool
	}{
		{nil, true},
		{[]string{"--max-feed-age", "10d"}, true},
		{[]string{"--max-feed-age", "11d"}, false},
		{[]string{"--max-feed-age", "300h"}, false},
		{[]string{"--max-feed-age", "0"}, false},
	}
	for _, tt := range tests {
		args := append([]string{"scan", "--db", db}, tt.args...)
		_, errOut, code := run(t, append(args, drupalImage)...)
		if code != 0 || strings.Contains(errOut, "WARNING: feed debian is 10d 1h old") != tt.warn {
			t.Errorf("scan %v: exit %d, stderr %q; want 0 and warning %v", tt.args, code, errOut, tt.warn)
		}
		if tt.args == nil && !strings.Contains(errOut, warning) {
			t.Errorf("scan: stderr %q lacks %q", errOut, warning)
		}
	}

	empty := filepath.Join(dir, "empty.db")
	noFeed := "WARNING: no vulnerability feed was ever loaded into this store"
	if _, errOut, code := run(t, "scan", "--db", empty, drupalImage); code != 1 || !strings.Contains(errOut, noFeed) {
		t.Errorf("scan against an empty store: exit %d, stderr %q; want 1 and %q", code, errOut, noFeed)
	}
	if _, errOut, _ := run(t, "scan", "--db", empty, "--max-feed-age", "0", drupalImage); strings.Contains(errOut, "WARNING") {
		t.Errorf("--max-feed-age 0: stderr %q, want no warning", errOut)
	}
}

func TestDurationFlag(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"7d", 7 * 24 * time.Hour, false},
		{"0d", 0, false},
		{"36h", 36 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"0", 0, false},
		{"-1d", 0, true},
		{"-2h", 0, true},
		{"1.5d", 0, true},
		{"week", 0, true},
	}
	for _, tt := range tests {
		var d time.Duration
		err := durationFlag{&d}.Set(tt.in)
		if (err != nil) != tt.wantErr || d != tt.want {
			t.Errorf("Set(%q) = %v, %v; want %v, error %v", tt.in, d, err, tt.want, tt.wantErr)
		}
	}
	for d, want := range map[time.Duration]string{7 * 24 * time.Hour: "7d", 36 * time.Hour: "36h0m0s", 0: "0s"} {
		if got := (durationFlag{&d}).String(); got != want {
			t.Errorf("String(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 3 * time.Second: "3s", 59 * time.Second: "59s", time.Minute: "1m", 89 * time.Second: "1m", 7 * time.Minute: "7m", time.Hour: "1h", 5*time.Hour + 12*time.Minute: "5h 12m",
		24 * time.Hour: "1d", 12*24*time.Hour + 3*time.Hour + 59*time.Minute: "12d 3h",
	} {
		if got := formatAge(d); got != want {
			t.Errorf("formatAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// The db command's usage errors.
func TestDBUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"db"}, 1, "strata db: want a command: export, import or status"},
		{[]string{"db", "vacuum"}, 1, `strata db: unknown command "vacuum" (want export, import or status)`},
		{[]string{"db", "export"}, 1, "strata db: want exactly one FILE, have 0 arguments"},
		{[]string{"db", "import", "a", "b"}, 1, "strata db: want exactly one FILE, have 2 arguments"},
		{[]string{"db", "import", "--db", "x.db", "/nonexistent/feeds.bundle"}, 1, "strata db: /nonexistent/feeds.bundle: open /nonexistent/feeds.bundle: no such file or directory (nothing was imported)"},
		{[]string{"db", "status", "--format", "xml"}, 1, `strata db: unknown --format "xml" (want table or json)`},
		{[]string{"db", "-h"}, 0, "strata db export FILE"},
		{[]string{"db", "import", ""}, 1, "strata db: empty bundle path\n"},
		{[]string{"db", "export", ""}, 1, "strata db: empty bundle path\n"},
	}
	for _, tt := range tests {
		_, errOut, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("strata %v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
	db := filepath.Join(t.TempDir(), "empty.db")
	empty, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	empty.Close()
	if _, errOut, code := run(t, "db", "export", "--db", db, filepath.Join(t.TempDir(), "x.bundle")); code != 1 ||
		!strings.Contains(errOut, `the store holds no feed data to export: load feeds with "strata update" first`) {
		t.Errorf("export of an empty store: exit %d, stderr %q", code, errOut)
	}
	if out, _, code := run(t, "help", "db", "import"); code != 0 || !strings.HasPrefix(out, "Usage: strata db import [flags] FILE") {
		t.Errorf("help db import: exit %d, %q", code, out)
	}
}
