package alpine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil/golden"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// yamlDir holds the whole real YAML secdb files of v3.3 to v3.11.
const yamlDir = "../../../../shared/data/feeds/alpine/secdb-yaml"

func TestGolden(t *testing.T) {
	tests := map[string]int{
		// botan 4, cfengine 1, chicken 4.
		"v3.10-community.json": 9,
		// 57 ids, less 4 fixed in "0" (not affected).
		"wolfi-security.json": 53,
		// 190 ids, less 12 fixed in "0".
		"chainguard-security.json": 178,
		// 461 (package, id) pairs, less 4 fixed only in versions apk
		// cannot compare (irssi 0.8.21.r2, libxi 1.7.5.-r1).
		"v3.3-main.yaml": 457,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			vs := updatetest.ParseFile(t, Updater{}, filepath.Join("testdata", in))
			if len(vs) != want {
				t.Errorf("%d records, want %d", len(vs), want)
			}
			b, err := json.MarshalIndent(vs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(in, filepath.Ext(in))
			golden.Check(t, filepath.Join("testdata", base+".golden.json"), append(b, '\n'))
		})
	}
}

// The record counts of the whole real YAML files are the distinct
// (package, vulnerability) pairs, counted independently with a Python
// script (PyYAML, the same id rules), less those fixed only in versions
// apk cannot compare (the script's regular expression of apk's version
// grammar finds the same 24 versions; 44 pairs): {461, 0}, {669, 14},
// {823, 101}, {891, 214}, {1073, 401}, {1124, 476}, {1101, 593},
// {1158, 712}, {1179, 886} before.
func TestRealYAMLCounts(t *testing.T) {
	if _, err := os.Stat(yamlDir); err != nil {
		t.Skipf("%s not present (shared data absent)", yamlDir)
	}
	counts := map[string][2]int{ // release: main, community
		"3.3": {457, 0}, "3.4": {666, 14}, "3.5": {820, 101}, "3.6": {888, 214},
		"3.7": {1071, 399}, "3.8": {1110, 475}, "3.9": {1098, 592},
		"3.10": {1158, 711}, "3.11": {1173, 885},
	}
	for rel, want := range counts {
		for i, repo := range []string{"main", "community"} {
			t.Run(rel+"/"+repo, func(t *testing.T) {
				path := filepath.Join(yamlDir, "v"+rel, repo+".yaml")
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				vs, err := parseValid(path, b)
				if err != nil {
					t.Fatal(err)
				}
				if len(vs) != want[i] {
					t.Errorf("%d records, want %d", len(vs), want[i])
				}
				for _, v := range vs {
					if v.Release != "alpine:"+rel {
						t.Fatalf("%s: release %q, want alpine:%s", v.Key(), v.Release, rel)
					}
				}
			})
		}
	}
}

func fixed(id, rel, pkg, version string, aliases ...string) strata.Vulnerability {
	v := strata.Vulnerability{
		ID: id, Aliases: aliases, Updater: "alpine", Eco: strata.APK, Release: rel,
		Package: pkg, SourcePackage: true,
		Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: version}}}},
		FixedVersion: version, State: strata.Fixed, Severity: strata.Unknown,
	}
	if strings.HasPrefix(rel, "alpine:") && strings.HasPrefix(id, "CVE-") {
		v.Links = []string{"https://security.alpinelinux.org/vuln/" + id}
	}
	return v
}

