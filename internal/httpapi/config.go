package httpapi

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/update/updaters"
	"gopkg.in/yaml.v3"
)

// ExampleConfig is a configuration file that sets every key to its
// default, with comments: the documentation of the keys.
//
//go:embed strata.example.yaml
var ExampleConfig string

// Config is the configuration of `strata serve`; strata.example.yaml
// documents each key.
type Config struct {
	Listen   string   `yaml:"listen"`
	DB       string   `yaml:"db"`
	Auth     Auth     `yaml:"auth"`
	Limits   Limits   `yaml:"limits"`
	Updates  Updates  `yaml:"updates"`
	Registry Registry `yaml:"registry"`
	Notify   Notify   `yaml:"notify"`
}

// Notify configures the delivery of notifications: after each feed
// update, and every Interval, the pending ones go to each configured
// deliverer.
type Notify struct {
	Interval Duration `yaml:"interval"`
	Callback string   `yaml:"callback"` // strata's base URL as receivers reach it
	// Summary is what the messages carry: notify.PerImage (each image's
	// most severe vulnerability per reason) or notify.All.
	Summary string `yaml:"summary"`
	// Expire is how long a diff's notifications are delivered again
	// until acknowledged (0: for ever).
	Expire  Duration `yaml:"expire"`
	Webhook Webhook  `yaml:"webhook"`
	AMQP    AMQP     `yaml:"amqp"`
}

// Webhook configures delivery by HTTP POST: none when URL is empty.
type Webhook struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"` // the HMAC-SHA256 key of the signature
}

// AMQP configures delivery to an AMQP broker: none when URL is empty.
type AMQP struct {
	URL        string `yaml:"url"`
	Exchange   string `yaml:"exchange"`
	RoutingKey string `yaml:"routing_key"`
}

// Auth configures authentication.
type Auth struct {
	PSK PSK `yaml:"psk"`
}

// PSK is Clair's pre-shared-key auth: an empty key turns auth off.
type PSK struct {
	Key     Base64   `yaml:"key"`
	Issuers []string `yaml:"iss"`
}

// Limits bound what requests may cost.
type Limits struct {
	MaxConcurrentIndex int      `yaml:"max_concurrent_index"`
	RetryAfter         Duration `yaml:"retry_after"`
	MaxBodyBytes       int64    `yaml:"max_body_bytes"`
	LayerFetchTimeout  Duration `yaml:"layer_fetch_timeout"`
}

// Updates configures the background feed updates.
type Updates struct {
	Interval Duration            `yaml:"interval"`
	Timeout  Duration            `yaml:"timeout"`
	Feeds    []string            `yaml:"feeds"`
	Sources  map[string][]string `yaml:"sources"`
}

// Registry configures image pulls by reference.
type Registry struct {
	Insecure     bool   `yaml:"insecure"`
	DockerConfig string `yaml:"docker_config"`
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
}

// Base64 is a byte string written in base64 (standard encoding).
type Base64 []byte

// UnmarshalText decodes base64.
func (b *Base64) UnmarshalText(text []byte) error {
	v, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil {
		return fmt.Errorf("not base64: %w", err)
	}
	*b = v
	return nil
}

// Duration is a time.Duration written as Go writes one ("90s", "6h"), or
// as 0.
type Duration time.Duration

// UnmarshalYAML reads a duration from a YAML scalar.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration such as 90s or 6h", n.Line)
	}
	if err := d.parse(n.Value); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

