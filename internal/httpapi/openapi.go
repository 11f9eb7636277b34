package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPI documents every route of the API (OpenAPI 3.1).
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI) // a write error means the client is gone: nothing to tell it
	return nil
}
