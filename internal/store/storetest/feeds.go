package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testVulnerabilities(t *testing.T, s store.Store) {
	deb12 := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	deb11 := vuln("debian", "CVE-2024-2", "debian:11", "openssl")
	zlib := vuln("debian", "CVE-2024-3", "debian:12", "zlib")
	curl := vuln("debian", "CVE-2024-4", "debian:12", "curl")
	nvd := vuln("nvd", "CVE-2024-1", "debian:12", "openssl")
	ubuntu := vuln("ubuntu", "CVE-2024-1", "ubuntu:22.04", "openssl")
	ghsa := vuln("osv", "GHSA-2", "", "requests")
	pysec := vuln("osv", "PYSEC-1", "", "requests")
	replace(t, s, "debian", "fp", curl, zlib, deb11, deb12)
	replace(t, s, "nvd", "fp", nvd)
	replace(t, s, "ubuntu", "fp", ubuntu)
	replace(t, s, "osv", "fp", pysec, ghsa)

	many := []string{"openssl"}
	for i := range 1200 {
		many = append(many, fmt.Sprintf("pkg%d", i))
	}
	many = append(many, "curl")
	tests := []struct {
		name    string
		eco     strata.Ecosystem
		release string
		names   []string
		want    []strata.Vulnerability
	}{
		{"by release and name", strata.Deb, "debian:12", []string{"zlib", "openssl", "absent"}, []strata.Vulnerability{deb12, nvd, zlib}},
		{"older release", strata.Deb, "debian:11", []string{"openssl", "zlib"}, []strata.Vulnerability{deb11}},
		{"other distribution", strata.Deb, "ubuntu:22.04", []string{"openssl"}, []strata.Vulnerability{ubuntu}},
		{"language ecosystem", strata.PyPI, "", []string{"requests"}, []strata.Vulnerability{ghsa, pysec}},
		{"wrong ecosystem", strata.NPM, "", []string{"requests"}, nil},
		{"no names", strata.Deb, "debian:12", nil, nil},
		{"repeated names", strata.Deb, "debian:12", []string{"curl", "curl"}, []strata.Vulnerability{curl}},
		{"many names", strata.Deb, "debian:12", many, []strata.Vulnerability{curl, deb12, nvd}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Vulnerabilities(t.Context(), tt.eco, tt.release, tt.names)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
				t.Errorf("Vulnerabilities(%s, %q) (-want +got):\n%s", tt.eco, tt.release, diff)
			}
		})
	}
}

func testUpdaterVulnerabilities(t *testing.T, s store.Store) {
	zlib := vuln("debian", "CVE-2024-3", "debian:12", "zlib")
	curl := vuln("debian", "CVE-2024-4", "debian:12", "curl")
	curl11 := vuln("debian", "CVE-2024-4", "debian:11", "curl")
	nvd := vuln("nvd", "CVE-2024-1", "debian:12", "openssl")
	replace(t, s, "debian", "fp", zlib, curl, curl11)
	replace(t, s, "nvd", "fp", nvd)
	for _, tt := range []struct {
		updater string
		want    []strata.Vulnerability
	}{
		{"debian", []strata.Vulnerability{zlib, curl11, curl}}, // by key: CVE-2024-3|…, CVE-2024-4|deb|debian:11|…, …:12
		{"nvd", []strata.Vulnerability{nvd}},
		{"never-run", nil},
	} {
		got, err := s.UpdaterVulnerabilities(t.Context(), tt.updater)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("UpdaterVulnerabilities(%s) (-want +got):\n%s", tt.updater, diff)
		}
	}
}

