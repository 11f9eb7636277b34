package redhat

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// BenchmarkParse parses the real CVE-2024-0727 document (152 KB, 220
// products and relationships, 31 records).
func BenchmarkParse(b *testing.B) {
	doc, err := os.ReadFile("testdata/cve-2024-0727-openssl.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := (Updater{}).Parse(context.Background(), "doc.json", bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
