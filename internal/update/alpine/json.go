package alpine

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/strata-scan/strata/internal/countio"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update/jsonstream"
)

// jsonDoc walks one JSON document.
type jsonDoc struct {
	dec   *json.Decoder
	start int64 // the document's offset in the input (after white space)
	bad   int64 // offset of the value that failed to decode; -1 when none did
}

// decodeJSON reads the JSON form from br, which reads from c, member by
// member and package by package, so that an error says where it is: the
// byte offset from the start of the input, and the package. A document
// cut short ends inside a value: its error is io.ErrUnexpectedEOF at the
// offset where the input ended.
func decodeJSON(br *bufio.Reader, c *countio.Reader) (*secdb, error) {
	d := &jsonDoc{dec: json.NewDecoder(br), start: c.N - int64(br.Buffered()), bad: -1}
	var db secdb
	err := jsonstream.Object(d.dec, func(key string) error {
		if err := d.member(&db, key); err != nil {
			return fmt.Errorf("%s: %w", excerpt.ID(key), err)
		}
		return nil
	})
	if err == nil {
		err = jsonstream.End(d.dec)
	}
	switch {
	case err == nil:
		return &db, nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("offset %d: %w", c.N, err)
	case d.bad >= 0:
		return nil, fmt.Errorf("offset %d: %w", d.bad, err)
	}
	return nil, fmt.Errorf("offset %d: %w", d.start+d.dec.InputOffset(), err)
}

// member reads the value of the document's member key into db.
func (d *jsonDoc) member(db *secdb, key string) error {
	switch key {
	case "distroversion":
		return d.decode(&db.DistroVersion)
	case "urlprefix":
		return d.decode(&db.URLPrefix)
	case "packages":
		return jsonstream.ArrayOrNull(d.dec, func(i int) error {
			var p pkg
			if err := d.decode(&p); err != nil {
				return fmt.Errorf("package %d: %w", i+1, err)
			}
			db.Packages = append(db.Packages, p)
			return nil
		})
	}
	return jsonstream.Skip(d.dec)
}

// decode decodes the next value into v, recording where the value that
// failed is: for a type mismatch the wrong value (the offset after it),
// else the start of v's value.
func (d *jsonDoc) decode(v any) error {
	at := d.start + d.dec.InputOffset()
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		if err == io.EOF { // inside the document: it was cut
			err = io.ErrUnexpectedEOF
		}
		d.bad = at
		return err
	}
	at = d.start + d.dec.InputOffset() - int64(len(raw)) // past the separator
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	d.bad = at
	if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
		d.bad, err = at+te.Offset, typeError(te)
	}
	return err
}

// typeError rewords a JSON type mismatch without Go's type names.
func typeError(te *json.UnmarshalTypeError) error {
	want := te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Map, reflect.Struct:
		want = "object"
	case reflect.Slice:
		want = "array"
	}
	if te.Field == "" {
		return fmt.Errorf("%s, want %s", te.Value, want)
	}
	return fmt.Errorf("%s: %s, want %s", te.Field, te.Value, want)
}