func testCovered(t *testing.T, s store.Store) {
	replace(t, s, "debian", "fp", vuln("debian", "CVE-2024-1", "debian:12", "openssl"))
	replace(t, s, "osv", "fp", vuln("osv", "GHSA-1", "", "requests"))
	tests := []struct {
		eco     strata.Ecosystem
		release string
		want    bool
	}{
		{strata.Deb, "debian:12", true},
		{strata.Deb, "debian:11", false},
		{strata.RPM, "debian:12", false},
		{strata.PyPI, "", true},
		{strata.NPM, "", false},
	}
	for _, tt := range tests {
		got, err := s.Covered(t.Context(), tt.eco, tt.release)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("Covered(%s, %q) = %v, want %v", tt.eco, tt.release, got, tt.want)
		}
	}
}

// testUpdaterStatus follows a feed through a failure before any success, a
// success, a failure and a success.
func testUpdaterStatus(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	status := func() *store.UpdaterStatus {
		st, err := s.UpdaterStatus(ctx, "debian")
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if diff := cmp.Diff(&store.UpdaterStatus{Updater: "debian"}, status()); diff != "" {
		t.Errorf("never run (-want +got):\n%s", diff)
	}
	fail := func(msg string) {
		if err := s.RecordUpdateFailure(ctx, "debian", msg); err != nil {
			t.Fatal(err)
		}
	}

	fail("fetch: 503")
	st := status()
	if diff := cmp.Diff(&store.UpdaterStatus{Updater: "debian", LastAttempt: st.LastAttempt, LastError: "fetch: 503"}, st); diff != "" || !recent(st.LastAttempt) {
		t.Errorf("failed first run, attempted at %v (-want +got):\n%s", st.LastAttempt, diff)
	}

	replace(t, s, "debian", "fp1", a)
	ok := status()
	want := &store.UpdaterStatus{Updater: "debian", Fingerprint: "fp1", LastSuccess: ok.LastSuccess, LastAttempt: ok.LastSuccess, Records: 1}
	if diff := cmp.Diff(want, ok); diff != "" || !recent(ok.LastSuccess) {
		t.Errorf("success, at %v (-want +got):\n%s", ok.LastSuccess, diff)
	}

	fail("parse: line 3: bad")
	st = status()
	want = &store.UpdaterStatus{Updater: "debian", Fingerprint: "fp1", LastSuccess: ok.LastSuccess, LastAttempt: st.LastAttempt, LastError: "parse: line 3: bad", Records: 1}
	if diff := cmp.Diff(want, st); diff != "" || st.LastAttempt.Before(ok.LastSuccess) {
		t.Errorf("failure after success, attempted at %v (-want +got):\n%s", st.LastAttempt, diff)
	}
	checkSet(t, s, "debian", "fp1", a)

	replace(t, s, "debian", "fp2", a)
	if st := status(); st.LastError != "" || st.Fingerprint != "fp2" || st.LastSuccess.Before(ok.LastSuccess) {
		t.Errorf("success after failure: %+v; want no error, fingerprint fp2, a later success", st)
	}

	// A run that finds the feed unchanged is a success that keeps the
	// data; for a feed never loaded it records nothing.
	fail("fetch: 503")
	before := status()
	if err := s.RecordUpdateUnchanged(ctx, "debian"); err != nil {
		t.Fatal(err)
	}
	st = status()
	want = &store.UpdaterStatus{Updater: "debian", Fingerprint: "fp2", LastSuccess: st.LastSuccess, LastAttempt: st.LastSuccess, Records: 1}
	if diff := cmp.Diff(want, st); diff != "" || st.LastSuccess.Before(before.LastAttempt) {
		t.Errorf("unchanged after a failure, at %v (-want +got):\n%s", st.LastSuccess, diff)
	}
	checkSet(t, s, "debian", "fp2", a)
	if err := s.RecordUpdateUnchanged(ctx, "never"); err != nil {
		t.Fatal(err)
	}
	if st, err := s.UpdaterStatus(ctx, "never"); err != nil || !cmp.Equal(st, &store.UpdaterStatus{Updater: "never"}) {
		t.Errorf("unchanged, never loaded: %+v, %v; want no status", st, err)
	}
}
