package update

import (
	"bufio"
	"strings"
)

// FirstRune returns the first rune of a document that is not white space
// or a byte-order mark, and leaves it unread, so that an updater can tell
// its formats apart by their first character ("{" for JSON…). It returns
// io.EOF for a document of nothing but white space.
func FirstRune(br *bufio.Reader) (rune, error) {
	for {
		r, _, err := br.ReadRune()
		if err != nil {
			return 0, err
		}
		if r != '\ufeff' && !strings.ContainsRune(" \t\r\n", r) {
			return r, br.UnreadRune()
		}
	}
}
