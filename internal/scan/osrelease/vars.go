package osrelease

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strata-scan/strata/internal/excerpt"
)

// parseVars reads the shell-style assignments of os-release and
// lsb-release: KEY=value lines, blank lines and # comments. A value may mix
// unquoted text, '…' (literal) and "…" (where \ escapes $ ` " and \), and
// \ escapes any character outside quotes, as in the shell. Surrounding
// white space is dropped; white space inside an unquoted value is kept, as
// systemd does. Keys are case-sensitive; the last assignment wins.
func parseVars(b []byte) (map[string]string, error) {
	vars := make(map[string]string)
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		key, raw, ok := strings.Cut(line, "=")
		if !ok || !validKey(key) {
			return nil, fmt.Errorf("line %d: want KEY=value, have %s", n+1, excerpt.Quote(line))
		}
		v, err := unquote(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", n+1, excerpt.ID(key), err)
		}
		vars[key] = v
	}
	return vars, nil
}

// validKey reports whether k is a shell variable name.
func validKey(k string) bool {
	for i, c := range []byte(k) {
		letter := c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return k != ""
}

// unquote reads one shell-quoted value.
func unquote(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return "", errors.New("unterminated single quote")
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\", s[i+1]) >= 0 {
					i++
				}
				b.WriteByte(s[i])
			}
			if i == len(s) {
				return "", errors.New("unterminated double quote")
			}
		case '\\':
			i++
			if i == len(s) {
				return "", errors.New("backslash at end of line (continuation lines are not supported)")
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
