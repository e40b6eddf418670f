package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/report"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

func init() {
	register(command{"explain", "why people moved into and out of a region of a run: motives, ages, origins, jobs", cmdExplain})
}

const explainHelpHead = `Usage: settle explain RUN_DIR (--region NAME | --county NAME) [--year Y] [--top N]

Explains the moves into and out of one region (or, with --county, of a
county's regions together, counting only moves across its border) of the run in RUN_DIR (a
folder written by settle run, or a run kept by settle compare --keep-runs),
from its regions.csv and flows.csv: the parts of its population change, its
net moves by motive (study, career, housing, family, return, amenity) and
age group, the regions its movers came from and went to, those it gained
the most residents from and lost the most to (net), and the jobs,
housing and commuting behind them, over the whole run or (--year) the moves
of one year.

Flags:
`

// explainOptions are the options of settle explain.
type explainOptions struct {
	RunDir string
	Region string // code or name
	County string // code or name; explains its regions together (Region "")
	Year   int    // 0 = the whole run
	Top    int    // origins, destinations, net gains and net losses listed
}

func explainFlags(opts *explainOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.StringVar(&opts.Region, "region", "", "the region `NAME` or code to explain (this or --county)")
	fs.StringVar(&opts.County, "county", "", "explain the regions of the county `NAME` (or code) together:\nmoves between them are left out")
	fs.IntVar(&opts.Year, "year", 0, "explain the moves recorded in year `Y` (during the year before it);\ndefault the whole run")
	fs.IntVar(&opts.Top, "top", 5, "list the `N` largest origins, destinations, net gains and net losses\n(default 5)")
	return fs
}

func explainHelp() string {
	var o explainOptions
	return explainHelpHead + flagsHelp(explainFlags(&o), "region", "county", "year", "top") + "\n" +
		strings.Replace(strings.Replace(exitCodesHelp, "1    error (a bad scenario, a failed run …)", "1    error (a bad run folder, an unknown region, a year outside the run)", 1),
			"; a run's folder is then marked INCOMPLETE", "", 1)
}

func cmdExplain(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	var opts explainOptions
	fs := explainFlags(&opts)
	pos, err := parseArgs(fs, args, explainHelp(), stdout)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return usagef("which run? Give its folder and a region: settle explain RUN_DIR --region NAME (for example settle explain results/baseline/20250304-141502-s1 --region Stord)")
	case 1:
		opts.RunDir = pos[0]
	default:
		return usagef("give one run folder, not %d arguments: %q", len(pos), pos)
	}
	switch {
	case opts.Region != "" && opts.County != "":
		return usagef("give --region or --county, not both")
	case opts.Region == "" && opts.County == "":
		return usagef("which region? Give --region NAME (a name or a code, for example %s), or --county NAME", regionExample(opts.RunDir))
	}
	if opts.Top < 1 {
		return usagef("--top %d: give 1 or more", opts.Top)
	}
	return runExplain(ctx, opts, stdout, stderr)
}

// regionExample names the largest region of the world of the run in dir,
// by name and by code, for the error that asks for --region; Norway's
// Stord when the run cannot be read.
func regionExample(dir string) string {
	const norway = "--region Stord or --region 4614"
	m, err := output.ReadManifest(dir)
	if err != nil {
		return norway
	}
	w, err := output.LoadWorld(dir, m)
	if err != nil || w.N() == 0 {
		return norway
	}
	big := &w.Regions[0]
	for r := range w.Regions {
		if w.Regions[r].Population > big.Population {
			big = &w.Regions[r]
		}
	}
	return fmt.Sprintf("--region %s or --region %s in %s", big.Name, big.Code, w.Name)
}

