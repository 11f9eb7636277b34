package debian

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
)

// An advisory list (data/DSA/list, data/DLA/list, data/DTSA/list) is a
// sequence of advisories:
//
//	[29 Mar 2023] DSA-5380-1 xorg-server - security update
//		{CVE-2023-1393}
//		[bullseye] - xorg-server 2:1.20.11-1+deb11u6
//		[buster] - foo <not-affected> (reason)
//		NOTE: free text
//
// Real oddities that are read: DTSA headers date as "[August 26th,
// 2005]"; old headers separate the description with " -- " or nothing
// ("DSA-1452-1 wzdftpd denial of service"), or name no package; old ids
// have no revision ("DSA-135"); old fix lines carry a note "(bug #1234;
// medium)", whose urgency is kept; body lines may be indented with spaces.
var (
	headerRE  = regexp.MustCompile(`^\[([^\]]+)\]\s+([A-Z]+-\d+(?:-\d+)?)(.*)$`)
	fixRE     = regexp.MustCompile(`^\[([a-z0-9-]+)\]\s+-\s+(\S+)\s*(.*)$`)
	sepRE     = regexp.MustCompile(`\s--?\s`)
	ordinalRE = regexp.MustCompile(`^([A-Z][a-z]+) (\d{1,2})(?:st|nd|rd|th), (\d{4})$`)
)

type advisory struct {
	id, description string
	published       time.Time
	aliases         []string
	fixes           []listFix
}

type listFix struct{ rel, pkg, version, urgency string }

type listParser struct {
	adv  *advisory
	out  []strata.Vulnerability
	skip skipped
}

// parseList reads an advisory list: one record per advisory, release and
// package with a fixed version, in the order of the file. <not-affected>,
// <end-of-life> and <unfixed> lines make no record: the advisory shipped
// no fix there (the tracker JSON has the CVEs' open states).
func parseList(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	p := listParser{skip: skipped{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := p.line(sc.Text()); err != nil {
			return nil, fmt.Errorf("debian: parse %s: line %d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("debian: parse %s: line %d: %w", name, n+1, err)
	}
	p.flush()
	p.skip.log(ctx, name)
	return p.out, nil
}

func (p *listParser) line(s string) error {
	s = strings.TrimRight(s, " \t\r")
	switch {
	case s == "":
		return nil
	case s[0] != ' ' && s[0] != '\t':
		return p.header(s)
	case p.adv == nil:
		return fmt.Errorf("indented line before the first advisory: %s", excerpt.Quote(s))
	}
	s = strings.TrimLeft(s, " \t")
	switch {
	case strings.HasPrefix(s, "NOTE:"):
		return nil
	case strings.HasPrefix(s, "{"):
		ids, ok := strings.CutSuffix(s[1:], "}")
		if !ok {
			return fmt.Errorf("unterminated id list %s", excerpt.Quote(s))
		}
		p.adv.aliases = append(p.adv.aliases, strings.Fields(ids)...)
		return nil
	case strings.HasPrefix(s, "["):
		return p.fix(s)
	}
	return fmt.Errorf("unrecognised line %s", excerpt.Quote(s))
}

func (p *listParser) header(s string) error {
	m := headerRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("unrecognised line %s", excerpt.Quote(s))
	}
	date, err := parseDate(m[1])
	if err != nil {
		return err
	}
	p.flush()
	p.adv = &advisory{id: m[2], description: headerDescription(m[3]), published: date}
	return nil
}

// headerDescription is the text after the packages of a header: after
// " - " (or " -- "), else after the first word ("DSA-1452-1 wzdftpd
// denial of service").
func headerDescription(s string) string {
	if loc := sepRE.FindStringIndex(s); loc != nil {
		return strings.TrimSpace(s[loc[1]:])
	}
	_, desc, _ := strings.Cut(strings.TrimSpace(s), " ")
	return strings.TrimSpace(desc)
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2 Jan 2006", s); err == nil {
		return t, nil
	}
	if m := ordinalRE.FindStringSubmatch(s); m != nil {
		if t, err := time.Parse("January 2 2006", m[1]+" "+m[2]+" "+m[3]); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %s", excerpt.Quote(s))
}

func (p *listParser) fix(s string) error {
	m := fixRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("unrecognised line %s", excerpt.Quote(s))
	}
	codename, pkg, rest := m[1], m[2], m[3]
	if strings.HasPrefix(rest, "<") {
		tag, _, _ := strings.Cut(rest, ">")
		switch tag {
		case "<not-affected", "<end-of-life", "<unfixed":
			return nil
		}
		return fmt.Errorf("unknown tag in %s", excerpt.Quote(s))
	}
	version, note, _ := strings.Cut(rest, " ")
	if version == "" {
		return fmt.Errorf("no version in %s", excerpt.Quote(s))
	}
	urgency, err := fixNote(strings.TrimSpace(note))
	if err != nil {
		return fmt.Errorf("%w in %s", err, excerpt.Quote(s))
	}
	rel, ok := releases[codename]
	if !ok {
		p.skip[codename]++
		return nil
	}
	if version != "0" { // "0": never affected
		p.adv.fixes = append(p.adv.fixes, listFix{rel, pkg, version, urgency})
	}
	return nil
}

// fixNote reads the note after a fixed version, "(bug #1234; medium)",
// and returns the urgency it names.
func fixNote(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	inner, open := strings.CutPrefix(s, "(")
	inner, closed := strings.CutSuffix(inner, ")")
	if !open || !closed {
		return "", fmt.Errorf("unexpected text %s after the version", excerpt.Quote(s))
	}
	var urgency string
	for item := range strings.SplitSeq(inner, ";") {
		item = strings.TrimSpace(item)
		switch {
		case strings.HasPrefix(item, "bug #"):
		case severity(item) != strata.Unknown:
			urgency = item
		default:
			return "", fmt.Errorf("unknown note %s", excerpt.Quote(item))
		}
	}
	return urgency, nil
}

// flush turns the current advisory's fixes into records.
func (p *listParser) flush() {
	a := p.adv
	if a == nil {
		return
	}
	for _, f := range a.fixes {
		v := record(a.id, f.rel, f.pkg, f.version, strata.Fixed)
		v.Aliases = slices.Clone(a.aliases)
		v.Description, v.Published = a.description, a.published
		v.VendorSeverity, v.Severity = f.urgency, severity(f.urgency)
		p.out = append(p.out, v)
	}
}
