package httpapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// b64 decodes the parts of a token: base64url without padding, and
// strictly, so that each token has one spelling.
var b64 = base64.RawURLEncoding.Strict()

// leeway is the clock skew allowed on exp, nbf and iat, as Clair allows.
const leeway = 15 * time.Second

// verifier checks the pre-shared-key JWTs of Clair's auth.psk: HS256
// only, signed with key; exp, nbf and iat checked when present; iss one of
// issuers when any are configured.
type verifier struct {
	key     []byte
	issuers []string
	now     func() time.Time
}

// check verifies the request's "Authorization: Bearer TOKEN".
func (v *verifier) check(r *http.Request) error {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return fmt.Errorf("%w: want an Authorization: Bearer header with a JWT signed with the pre-shared key", errUnauthorized)
	}
	if err := v.verify(strings.TrimSpace(tok)); err != nil {
		return fmt.Errorf("%w: %v", errUnauthorized, err)
	}
	return nil
}

// claims are the registered claims strata checks. Times are NumericDates,
// which may have a fraction.
type claims struct {
	Issuer    string   `json:"iss"`
	Expiry    *float64 `json:"exp"`
	NotBefore *float64 `json:"nbf"`
	IssuedAt  *float64 `json:"iat"`
}

// verify checks one compact-serialised JWT.
func (v *verifier) verify(token string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fmt.Errorf("token: want 3 dot-separated parts, have %d", len(parts))
	}
	var header struct {
		Alg  string          `json:"alg"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := decodePart(parts[0], &header); err != nil {
		return fmt.Errorf("token header: %w", err)
	}
	if header.Alg != "HS256" {
		return fmt.Errorf("token header: alg %q (want HS256)", header.Alg)
	}
	if header.Crit != nil {
		return fmt.Errorf("token header: crit extensions are not supported")
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("token signature: %w", err)
	}
	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return fmt.Errorf("token signature does not match the pre-shared key")
	}
	var c claims
	if err := decodePart(parts[1], &c); err != nil {
		return fmt.Errorf("token claims: %w", err)
	}
	return v.checkClaims(c)
}

func (v *verifier) checkClaims(c claims) error {
	now := float64(v.now().UnixNano()) / 1e9
	lee := leeway.Seconds()
	switch {
	case c.Expiry != nil && now > *c.Expiry+lee:
		return fmt.Errorf("token expired at %s", date(*c.Expiry))
	case c.NotBefore != nil && now+lee < *c.NotBefore:
		return fmt.Errorf("token not valid before %s", date(*c.NotBefore))
	case c.IssuedAt != nil && now+lee < *c.IssuedAt:
		return fmt.Errorf("token issued in the future, at %s", date(*c.IssuedAt))
	case len(v.issuers) > 0 && !slices.Contains(v.issuers, c.Issuer):
		return fmt.Errorf("token issuer %q is not one of auth.psk.iss", c.Issuer)
	}
	return nil
}

// date formats a NumericDate for a message.
func date(sec float64) string {
	return time.Unix(int64(sec), 0).UTC().Format(time.RFC3339)
}

// decodePart decodes one base64url JSON part of a token.
func decodePart(s string, v any) error {
	b, err := b64.DecodeString(s)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	return dec.Decode(v)
}
