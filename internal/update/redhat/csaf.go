package redhat

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/strata-scan/strata/internal/update/jsonstream"
)

// document is what the records are made of, of one CSAF VEX document.
// Only the parts of the product tree that name products are kept.
type document struct {
	ID                string    // document.tracking.id: "CVE-2024-0727"
	AggregateSeverity string    // document.aggregate_severity.text
	Modified          time.Time // document.tracking.current_release_date
	// products maps a product id to the identification helper of the
	// product (a platform such as "AppStream-9.4.0.GA" with its CPE, or
	// a component such as "openssl-1:3.0.7-27.el9.src" with its purl).
	products map[string]helper
	// relations maps the id of a product made by a relationship ("a
	// component of a platform") to the two ids it joins.
	relations map[string]relation
	vulns     []vulnerability
}

type helper struct {
	CPE  string `json:"cpe"`
	PURL string `json:"purl"`
}

type relation struct {
	component, platform string
}

type vulnerability struct {
	CVE           string              `json:"cve"`
	ReleaseDate   time.Time           `json:"release_date"`
	Notes         []note              `json:"notes"`
	References    []reference         `json:"references"`
	ProductStatus map[string][]string `json:"product_status"`
	Remediations  []remediation       `json:"remediations"`
	Threats       []threat            `json:"threats"`
	Scores        []score             `json:"scores"`
}

type note struct {
	Category string `json:"category"`
	Text     string `json:"text"`
}

type reference struct {
	Category string `json:"category"`
	URL      string `json:"url"`
}

type remediation struct {
	Category   string   `json:"category"` // vendor_fix, no_fix_planned, none_available, workaround…
	URL        string   `json:"url"`
	ProductIDs []string `json:"product_ids"`
}

type threat struct {
	Category   string   `json:"category"` // impact, exploit_status, target_set
	Details    string   `json:"details"`  // for impact: Low, Moderate, Important, Critical
	ProductIDs []string `json:"product_ids"`
}

type score struct {
	CVSSv3   *cvss    `json:"cvss_v3"`
	CVSSv2   *cvss    `json:"cvss_v2"`
	Products []string `json:"products"`
}

type cvss struct {
	Version   string  `json:"version"`
	Vector    string  `json:"vectorString"`
	BaseScore float64 `json:"baseScore"`
}

// maxBranchDepth bounds the nesting of product tree branches (Red Hat's
// go four deep: vendor, family or architecture, product).
const maxBranchDepth = 32

// decode reads one CSAF document token by token, so that a large product
// tree is never held whole as JSON: only the product ids, their CPE or
// purl and the relationships are kept.
func decode(r io.Reader) (*document, error) {
	dec := json.NewDecoder(r)
	doc := &document{products: map[string]helper{}, relations: map[string]relation{}}
	err := jsonstream.Object(dec, func(key string) error {
		switch key {
		case "document":
			return doc.decodeHeader(dec)
		case "product_tree":
			return doc.decodeProductTree(dec)
		case "vulnerabilities":
			return jsonstream.Array(dec, func(int) error {
				var v vulnerability
				if err := dec.Decode(&v); err != nil {
					return err
				}
				doc.vulns = append(doc.vulns, v)
				return nil
			})
		}
		return jsonstream.Skip(dec)
	})
	if err == nil {
		err = jsonstream.End(dec)
	}
	if err != nil {
		return nil, fmt.Errorf("offset %d: %w", dec.InputOffset(), err)
	}
	return doc, nil
}

func (doc *document) decodeHeader(dec *json.Decoder) error {
	var h struct {
		AggregateSeverity struct {
			Text string `json:"text"`
		} `json:"aggregate_severity"`
		Tracking struct {
			ID                 string    `json:"id"`
			CurrentReleaseDate time.Time `json:"current_release_date"`
		} `json:"tracking"`
	}
	if err := dec.Decode(&h); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	doc.ID = h.Tracking.ID
	doc.AggregateSeverity = h.AggregateSeverity.Text
	doc.Modified = h.Tracking.CurrentReleaseDate
	return nil
}

func (doc *document) decodeProductTree(dec *json.Decoder) error {
	return jsonstream.Object(dec, func(key string) error {
		switch key {
		case "branches":
			return doc.decodeBranches(dec, 1)
		case "relationships":
			return jsonstream.Array(dec, func(int) error {
				var r struct {
					FullProductName struct {
						ProductID string `json:"product_id"`
					} `json:"full_product_name"`
					ProductReference          string `json:"product_reference"`
					RelatesToProductReference string `json:"relates_to_product_reference"`
				}
				if err := dec.Decode(&r); err != nil {
					return fmt.Errorf("product_tree.relationships: %w", err)
				}
				doc.relations[r.FullProductName.ProductID] = relation{r.ProductReference, r.RelatesToProductReference}
				return nil
			})
		}
		return jsonstream.Skip(dec)
	})
}

// decodeBranches reads an array of branches, each of which names a
// product or holds further branches.
func (doc *document) decodeBranches(dec *json.Decoder, depth int) error {
	if depth > maxBranchDepth {
		return fmt.Errorf("product_tree: branches nested deeper than %d", maxBranchDepth)
	}
	return jsonstream.Array(dec, func(int) error {
		return jsonstream.Object(dec, func(key string) error {
			switch key {
			case "product":
				var p struct {
					ProductID string `json:"product_id"`
					Helper    helper `json:"product_identification_helper"`
				}
				if err := dec.Decode(&p); err != nil {
					return fmt.Errorf("product_tree.branches: %w", err)
				}
				doc.products[p.ProductID] = p.Helper
				return nil
			case "branches":
				return doc.decodeBranches(dec, depth+1)
			}
			return jsonstream.Skip(dec)
		})
	})
}

// errNotCSAF says that a document is JSON but no CSAF document.
var errNotCSAF = errors.New("not a CSAF document (no document.tracking.id)")
