package version

import (
	"errors"
	"strings"
)

// Maven compares Maven artifact versions with the rules of Maven's
// ComparableVersion (maven-artifact 3.8.7):
//
//   - the lower-cased version is split into items at '.' and '-' and at
//     every change between digits and non-digits; an empty item counts as 0;
//   - a '-', and a change between digits and letters, opens a sub-list, and
//     so does a qualifier that does not start its list, so 1-1 is [1, [1]],
//     1.0alpha1 is [1, 0, [alpha, [1]]] and 1.0.beta is [1, 0, [beta]];
//   - trailing "null" items (0, the release qualifier, empty sub-lists) are
//     dropped from every list, and so is a null item just before a
//     sub-list (1.0-alpha == 1-alpha, 1.0.0 == 1);
//   - numbers compare numerically; qualifiers in the order alpha (a1 =
//     alpha-1) < beta (b) < milestone (m) < rc = cr < snapshot < "" = ga =
//     final = release < sp, then unknown qualifiers in lexical order;
//   - a number beats a sub-list, which beats a qualifier; against a missing
//     item, a number is higher unless 0, a qualifier compares with "" and a
//     list as its first item that is not (so 1-rc < 1 < 1-sp and 1.1 > 1-1
//     > 1-sp).
//
// This order is not transitive for every string, because Maven's is not:
// 2 < 2-bsp < 2.0.0.rc-2 < 2 (zeros before a qualifier stay, count as
// missing items against 2 and beat 2-bsp's sub-list). Every non-empty
// string is a version. Only ASCII digits are digits, where
// Java's Character.isDigit also takes other scripts' digits.
//
// Reference: the rules as documented by Apache Maven (ComparableVersion's
// javadoc), cross-checked by the differential test against
// ComparableVersion itself when java and maven-artifact are installed.
type Maven struct{}

type mavenKind int

// The item kinds, in ascending order when compared with each other.
const (
	mavenString mavenKind = iota
	mavenList
	mavenInt
)

type mavenItem struct {
	kind  mavenKind
	value string // int: digits without leading zeros; string: comparable qualifier
	items []*mavenItem
}

// mavenQualifiers are the known qualifiers in order; the release ("") is
// the sixth.
var mavenQualifiers = map[string]string{
	"alpha": "0", "beta": "1", "milestone": "2", "rc": "3", "cr": "3", "snapshot": "4",
	"": "5", "ga": "5", "final": "5", "release": "5", "sp": "6",
}

const mavenRelease = "5"

// mavenShort are the one-letter qualifiers, which count only when a digit
// follows: a1 == alpha-1.
var mavenShort = map[string]string{"a": "alpha", "b": "beta", "m": "milestone"}

func mavenNumber(digits string) *mavenItem {
	return &mavenItem{kind: mavenInt, value: strings.TrimLeft(digits, "0")}
}

func mavenQualifier(s string, followedByDigit bool) *mavenItem {
	if long, ok := mavenShort[s]; ok && followedByDigit {
		s = long
	}
	q, ok := mavenQualifiers[s]
	if !ok {
		q = "7-" + s
	}
	return &mavenItem{kind: mavenString, value: q}
}

func (it *mavenItem) isNull() bool {
	switch it.kind {
	case mavenInt:
		return it.value == ""
	case mavenString:
		return it.value == mavenRelease
	}
	return len(it.items) == 0
}

// Compare orders two Maven versions.
func (Maven) Compare(a, b string) (int, error) {
	if a == "" || b == "" {
		return 0, errors.New("maven version \"\": empty")
	}
	return mavenCompare(parseMaven(a), parseMaven(b)), nil
}

// parseMaven is ComparableVersion.parseVersion.
func parseMaven(v string) *mavenItem {
	v = strings.ToLower(v)
	root := &mavenItem{kind: mavenList}
	list, stack := root, []*mavenItem{root}
	push := func() {
		sub := &mavenItem{kind: mavenList}
		list.items = append(list.items, sub)
		list = sub
		stack = append(stack, sub)
	}
	digit, start := false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.' || c == '-':
			list.items = append(list.items, mavenPart(v[start:i], digit))
			start = i + 1
			if c == '-' {
				push()
			}
		case isDigit(c):
			if !digit && i > start {
				if len(list.items) > 0 {
					push()
				}
				list.items = append(list.items, mavenQualifier(v[start:i], true))
				start = i
				push()
			}
			digit = true
		default:
			if digit && i > start {
				list.items = append(list.items, mavenNumber(v[start:i]))
				start = i
				push()
			}
			digit = false
		}
	}
	if start < len(v) {
		if !digit && len(list.items) > 0 {
			push()
		}
		list.items = append(list.items, mavenPart(v[start:], digit))
	}
	for i := len(stack) - 1; i >= 0; i-- {
		stack[i].normalize()
	}
	return root
}

// mavenPart is the item of one part between separators, 0 when empty.
func mavenPart(s string, digit bool) *mavenItem {
	if digit || s == "" {
		return mavenNumber(s)
	}
	return mavenQualifier(s, false)
}

// normalize removes the null items at the end of the list and those just
// before its trailing sub-lists.
func (it *mavenItem) normalize() {
	for i := len(it.items) - 1; i >= 0; i-- {
		switch last := it.items[i]; {
		case last.isNull():
			it.items = append(it.items[:i], it.items[i+1:]...)
		case last.kind != mavenList:
			return
		}
	}
}

// mavenCompare is Item.compareTo, where nil is a missing item.
func mavenCompare(a, b *mavenItem) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -mavenCompare(b, nil)
	case b == nil:
		return mavenCompareMissing(a)
	case a.kind != b.kind:
		return sign(int(a.kind) - int(b.kind))
	case a.kind == mavenInt:
		return compareDigits(a.value, b.value)
	case a.kind == mavenString:
		return strings.Compare(a.value, b.value)
	}
	for i := 0; i < len(a.items) || i < len(b.items); i++ {
		if c := mavenCompare(at(a.items, i), at(b.items, i)); c != 0 {
			return c
		}
	}
	return 0
}

// mavenCompareMissing compares an item with a missing one.
func mavenCompareMissing(a *mavenItem) int {
	switch a.kind {
	case mavenInt:
		return compareBoolEnd(a.value == "", true)
	case mavenString:
		return strings.Compare(a.value, mavenRelease)
	}
	for _, it := range a.items {
		if c := mavenCompareMissing(it); c != 0 {
			return c
		}
	}
	return 0
}

func at(items []*mavenItem, i int) *mavenItem {
	if i < len(items) {
		return items[i]
	}
	return nil
}
