package jsonstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errStop is what the callbacks of the tests return to stop a walk.
var errStop = errors.New("stop")

// member records a key or index with the value the decoder is at, and
// returns errStop where that is the string "stop".
func member(dec *json.Decoder, name string, seen *[]string) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	*seen = append(*seen, name+"="+string(raw))
	if string(raw) == `"stop"` {
		return errStop
	}
	return nil
}

// errText is err's message, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestObject(t *testing.T) {
	tests := []struct {
		name, in string
		seen     []string
		err      string
	}{
		{"members", `{"a": 1, "b": [2, {"c": null}], "": "x", "a": true}`, []string{`a=1`, `b=[2, {"c": null}]`, `="x"`, `a=true`}, ""},
		{"empty", ` {} `, nil, ""},
		{"array", `[{"a": 1}]`, nil, "want an object, have an array"},
		{"string", `"CVE-1"`, nil, `want an object, have string "CVE-1"`},
		{"long string", `"` + strings.Repeat("é", 50) + `"`, nil, `want an object, have string "` + strings.Repeat("é", 40) + `"…`},
		{"number", `-1.5e3`, nil, "want an object, have number -1500"},
		{"null", `null`, nil, "want an object, have null"},
		{"nothing", ``, nil, "unexpected EOF"},
		{"unclosed", `{"a": 1`, []string{"a=1"}, "unexpected EOF"},
		{"after a comma", `{"a": 1,`, []string{"a=1"}, "unexpected EOF"},
		{"key not a string", `{1: 2}`, nil, "invalid character '1'"},
		{"closed as an array", `{"a": 1]`, []string{"a=1"}, "invalid character ']' after object key:value pair"},
		{"error of fn", `{"a": "stop", "b": 2}`, []string{`a="stop"`}, "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			var seen []string
			err := Object(dec, func(key string) error { return member(dec, key, &seen) })
			if diff := cmp.Diff(tt.seen, seen); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if got := errText(err); got != tt.err {
				t.Errorf("error %q, want %q", got, tt.err)
			}
		})
	}
}

func TestArray(t *testing.T) {
	tests := []struct {
		name, in   string
		orNull     bool
		seen       []string
		err        string
		unexpected bool // err is io.ErrUnexpectedEOF
	}{
		{"elements", `[1, "a", {"b": [null]}, []]`, false, []string{`0=1`, `1="a"`, `2={"b": [null]}`, `3=[]`}, "", false},
		{"error of fn", `[1, "stop", 3]`, false, []string{`0=1`, `1="stop"`}, "stop", false},
		{"empty", `[]`, false, nil, "", false},
		{"null", `null`, false, nil, "want an array, have null", false},
		{"object", `{"a": []}`, false, nil, "want an array, have an object", false},
		{"bool", `false`, false, nil, "want an array, have false", false},
		{"no comma", `[1 2]`, false, []string{"0=1"}, "expected comma after array element", false},
		{"unclosed", `[1`, false, []string{"0=1"}, "unexpected EOF", true},
		{"or null: null", ` null `, true, nil, "", false},
		{"or null: elements", `[true, false]`, true, []string{"0=true", "1=false"}, "", false},
		{"or null: object", `{}`, true, nil, "want an array, have an object", false},
		{"or null: number", `7`, true, nil, "want an array, have number 7", false},
		{"or null: nothing", ` `, true, nil, "unexpected EOF", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			var seen []string
			fn := func(i int) error { return member(dec, fmt.Sprint(i), &seen) }
			read := Array
			if tt.orNull {
				read = ArrayOrNull
			}
			err := read(dec, fn)
			if diff := cmp.Diff(tt.seen, seen); diff != "" {
				t.Errorf("elements (-want +got):\n%s", diff)
			}
			if got := errText(err); got != tt.err {
				t.Errorf("error %q, want %q", got, tt.err)
			}
			if errors.Is(err, io.ErrUnexpectedEOF) != tt.unexpected {
				t.Errorf("error %v: errors.Is(io.ErrUnexpectedEOF) is %v", err, !tt.unexpected)
			}
		})
	}
}

// TestSkip skips the first value and reads the token after it.
func TestSkip(t *testing.T) {
	tests := []struct {
		name, in string
		next     json.Token
		err      string
	}{
		{"object", `{"a": [1, {"b": {}}], "c": "]"} 7`, 7.0, ""},
		{"array", `[[], [[]], {"a": null}] "x"`, "x", ""},
		{"string", `"{[" true`, true, ""},
		{"null", `null {`, json.Delim('{'), ""},
		{"unclosed", `{"a": [1, 2]`, nil, "unexpected EOF"},
		{"nothing", ``, nil, "unexpected EOF"},
		{"a closing bracket", `]`, nil, "invalid character ']' looking for beginning of value"},
		{"number too large", `[1e400]`, nil, "json: cannot unmarshal number 1e400 into Go value of type float64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			err := Skip(dec)
			if got := errText(err); got != tt.err {
				t.Fatalf("error %q, want %q", got, tt.err)
			}
			if err != nil {
				return
			}
			next, err := dec.Token()
			if err != nil || next != tt.next {
				t.Errorf("next token %v, %v; want %v", next, err, tt.next)
			}
		})
	}
}

// TestEnd reads a value, then checks for the end.
func TestEnd(t *testing.T) {
	tests := []struct{ in, err string }{
		{`{"a": 1}`, ""},
		{" [1]\n\t ", ""},
		{`{} {}`, "data after the top-level value"},
		{`{}{}`, "data after the top-level value"},
		{`[] ]`, "data after the top-level value"},
		{`1 x`, "data after the top-level value"},
	}
	for _, tt := range tests {
		dec := json.NewDecoder(strings.NewReader(tt.in))
		if err := Skip(dec); err != nil {
			t.Fatalf("Skip(%q): %v", tt.in, err)
		}
		if got := errText(End(dec)); got != tt.err {
			t.Errorf("End after %q: error %q, want %q", tt.in, got, tt.err)
		}
	}
}
