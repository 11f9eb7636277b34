package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDebInvalid(t *testing.T) {
	tests := []struct{ v, want string }{
		{"", `deb version "": empty`},
		{"  ", `deb version "  ": empty`},
		{"1.0 1", `deb version "1.0 1": embedded blank`},
		{":1.0", `deb version ":1.0": epoch "" is not a number`},
		{"a:1.0", `deb version "a:1.0": epoch "a" is not a number`},
		{"-1:1.0", `deb version "-1:1.0": epoch "-1" is negative`},
		{"2147483648:1.0", `deb version "2147483648:1.0": epoch "2147483648" is too big`},
		{"1:", `deb version "1:": nothing after the epoch's colon`},
		{"1.0-", `deb version "1.0-": empty revision`},
		{"-1", `deb version "-1": empty upstream version`},
		{"1:-1", `deb version "1:-1": empty upstream version`},
		{"a1.0", `deb version "a1.0": upstream version does not start with a digit`},
		{"1.0_1", `deb version "1.0_1": invalid character "_" in upstream version`},
		{"1.0-1:2", `deb version "1.0-1:2": epoch "1.0-1" is not a number`},
		{"1:1.0-1:2", `deb version "1:1.0-1:2": invalid character ":" in revision`},
		{"1.0-é", `deb version "1.0-é": invalid character "\xc3" in revision`},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			_, err := Deb{}.Compare(tt.v, "1.0")
			if err == nil {
				t.Fatalf("Compare(%q): no error, want %q", tt.v, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
