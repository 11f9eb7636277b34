package bundle

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
)

// FuzzDecode feeds arbitrary uncompressed content to the decoder: it must
// not panic, and what it accepts must add up.
func FuzzDecode(f *testing.F) {
	text := content(f, write(f, testFeeds))
	f.Add([]byte(text))
	f.Add([]byte(content(f, write(f, nil))))
	f.Add([]byte(text[:len(text)/2]))
	f.Add([]byte(strings.Replace(text, `"records":2`, `"records":-1`, 1)))
	f.Add([]byte(strings.Replace(text, `"version":1`, `"version":9`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		records := 0
		h, err := decode(bytes.NewReader(data), func(fd Feed, _ [sha256.Size]byte, vs []strata.Vulnerability) error {
			if len(vs) != fd.Records {
				t.Errorf("feed %s: %d records handed out, its line says %d", fd.Updater, len(vs), fd.Records)
			}
			records += len(vs)
			return nil
		}, true)
		if err == nil && (h == nil || h.Format != Format) {
			t.Errorf("accepted without a header: %+v", h)
		}
	})
}

// FuzzOpen feeds arbitrary files to Open: it must not panic, and a bundle
// it accepts must be read whole by Each.
func FuzzOpen(f *testing.F) {
	good := write(f, testFeeds)
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add(compress(f, "{\"format\":\"strata-feed-bundle\",\"version\":1}\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		bd, err := Open(opener(data))
		if err != nil {
			return
		}
		n := 0
		if err := bd.Each(func(_ Feed, vs []strata.Vulnerability) error { n += len(vs); return nil }); err != nil {
			t.Fatalf("Each after a successful Open: %v", err)
		}
		if n != bd.Records {
			t.Errorf("Each read %d records, Open counted %d", n, bd.Records)
		}
	})
}
