package strata

import "testing"

func TestRelease(t *testing.T) {
	tests := []struct {
		d    *Distribution
		want string
	}{
		{nil, ""},
		{&Distribution{}, ""},
		{&Distribution{ID: "debian", VersionID: "12", VersionCodename: "bookworm"}, "debian:12"},
		{&Distribution{ID: "debian", VersionCodename: "trixie"}, "debian:trixie"},
		{&Distribution{ID: "ubuntu", VersionID: "18.04"}, "ubuntu:18.04"},
		{&Distribution{ID: "alpine", VersionID: "3.19.4"}, "alpine:3.19"},
		{&Distribution{ID: "alpine", VersionID: "3.3"}, "alpine:3.3"},
		{&Distribution{ID: "alpine", VersionID: "3.19_alpha20230901"}, "alpine:edge"},
		{&Distribution{ID: "rhel", VersionID: "9.4"}, "rhel:9"},
		{&Distribution{ID: "wolfi", VersionID: "20230201"}, "wolfi:rolling"},
		{&Distribution{ID: "arch"}, "arch"},
	}
	for _, tt := range tests {
		if got := tt.d.Release(); got != tt.want {
			t.Errorf("%+v.Release() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestParseDigest(t *testing.T) {
	good := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if d, err := ParseDigest(good); err != nil || string(d) != good || d.Short() != "0123456789ab" {
		t.Errorf("ParseDigest(%q) = %q, %v", good, d, err)
	}
	for in, want := range map[string]string{
		"abc":             `digest "abc": missing algorithm`,
		"md5:00":          `digest "md5:00": unknown algorithm "md5"`,
		"sha256:00":       `digest "sha256:00": want 64 hex digits, have 2`,
		good[:70] + "XYZ": `digest "` + good[:70] + `XYZ": want 64 hex digits, have 66`,
	} {
		if _, err := ParseDigest(in); err == nil || err.Error() != want {
			t.Errorf("ParseDigest(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestSeverity(t *testing.T) {
	for s := Unknown; s <= Critical; s++ {
		b, _ := s.MarshalText()
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip of %v: %v, %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil || err.Error() != `unknown severity "severe" (want one of Unknown, Negligible, Low, Medium, High, Critical)` {
		t.Errorf("ParseSeverity(severe) error = %v", err)
	}
	if s, _ := ParseSeverity("high"); s != High {
		t.Errorf("ParseSeverity(high) = %v", s)
	}
}
