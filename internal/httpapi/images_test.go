package httpapi

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/update/updaters"
)

// An image submitted by reference is pulled with the credentials
// configured on the server (the docker config's, or registry.username and
// password), indexed, and listed with its counts.
func TestSubmitImage(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.Bearer)
	img, err := testutil.Image(true, busterLayer(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Push("team/buster:1", img); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	withDockerConfig := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(testutil.RegistryUser + ":" + testutil.RegistryPassword))
	cfg := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, reg.Host, auth)
	if err := os.WriteFile(filepath.Join(withDockerConfig, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dockerConfig string
		edit               func(*Config)
	}{
		{"docker config", withDockerConfig, nil},
		{"registry.username", t.TempDir(), func(c *Config) {
			c.Registry.Username, c.Registry.Password = testutil.RegistryUser, testutil.RegistryPassword
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DOCKER_CONFIG", tt.dockerConfig)
			a := newAPI(t, tt.edit)
			resp := a.do("POST", "/api/v1/images", imageRequest{Reference: reg.Host + "/team/buster:1"})
			var got imageResponse
			resp.decode(t, &got)
			if resp.status != http.StatusCreated {
				t.Fatalf("POST: status %d: %s", resp.status, resp.body)
			}
			if string(got.ManifestHash) != d.String() || got.VulnerabilityReport != "/matcher/api/v1/vulnerability_report/"+d.String() {
				t.Errorf("answer: manifest %s, vulnerability report %s; want %s", got.ManifestHash, got.VulnerabilityReport, d)
			}
			if diff := cmp.Diff(busterPackages, testutil.ReportPackages(got.IndexReport)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			resp = a.do("GET", "/api/v1/images", nil)
			var list struct{ Images []imageSummary }
			resp.decode(t, &list)
			want := []imageSummary{{ManifestHash: got.ManifestHash, Distribution: "debian:10", Packages: 4,
				Vulnerabilities: 2, BySeverity: map[string]int{"Unknown": 2}, Uncovered: []string{}}}
			if diff := cmp.Diff(want, list.Images); resp.status != http.StatusOK || diff != "" {
				t.Errorf("GET /api/v1/images: status %d, (-want +got):\n%s", resp.status, diff)
			}
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		t.Setenv("DOCKER_CONFIG", t.TempDir())
		resp := newAPI(t, nil).do("POST", "/api/v1/images", imageRequest{Reference: reg.Host + "/team/buster:1"})
		if e := resp.apiErr(t); resp.status != http.StatusBadGateway || e.Code != "image-fetch-failed" {
			t.Errorf("status %d %s, want 502 image-fetch-failed", resp.status, resp.body)
		}
	})
}

func TestSubmitImageErrors(t *testing.T) {
	a := newAPI(t, nil)
	local := filepath.Join(t.TempDir(), "image:1")
	if err := os.WriteFile(local, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref    string
		status int
		want   string
	}{
		{"", 400, "no reference"},
		{"/etc/passwd", 400, "want a registry reference, not a path"},
		{"./x:1", 400, "want a registry reference, not a path"},
		{local, 400, "want a registry reference, not a path"},
		{"debian", 400, "names no tag or digest"},
		{"registry.invalid:5000/x/y", 400, "names no tag or digest"},
		{"127.0.0.1:1/x:1", 502, "image fetch failed"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			resp := a.do("POST", "/api/v1/images", imageRequest{Reference: tt.ref})
			if e := resp.apiErr(t); resp.status != tt.status || !strings.Contains(e.Message, tt.want) {
				t.Errorf("%d %q, want %d with %q", resp.status, e.Message, tt.status, tt.want)
			}
		})
	}
}

// The update status lists every feed; readiness follows the store.
func TestUpdatesAndReadiness(t *testing.T) {
	a := newAPI(t, nil)
	resp := a.do("GET", "/api/v1/updates", nil)
	var got struct{ Updaters []feedStatus }
	resp.decode(t, &got)
	if resp.status != 200 || len(got.Updaters) != len(updaters.All()) {
		t.Fatalf("status %d, %d updaters: %s", resp.status, len(got.Updaters), resp.body)
	}
	deb, ubu := got.Updaters[0], got.Updaters[1]
	if deb.Updater != "debian" || deb.Records != 3 || deb.LastSuccess.IsZero() || deb.AgeSeconds == nil || deb.Fingerprint != "" {
		t.Errorf("debian status = %+v, want 3 records, a last success, an age and no fingerprint", deb)
	}
	if ubu.Updater != "ubuntu" || ubu.Records != 0 || !ubu.LastSuccess.IsZero() || ubu.AgeSeconds != nil {
		t.Errorf("ubuntu status = %+v, want never run", ubu)
	}
	if resp := a.do("GET", "/readyz", nil); resp.status != 200 {
		t.Errorf("readyz: status %d, want 200", resp.status)
	}
	a.st.Close()
	if resp := a.do("GET", "/readyz", nil); resp.status != 503 || resp.apiErr(t).Code != "not-ready" {
		t.Errorf("readyz with the store closed: status %d %s, want 503 not-ready", resp.status, resp.body)
	}
	if resp := a.do("GET", "/healthz", nil); resp.status != 200 {
		t.Errorf("healthz with the store closed: status %d, want 200", resp.status)
	}
}