// runExplain prints the explanation of opts.Region in opts.RunDir.
func runExplain(_ context.Context, opts explainOptions, stdout, stderr io.Writer) error {
	p := newPrinter(stdout, stderr, false)
	if err := needRun("explain", opts.RunDir); err != nil {
		return err
	}
	explain := report.Explain
	what := opts.Region
	if opts.County != "" {
		explain, what = report.ExplainCounty, opts.County
	}
	e, err := explain(opts.RunDir, what, opts.Year)
	if err != nil {
		return err
	}
	if !e.Manifest.Complete {
		// In plain words: a kept run of settle compare that was
		// interrupted recorded Go's "context canceled".
		p.Errorf("note: the run in %s is incomplete (%s); explaining the years it holds", opts.RunDir, output.StopReason(e.Manifest.Stopped))
	}
	return writeExplanation(p.Stdout(), e, opts.Top)
}

func signedGroup(n int64) string {
	if n > 0 {
		return "+" + output.Group(n)
	}
	return output.Group(n)
}

func writeExplanation(w io.Writer, e *report.Explanation, top int) error {
	name := func(i int) string { return e.World.Regions[i].Name }
	period := fmt.Sprintf("%d–%d", e.From+1, e.To)
	if e.To == e.From+1 {
		period = fmt.Sprint(e.To)
	}
	var what string
	if e.Region >= 0 {
		reg := &e.World.Regions[e.Region]
		where := ""
		if reg.County != "" {
			where = ", " + reg.County
		}
		what = fmt.Sprintf("%s (%s)%s, centrality class %d", reg.Name, reg.Code, where, reg.Centrality)
	} else {
		what = fmt.Sprintf("%s (county, %d regions together; moves between them are left out)", e.County, len(e.Regions))
		if len(e.Regions) == 1 {
			what = fmt.Sprintf("%s (county of one region, %s)", e.County, e.World.Regions[e.Regions[0]].Name)
		}
	}
	fmt.Fprintf(w, "%s: run %s (%s, scale %g, seed %d), moves recorded %s\n\n",
		what, e.Dir, e.Manifest.ScenarioName, e.Manifest.Scale, e.Manifest.Seed, period)
	writeInterventions(w, e)

	c := e.Components
	netDom := c.InDomestic - c.OutDomestic
	fmt.Fprintf(w, "Residents %d → %d: %s → %s (%s)\n", e.From, e.To, output.Group(e.Start.Population), output.Group(e.End.Population), signedGroup(e.End.Population-e.Start.Population))
	if sc := e.Manifest.Scale; sc < 1 {
		// A sample: every count is a whole number of simulated persons
		// scaled by 1/scale and rounded on its own (so the parts of a
		// total may miss it by a few), and a count of a few simulated
		// persons is mostly chance.
		fmt.Fprintf(w, "  (a sample at scale %g: one simulated person stands for %s; each count is scaled and rounded on its own, so parts may miss their total by a few; counts under %s, %d simulated persons, are mostly chance)\n",
			sc, strconv.FormatFloat(math.Round(100/sc)/100, 'f', -1, 64), output.Group(int64(math.Round(compare.SmallCount/sc))), compare.SmallCount)
	}
	fmt.Fprintf(w, "  births %s, deaths %s; moves in %s, out %s (net %s); immigrants %s, emigrants %s\n\n",
		signedGroup(c.Births), signedGroup(-c.Deaths), signedGroup(c.InDomestic), signedGroup(-c.OutDomestic), signedGroup(netDom),
		signedGroup(c.Immigrants), signedGroup(-c.Emigrants))

	// Net moves by age group and motive.
	fmt.Fprintf(w, "Net moves between regions (in − out) by age group and motive, %s:\n", period)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, left("age", 9)+"\t")
	for _, m := range record.MotiveNames {
		fmt.Fprintf(tw, "%s\t", m)
	}
	fmt.Fprint(tw, "all\t\n")
	var byMotive [record.NumMotives]int64
	var inMotive, outMotive [record.NumMotives]int64
	var byAge [record.NumAgeGroups]int64
	for g, ag := range record.AgeGroupNames {
		fmt.Fprintf(tw, "%s\t", left(ag, 9))
		for m := range record.NumMotives {
			v := e.Net(g, m)
			byMotive[m] += v
			byAge[g] += v
			inMotive[m] += e.In[g][m]
			outMotive[m] += e.Out[g][m]
			fmt.Fprintf(tw, "%s\t", signedGroup(v))
		}
		fmt.Fprintf(tw, "%s\t\n", signedGroup(byAge[g]))
	}
	fmt.Fprint(tw, left("all", 9)+"\t")
	for m := range record.NumMotives {
		fmt.Fprintf(tw, "%s\t", signedGroup(byMotive[m]))
	}
	fmt.Fprintf(tw, "%s\t\n", signedGroup(netDom))
	fmt.Fprint(tw, left("moves in", 9)+"\t")
	for m := range record.NumMotives {
		fmt.Fprintf(tw, "%s\t", output.Group(inMotive[m]))
	}
	fmt.Fprintf(tw, "%s\t\n", output.Group(c.InDomestic))
	fmt.Fprint(tw, left("moves out", 9)+"\t")
	for m := range record.NumMotives {
		fmt.Fprintf(tw, "%s\t", output.Group(outMotive[m]))
	}
	fmt.Fprintf(tw, "%s\t\n", output.Group(c.OutDomestic))
	if err := tw.Flush(); err != nil {
		return err
	}

	// Partners.
	// The minutes are the movers' trips: from where they came, to where
	// they went (the two differ in a travel-time file with one-way times).
	// The third table holds the net gains and losses the closing sentence
	// names (the largest gross origin and destination are often not the
	// largest net ones), the gains first: the minutes of the movers'
	// larger stream.
	netMinutes := func(q int) float64 {
		for _, p := range e.Partners {
			if p.Region == q && p.In > p.Out {
				return e.MinutesFrom(q)
			}
		}
		return e.Minutes(q)
	}
	for _, side := range []struct {
		title   string
		list    []report.Partner
		minutes func(q int) float64
	}{
		{"Where movers came from (moves", e.TopOrigins(top), e.MinutesFrom},
		{"Where movers went (moves", e.TopDestinations(top), e.Minutes},
		{"Largest net gains and losses (moves in − out", append(e.TopNetGains(top), e.TopNetLosses(top)...), netMinutes},
	} {
		fmt.Fprintf(w, "\n%s, %s):\n", side.title, period)
		if len(side.list) == 0 {
			fmt.Fprintln(w, "  none")
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "in\tout\tnet\tminutes\t\tregion\n")
		for _, q := range side.list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t\t%s (%s)\n", output.Group(q.In), output.Group(q.Out), signedGroup(q.Net()),
				side.minutes(q.Region), name(q.Region), e.World.Regions[q.Region].Code)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	// The run folder holds no travel times: those of the world (with the
	// run's travel_times file) are shown, and a scenario's bridge or tunnel
	// may have shortened them.
	if len(e.TopOrigins(top))+len(e.TopDestinations(top)) > 0 {
		src := "the world's travel times"
		for _, f := range e.Manifest.WorldFiles {
			if f.Role == world.TravelFile {
				src += " with the travel_times file " + f.Path
			}
		}
		trip := "the trip from where movers came, or to where they went"
		if e.Region < 0 {
			trip = "the trip from where movers came to the nearest of its regions, or from the nearest to where they went"
		}
		fmt.Fprintf(w, "  (minutes: %s: %s, before any intervention changed them)\n", trip, src)
	}

	// Jobs, housing and commuting.
	fmt.Fprintf(w, "\nJobs, housing and commuting on 1 January:\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%d\t%d\tchange\t\n", left("", 20), e.From, e.To)
	s0, s1 := e.Start, e.End
	rows := []struct {
		label string
		a, b  int64
	}{
		{"jobs", s0.Jobs, s1.Jobs},
		{"vacancies", s0.Vacancies, s1.Vacancies},
		{"employed residents", s0.Employed, s1.Employed},
		{"unemployed residents", s0.Unemployed, s1.Unemployed},
		{"in-commuters", s0.InCommuters, s1.InCommuters},
		{"out-commuters", s0.OutCommuters, s1.OutCommuters},
		{"remote workers", s0.RemoteWorkers, s1.RemoteWorkers},
		{"students", s0.Students, s1.Students},
		{"dwellings", s0.Dwellings, s1.Dwellings},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", left(r.label, 20), output.Group(r.a), output.Group(r.b), pctChange(float64(r.a), float64(r.b)))
	}
	fmt.Fprintf(tw, left("unemployment rate", 20)+"\t%s\t%s\t%s\t\n", rate(s0.Unemployed, s0.Employed), rate(s1.Unemployed, s1.Employed), "")
	fmt.Fprintf(tw, left("price level", 20)+"\t%.3f\t%.3f\t%s\t\n", s0.PriceIndex, s1.PriceIndex, pctChange(s0.PriceIndex, s1.PriceIndex))
	if err := tw.Flush(); err != nil {
		return err
	}
	if e.Region < 0 {
		fmt.Fprintln(w, "  (commuters: the sums of its regions', including those commuting between them)")
	}

	// In words.
	fmt.Fprintf(w, "\n%s\n", explainSentence(e, byAge[:], byMotive[:], netDom, period, top))
	return nil
}

