// Package rpmdb reads rpm's package database formats natively: the
// Berkeley DB hash file (Packages) and NDB (Packages.db) into header
// blobs, and header blobs into the fields strata uses. It has no
// dependency, so that its parsers can be fuzzed cheaply; the SQLite
// format is read by package rpm through SQLite itself.
package rpmdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// Header is what strata reads from one installed package's header.
type Header struct {
	Name    string
	Epoch   string // "" when the header has none
	Version string
	Release string
	Arch    string
	// SourceRPM is the file name of the source package it was built
	// from: "util-linux-2.32.1-42.el8_8.src.rpm".
	SourceRPM string
	// ModularityLabel names the module stream of a modular package:
	// "nodejs:12:8030020201124152102:229f0a1c".
	ModularityLabel string
}

// The header tags and data types read (rpm's lib/rpmtag.h).
const (
	tagName            = 1000
	tagVersion         = 1001
	tagRelease         = 1002
	tagEpoch           = 1003
	tagArch            = 1022
	tagSourceRPM       = 1044
	tagModularityLabel = 5096

	typeInt32       = 4
	typeString      = 6
	typeStringArray = 8
	typeI18NString  = 9
)

// maxHeader is rpm's own limit on a header's size (lib/header.c).
const maxHeader = 256 << 20

// ParseHeader reads a header blob as the databases store it: the number
// of index entries and the size of the data (big-endian), the entries
// (tag, type, offset, count) and the data.
func ParseHeader(b []byte) (*Header, error) {
	if len(b) < 8 {
		return nil, errors.New("header: shorter than 8 bytes")
	}
	il, dl := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if il == 0 || uint64(il)*16+uint64(dl)+8 > uint64(len(b)) || uint64(il)*16+uint64(dl) > maxHeader {
		return nil, fmt.Errorf("header: %d entries and %d data bytes do not fit in %d bytes", il, dl, len(b))
	}
	index, data := b[8:8+16*il], b[8+16*il:8+16*il+dl]
	var h Header
	for i := range il {
		e := index[16*i:]
		tag, typ := binary.BigEndian.Uint32(e), binary.BigEndian.Uint32(e[4:])
		off := binary.BigEndian.Uint32(e[8:])
		if off >= dl {
			continue // region trailers and empty values point at the end
		}
		if err := h.set(tag, typ, data[off:]); err != nil {
			return nil, fmt.Errorf("header: tag %d: %w", tag, err)
		}
	}
	if h.Name == "" {
		return nil, errors.New("header: no name")
	}
	return &h, nil
}

// set stores the value of tag, whose data starts at v.
func (h *Header) set(tag, typ uint32, v []byte) error {
	if tag == tagEpoch {
		if typ != typeInt32 || len(v) < 4 {
			return fmt.Errorf("type %d, want an int32", typ)
		}
		h.Epoch = strconv.FormatUint(uint64(binary.BigEndian.Uint32(v)), 10)
		return nil
	}
	var dst *string
	switch tag {
	case tagName:
		dst = &h.Name
	case tagVersion:
		dst = &h.Version
	case tagRelease:
		dst = &h.Release
	case tagArch:
		dst = &h.Arch
	case tagSourceRPM:
		dst = &h.SourceRPM
	case tagModularityLabel:
		dst = &h.ModularityLabel
	}
	if dst == nil {
		return nil
	}
	if typ != typeString && typ != typeI18NString && typ != typeStringArray {
		return fmt.Errorf("type %d, want a string", typ)
	}
	end := bytes.IndexByte(v, 0)
	if end < 0 {
		return errors.New("string without its terminating NUL")
	}
	*dst = string(v[:end])
	return nil
}

// EVR is the version as the RPM comparator reads it:
// "epoch:version-release", the epoch left out when it is absent or 0.
func (h *Header) EVR() string {
	v := h.Version + "-" + h.Release
	if h.Epoch != "" && h.Epoch != "0" {
		v = h.Epoch + ":" + v
	}
	return v
}
