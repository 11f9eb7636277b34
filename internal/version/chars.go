package version

import "strings"

func isDigit[T byte | rune](c T) bool { return c >= '0' && c <= '9' }

func isAlpha[T byte | rune](c T) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum[T byte | rune](c T) bool { return isDigit(c) || isAlpha(c) }

// digitRun returns the end of the run of ASCII digits starting at s[i].
func digitRun(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// compareDigits orders two runs of decimal digits numerically, whatever
// their length; "" counts as zero.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// indexInvalid returns the index of the first byte of s that is neither an
// ASCII letter or digit nor in extra, or -1.
func indexInvalid(s, extra string) int {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return i
		}
	}
	return -1
}
