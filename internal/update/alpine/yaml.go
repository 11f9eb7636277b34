package alpine

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/strata-scan/strata/internal/excerpt"
	"gopkg.in/yaml.v3"
)

// truncated ends the errors of the signs a YAML document was cut short.
const truncated = " (is the document truncated?)"

// decodeYAML reads the YAML form, that of the historical archive
// (alpine-secdb, v3.3 to v3.11). Its keys are decoded as the text they
// are written with, so a fixed version such as 1.10 stays "1.10".
//
// A YAML document cut short at a line's end is still valid YAML, so the
// document must also look like the archive's files, which all do (the 18
// files of v3.3 to v3.11 main and community: 1,652 packages, 4,265 fixed
// versions): it ends with a newline; it is one mapping with a "packages"
// key, which comes last in every file, so a cut before it removes it;
// every package has a name and a secfixes mapping that is not empty; and
// the document's last fixed version lists ids (v3.6/main.yaml has one
// version without ids, heimdal 7.4.0-r0, but in the middle of the file,
// not at its end). What no check can tell from a whole shorter document
// is a cut at the end of a line that is an id of a list, a comment or
// "packages:" itself.
func decodeYAML(r io.Reader) (*secdb, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return &secdb{}, nil // nothing but comments
	} else if err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		return nil, errors.New("the document does not end with a newline" + truncated)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	root := doc.Content[0] // null for a document cut after "---"
	if root.Kind != yaml.MappingNode && root.ShortTag() != "!!null" {
		return nil, fmt.Errorf("line %d: want a mapping of distroversion, packages…, have %s", root.Line, root.ShortTag())
	}
	var db secdb
	if err := root.Decode(&db); err != nil {
		return nil, err
	}
	if err := checkPackages(root); err != nil {
		return nil, err
	}
	return &db, nil
}

// checkPackages checks the packages of a decoded document (see
// decodeYAML), which Decode already found of the right types.
func checkPackages(root *yaml.Node) error {
	pkgs := lookup(root, "packages")
	if pkgs == nil {
		return errors.New(`no "packages" key` + truncated)
	}
	for i, item := range pkgs.Content { // none when null
		last := ""
		if i == len(pkgs.Content)-1 {
			last = truncated
		}
		p := lookup(item, "pkg")
		name := lookup(p, "name")
		if name == nil || name.Value == "" {
			return fmt.Errorf("line %d: package %d has no name%s", item.Line, i+1, last)
		}
		fixes := lookup(p, "secfixes")
		if fixes == nil || len(fixes.Content) == 0 {
			return fmt.Errorf("line %d: package %s has no secfixes%s", name.Line, excerpt.Quote(name.Value), last)
		}
		if key, ids := fixes.Content[len(fixes.Content)-2], fixes.Content[len(fixes.Content)-1]; last != "" && len(ids.Content) == 0 {
			return fmt.Errorf("line %d: package %s: %s lists no ids%s", key.Line, excerpt.Quote(name.Value), excerpt.ID(key.Value), last)
		}
	}
	return nil
}

// lookup returns the value of key in the mapping m; nil when m is not a
// mapping or has no such key.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
