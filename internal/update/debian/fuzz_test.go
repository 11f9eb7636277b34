package debian

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkRecords asserts what holds for every record, whatever the input.
func checkRecords(t *testing.T, vs []strata.Vulnerability) {
	for _, v := range vs {
		if v.ID == "" || v.Package == "" || v.Updater != "debian" || v.Eco != strata.Deb || !v.SourcePackage {
			t.Fatalf("incomplete record %+v", v)
		}
		if _, ok := releasesByKey[v.Release]; !ok {
			t.Fatalf("release %q of %s is not a known release", v.Release, v.Key())
		}
		if len(v.Ranges) != 1 || v.Ranges[0].Events[0].Introduced != "0" {
			t.Fatalf("ranges %+v of %s: want one range from 0", v.Ranges, v.Key())
		}
		events := v.Ranges[0].Events
		if (v.State == strata.Fixed) != (v.FixedVersion != "") || v.FixedVersion == "0" ||
			v.FixedVersion != "" && (len(events) != 2 || events[1].Fixed != v.FixedVersion) {
			t.Fatalf("state %s, fixed version %q and events %+v of %s disagree", v.State, v.FixedVersion, events, v.Key())
		}
	}
}

var releasesByKey = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range releases {
		m[k] = true
	}
	return m
}()

func FuzzParseList(f *testing.F) {
	addSeeds(f, "testdata/DSA.excerpt.list", "testdata/DLA.excerpt.list", "testdata/DTSA.excerpt.list")
	f.Add([]byte("[01 Apr 2023] DSA-1-1 a - x\n\t[sid] - a 1.0 (bug #1; low)\n\t[bookworm] - a 0\n"))
	f.Add(bytes.Repeat([]byte("["), 10000))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parseList(context.Background(), "fuzz", bytes.NewReader(b))
		if err != nil {
			// Input is quoted cut short (excerpt.Quote), twice at most.
			if len(err.Error()) > 1024 {
				t.Fatalf("error of %d bytes: %.200q…", len(err.Error()), err)
			}
			return
		}
		checkRecords(t, vs)
		again, _ := parseList(context.Background(), "fuzz", bytes.NewReader(b))
		if diff := cmp.Diff(vs, again); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	addSeeds(f, "testdata/tracker.excerpt.json")
	f.Add([]byte(`{"p": {"TEMP-0000000-1": {"releases": []}, "CVE-1": {"releases": {"sid": {"status": "open"}}}}}`))
	f.Add([]byte(`{"p": []}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := parseJSON(context.Background(), "fuzz", bytes.NewReader(b))
		if err != nil {
			return
		}
		checkRecords(t, vs)
		again, _ := parseJSON(context.Background(), "fuzz", bytes.NewReader(b))
		if diff := cmp.Diff(vs, again); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
	})
}
