package update

import (
	"fmt"
	"strings"
)

// checkScheme refuses a location of the form scheme://… whose scheme is
// neither http nor https, which would otherwise be read as a local path
// and fail with "no such file or directory". A path holding a colon but
// not a scheme (a:b, ./x://y) is left to be read as a path.
func checkScheme(loc string) error {
	scheme, _, ok := strings.Cut(loc, "://")
	if !ok || !isScheme(scheme) || scheme == "http" || scheme == "https" {
		return nil
	}
	return fmt.Errorf("%s: unsupported URL scheme %q (want http or https, or a local path)", loc, scheme)
}

// isScheme tells whether s is a URL scheme (RFC 3986): a letter, then
// letters, digits, "+", "-" and ".".
func isScheme(s string) bool {
	for i, c := range s {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}
