package httpapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// sign makes a compact JWT of header and claims, signed with key.
func sign(t testing.TB, key []byte, header, claims map[string]any) string {
	t.Helper()
	part := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	s := part(header) + "." + part(claims)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(s))
	return s + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

var hs256 = map[string]any{"alg": "HS256", "typ": "JWT"}

// With auth.psk.key set, every route but health and metrics wants a JWT
// signed with the key, current, and from an allowed issuer.
func TestAuth(t *testing.T) {
	a := newAPI(t, func(c *Config) {
		c.Auth.PSK = PSK{Key: testKey, Issuers: []string{"clairctl", "quay"}}
	})
	now := time.Now().Unix()
	good := map[string]any{"iss": "quay", "exp": now + 60, "nbf": now - 60, "iat": now}
	with := func(k string, v any) map[string]any {
		c := map[string]any{}
		for k, v := range good {
			c[k] = v
		}
		c[k] = v
		return c
	}
	tests := []struct {
		name, auth string
		status     int
		message    string
	}{
		{"valid", "Bearer " + sign(t, testKey, hs256, good), 200, ""},
		{"no exp or nbf", "Bearer " + sign(t, testKey, hs256, map[string]any{"iss": "clairctl"}), 200, ""},
		{"within leeway", "Bearer " + sign(t, testKey, hs256, with("exp", now-10)), 200, ""},
		{"fractional times", "Bearer " + sign(t, testKey, hs256, with("exp", float64(now)+60.5)), 200, ""},
		{"no header", "", 401, "want an Authorization: Bearer header"},
		{"basic", "Basic dTpw", 401, "want an Authorization: Bearer header"},
		{"not a JWT", "Bearer abc", 401, "want 3 dot-separated parts, have 1"},
		{"other key", "Bearer " + sign(t, []byte("other"), hs256, good), 401, "signature does not match"},
		{"alg none", "Bearer " + sign(t, testKey, map[string]any{"alg": "none"}, good), 401, `alg "none" (want HS256)`},
		{"alg HS512", "Bearer " + sign(t, testKey, map[string]any{"alg": "HS512"}, good), 401, `alg "HS512"`},
		{"crit", "Bearer " + sign(t, testKey, map[string]any{"alg": "HS256", "crit": []string{"x"}}, good), 401, "crit"},
		{"expired", "Bearer " + sign(t, testKey, hs256, with("exp", now-60)), 401, "token expired at"},
		{"not yet valid", "Bearer " + sign(t, testKey, hs256, with("nbf", now+60)), 401, "token not valid before"},
		{"issued later", "Bearer " + sign(t, testKey, hs256, with("iat", now+60)), 401, "issued in the future"},
		{"other issuer", "Bearer " + sign(t, testKey, hs256, with("iss", "mallory")), 401, `issuer "mallory" is not one of auth.psk.iss`},
		{"exp not a number", "Bearer " + sign(t, testKey, hs256, with("exp", "soon")), 401, "token claims"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.auth != "" {
				headers = append(headers, "Authorization: "+tt.auth)
			}
			resp := a.do("GET", "/indexer/api/v1/index_state", nil, headers...)
			if resp.status != tt.status {
				t.Fatalf("status %d (%s), want %d", resp.status, resp.body, tt.status)
			}
			if tt.status == 401 {
				if e := resp.apiErr(t); e.Code != "unauthorized" || !strings.Contains(e.Message, tt.message) {
					t.Errorf("error %s %q, want unauthorized with %q", e.Code, e.Message, tt.message)
				}
				if got := resp.header.Get("WWW-Authenticate"); got != `Bearer realm="strata"` {
					t.Errorf("WWW-Authenticate = %q", got)
				}
			}
		})
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if resp := a.do("GET", p, nil); resp.status != 200 {
			t.Errorf("GET %s without a token: status %d, want 200", p, resp.status)
		}
	}
	for _, p := range []string{"/api/v1/openapi.json", "/api/v1/images", "/api/v1/updates"} {
		if resp := a.do("GET", p, nil); resp.status != 401 {
			t.Errorf("GET %s without a token: status %d, want 401", p, resp.status)
		}
	}
}

// Without auth.psk.iss, any issuer (or none) is accepted.
func TestAuthAnyIssuer(t *testing.T) {
	v := &verifier{key: testKey, now: time.Now}
	if err := v.verify(sign(t, testKey, hs256, map[string]any{"sub": "x"})); err != nil {
		t.Errorf("token without iss: %v", err)
	}
}

// FuzzVerify checks that no token panics the verifier, and that a token it
// accepts carries a valid HS256 signature of its first two parts.
func FuzzVerify(f *testing.F) {
	f.Add(sign(f, testKey, hs256, map[string]any{"iss": "clairctl", "exp": 4102444800}))
	f.Add(sign(f, testKey, map[string]any{"alg": "none"}, nil))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.")
	v := &verifier{key: testKey, now: func() time.Time { return time.Unix(1700000000, 0) }}
	f.Fuzz(func(t *testing.T, token string) {
		if v.verify(token) != nil {
			return
		}
		parts := strings.Split(token, ".")
		mac := hmac.New(sha256.New, testKey)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		if parts[2] != base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) {
			t.Errorf("accepted %q without a valid signature", token)
		}
	})
}
