package strata

import "testing"

func TestModuleStream(t *testing.T) {
	for label, want := range map[string]string{
		"nodejs:12:8050020211015:b4937e53": "nodejs:12",
		"perl-FCGI:0.78":                   "perl-FCGI:0.78",
		"go-toolset:rhel8":                 "go-toolset:rhel8",
		"nodejs":                           "",
		"nodejs:":                          "",
		":12":                              "",
		"":                                 "",
	} {
		if got := ModuleStream(label); got != want {
			t.Errorf("ModuleStream(%q) = %q, want %q", label, got, want)
		}
	}
}
