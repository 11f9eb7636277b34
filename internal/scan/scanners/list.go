// Package scanners holds the explicit list of scanners strata runs. It is
// apart from package scan so that the scanners themselves can import scan
// for the Scanner and FileSet types.
package scanners

import (
	"log/slog"
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/apk"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/scan/osrelease"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/scan/rpm"
)

// All returns the scanners strata runs, in order, logging to
// slog.Default.
func All() []scan.Scanner { return Logging(nil) }

// Logging is All with the scanners that report skipped files logging to
// log (slog.Default when nil). os-release logs to slog.Default always.
func Logging(log *slog.Logger) []scan.Scanner {
	return []scan.Scanner{
		osrelease.Scanner{},
		dpkg.Scanner{Log: log},
		apk.Scanner{Log: log},
		rpm.Scanner{Log: log},
		gobin.Scanner{Log: log},
		python.Scanner{Log: log},
		npm.Scanner{Log: log},
		java.Scanner{Log: log},
	}
}

// State is the scanner-set state string (as Clair's index_state), such as
// "dpkg@1,os-release@1": each scanner's name@version, sorted by name. It
// changes when any scanner's version changes, or when one is added or
// removed.
func State(ss []scan.Scanner) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Name() + "@" + s.Version()
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}