func pctChange(a, b float64) string {
	if a == 0 {
		return ""
	}
	return fmt.Sprintf("%+.1f%%", 100*(b-a)/a)
}

func rate(unemployed, employed int64) string {
	if unemployed+employed == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(unemployed)/float64(unemployed+employed))
}

// explainSentence sums the explanation up in plain words. The parts of
// the net moves (by age group, by motive) may have either sign and be
// larger than the net itself: it calls a part "the largest part" only
// when every part goes the way of the net, and otherwise names the part
// that added the most and the one that took away the most. It names the
// largest origin and destination as such (gross moves, the first rows of
// the first two tables) and the largest net gains and losses apart (the
// third table, of top rows).
func explainSentence(e *report.Explanation, byAge, byMotive []int64, net int64, period string, top int) string {
	reg := e.Name()
	var b strings.Builder
	switch {
	case net > 0:
		fmt.Fprintf(&b, "%s gained %s residents net from other regions over %s", reg, output.Group(net), period)
	case net < 0:
		fmt.Fprintf(&b, "%s lost %s residents net to other regions over %s", reg, output.Group(-net), period)
	default:
		fmt.Fprintf(&b, "%s's moves in and out balanced over %s", reg, period)
	}
	ages := make([]netPart, len(byAge))
	for g, v := range byAge {
		ages[g] = netPart{"people " + compare.AgeGroupText(g), v}
	}
	motives := make([]netPart, len(byMotive))
	for m, v := range byMotive {
		motives[m] = netPart{motivePhrase(m), v}
	}
	var clauses []string
	if c := partsClause(ages, net); c != "" {
		clauses = append(clauses, "by age, "+c)
	}
	if c := partsClause(motives, net); c != "" {
		clauses = append(clauses, "by motive, "+c)
	}
	if len(clauses) > 0 {
		b.WriteString(": " + strings.Join(clauses, "; "))
	}
	b.WriteString(".")
	if s := partnersSentence(e, top); s != "" {
		b.WriteString(" " + s)
	}
	s0, s1 := e.Start, e.End
	elsewhere := "elsewhere"
	if e.Region < 0 {
		elsewhere = "outside their own municipality"
	}
	fmt.Fprintf(&b, " Jobs went from %s to %s (%s), dwellings from %s to %s, %s, and %s of its employed residents worked %s at the end.",
		output.Group(s0.Jobs), output.Group(s1.Jobs), pctChange(float64(s0.Jobs), float64(s1.Jobs)), output.Group(s0.Dwellings), output.Group(s1.Dwellings),
		priceChange(s0.PriceIndex, s1.PriceIndex), share(s1.OutCommuters, s1.Employed), elsewhere)
	return b.String()
}