// Records checked by hand against the files, among them the odd spellings.
func TestRecords(t *testing.T) {
	tests := []struct {
		file string
		want []strata.Vulnerability
		none []string // keys that must have no record
	}{
		{file: "testdata/v3.10-community.json", want: []strata.Vulnerability{
			fixed("CVE-2018-20187", "alpine:3.10", "botan", "2.9.0-r0"),
			fixed("CVE-2016-6831", "alpine:3.10", "chicken", "4.11.1-r0"),
		}},
		{file: "testdata/wolfi-security.json", want: []strata.Vulnerability{
			fixed("CVE-2022-28391", "wolfi:rolling", "busybox", "1.35.0-r3"),
		}, none: []string{"coreutils|CVE-2016-2781"}}, // fixed in "0"
		{file: "testdata/chainguard-security.json", want: []strata.Vulnerability{
			fixed("CVE-2022-31130", "chainguard:rolling", "grafana", "7.5.19-r0"),
		}},
		{file: "testdata/v3.3-main.yaml", want: []strata.Vulnerability{
			fixed("CVE-2017-8073", "alpine:3.3", "weechat", "1.3-r4"), // "CVE-2017-8073.patch"
			fixed("CVE-2017-1000257", "alpine:3.3", "curl", "7.55.0-r2"),
		}},
		{file: yamlDir + "/v3.10/community.yaml", want: []strata.Vulnerability{
			fixed("CVE-2019-2426", "alpine:3.10", "openjdk7", "7.211.2.6.17-r0"), // "CVE_2019-2426"
		}},
		{file: yamlDir + "/v3.10/main.yaml", want: []strata.Vulnerability{
			fixed("CVE-2017-17434", "alpine:3.10", "rsync", "3.1.2-r7"), // "CVE-2017-17434-1" and "-2"
		}},
		{file: yamlDir + "/v3.9/main.yaml", want: []strata.Vulnerability{
			fixed("CVE-2018-16859", "alpine:3.9", "ansible", "2.7.3-r0"), // "CVE 2018-16859"
		}},
		{file: yamlDir + "/v3.7/main.yaml", want: []strata.Vulnerability{
			// "CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI"
			fixed("CVE-2017-5715", "alpine:3.7", "xen", "4.9.1-r3", "XSA-254"),
			fixed("CVE-2018-7540", "alpine:3.7", "xen", "4.9.1-r4", "XSA-252"),
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(filepath.Dir(tt.file))+"/"+filepath.Base(tt.file), func(t *testing.T) {
			if _, err := os.Stat(tt.file); err != nil {
				t.Skipf("%s not present (shared data absent)", tt.file)
			}
			got := map[string]strata.Vulnerability{}
			for _, v := range updatetest.ParseFile(t, Updater{}, tt.file) {
				got[v.Package+"|"+v.ID] = v
			}
			for _, w := range tt.want {
				if diff := cmp.Diff(w, got[w.Package+"|"+w.ID]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", w.Key(), diff)
				}
			}
			for _, k := range tt.none {
				if v, ok := got[k]; ok {
					t.Errorf("%s: got %+v, want no record", k, v)
				}
			}
		})
	}
}

func TestParseDocuments(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // release|package|id|fixed
	}{
		{"yaml keys kept as written", "distroversion: v3.19\npackages:\n  - pkg:\n      name: p\n      secfixes:\n        1.10:\n          - CVE-2024-1234\n        0:\n          - CVE-2024-2222\n",
			[]string{"alpine:3.19|p|CVE-2024-1234|1.10"}},
		{"edge", `{"distroversion": "edge", "packages": [{"pkg": {"name": "p", "secfixes": {"1-r0": ["CVE-2024-1234"]}}}]}`,
			[]string{"alpine:edge|p|CVE-2024-1234|1-r0"}},
		{"lowest fix wins", `{"distroversion": "v3.20", "packages": [{"pkg": {"name": "p", "secfixes": {"1.2-r1": ["CVE-2024-1234"], "1.10-r0": ["CVE-2024-1234 XSA-1"]}}}]}`,
			[]string{"alpine:3.20|p|CVE-2024-1234|1.2-r1"}},
		{"empty", " \n", nil},
		{"nothing named", "{}", nil},
		{"comments only", "# secdb\n", nil},
		// As heimdal 7.4.0-r0 in the real v3.6/main.yaml.
		{"yaml version without ids inside", "distroversion: v3.6\npackages:\n  - pkg:\n      name: heimdal\n      secfixes:\n        7.1.0-r1:\n          - CVE-2017-11103\n        7.4.0-r0:\n  - pkg:\n      name: hostapd\n      secfixes:\n        2.6-r2:\n          - CVE-2017-13077\n",
			[]string{"alpine:3.6|heimdal|CVE-2017-11103|7.1.0-r1", "alpine:3.6|hostapd|CVE-2017-13077|2.6-r2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Updater{}.Parse(context.Background(), "doc", strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Release+"|"+v.Package+"|"+v.ID+"|"+v.FixedVersion)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A document that names its release but makes no record is a valid
// empty document: the runner reads it as holding no record (see
// TestUpdateEmptyDocuments in the cli package for v3.3's community.yaml).
func TestParseEmpty(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"yaml without packages", "---\ndistroversion: v3.3\nreponame: community\npackages:\n", "doc (lists no package)"},
		{"yaml empty list", "distroversion: v3.3\npackages: []\n", "doc (lists no package)"},
		{"json empty list", `{"distroversion": "v3.20", "reponame": "community", "packages": []}`, "doc (lists no package)"},
		{"json null", `{"distroversion": "edge", "packages": null}`, "doc (lists no package)"},
		{"wolfi", `{"apkurl": "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk", "archs": ["x86_64"], "reponame": "os", "urlprefix": "https://packages.wolfi.dev", "packages": []}`, "doc (lists no package)"},
		{"null lists", `{"distroversion": "v3.20", "packages": [{"pkg": {"name": "p", "secfixes": {"1-r0": null}}}, {"pkg": {"name": "q"}}]}`,
			"doc (lists no fix naming a vulnerability)"},
		{"not affected only", `{"distroversion": "v3.20", "packages": [{"pkg": {"name": "p", "secfixes": {"0": ["CVE-2024-1234"]}}}]}`,
			"doc (lists no fix naming a vulnerability)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Updater{}.Parse(context.Background(), "doc", strings.NewReader(tt.doc))
			want := &update.Skipped{Empty: []string{tt.want}}
			if sk := (*update.Skipped)(nil); len(vs) != 0 || !errors.As(err, &sk) || !cmp.Equal(want, sk) {
				t.Errorf("Parse = %d records, %v; want none, %v", len(vs), err, want)
			}
		})
	}
}

// Fixed versions apk cannot compare, as the real files hold 24 of, and
// entries naming no id are skipped, each with a warning naming the
// document, the package and the version or entry.
func TestParseSkips(t *testing.T) {
	var logs bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(scantest.Logger(&logs, slog.LevelWarn))
	doc := `{"distroversion": "v3.8", "packages": [
		{"pkg": {"name": "mariadb", "secfixes": {"10.2.26.r0": ["CVE-2019-2805"], "10.2.22-r0": ["CVE-2019-2510"]}}},
		{"pkg": {"name": "irssi", "secfixes": {"1.0.4.-r0": ["CVE-2017-10965"], "1.0.4-r1": ["CVE-2017-10965", "XPTI"]}}}]}`
	vs, err := Updater{}.Parse(context.Background(), "v3.8/main.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []strata.Vulnerability{
		fixed("CVE-2017-10965", "alpine:3.8", "irssi", "1.0.4-r1"),
		fixed("CVE-2019-2510", "alpine:3.8", "mariadb", "10.2.22-r0"),
	}
	if diff := cmp.Diff(want, vs); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	wantLogs := `level=WARN msg="alpine: skipped entries naming no vulnerability id" document=v3.8/main.json entries="[irssi 1.0.4-r1: XPTI]"
level=WARN msg="alpine: skipped fixed versions that apk cannot compare" document=v3.8/main.json entries="[irssi: apk version \"1.0.4.-r0\": invalid at byte 6 mariadb: apk version \"10.2.26.r0\": invalid at byte 8]"
`
	if diff := cmp.Diff(wantLogs, logs.String()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// yamlHead is the start of a YAML document, cut at the end of a line.
const yamlHead = "---\ndistroversion: v3.3\nreponame: main\npackages:\n  - pkg:\n      name: openssl\n      secfixes:\n        1.0.2g-r0:\n          - CVE-2016-0705\n"

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"json truncated", `{"distroversion": "v3.20", "packages": [`, "alpine: parse bad: offset 40: packages: unexpected EOF"},
		{"json truncated in a package", `{"packages": [{"pkg": {"name": "a"}}, {"pkg": {"na`, "alpine: parse bad: offset 50: packages: package 2: unexpected EOF"},
		// Type errors give the offset after the wrong value (the 3).
		{"json offset after white space", "\n\n  {\"packages\": [{\"pkg\": {\"name\": 3}}]}", "alpine: parse bad: offset 36: packages: package 1: pkg.name: number, want string"},
		{"json wrong type in package 2", `{"packages": [{"pkg": {"name": "a"}}, {"pkg": {"name": 3}}]}`, "alpine: parse bad: offset 56: packages: package 2: pkg.name: number, want string"},
		{"json trailing", `{} {}`, "alpine: parse bad: offset 4: data after the top-level value"},
		{"json wrong type", `{"packages": {}}`, "alpine: parse bad: offset 14: packages: want an array, have an object"},
		{"json syntax", `{"packages": [{"pkg": x}]}`, "alpine: parse bad: offset 14: packages: package 1: invalid character 'x' looking for beginning of value"},
		{"bad distroversion", `{"distroversion": "3.20", "packages": []}`, `alpine: parse bad: distroversion "3.20": want vMAJOR.MINOR or edge`},
		{"unknown rolling", `{"urlprefix": "https://example.org", "packages": []}`,
			`alpine: parse bad: no distroversion, and urlprefix "https://example.org" is neither Wolfi's nor Chainguard's`},
		{"no name", `{"distroversion": "v3.20", "packages": [{"pkg": {}}]}`, "alpine: parse bad: package 1: no name"},
		{"empty version", `{"distroversion": "v3.20", "packages": [{"pkg": {"name": "p", "secfixes": {"": ["CVE-2024-1234"]}}}]}`,
			`alpine: parse bad: package "p": empty fixed version`},
		{"yaml", "distroversion: [\n", "alpine: parse bad: yaml: line 1: did not find expected node content"},
		{"yaml not a mapping", "- a\n", "alpine: parse bad: line 1: want a mapping of distroversion, packages…, have !!seq"},
		{"yaml two documents", "packages:\n---\npackages:\n", "alpine: parse bad: more than one YAML document"},
		// The signs of a YAML document cut short (see TestTruncatedYAML).
		{"yaml no final newline", yamlHead + "          - CVE-2016-07", "alpine: parse bad: the document does not end with a newline (is the document truncated?)"},
		{"yaml header only", "---\n", `alpine: parse bad: no "packages" key (is the document truncated?)`},
		{"yaml no packages key", "---\ndistroversion: v3.3\nreponame: main\narchs:\n  - x86_64\n", `alpine: parse bad: no "packages" key (is the document truncated?)`},
		{"yaml no pkg", yamlHead + "          - CVE-2016-0705\n  - pkg:\n", "alpine: parse bad: line 11: package 2 has no name (is the document truncated?)"},
		{"yaml no secfixes", yamlHead + "          - CVE-2016-0705\n  - pkg:\n      name: zlib\n", `alpine: parse bad: line 12: package "zlib" has no secfixes (is the document truncated?)`},
		{"yaml null secfixes", yamlHead + "          - CVE-2016-0705\n  - pkg:\n      name: zlib\n      secfixes:\n", `alpine: parse bad: line 12: package "zlib" has no secfixes (is the document truncated?)`},
		{"yaml no ids at the end", yamlHead + "        1.0.2h-r0:\n", `alpine: parse bad: line 10: package "openssl": 1.0.2h-r0 lists no ids (is the document truncated?)`},
		{"yaml no secfixes inside", "packages:\n  - pkg:\n      name: a\n  - pkg:\n      name: b\n      secfixes:\n        1-r0:\n          - CVE-2016-0705\n",
			`alpine: parse bad: line 3: package "a" has no secfixes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Updater{}.Parse(context.Background(), "bad", strings.NewReader(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse = %d records, %v\nwant error %s", len(vs), err, tt.want)
			}
		})
	}
}
