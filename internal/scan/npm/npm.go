// Package npm finds the Node.js packages installed in a layer by reading
// the package.json at the root of each package under a node_modules
// directory: node_modules/NAME/package.json and
// node_modules/@SCOPE/NAME/package.json, at any depth (nested
// node_modules, pnpm's .pnpm store, global installs). Workspace packages,
// which npm links into node_modules as links to directories, have no
// package.json of their own there and are not reported; neither is a
// manifest marked private that names no version.
package npm

import (
	"context"
	"log/slog"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// Scanner reads package.json files. The zero value is ready to use and
// logs to slog.Default.
type Scanner struct {
	Log *slog.Logger // where skipped files are reported
}

var _ scan.Scanner = Scanner{}

// Name is "npm".
func (Scanner) Name() string { return "npm" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "1" }

// Wants reports whether path is the package.json at the root of a package
// directory in node_modules (not a file deeper inside a package, nor one in
// a dot directory such as node_modules/.bin).
func (Scanner) Wants(path string) bool {
	rest, ok := strings.CutSuffix(path, "/package.json")
	if !ok {
		return false
	}
	// Not "/"+path: Wants is called for every file of a layer.
	pkg, ok := strings.CutPrefix(rest, "node_modules/")
	if i := strings.LastIndex(rest, "/node_modules/"); i >= 0 {
		pkg, ok = rest[i+len("/node_modules/"):], true
	}
	if !ok {
		return false
	}
	if scope, name, ok := strings.Cut(pkg, "/"); ok {
		return len(scope) > 1 && scope[0] == '@' && validDir(name)
	}
	return validDir(pkg)
}

// validDir reports whether s can be a package directory's name.
func validDir(s string) bool {
	return s != "" && s[0] != '.' && s[0] != '@' && !strings.Contains(s, "/")
}

// Scan parses every wanted package.json of the layer. Each one is listed in
// Databases, so that it replaces what lower layers recorded in the same
// file. A file that is not a valid manifest is skipped with a warning: one
// broken package does not hide the others.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	return scan.Databases(ctx, "npm", files, s.Wants, func(p string, b []byte) ([]strata.Package, error) {
		pkg, ok, err := ParsePackageJSON(p, b)
		if err != nil || !ok {
			return nil, err
		}
		return []strata.Package{pkg}, nil
	}, scan.Logger(s.Log))
}