// netPart is one part of the net moves: an age group's or a motive's.
type netPart struct {
	what string // "people aged 25–34", "moves for career"
	v    int64
}

// partsClause says which parts made the net moves net (the sum of the
// parts, but for rounding in a sample): when every part that is not 0
// goes the way of the net, the largest part ("the largest part was people
// aged 25–34 (-284 of -826)"); else the part that added the most and the
// one that took away the most, the one that goes the way of the net first
// ("people under 18 added the most (+300) and people aged 20–29 took away
// the most (-450)"). It is "" when every part is 0.
func partsClause(parts []netPart, net int64) string {
	gain, loss := -1, -1
	for i, p := range parts {
		if p.v > 0 && (gain < 0 || p.v > parts[gain].v) {
			gain = i
		}
		if p.v < 0 && (loss < 0 || p.v < parts[loss].v) {
			loss = i
		}
	}
	one := -1 // the only direction of the parts, if it is the net's
	switch {
	case gain >= 0 && loss < 0 && net > 0:
		one = gain
	case loss >= 0 && gain < 0 && net < 0:
		one = loss
	}
	if one >= 0 {
		p := parts[one]
		nonzero := 0
		for _, q := range parts {
			if q.v != 0 {
				nonzero++
			}
		}
		switch {
		case nonzero == 1:
			return fmt.Sprintf("all of it was %s (%s)", p.what, signedGroup(p.v))
		case abs64(p.v) < abs64(net):
			return fmt.Sprintf("the largest part was %s (%s of %s)", p.what, signedGroup(p.v), signedGroup(net))
		}
		// A sample's rounding made the part as large as the net.
		return fmt.Sprintf("the largest part was %s (%s)", p.what, signedGroup(p.v))
	}
	var added, took string
	if gain >= 0 {
		added = fmt.Sprintf("%s added the most (%s)", parts[gain].what, signedGroup(parts[gain].v))
	}
	if loss >= 0 {
		took = fmt.Sprintf("%s took away the most (%s)", parts[loss].what, signedGroup(parts[loss].v))
	}
	switch {
	case added == "":
		return took
	case took == "":
		return added
	case net < 0:
		return took + " and " + added
	}
	return added + " and " + took
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// partnersSentence names the region most movers in came from and the one
// most movers out went to (gross moves: the first rows of the tables
// "Where movers came from" and "Where movers went"), and the regions of
// the largest net gains and losses (up to two each, and no more than the
// top rows the table "Largest net gains and losses" lists), the losses
// first for a region that lost residents net.
func partnersSentence(e *report.Explanation, top int) string {
	name := func(p report.Partner) string { return e.World.Regions[p.Region].Name }
	var gross []string
	if o := e.TopOrigins(1); len(o) > 0 {
		gross = append(gross, fmt.Sprintf("the most moves in came from %s (%s of %s)", name(o[0]), output.Group(o[0].In), output.Group(e.Components.InDomestic)))
	}
	if d := e.TopDestinations(1); len(d) > 0 {
		gross = append(gross, fmt.Sprintf("the most moves out went to %s (%s of %s)", name(d[0]), output.Group(d[0].Out), output.Group(e.Components.OutDomestic)))
	}
	if len(gross) == 0 {
		return ""
	}
	list := func(ps []report.Partner) string {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = fmt.Sprintf("%s (%s)", name(p), signedGroup(p.Net()))
		}
		return strings.Join(s, " and ")
	}
	var net []string
	k := min(top, 2)
	if g := e.TopNetGains(k); len(g) == 1 {
		net = append(net, "the largest net gain was from "+list(g))
	} else if len(g) > 1 {
		net = append(net, "the largest net gains were from "+list(g))
	}
	if l := e.TopNetLosses(k); len(l) == 1 {
		net = append(net, "the largest net loss was to "+list(l))
	} else if len(l) > 1 {
		net = append(net, "the largest net losses were to "+list(l))
	}
	var inOut int64
	for _, p := range e.Partners {
		inOut += p.Net()
	}
	if inOut < 0 {
		slices.Reverse(net)
	}
	s := strings.Join(gross, " and ") + "."
	if len(net) > 0 {
		t := strings.Join(net, "; ") + "."
		s += " " + strings.ToUpper(t[:1]) + t[1:]
	} else {
		s += " Its moves with each region balanced."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	return s
}

// priceChange says how the price level went from a to b, with two
// decimals, or three where two would show the same number for a change.
func priceChange(a, b float64) string {
	for _, digits := range []int{2, 3} {
		x, y := strconv.FormatFloat(a, 'f', digits, 64), strconv.FormatFloat(b, 'f', digits, 64)
		if x != y {
			return "the price level from " + x + " to " + y
		}
	}
	return "the price level stayed at " + strconv.FormatFloat(b, 'f', 2, 64)
}

// motivePhrase names the moves of motive m in a sentence.
func motivePhrase(m int) string {
	return [record.NumMotives]string{"moves for study", "moves for career", "moves for housing", "moves for family",
		"moves back to the home region", "moves for amenities"}[m]
}

func share(a, b int64) string {
	if b == 0 {
		return "none"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

// left pads s with spaces to n characters, so that it stays left-aligned
// in a right-aligned table.
func left(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

// writeInterventions lists the run's interventions that reach the regions
// explained (those targeting one of them, and national ones), read from
// the run's copy of its scenario file (output.ScenarioCopy), or from the
// file itself when it is unchanged (runs written before the copy); it says
// so when neither can be read, and nothing when the run had none.
func writeInterventions(w io.Writer, e *report.Explanation) {
	specs, why := runInterventions(e)
	if why != "" {
		fmt.Fprintf(w, "Interventions: not shown (%s)\n\n", why)
		return
	}
	var here []*intervention.Spec
	for i := range specs {
		sp := &specs[i]
		if len(sp.Regions) == 0 || slices.ContainsFunc(e.Regions, func(r int) bool { return slices.Contains(sp.Regions, r) }) {
			here = append(here, sp)
		}
	}
	if len(specs) == 0 {
		return
	}
	if len(here) == 0 {
		fmt.Fprintf(w, "Interventions: none of the run's %d reach %s\n\n", len(specs), explainedName(e))
		return
	}
	fmt.Fprintf(w, "Interventions that reach %s:\n", explainedName(e))
	for _, sp := range here {
		d := sp.Describe(e.World, 3)
		// The tick of year y applies what is in force in y: the moves
		// explained are those of the ticks From … To−1.
		if sp.FromYear > e.To-1 || (sp.ToYear != 0 && sp.ToYear < e.From) {
			when := fmt.Sprintf("the years explained, %d–%d", e.From, e.To-1)
			if e.From == e.To-1 {
				when = fmt.Sprintf("%d, the year explained", e.From)
			}
			d.Years += " (not in force in " + when + ")"
		}
		fmt.Fprintf(w, "  %s, %s, %s", d.Label, d.Years, d.Targets)
		if len(d.Params) > 0 {
			fmt.Fprintf(w, ": %s", strings.Join(d.Params, ", "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// explainedName is the region or county explained.
func explainedName(e *report.Explanation) string {
	if e.Region >= 0 {
		return e.World.Regions[e.Region].Name
	}
	return e.County
}

// runInterventions returns the interventions of the run explained, with
// their target regions resolved, or why they cannot be read.
func runInterventions(e *report.Explanation) ([]intervention.Spec, string) {
	m := e.Manifest
	// The path the run read the file at: a relative world or travel_times
	// path in it is relative to that file, not to the copy.
	orig := m.ScenarioPath()
	file := filepath.Join(e.Dir, output.ScenarioCopy)
	data, err := os.ReadFile(file)
	if err != nil {
		// A run written before the copy: its scenario file, if unchanged.
		file = orig
		if data, err = os.ReadFile(file); err != nil {
			return nil, fmt.Sprintf("the run's folder has no %s and its scenario file %s cannot be read", output.ScenarioCopy, m.ScenarioFile)
		}
	}
	if world.SHA256Hex(data) != m.ScenarioSHA256 {
		return nil, fmt.Sprintf("%s is not the file the run read: its SHA-256 differs from the manifest's", file)
	}
	// With the run's years, scale and seed, which its command line may
	// have set (--years makes a later intervention valid).
	seed := m.Seed
	s, err := scenario.ParseWith(orig, data, scenario.Overrides{Seed: &seed, Years: m.Years, Scale: m.Scale, World: e.World})
	if err == nil {
		err = s.Resolve(e.World)
	}
	if err != nil {
		return nil, fmt.Sprintf("%s (the file of %s) does not read against the run's world: %v", file, m.ScenarioFile, err)
	}
	return s.Interventions, ""
}
