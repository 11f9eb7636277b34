package java

import (
	"bytes"
	"strconv"
	"strings"
)

// parseManifest returns the main section of a MANIFEST.MF: the attributes
// before the first blank line, by lower-case name. A line that starts
// with a space continues the previous value (manifests wrap lines at 72
// bytes); a line without ": " is ignored. The first of repeated names
// counts.
func parseManifest(b []byte) map[string]string {
	m := map[string]string{}
	last := ""
	for line := range bytes.Lines(b) {
		l := strings.TrimRight(string(line), "\r\n")
		switch {
		case l == "":
			return m
		case l[0] == ' ':
			if last != "" {
				m[last] += l[1:]
			}
			continue
		}
		last = ""
		name, value, ok := strings.Cut(l, ": ")
		if !ok {
			continue
		}
		if name = strings.ToLower(name); m[name] == "" {
			m[name], last = value, name
		}
	}
	return m
}

// parseProperties reads a Java .properties file (pom.properties) as
// java.util.Properties does: comments start with '#' or '!', a line ending
// in an odd number of backslashes continues on the next, the key ends at
// the first unescaped '=', ':' or white space, and escapes (\t, \n, \uXXXX,
// \x for x) are resolved. Values are trimmed; the last of repeated keys
// counts.
func parseProperties(b []byte) map[string]string {
	m := map[string]string{}
	var logical strings.Builder
	cont := false
	for line := range bytes.Lines(b) {
		l := strings.TrimLeft(strings.TrimRight(string(line), "\r\n"), " \t\f")
		if !cont && (l == "" || l[0] == '#' || l[0] == '!') {
			continue
		}
		trailing := len(l) - len(strings.TrimRight(l, `\`))
		if cont = trailing%2 == 1; cont {
			l = l[:len(l)-1]
		}
		logical.WriteString(l)
		if !cont {
			k, v := splitProperty(logical.String())
			m[k] = v
			logical.Reset()
		}
	}
	if cont {
		k, v := splitProperty(logical.String())
		m[k] = v
	}
	return m
}

// splitProperty splits one logical line into its unescaped key and its
// unescaped, trimmed value.
func splitProperty(l string) (key, value string) {
	i := 0
	for ; i < len(l) && strings.IndexByte("=: \t\f", l[i]) < 0; i++ {
		if l[i] == '\\' {
			i++
		}
	}
	i = min(i, len(l))
	rest := strings.TrimLeft(l[i:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = rest[1:]
	}
	return unescape(l[:i]), strings.TrimSpace(unescape(strings.TrimLeft(rest, " \t\f")))
}

// unescape resolves the backslash escapes of a .properties file.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i == len(s)-1 {
			sb.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 't':
			sb.WriteByte('\t')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 'f':
			sb.WriteByte('\f')
		case 'u':
			if r, err := strconv.ParseUint(s[i+1:min(i+5, len(s))], 16, 16); err == nil && i+5 <= len(s) {
				sb.WriteRune(rune(r))
				i += 4
				continue
			}
			sb.WriteByte('u')
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
