package gobin

import "testing"

func TestGoVersion(t *testing.T) {
	for in, want := range map[string]string{
		"go1.19.8":                             "1.19.8",
		"go1.26.8":                             "1.26.8",
		"go1.20":                               "1.20.0",
		"go1":                                  "1.0.0",
		"go1.21rc2":                            "1.21.0-rc.2",
		"go1.18beta1":                          "1.18.0-beta.1",
		"go1.22.0 X:boringcrypto":              "1.22.0",
		"devel go1.23-2e3f0e0 Tue Jan 2 +0000": "(devel)",
		"go1.21.0-20230821-RC00":               "go1.21.0-20230821-RC00",
		"gccgo":                                "gccgo",
		"":                                     "",
	} {
		if got := goVersion(in); got != want {
			t.Errorf("goVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
