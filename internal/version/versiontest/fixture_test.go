package versiontest

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func TestParseCase(t *testing.T) {
	tests := []struct {
		line string
		want Case
		ok   bool
	}{
		{"1.0 < 2.0", Case{Line: 1, A: "1.0", B: "2.0", Want: -1}, true},
		{"1.0 = 1.0-0\t# a missing revision is 0", Case{Line: 1, A: "1.0", B: "1.0-0", Want: 0, Comment: "a missing revision is 0"}, true},
		{"2 > 1", Case{Line: 1, A: "2", B: "1", Want: 1}, true},
		{"!1.0-", Case{Line: 1, A: "1.0-", Want: Invalid}, true},
		{"1:1.0-1", Case{Line: 1, A: "1:1.0-1"}, true},
		{"3.6.0 ~ 3.6", Case{Line: 1}, false},
		{"# comment", Case{Line: 1, Comment: "comment"}, false},
		{"", Case{Line: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, ok, err := ParseCase(1, tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.ok {
				t.Errorf("ParseCase(%q) ok %v (-want +got):\n%s", tt.line, ok, diff)
			}
			if ok {
				if again, _, _ := ParseCase(1, got.String()); !cmp.Equal(got, again) {
					t.Errorf("%q does not read back: %+v", got.String(), again)
				}
			}
		})
	}
}

func TestParseCaseErrors(t *testing.T) {
	for _, line := range []string{"1.0 << 2.0", "1.0 < 2.0 3.0", "a b"} {
		if _, _, err := ParseCase(3, line); err == nil {
			t.Errorf("ParseCase(%q): no error", line)
		}
	}
}

func TestPairsAreReproducible(t *testing.T) {
	for eco := range grammars {
		a, err := Pairs(eco, rand.New(rand.NewPCG(1, 2)), 50)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Pairs(eco, rand.New(rand.NewPCG(1, 2)), 50)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: same seed, other pairs (-first +second):\n%s", eco, diff)
		}
		for _, p := range a {
			if p.A == "" || p.B == "" {
				t.Errorf("%s: empty version in %+v", eco, p)
			}
		}
	}
	if _, err := Pairs(strata.Ecosystem("cargo"), rand.New(rand.NewPCG(1, 2)), 1); err == nil {
		t.Error("Pairs(cargo): no error")
	}
}
