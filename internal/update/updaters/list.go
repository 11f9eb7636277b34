// Package updaters holds the explicit list of feeds strata knows.
package updaters

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/alpine"
	"github.com/strata-scan/strata/internal/update/debian"
	"github.com/strata-scan/strata/internal/update/nvd"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/update/redhat"
	"github.com/strata-scan/strata/internal/update/ubuntu"
)

// All returns every updater, in the order updates run.
func All() []update.Updater {
	return []update.Updater{
		debian.Updater{},
		ubuntu.Updater{},
		osv.Updater{},
		alpine.Updater{},
		redhat.Updater{},
		nvd.Updater{},
	}
}

// ByName returns the updater called name, or an error listing the known ones.
func ByName(name string) (update.Updater, error) {
	var known []string
	for _, u := range All() {
		if u.Name() == name {
			return u, nil
		}
		known = append(known, u.Name())
	}
	slices.Sort(known)
	return nil, fmt.Errorf("unknown feed %q (known: %s)", name, strings.Join(known, ", "))
}
