package jsonstream

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzWalk checks the walks against json.Unmarshal: a document that it
// takes into an interface value is walked without error to the same
// value, and one that it rejects is rejected.
func FuzzWalk(f *testing.F) {
	for _, seed := range []string{
		`{"document": {"tracking": {"id": "CVE-1"}}, "vulnerabilities": [{"cve": "CVE-1"}]}`,
		`{"a": [1, 2.5e3, -0, true, false, null, "x\u00e9\n"], "a": {}, "": []}`,
		`[[], [[{}]], {"b": [null]}]`, `null`, `"s"`, `1e400`, `{} {}`, `{"a": 1`, `[1 2]`, `{1: 2}`, "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			// walk takes time quadratic in the nesting depth; json.Unmarshal
			// refuses nesting deeper than 10000, which Skip takes.
			return
		}
		var want any
		wantErr := json.Unmarshal(b, &want)

		got, err := walk(json.NewDecoder(bytes.NewReader(b)), firstByte(b))
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("walk: error %v; json.Unmarshal: %v", err, wantErr)
		}
		if diff := cmp.Diff(want, got); err == nil && diff != "" {
			t.Fatalf("walk (-json.Unmarshal +walk):\n%s", diff)
		}

		_, isObject := want.(map[string]any)
		_, isArray := want.([]any)
		for _, tt := range []struct {
			name string
			read func(*json.Decoder) error
			ok   bool
		}{
			{"Skip", Skip, wantErr == nil},
			{"Object", func(dec *json.Decoder) error { return Object(dec, func(string) error { return Skip(dec) }) }, wantErr == nil && isObject},
			{"Array", func(dec *json.Decoder) error { return Array(dec, func(int) error { return Skip(dec) }) }, wantErr == nil && isArray},
			{"ArrayOrNull", func(dec *json.Decoder) error { return ArrayOrNull(dec, func(int) error { return Skip(dec) }) },
				wantErr == nil && (isArray || want == nil)},
		} {
			dec := json.NewDecoder(bytes.NewReader(b))
			err := tt.read(dec)
			if err == nil {
				err = End(dec)
			}
			if (err == nil) != tt.ok {
				t.Fatalf("%s then End: error %v; json.Unmarshal: %v, %T", tt.name, err, wantErr, want)
			}
		}
	})
}

// walk reads the value that dec is at, which starts with first, into
// what json.Unmarshal makes of it, with Object and Array where it is one,
// then checks for the end of the input.
func walk(dec *json.Decoder, first byte) (any, error) {
	var v any
	var err error
	switch first {
	case '{':
		m := map[string]any{}
		err = Object(dec, func(key string) error {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			m[key], err = walk(json.NewDecoder(bytes.NewReader(raw)), raw[0])
			return err
		})
		v = m
	case '[':
		list := []any{}
		err = Array(dec, func(i int) error {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			elem, err := walk(json.NewDecoder(bytes.NewReader(raw)), raw[0])
			list = append(list, elem)
			return err
		})
		v = list
	default:
		err = dec.Decode(&v)
	}
	if err != nil {
		return nil, err
	}
	return v, End(dec)
}

// firstByte is the first byte of b after white space, 0 for none.
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
