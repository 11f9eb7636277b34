package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// Table writes the findings grouped by package: installed version,
// vulnerability, severity, fixed version (or "unfixed") and the layer that
// introduced the package, then a one-line summary.
func Table(w io.Writer, ir *strata.IndexReport, res *match.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACKAGE\tINSTALLED\tVULNERABILITY\tSEVERITY\tFIXED IN\tLAYER")
	fs := slices.Clone(res.Findings)
	slices.SortStableFunc(fs, func(a, b strata.Finding) int {
		return cmp.Or(
			strings.Compare(a.Package.Name, b.Package.Name),
			cmp.Compare(b.Vulnerability.Severity, a.Vulnerability.Severity),
			strings.Compare(a.Vulnerability.ID, b.Vulnerability.ID),
		)
	})
	prev := ""
	for _, f := range fs {
		name, ver := f.Package.Name, installed(f.Package)
		if f.Package.Key() == prev {
			name, ver = "", ""
		}
		prev = f.Package.Key()
		fixed := f.Vulnerability.FixedVersion
		if fixed == "" {
			fixed = "unfixed"
			if f.Vulnerability.State == strata.WontFix {
				fixed = "wont-fix"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, ver, f.Vulnerability.ID,
			f.Vulnerability.Severity, fixed, f.Package.IntroducedIn.Short())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, Summary(ir, res))
	return err
}

// installed shows the binary version, and beside it the source version
// when matching used a different one, or the OS package that installed a
// language package: "2.28.1 (deb python3-requests)".
func installed(p strata.Package) string {
	if p.SourceVersion != "" && p.SourceVersion != p.Version {
		return p.Version + " (source " + p.SourceName + " " + p.SourceVersion + ")"
	}
	if p.OwnedBy != "" {
		eco, name, _ := strings.Cut(p.OwnedBy, "/")
		return p.Version + " (" + eco + " " + name + ")"
	}
	return p.Version
}

// Summary is one line: how many findings of each severity in how many
// packages.
func Summary(ir *strata.IndexReport, res *match.Result) string {
	counts := map[strata.Severity]int{}
	pkgs := map[string]bool{}
	for _, f := range res.Findings {
		counts[f.Vulnerability.Severity]++
		pkgs[f.Package.Key()] = true
	}
	var parts []string
	for s := strata.Critical; s >= strata.Unknown; s-- {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	dist := "unknown distribution"
	if ir.Distribution != nil {
		dist = ir.Distribution.PrettyName
		if dist == "" {
			dist = ir.Distribution.Release()
		}
	}
	line := fmt.Sprintf("%d findings in %d of %d packages (%s)", len(res.Findings), len(pkgs), len(ir.Packages), dist)
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	return line
}
