package httpapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "strata.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// The example file documents the defaults: loading it gives Defaults().
func TestExampleConfigIsDefaults(t *testing.T) {
	got, err := LoadConfig(writeConfig(t, ExampleConfig), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Defaults(), got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("example config (-defaults +loaded):\n%s", diff)
	}
}

// The file overrides the defaults and the environment overrides the file.
func TestLoadConfig(t *testing.T) {
	file := writeConfig(t, `
listen: 127.0.0.1:7000
db: /var/lib/strata/strata.db
auth:
  psk:
    key: c2VjcmV0
    iss: [quay]
limits:
  max_concurrent_index: 2
updates:
  interval: 1h
  sources:
    debian: [/feeds/DSA.list, /feeds/DLA.list]
notify:
  interval: 1m
  expire: 72h
  webhook: {url: "http://hooks/strata", secret: s3cret}
  amqp: {url: "amqp://broker/", exchange: strata}
`)
	want := Defaults()
	want.Listen = "127.0.0.1:7000"
	want.DB = "postgres://db/strata"
	want.Auth.PSK = PSK{Key: []byte("secret"), Issuers: []string{"quay", "clairctl"}}
	want.Limits.MaxConcurrentIndex = 2
	want.Limits.MaxBodyBytes = 2048
	want.Updates.Interval = Duration(time.Hour)
	want.Updates.Sources = map[string][]string{"debian": {"/feeds/DSA.list", "/feeds/DLA.list"}}
	want.Registry.Insecure = true
	want.Notify = Notify{Interval: Duration(time.Minute), Callback: "http://strata:6060", Summary: "all",
		Expire:  Duration(24 * time.Hour),
		Webhook: Webhook{URL: "http://hooks/strata", Secret: "s3cret"},
		AMQP:    AMQP{URL: "amqp://broker/", Exchange: "strata", RoutingKey: "vulns"}}
	got, err := LoadConfig(file, env(map[string]string{
		"STRATA_DB":                      "postgres://db/strata",
		"STRATA_AUTH_PSK_ISS":            "quay,clairctl",
		"STRATA_MAX_BODY_BYTES":          "2048",
		"STRATA_REGISTRY_INSECURE":       "true",
		"STRATA_NOTIFY_CALLBACK":         "http://strata:6060",
		"STRATA_NOTIFY_AMQP_ROUTING_KEY": "vulns",
		"STRATA_NOTIFY_SUMMARY":          "all",
		"STRATA_NOTIFY_EXPIRE":           "24h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"unknown key", "listne: :80\n", nil, "field listne not found"},
		{"bad key", "auth: {psk: {key: '%%%'}}\n", nil, "not base64"},
		{"bad duration", "updates: {interval: often}\n", nil, "often"},
		{"zero limit", "limits: {max_concurrent_index: 0}\n", nil, "limits.max_concurrent_index: 0 (want 1 or more)"},
		{"small body", "limits: {max_body_bytes: 10}\n", nil, "limits.max_body_bytes: 10 (want 1024 or more)"},
		{"negative interval", "updates: {interval: -1h}\n", nil, "updates.interval: -1h0m0s"},
		{"negative notify interval", "notify: {interval: -1m}\n", nil, "notify.interval: -1m0s"},
		{"unknown summary", "notify: {summary: per-vulnerability}\n", nil, `notify.summary: "per-vulnerability" (want per-image or all)`},
		{"webhook not a URL", "notify: {webhook: {url: not a url}}\n", nil, "notify.webhook.url: want an http:// or https:// URL with a host"},
		{"webhook without host", "notify: {webhook: {url: 'http:///hook'}}\n", nil, "notify.webhook.url: want an http:// or https:// URL with a host"},
		{"amqp scheme", "notify: {amqp: {url: 'http://user:secret@broker/'}}\n", nil, "notify.amqp.url: want an amqp:// or amqps:// URL with a host"},
		{"unknown feed", "updates: {feeds: [gentoo]}\n", nil, `updates.feeds: unknown feed "gentoo"`},
		{"unknown source", "updates: {sources: {gentoo: [x]}}\n", nil, `updates.sources: unknown feed "gentoo"`},
		{"bad env number", "", map[string]string{"STRATA_MAX_CONCURRENT_INDEX": "many"}, `$STRATA_MAX_CONCURRENT_INDEX: strconv.Atoi: parsing "many"`},
		{"bad env key", "", map[string]string{"STRATA_AUTH_PSK": "%"}, "$STRATA_AUTH_PSK: not base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.yaml), env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml"), env(nil)); err == nil || !strings.Contains(err.Error(), "missing.yaml: no such file") {
		t.Errorf("missing file: error %v", err)
	}
}

// Without a file, the defaults and environment make the configuration.
func TestLoadConfigNoFile(t *testing.T) {
	got, err := LoadConfig("", env(map[string]string{"STRATA_LISTEN": ":9000", "STRATA_UPDATE_INTERVAL": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	want.Listen, want.Updates.Interval = ":9000", 0
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

// Durations are written as Go writes them, or as a bare 0.
func TestDurations(t *testing.T) {
	tests := []struct {
		yaml string
		want time.Duration
	}{
		{"0", 0},
		{"0s", 0},
		{"90s", 90 * time.Second},
		{"1.5h", 90 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			c, err := LoadConfig(writeConfig(t, "updates: {interval: "+tt.yaml+"}\n"), env(nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := time.Duration(c.Updates.Interval); got != tt.want {
				t.Errorf("interval %s, want %s", got, tt.want)
			}
		})
	}
	if _, err := LoadConfig(writeConfig(t, "updates: {interval: [1]}\n"), env(nil)); err == nil || !strings.Contains(err.Error(), "line 1: want a duration") {
		t.Errorf("a list for a duration: error %v", err)
	}
}
