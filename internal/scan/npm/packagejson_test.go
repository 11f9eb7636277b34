package npm_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/testutil"
)

const db = "app/node_modules/x/package.json"

func TestParsePackageJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     strata.Package
		ok       bool
	}{
		{"published manifest", string(testutil.ReadTestdata(t, "ms.package.json")), pkg("ms", "2.1.3", db), true},
		{"scoped", string(testutil.ReadTestdata(t, "types-ms.package.json")), pkg("@types/ms", "0.7.34", db), true},
		{"private workspace root", string(testutil.ReadTestdata(t, "workspace-root.package.json")), strata.Package{}, false},
		{"private as a string", `{"name": "app", "private": "true"}`, strata.Package{}, false},
		{"private with a version counts", `{"name": "lib", "version": "1.0.0", "private": true}`, pkg("lib", "1.0.0", db), true},
		{"spaces trimmed", `{"name": " ms ", "version": "2.1.3\n"}`, pkg("ms", "2.1.3", db), true},
		{"byte order mark", "\uFEFF{\"name\": \"ms\", \"version\": \"2.1.3\"}", pkg("ms", "2.1.3", db), true},
		{"npm v6 fields", `{"_from": "ms@^2.1.1", "_id": "ms@2.1.3", "name": "ms", "version": "2.1.3", "_resolved": "x"}`, pkg("ms", "2.1.3", db), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := npm.ParsePackageJSON(db, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok {
				t.Errorf("ParsePackageJSON ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePackageJSON (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePackageJSONErrors(t *testing.T) {
	const pre = "npm: parse " + db + ": "
	tests := []struct{ name, in, want string }{
		{"empty", "", "unexpected end of JSON input"},
		{"not an object", `["ms"]`, "json: cannot unmarshal array into Go value of type npm.manifest"},
		{"null", `null`, `want a name and a version, have "" and ""`},
		{"number version", `{"name": "ms", "version": 2}`, "json: cannot unmarshal number into Go struct field manifest.version of type string"},
		{"no version", `{"name": "ms"}`, `want a name and a version, have "ms" and ""`},
		{"no name", `{"version": "1.0.0", "private": false}`, `want a name and a version, have "" and "1.0.0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := npm.ParsePackageJSON(db, []byte(tt.in))
			if err == nil || err.Error() != pre+tt.want {
				t.Errorf("ParsePackageJSON = %+v, %v, %v; want error %q", got, ok, err, pre+tt.want)
			}
		})
	}
}
