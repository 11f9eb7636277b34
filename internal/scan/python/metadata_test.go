package python_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/testutil"
)

const db = "usr/lib/python3/dist-packages/x.dist-info/METADATA"

func TestParseMetadataSamples(t *testing.T) {
	tests := []struct {
		file, name, version string
	}{
		{"certifi.PKG-INFO", "certifi", "2022.9.24"},
		{"chardet.METADATA", "chardet", "5.1.0"},
		{"flask.METADATA", "flask", "2.0.0"},
		{"annotated-types.METADATA", "annotated-types", "0.7.0"},
		{"requests.PKG-INFO", "requests", "2.22.0"},
		// Its Summary runs on over lines that are not headers: as for
		// Python's email parser, they end the headers.
		{"mxnet-invalid.PKG-INFO", "mxnet", "1.8.0"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := python.ParseMetadata(db, testutil.ReadTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(pypi(tt.name, tt.version, db), got); diff != "" {
				t.Errorf("ParseMetadata (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name, in string
		want     strata.Package
	}{
		{"minimal", "Name: six\nVersion: 1.16.0\n", pypi("six", "1.16.0", db)},
		{"normalised name", "Name: Charset_Normalizer\nVersion: 3.0.1", pypi("charset-normalizer", "3.0.1", db)},
		{"CRLF, BOM, spacing, case", "\uFEFFmetadata-version: 2.1\r\nNAME:   zope.interface \r\nversion:\t6.0\r\n", pypi("zope-interface", "6.0", db)},
		{"first header wins", "Name: a\nName: b\nVersion: 1\nVersion: 2\n", pypi("a", "1", db)},
		{"continuation lines skipped", "Name: a\nLicense: MIT\n        more text\n\tand more\nVersion: 1\n", pypi("a", "1", db)},
		{"body ignored", "Name: a\nVersion: 1\n\nVersion: 2\nName: b\n", pypi("a", "1", db)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := python.ParseMetadata(db, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseMetadata (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMetadataErrors(t *testing.T) {
	const pre = "python: parse " + db + ": "
	tests := []struct{ name, in, want string }{
		{"empty", "", "no Name header"},
		{"no Version", "Metadata-Version: 2.1\nName: a\n", "no Version header"},
		{"empty Version", "Name: a\nVersion:  \n", "no Version header"},
		{"Version in the body", "Name: a\n\nVersion: 1\n", "no Version header"},
		{"Name after a non-header line", "Version: 1\nnot a header\nName: a\n", "no Name header"},
		{"Name after a bad field name", "Version: 1\nBad Field: x\nName: a\n", "no Name header"},
		{"bad Name", "Name: my package\nVersion: 1\n", `Name "my package" is not a distribution name`},
		{"Name ends with a separator", "Name: a-\nVersion: 1\n", `Name "a-" is not a distribution name`},
		{"long bad Name quoted short", "Name: " + strings.Repeat("é", 70) + "\nVersion: 1\n", `Name "` + strings.Repeat("é", 40) + `…" (140 bytes) is not a distribution name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := python.ParseMetadata(db, []byte(tt.in))
			if err == nil || err.Error() != pre+tt.want {
				t.Errorf("ParseMetadata = %+v, %v; want error %q", got, err, pre+tt.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"requests":           "requests",
		"Flask":              "flask",
		"charset_normalizer": "charset-normalizer",
		"zope.interface":     "zope-interface",
		"A-_.-b":             "a-b",
		"ruamel.yaml.clib":   "ruamel-yaml-clib",
		"_private":           "-private",
		"":                   "",
	} {
		if got := python.NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
