package strata

import "testing"

func TestUserAgent(t *testing.T) {
	defer func(v string) { version = v }(version)
	for _, tt := range []struct{ set, want string }{
		{"v1.2.3", "strata/1.2.3"},
		{"1.4.0-rc.1", "strata/1.4.0-rc.1"},
	} {
		version = tt.set
		if got := UserAgent(); got != tt.want {
			t.Errorf("version %q: UserAgent() = %q, want %q", tt.set, got, tt.want)
		}
	}
	version = ""
	// Tests run from a module in development: no module version is known.
	if got := UserAgent(); got != "strata/devel" {
		t.Errorf("development build: UserAgent() = %q, want strata/devel", got)
	}
}
