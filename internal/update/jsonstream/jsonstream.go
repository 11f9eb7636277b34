// Package jsonstream walks a JSON document token by token with an
// encoding/json Decoder, so that a large feed is never held whole: the
// caller reads the objects and arrays it cares about with Object and
// Array, decodes each value it keeps with the decoder's Decode, passes
// over the others with Skip, and checks with End that the document ends
// where its top-level value does.
//
// Errors name what was wanted and what was found ("want an array, have
// an object"); the end of the input inside a value is
// io.ErrUnexpectedEOF. They do not say where: the caller adds the
// decoder's InputOffset or the path it has walked.
package jsonstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/strata-scan/strata/internal/excerpt"
)

// Object reads an object, calling fn once per member with its key while
// the decoder is at the member's value, which fn must consume: decode it,
// Skip it or walk it with Object or Array. An error of fn is returned as
// it is.
func Object(dec *json.Decoder, fn func(key string) error) error {
	tok, err := token(dec)
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("want an object, have %s", describe(tok))
	}
	for dec.More() {
		tok, err := token(dec)
		if err != nil {
			return err
		}
		key, _ := tok.(string) // in an object, the decoder returns no other token where a key stands
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err = token(dec) // '}': the decoder checks that it closes the object
	return err
}

// Array reads an array, calling fn once per element with its index while
// the decoder is at the element, which fn must consume. An error of fn is
// returned as it is.
func Array(dec *json.Decoder, fn func(i int) error) error {
	return array(dec, false, fn)
}

// ArrayOrNull is Array that also takes null, as an empty array.
func ArrayOrNull(dec *json.Decoder, fn func(i int) error) error {
	return array(dec, true, fn)
}

func array(dec *json.Decoder, nullable bool, fn func(i int) error) error {
	tok, err := token(dec)
	if err != nil {
		return err
	}
	if tok == nil && nullable {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("want an array, have %s", describe(tok))
	}
	for i := 0; dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	_, err = token(dec) // ']': the decoder checks that it closes the array
	return err
}

// Skip consumes one value of any kind, token by token, holding none of
// it. A number beyond float64's range is an error, as it is to
// json.Unmarshal into an interface value.
func Skip(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := token(dec)
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// End reports an error unless only white space follows the value read
// last: a document is one JSON value.
func End(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the top-level value")
	}
	return nil
}

// token reads the next token, inside a value: the end of the input
// there is io.ErrUnexpectedEOF.
func token(dec *json.Decoder) (json.Token, error) {
	tok, err := dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return tok, err
}

// maxQuoted is how many characters of a string an error quotes.
const maxQuoted = 40

// describe names the value that tok starts, for an error.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim: // where a value starts, '{' or '['
		if t == '[' {
			return "an array"
		}
		return "an object"
	case string:
		if utf8.RuneCountInString(t) > maxQuoted {
			return fmt.Sprintf("string %.*q…", maxQuoted, t)
		}
		return fmt.Sprintf("string %s", excerpt.Quote(t))
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return fmt.Sprintf("number %v", tok) // float64, or json.Number after UseNumber
}
