package excerpt

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		name, s, want string
	}{
		{"empty", "", `""`},
		{"short", "DSA-1 curl", `"DSA-1 curl"`},
		{"control characters escaped", "a\tb\x00", `"a\tb\x00"`},
		{"exactly Max bytes", strings.Repeat("x", Max), `"` + strings.Repeat("x", Max) + `"`},
		{"one byte over", strings.Repeat("x", Max+1), `"` + strings.Repeat("x", Max) + `…" (81 bytes)`},
		{"deep JSON", strings.Repeat("[", 200146), `"` + strings.Repeat("[", Max) + `…" (200146 bytes)`},
		// é is 2 bytes: the cut at byte 80 would split the 40th; it keeps 39.
		{"cut at a character", "x" + strings.Repeat("é", 100), `"x` + strings.Repeat("é", 39) + `…" (201 bytes)`},
		{"invalid UTF-8 escaped", strings.Repeat("\xff", 100), `"` + strings.Repeat(`\xff`, Max) + `…" (100 bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quote(tt.s); got != tt.want {
				t.Errorf("Quote(%d bytes) = %s, want %s", len(tt.s), got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"aé", 2, "a…"},
		{"éé", 1, "…"},
	}
	for _, tt := range tests {
		if got := Cut(tt.s, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"DSA-5380-1", "DSA-5380-1"},
		{"GHSA-xxxx-yyyy-zzzz", "GHSA-xxxx-yyyy-zzzz"},
		{"two words", `"two words"`},
		{`a"b`, `"a\"b"`},
		{"é", `"é"`},
		{strings.Repeat("x", Max), strings.Repeat("x", Max)},
		{strings.Repeat("x", Max+1), strings.Repeat("x", Max) + "…"},
		{strings.Repeat(" ", Max+1), `"` + strings.Repeat(" ", Max) + `…"`},
	}
	for _, tt := range tests {
		if got := ID(tt.id); got != tt.want {
			t.Errorf("ID(%q) = %s, want %s", tt.id, got, tt.want)
		}
	}
}

// FuzzQuote: Quote is bounded, and what it quotes is a prefix of the
// input.
func FuzzQuote(f *testing.F) {
	f.Add("[[[[")
	f.Add(strings.Repeat("é", 100))
	f.Fuzz(func(t *testing.T, s string) {
		q := Quote(s)
		if len(q) > 4*Max+32 { // 4 bytes per escaped byte, "…" and " (N bytes)"
			t.Fatalf("Quote(%d bytes) is %d bytes long", len(s), len(q))
		}
		quoted := q
		if len(s) > Max {
			quoted = strings.TrimSuffix(q, fmt.Sprintf(" (%d bytes)", len(s)))
		}
		u, err := strconv.Unquote(quoted)
		if err != nil {
			t.Fatalf("Quote(%q) = %s: %v", s, q, err)
		}
		if len(s) > Max {
			u = strings.TrimSuffix(u, "…")
		}
		if !strings.HasPrefix(s, u) {
			t.Errorf("Quote(%q) = %s: not a prefix", s, q)
		}
	})
}
