// Package excerpt quotes untrusted input in error messages: a short text
// whole, a long one cut, so that a megabyte of garbage makes a one-line
// error that still shows what the input looked like and how long it was.
package excerpt

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Max is the most bytes of its input Quote shows.
const Max = 80

// Quote is s quoted as %q quotes it when s is at most Max bytes long.
// A longer s is cut to its first Max bytes (back to the start of a
// character), marked "…" inside the quotes and followed by its length:
//
//	"[[[[[[…" (200146 bytes)
func Quote(s string) string {
	if len(s) <= Max {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q (%d bytes)", Cut(s, Max), len(s))
}

// Cut is s when it is at most n bytes long, else its first n bytes, back
// to the start of a character, and "…".
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ID is an identifier read from input (a vulnerability or package id, a
// field name) as an error message names it: as it is, cut to Max bytes
// and "…" if longer (a valid id is far shorter), and quoted when it holds
// anything but letters, digits and punctuation.
func ID(id string) string {
	id = Cut(id, Max)
	if strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r == '"' || r > '~' && r != '…' }) {
		return strconv.Quote(id)
	}
	return id
}
