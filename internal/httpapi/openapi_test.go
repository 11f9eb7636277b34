package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The OpenAPI document served at /api/v1/openapi.json describes exactly
// the routes of the route table, and every schema it refers to exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := newAPI(t, nil)
	resp := a.do("GET", "/api/v1/openapi.json", nil)
	var doc struct {
		OpenAPI    string                           `json:"openapi"`
		Paths      map[string]map[string]any        `json:"paths"`
		Components struct{ Schemas map[string]any } `json:"components"`
	}
	resp.decode(t, &doc)
	if resp.status != 200 || doc.OpenAPI != "3.1.0" {
		t.Fatalf("status %d, openapi %q", resp.status, doc.OpenAPI)
	}
	var documented, routed []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	for _, rt := range a.srv.routes() {
		routed = append(routed, rt.pattern)
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if diff := cmp.Diff(routed, documented); diff != "" {
		t.Errorf("routes (-route table +openapi.json):\n%s", diff)
	}
	for _, ref := range refs(t, openAPI) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("openapi.json refers to missing %s", ref)
		}
	}
}

// refs lists the $ref values of a JSON document.
func refs(t *testing.T, doc []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	walk(v)
	return out
}
