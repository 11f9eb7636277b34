// Package osrelease identifies a layer's distribution from os-release
// (freedesktop.org) and, in images too old or too small to have one, from
// lsb-release, alpine-release, system-release, redhat-release or
// debian_version.
package osrelease

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// sources are the files the scanner reads, the most authoritative first.
// system-release precedes redhat-release because Oracle Linux's
// redhat-release names Red Hat Enterprise Linux.
var sources = []string{
	"etc/os-release",
	"usr/lib/os-release",
	"etc/lsb-release",
	"etc/alpine-release",
	"etc/system-release",
	"etc/redhat-release",
	"etc/debian_version",
}

const debianVersion = "etc/debian_version"

// Scanner reports the distribution of a layer. The zero value is ready to
// use.
type Scanner struct{}

var _ scan.Scanner = Scanner{}

// Name is "os-release".
func (Scanner) Name() string { return "os-release" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "1" }

// Wants reports whether path is one of the release files.
func (Scanner) Wants(path string) bool { return slices.Contains(sources, path) }

// Scan reports the distribution described by the first release file of
// the layer that parses; files before it that do not parse are logged. When the layer has none, the report's Distribution is nil; when
// every one present fails to parse, Scan returns their errors.
//
// Debian's os-release has no VERSION_ID in distroless images (and in
// testing and unstable): it is then taken from etc/debian_version when the
// same layer has it.
func (Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	var errs []error
	for _, p := range sources {
		b, err := files.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // absent, or a link to a file of another layer
		}
		if err != nil {
			return nil, fmt.Errorf("os-release: %w", err)
		}
		d, err := Parse(p, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(errs) > 0 {
			slog.WarnContext(ctx, "release files skipped", "err", errors.Join(errs...))
		}
		if d.ID == "debian" && d.VersionID == "" && p != debianVersion {
			if err := fillFromDebianVersion(ctx, files, d); err != nil {
				return nil, err
			}
		}
		return &strata.LayerReport{Distribution: d}, nil
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &strata.LayerReport{}, nil
}

// fillFromDebianVersion completes a Debian os-release that lacks
// VERSION_ID (or VERSION_CODENAME) from etc/debian_version.
// A debian_version that does not parse is logged and left out.
func fillFromDebianVersion(ctx context.Context, files scan.FileSet, d *strata.Distribution) error {
	b, err := files.ReadFile(debianVersion)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("os-release: %w", err)
	}
	dv, err := Parse(debianVersion, b)
	if err != nil {
		slog.WarnContext(ctx, "release file skipped", "err", err)
		return nil
	}
	d.VersionID = dv.VersionID
	if d.VersionCodename == "" {
		d.VersionCodename = dv.VersionCodename
	}
	return nil
}
