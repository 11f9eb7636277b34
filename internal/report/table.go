package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// Table writes the findings grouped by package: installed version,
// vulnerability (for a Go module, with whether the binary holds the
// vulnerable functions: "[symbol present]", "[symbol absent]" or
// "[unknown (stripped)]"), the vendor's severity, the NVD's score beside it ("7.5
// (3.1)": the highest of its CVEs', "-" when the NVD has none), fixed
// version (or its state: "unfixed", "wont-fix", "under-investigation")
// and the layer that introduced the package, then
// a one-line summary. A vulnerability that several feed records name is
// one row: its records' ids, the primary's first ("GHSA-2wrh-6pvc-2jm9,
// GO-2023-1988"), the highest of their severities and the primary's fixed
// version, the latest (see group).
func Table(w io.Writer, ir *strata.IndexReport, res *match.Result) error {
	// Buffered: tabwriter writes each cell and its padding apart.
	buf := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACKAGE\tINSTALLED\tVULNERABILITY\tSEVERITY\tNVD\tFIXED IN\tLAYER")
	gs := groupFindings(res.Findings)
	// Rows sort by package, then vulnerability, so that the rows of two
	// packages of one name (Go's stdlib in two binaries) stay apart.
	slices.SortStableFunc(gs, func(a, b group) int {
		fa, fb := a.primary(), b.primary()
		return cmp.Or(
			strings.Compare(fa.Package.Name, fb.Package.Name),
			strings.Compare(fa.Package.Version, fb.Package.Version),
			strings.Compare(fa.Package.PackageDB, fb.Package.PackageDB),
			strings.Compare(fa.Package.Arch, fb.Package.Arch),
			strings.Compare(string(fa.Package.Eco), string(fb.Package.Eco)),
			cmp.Compare(b.severest().Severity, a.severest().Severity),
			strings.Compare(fa.Vulnerability.ID, fb.Vulnerability.ID),
		)
	})
	prev := ""
	for _, g := range gs {
		f := g.primary()
		name, ver := f.Package.Name, installed(f.Package)
		key := f.Package.Key() + " " + f.Package.PackageDB
		if key == prev {
			name, ver = "", ""
		}
		prev = key
		vuln := strings.Join(g.names(), ", ")
		if s := g.symbols(); s != "" {
			vuln += " [" + s + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, ver, vuln,
			g.severest().Severity, nvdCell(nvdEntries(g)), fixedCell(f.Vulnerability), f.Package.IntroducedIn.Short())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(buf, Summary(ir, res))
	return buf.Flush()
}

// fixedCell is the FIXED IN cell of v: its fixed version, or, when it
// has none, its state: "unfixed", "wont-fix" or "under-investigation".
func fixedCell(v strata.Vulnerability) string {
	switch {
	case v.FixedVersion != "":
		return v.FixedVersion
	case v.State == strata.WontFix, v.State == strata.UnderInvestigation:
		return string(v.State)
	}
	return "unfixed"
}

// installed shows the binary version, and beside it the source version
// when matching used a different one; for a language package, the OS
// package that installed it ("1.19.8 (deb runc)") or else where it was
// found: the binary or archive (a nested one as
// "/srv/app.war!/WEB-INF/lib/x.jar"), or the directory of a Python or npm
// package's metadata ("1.26.8 (/usr/local/bin/htmlcheck)"); a library
// whose name was guessed from its file name says so ("2.11.0
// (/opt/commons-io-2.11.0.jar, guessed from file name)").
func installed(p strata.Package) string {
	switch {
	case p.SourceVersion != "" && p.SourceVersion != p.Version:
		return p.Version + " (source " + p.SourceName + " " + p.SourceVersion + ")"
	case p.OwnedBy != "":
		eco, name, _ := strings.Cut(p.OwnedBy, "/")
		return p.Version + " (" + eco + " " + name + guessed(p) + ")"
	case strata.OSEcosystem(p.Eco) || p.PackageDB == "":
		return p.Version
	case p.Eco == strata.PyPI || p.Eco == strata.NPM:
		return p.Version + " (/" + path.Dir(p.PackageDB) + ")"
	}
	return p.Version + " (/" + p.Location() + guessed(p) + ")"
}

// guessed is ", guessed from file name" for a package so named, else "".
func guessed(p strata.Package) string {
	if p.Identified == strata.IdentifiedByFileName {
		return ", guessed from file name"
	}
	return ""
}

// Summary is one line: how many findings of each severity in how many
// packages, a vulnerability that several records name counted once per
// package.
func Summary(ir *strata.IndexReport, res *match.Result) string {
	counts := map[strata.Severity]int{}
	pkgs := map[string]bool{}
	gs := groupFindings(res.Findings)
	for _, g := range gs {
		counts[g.severest().Severity]++
		pkgs[g.primary().Package.Key()] = true
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
	line := fmt.Sprintf("%d findings in %d of %d packages (%s)", len(gs), len(pkgs), len(ir.Packages), dist)
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	return line
}
