package httpapi

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/testutil"
)

var busterPackages = []string{
	"curl 7.64.0-4+deb10u1", "libcurl4 7.64.0-4+deb10u1",
	"libssl1.1 1.1.1d-0+deb10u4", "openssl 1.1.1d-0+deb10u4",
}

// DSA.excerpt.list: curl is fixed in 7.64.0-4+deb10u2 (DSA-4881-1) and
// openssl in 1.1.1d-0+deb10u5 (DSA-4855-1), both newer than installed;
// DSA-4807-1 fixed openssl in the installed version, so it is not found.
var busterFindings = []string{
	"curl 7.64.0-4+deb10u1 DSA-4881-1 7.64.0-4+deb10u2",
	"libcurl4 7.64.0-4+deb10u1 DSA-4881-1 7.64.0-4+deb10u2",
	"libssl1.1 1.1.1d-0+deb10u4 DSA-4855-1 1.1.1d-0+deb10u5",
	"openssl 1.1.1d-0+deb10u4 DSA-4855-1 1.1.1d-0+deb10u5",
}

// A Clair manifest is indexed from its layer URIs (with its headers), its
// IndexReport and VulnerabilityReport are served, and posting it again is
// answered from the store without fetching the layer.
func TestIndexManifest(t *testing.T) {
	a := newAPI(t, nil)
	b := serveBlobs(t)
	m := manifestOf(b.add(busterLayer(t)))
	path := "/indexer/api/v1/index_report/" + string(m.Hash)

	resp := a.do("POST", "/indexer/api/v1/index_report", m)
	if resp.status != http.StatusCreated {
		t.Fatalf("POST: status %d: %s", resp.status, resp.body)
	}
	var ir report.IndexReport
	resp.decode(t, &ir)
	if diff := cmp.Diff(busterPackages, testutil.ReportPackages(&ir)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if ir.ManifestHash != m.Hash || ir.State != "IndexFinished" || !ir.Success || ir.LayersRead != 1 {
		t.Errorf("report = %s %q success %v layers_read %d, want %s IndexFinished true 1", ir.ManifestHash, ir.State, ir.Success, ir.LayersRead, m.Hash)
	}
	wantHeaders := map[string]string{
		"Location": path,
		"Link":     `<` + path + `>; rel="https://projectquay.io/clair/v1/index_report", </matcher/api/v1/vulnerability_report/` + string(m.Hash) + `>; rel="https://projectquay.io/clair/v1/vulnerability_report"`,
		"ETag":     etag(a.srv.indexer.State()),
	}
	for k, want := range wantHeaders {
		if got := resp.header.Get(k); got != want {
			t.Errorf("POST: %s = %q, want %q", k, got, want)
		}
	}

	resp = a.do("GET", path, nil)
	var got report.IndexReport
	resp.decode(t, &got)
	if diff := cmp.Diff(ir, got); resp.status != http.StatusOK || diff != "" {
		t.Errorf("GET: status %d, report differs from the POST's (-post +get):\n%s", resp.status, diff)
	}
	if resp = a.do("GET", path, nil, "If-None-Match: "+resp.header.Get("ETag")); resp.status != http.StatusNotModified {
		t.Errorf("GET with If-None-Match: status %d, want 304", resp.status)
	}

	resp = a.do("GET", "/matcher/api/v1/vulnerability_report/"+string(m.Hash), nil)
	var vr report.VulnerabilityReport
	resp.decode(t, &vr)
	if diff := cmp.Diff(busterFindings, rows(&vr)); resp.status != http.StatusOK || diff != "" {
		t.Errorf("vulnerability report: status %d, findings (-want +got):\n%s", resp.status, diff)
	}

	resp = a.do("POST", "/indexer/api/v1/index_report", m, "Content-Type: application/vnd.clair.manifest.v1+json; charset=utf-8")
	resp.decode(t, &got)
	if resp.status != http.StatusCreated || got.LayersRead != 0 || b.count() != 1 {
		t.Errorf("POST again: status %d, layers_read %d, layer GETs %d; want 201, 0, 1 (the stored report)", resp.status, got.LayersRead, b.count())
	}
}

// A Clair manifest gives blob digests, not the diff_ids the layer cache is
// keyed by: a new manifest with a layer read before finds its reports
// through the diff_id recorded for its blob, without fetching it.
func TestIndexManifestSharedLayer(t *testing.T) {
	a := newAPI(t, nil)
	b := serveBlobs(t)
	l := b.add(busterLayer(t))
	top := b.add(mustTar(t, "etc/motd", "hello"))
	for i, m := range []Manifest{manifestOf(l), manifestOf(l, top)} {
		resp := a.do("POST", "/indexer/api/v1/index_report", m)
		var ir report.IndexReport
		resp.decode(t, &ir)
		if diff := cmp.Diff(busterPackages, testutil.ReportPackages(&ir)); resp.status != http.StatusCreated || diff != "" {
			t.Errorf("manifest %d: status %d, packages (-want +got):\n%s", i+1, resp.status, diff)
		}
	}
	if got := b.count(); got != 2 {
		t.Errorf("layer GETs = %d, want 2 (the shared layer once)", got)
	}
}

func TestIndexState(t *testing.T) {
	a := newAPI(t, nil)
	resp := a.do("GET", "/indexer/api/v1/index_state", nil)
	var st struct{ State string }
	resp.decode(t, &st)
	if want := "apk@2,dpkg@4,gobin@4,java@2,layer@2,npm@1,os-release@1,python@1,rpm@2"; resp.status != http.StatusOK || st.State != want {
		t.Errorf("index_state: status %d, state %q; want 200, %q", resp.status, st.State, want)
	}
	if resp = a.do("GET", "/indexer/api/v1/index_state", nil, "If-None-Match: W/\"x\", "+resp.header.Get("ETag")); resp.status != http.StatusNotModified {
		t.Errorf("index_state with its ETag: status %d, want 304", resp.status)
	}
	if resp = a.do("GET", "/indexer/api/v1/index_state", nil, `If-None-Match: "other"`); resp.status != http.StatusOK {
		t.Errorf("index_state with another ETag: status %d, want 200", resp.status)
	}
}

// Deleting one manifest is 204 then 404; a bulk delete answers with the
// manifests that were there.
func TestDelete(t *testing.T) {
	a := newAPI(t, nil)
	b := serveBlobs(t)
	m1 := manifestOf(b.add(busterLayer(t)))
	m2 := manifestOf(b.add(mustTar(t, "etc/motd", "hello")))
	for _, m := range []Manifest{m1, m2} {
		if resp := a.do("POST", "/indexer/api/v1/index_report", m); resp.status != http.StatusCreated {
			t.Fatalf("POST: status %d: %s", resp.status, resp.body)
		}
	}
	one := "/indexer/api/v1/index_report/" + string(m1.Hash)
	if resp := a.do("DELETE", one, nil); resp.status != http.StatusNoContent {
		t.Errorf("DELETE: status %d, want 204", resp.status)
	}
	if resp := a.do("DELETE", one, nil); resp.status != http.StatusNotFound || resp.apiErr(t).Code != "not-found" {
		t.Errorf("DELETE again: status %d %s, want 404 not-found", resp.status, resp.body)
	}
	if resp := a.do("GET", one, nil); resp.status != http.StatusNotFound {
		t.Errorf("GET deleted: status %d, want 404", resp.status)
	}
	resp := a.do("DELETE", "/indexer/api/v1/index_report", []strata.Digest{m1.Hash, m2.Hash})
	var deleted []strata.Digest
	resp.decode(t, &deleted)
	if diff := cmp.Diff([]strata.Digest{m2.Hash}, deleted); resp.status != http.StatusOK || diff != "" {
		t.Errorf("bulk DELETE: status %d, deleted (-want +got):\n%s", resp.status, diff)
	}
	if resp := a.do("DELETE", "/indexer/api/v1/index_report", []string{"sha256:nothex"}); resp.status != http.StatusBadRequest {
		t.Errorf("bulk DELETE of a bad digest: status %d, want 400", resp.status)
	}
}

func mustTar(t *testing.T, path, body string) []byte {
	t.Helper()
	b, err := testutil.Tar(testutil.Entry{Path: path, Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
