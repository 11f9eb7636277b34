// Package version orders package versions the way each ecosystem's own
// tool does, and evaluates OSV affected ranges with those orders.
//
// There is one Comparator per ecosystem (Deb, RPM, APK, Go, NPM, PEP440,
// Maven); For picks the one of an ecosystem. Each comparator never panics,
// returns an error naming the version for a string that is not a valid
// version of its ecosystem, and is a total order on the versions it
// accepts, but for Maven, whose reference order is not transitive. Each is
// tested against its ecosystem's reference tool: the fixtures in testdata/
// are generated from those tools by scripts/gen/versions, and differential
// tests re-run the tools on random versions when they are installed.
package version

import (
	"fmt"

	"github.com/strata-scan/strata"
)

// Comparator is one ecosystem's version order.
type Comparator interface {
	// Compare returns -1, 0 or +1 as a is lower than, equal to or higher
	// than b; the error names the invalid version.
	Compare(a, b string) (int, error)
}

// For returns the comparator of an ecosystem, or an error for an unknown
// one.
func For(eco strata.Ecosystem) (Comparator, error) {
	switch eco {
	case strata.Deb:
		return Deb{}, nil
	case strata.RPM:
		return RPM{}, nil
	case strata.APK:
		return APK{}, nil
	case strata.Go:
		return Go{}, nil
	case strata.NPM:
		return NPM{}, nil
	case strata.PyPI:
		return PEP440{}, nil
	case strata.Maven:
		return Maven{}, nil
	}
	return nil, fmt.Errorf("version: no comparator for ecosystem %q", eco)
}
