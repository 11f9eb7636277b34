package version

import (
	"fmt"
	"strings"
)

// APK compares Alpine package versions the way apk-tools 3 does
// (src/version.c): a version is
//
//	digits{.digits}...[letter]{_suffix[digits]}...[~hash][-rdigits]
//
// and is compared token by token while both sides have a token of the same
// kind: numbers numerically, except that a dotted number with a leading
// zero on either side compares as a string (1.01 < 1.1, as Gentoo does);
// the letter by its byte; suffixes in the order _alpha < _beta < _pre <
// _rc < (none) < _cvs < _svn < _git < _hg < _p; commit hashes (lower-case
// hex) as strings; the -r revision numerically. When one side runs out of
// tokens or has a token of a different kind first, a pre-release suffix
// (_alpha, _beta, _pre, _rc) makes it lower; otherwise the side whose next
// token comes later in the grammar (the end coming last) is lower, so
// 1.0 < 1.0-r1 < 1.0~ab < 1.0_p1 < 1.0a < 1.0.1.
//
// A string that does not follow the grammar is an error, where apk-tools
// would compare its valid prefix. Numbers are compared exactly, where
// apk-tools would wrap at 2^64.
//
// Reference: apk-tools' own test vectors (test/unit/version.data, copied
// to testdata/apk-version.data) and cases derived from its documentation
// (testdata/apk-versions.txt); the differential test runs `apk version -t`
// when apk is installed (Debian does not package it).
type APK struct{}

type apkKind int

// The token kinds, in the order of the grammar (apk-tools' enum PARTS).
const (
	apkInitialDigit apkKind = iota
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkCommitHash
	apkRevisionNo
	apkEnd
	apkInvalid
)

// apkNoSuffix is the rank of "no suffix": pre-release suffixes rank below.
const apkNoSuffix = 5

var apkSuffixes = map[string]int{
	"alpha": 1, "beta": 2, "pre": 3, "rc": 4,
	"cvs": 6, "svn": 7, "git": 8, "hg": 9, "p": 10,
}

// apkLexer walks a version's tokens; tok is the current one.
type apkLexer struct {
	s      string
	i      int
	kind   apkKind
	value  string
	suffix int
}

func newAPKLexer(s string) apkLexer {
	l := apkLexer{s: s, kind: apkInitialDigit}
	l.digits()
	return l
}

func (l *apkLexer) digits() {
	end := digitRun(l.s, l.i)
	l.value, l.i = l.s[l.i:end], end
	if l.value == "" {
		l.kind = apkInvalid
	}
}

// next moves to the next token, checking that its kind may follow the
// current one.
func (l *apkLexer) next() {
	if l.i == len(l.s) {
		l.kind = apkEnd
		return
	}
	prev := l.kind
	l.kind = apkInvalid
	switch c := l.s[l.i]; {
	case c >= 'a' && c <= 'z' && prev <= apkDigit:
		l.kind, l.value = apkLetter, l.s[l.i:l.i+1]
		l.i++
	case c == '.' && prev <= apkDigit:
		l.i++
		l.kind = apkDigit
		l.digits()
	case isDigit(c) && prev <= apkDigit:
		l.kind = apkDigit
		l.digits()
	case isDigit(c) && prev == apkSuffix:
		l.kind = apkSuffixNo
		l.digits()
	case c == '_' && prev <= apkSuffixNo:
		end := l.i + 1
		for end < len(l.s) && l.s[end] >= 'a' && l.s[end] <= 'z' {
			end++
		}
		l.value, l.i = l.s[l.i+1:end], end
		if l.suffix = apkSuffixes[l.value]; l.suffix != 0 {
			l.kind = apkSuffix
		}
	case c == '~' && prev < apkCommitHash:
		end := l.i + 1
		for end < len(l.s) && (isDigit(l.s[end]) || l.s[end] >= 'a' && l.s[end] <= 'f') {
			end++
		}
		l.value, l.i = l.s[l.i+1:end], end
		if l.value != "" {
			l.kind = apkCommitHash
		}
	case c == '-' && prev < apkRevisionNo && strings.HasPrefix(l.s[l.i:], "-r"):
		l.i += 2
		l.kind = apkRevisionNo
		l.digits()
	}
}

func validAPK(s string) error {
	l := newAPKLexer(s)
	for l.kind < apkEnd {
		l.next()
	}
	if l.kind == apkInvalid {
		return fmt.Errorf("apk version %q: invalid at byte %d", s, min(l.i, len(s)))
	}
	return nil
}

// Compare orders two Alpine versions.
func (APK) Compare(a, b string) (int, error) {
	if err := validAPK(a); err != nil {
		return 0, err
	}
	if err := validAPK(b); err != nil {
		return 0, err
	}
	la, lb := newAPKLexer(a), newAPKLexer(b)
	for ; la.kind == lb.kind && la.kind < apkEnd; la.next() {
		if c := apkTokenCompare(&la, &lb); c != 0 {
			return c, nil
		}
		lb.next()
	}
	switch {
	case la.kind == lb.kind:
		return 0, nil
	case la.kind == apkSuffix && la.suffix < apkNoSuffix:
		return -1, nil
	case lb.kind == apkSuffix && lb.suffix < apkNoSuffix:
		return 1, nil
	}
	return sign(int(lb.kind) - int(la.kind)), nil
}

// apkTokenCompare is apk-tools' token_cmp for two tokens of one kind.
func apkTokenCompare(a, b *apkLexer) int {
	switch a.kind {
	case apkDigit:
		if a.value[0] == '0' || b.value[0] == '0' {
			return strings.Compare(a.value, b.value)
		}
		return compareDigits(a.value, b.value)
	case apkInitialDigit, apkSuffixNo, apkRevisionNo:
		return compareDigits(a.value, b.value)
	case apkLetter:
		return strings.Compare(a.value, b.value)
	case apkSuffix:
		return sign(a.suffix - b.suffix)
	}
	return strings.Compare(a.value, b.value) // commit hash
}