func (d *Duration) parse(s string) error {
	if s == "0" {
		*d = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

func (d Duration) String() string { return time.Duration(d).String() }

// Defaults returns the configuration with every key at its default.
func Defaults() Config {
	return Config{
		Listen: ":6060",
		Limits: Limits{MaxConcurrentIndex: 4, RetryAfter: Duration(10 * time.Second), MaxBodyBytes: 1 << 20,
			LayerFetchTimeout: Duration(10 * time.Minute)},
		Updates: Updates{Interval: Duration(6 * time.Hour), Timeout: Duration(10 * time.Minute)},
		Notify:  Notify{Interval: Duration(5 * time.Minute), Summary: notify.PerImage, Expire: Duration(7 * 24 * time.Hour)},
	}
}

// LoadConfig reads the YAML file at path (none when path is ""), over the
// defaults, then applies the environment overrides that getenv finds, and
// checks the result.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	c := Defaults()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	for _, o := range envOverrides {
		if v := getenv(o.name); v != "" {
			if err := o.set(&c, v); err != nil {
				return c, fmt.Errorf("config: $%s: %w", o.name, err)
			}
		}
	}
	if err := c.validate(); err != nil {
		if path == "" {
			path = "(defaults and environment)"
		}
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// envOverrides are the environment variables that override the file.
var envOverrides = []struct {
	name string
	set  func(c *Config, v string) error
}{
	{"STRATA_LISTEN", func(c *Config, v string) error { c.Listen = v; return nil }},
	{"STRATA_DB", func(c *Config, v string) error { c.DB = v; return nil }},
	{"STRATA_AUTH_PSK", func(c *Config, v string) error { return c.Auth.PSK.Key.UnmarshalText([]byte(v)) }},
	{"STRATA_AUTH_PSK_ISS", func(c *Config, v string) error { c.Auth.PSK.Issuers = strings.Split(v, ","); return nil }},
	{"STRATA_MAX_CONCURRENT_INDEX", func(c *Config, v string) (err error) {
		c.Limits.MaxConcurrentIndex, err = strconv.Atoi(v)
		return err
	}},
	{"STRATA_MAX_BODY_BYTES", func(c *Config, v string) (err error) {
		c.Limits.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64)
		return err
	}},
	{"STRATA_UPDATE_INTERVAL", func(c *Config, v string) (err error) {
		return c.Updates.Interval.parse(v)
	}},
	{"STRATA_REGISTRY_INSECURE", func(c *Config, v string) (err error) {
		c.Registry.Insecure, err = strconv.ParseBool(v)
		return err
	}},
	{"STRATA_NOTIFY_INTERVAL", func(c *Config, v string) error { return c.Notify.Interval.parse(v) }},
	{"STRATA_NOTIFY_CALLBACK", func(c *Config, v string) error { c.Notify.Callback = v; return nil }},
	{"STRATA_NOTIFY_SUMMARY", func(c *Config, v string) error { c.Notify.Summary = v; return nil }},
	{"STRATA_NOTIFY_EXPIRE", func(c *Config, v string) error { return c.Notify.Expire.parse(v) }},
	{"STRATA_NOTIFY_WEBHOOK_URL", func(c *Config, v string) error { c.Notify.Webhook.URL = v; return nil }},
	{"STRATA_NOTIFY_WEBHOOK_SECRET", func(c *Config, v string) error { c.Notify.Webhook.Secret = v; return nil }},
	{"STRATA_NOTIFY_AMQP_URL", func(c *Config, v string) error { c.Notify.AMQP.URL = v; return nil }},
	{"STRATA_NOTIFY_AMQP_EXCHANGE", func(c *Config, v string) error { c.Notify.AMQP.Exchange = v; return nil }},
	{"STRATA_NOTIFY_AMQP_ROUTING_KEY", func(c *Config, v string) error { c.Notify.AMQP.RoutingKey = v; return nil }},
	{"STRATA_REGISTRY_USERNAME", func(c *Config, v string) error { c.Registry.Username = v; return nil }},
	{"STRATA_REGISTRY_PASSWORD", func(c *Config, v string) error { c.Registry.Password = v; return nil }},
}

// validate checks the values a server needs to make sense.
func (c *Config) validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Listen != "", "listen: empty")
	check(c.Limits.MaxConcurrentIndex >= 1, "limits.max_concurrent_index: %d (want 1 or more)", c.Limits.MaxConcurrentIndex)
	check(c.Limits.RetryAfter >= Duration(time.Second), "limits.retry_after: %s (want 1s or more)", c.Limits.RetryAfter)
	check(c.Limits.MaxBodyBytes >= 1024, "limits.max_body_bytes: %d (want 1024 or more)", c.Limits.MaxBodyBytes)
	check(c.Limits.LayerFetchTimeout > 0, "limits.layer_fetch_timeout: %s (want more than 0)", c.Limits.LayerFetchTimeout)
	check(c.Updates.Interval >= 0, "updates.interval: %s (want 0, for none, or more)", c.Updates.Interval)
	check(c.Updates.Timeout > 0, "updates.timeout: %s (want more than 0)", c.Updates.Timeout)
	check(c.Notify.Interval >= 0, "notify.interval: %s (want 0, for only after updates, or more)", c.Notify.Interval)
	check(c.Notify.Expire >= 0, "notify.expire: %s (want 0, for never, or more)", c.Notify.Expire)
	check(c.Notify.Summary == notify.PerImage || c.Notify.Summary == notify.All, "notify.summary: %q (want %s or %s)",
		c.Notify.Summary, notify.PerImage, notify.All)
	check(validURL(c.Notify.Webhook.URL, "http", "https"), "notify.webhook.url: want an http:// or https:// URL with a host")
	check(validURL(c.Notify.AMQP.URL, "amqp", "amqps"), "notify.amqp.url: want an amqp:// or amqps:// URL with a host")
	for _, f := range c.Updates.Feeds {
		if _, err := updaters.ByName(f); err != nil {
			errs = append(errs, fmt.Errorf("updates.feeds: %w", err))
		}
	}
	for f, locs := range c.Updates.Sources {
		if _, err := updaters.ByName(f); err != nil {
			errs = append(errs, fmt.Errorf("updates.sources: %w", err))
		}
		check(len(locs) > 0, "updates.sources.%s: no location", f)
	}
	return errors.Join(errs...)
}

// validURL says whether u is empty (not configured) or an absolute URL of
// one of schemes with a host. The URL itself is not quoted in errors: it
// may hold a password.
func validURL(u string, schemes ...string) bool {
	if u == "" {
		return true
	}
	p, err := url.Parse(u)
	return err == nil && slices.Contains(schemes, p.Scheme) && p.Host != ""
}
