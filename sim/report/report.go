// Package report draws what sim/compare measured: charts (PNG for slides,
// SVG for the web, made with gonum.org/v1/plot), a map of the regions
// coloured by the difference, and report.html, one self-contained file
// (inline CSS and SVG, nothing fetched from the network) with the summary
// sentences, the tables, the charts, the map, the attractiveness
// decomposition and the manifest of every run. It also explains a single
// run (Explain): why people moved into and out of a region.
//
// Start with Write, after compare.Result.Write.
package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/record"
)

// File names written by Write.
const (
	ChartsDir  = "charts"
	ReportFile = "report.html"
)

// Options are the choices of WriteWith.
type Options struct {
	// Year is the key year: of the summary sentences, the key figures,
	// the largest differences, the maps and the table of all metrics (0 =
	// the last year), as settle compare --year gives the terminal's
	// summary. The charts over the years show every year, and "Who moved"
	// and the attractiveness table the whole run.
	Year int
}

// Write draws the charts and maps of r into dir/charts and writes
// dir/report.html, of the last year. It returns the charts drawn.
func Write(r *compare.Result, dir string) ([]Chart, error) {
	return WriteWith(context.Background(), r, dir, Options{})
}

// WriteWith is Write with opts. Once ctx is done (Ctrl-C) it stops before
// the next chart, with ctx's error, and writes no report.html: the
// charts of Norway's maps take seconds, and a Ctrl-C while they were
// drawn was ignored.
func WriteWith(ctx context.Context, r *compare.Result, dir string, opts Options) ([]Chart, error) {
	year := opts.Year
	if year == 0 {
		year = r.LastYear()
	}
	yi := r.YearIndex(year)
	if yi < 0 {
		return nil, fmt.Errorf("report: the year %d is outside the comparison's years %d–%d", year, r.YearList[0], r.LastYear())
	}
	cdir := filepath.Join(dir, ChartsDir)
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		return nil, err
	}
	var charts []Chart
	v := &view{R: r, P: r.Plan, Created: r.End.Format("2 January 2006 15:04"), year: year}
	add := func(c Chart, err error) (Chart, error) {
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			charts = append(charts, c)
		}
		return c, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for s := 1; s < len(r.Plan.Scenarios); s++ {
		sv := scenarioView{Index: s, Name: r.Plan.Scenarios[s].Name, Description: r.Plan.Scenarios[s].Description}
		c, err := add(differenceChart(r, s, cdir))
		if err != nil {
			return charts, err
		}
		sv.Difference = c
		for _, zoom := range []bool{false, true} {
			c, ok, err := mapChart(r, s, zoom, yi, cdir)
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				return charts, err
			}
			if ok {
				charts = append(charts, c)
				sv.Maps = append(sv.Maps, c)
			}
		}
		v.Scenarios = append(v.Scenarios, sv)
	}
	for f := range r.Plan.Focus {
		fv := focusView{Unit: &r.Plan.Units[r.Plan.Focus[f]], Name: focusName(r.Plan, f), Drawn: drawnNote(r, f)}
		var err error
		if fv.Trajectory, err = add(trajectoryChart(r, f, cdir)); err != nil {
			return charts, err
		}
		if fv.Pyramid, err = add(pyramidChart(r, f, cdir)); err != nil {
			return charts, err
		}
		// Net domestic moves into the whole country are zero: no chart.
		if fv.Unit.Level != compare.LevelNation {
			if fv.Migration, err = add(migrationChart(r, f, cdir)); err != nil {
				return charts, err
			}
			if fv.MigrationDifference, err = add(migrationDifferenceChart(r, f, cdir)); err != nil {
				return charts, err
			}
		}
		v.Focus = append(v.Focus, fv)
	}
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return charts, fmt.Errorf("report: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return charts, err
	}
	return charts, output.WriteData(filepath.Join(dir, ReportFile), b.Bytes())
}

type view struct {
	R         *compare.Result
	P         *compare.Plan
	Created   string
	Scenarios []scenarioView
	Focus     []focusView
	// year is the key year (Options.Year); 0 = the last.
	year int
}

// KeyYear is the year of the summary, the key figures, the maps and the
// table of all metrics (Options.Year).
func (v *view) KeyYear() int {
	if v.year == 0 {
		return v.R.LastYear()
	}
	return v.year
}

// keyIndex is KeyYear's index in R.YearList.
func (v *view) keyIndex() int { return v.R.YearIndex(v.KeyYear()) }

// KeyYearNote says, when the key year is not the last, which parts of the
// report are of which years ("" otherwise): with settle compare --year
// the terminal summarised one year and report.html another.
func (v *view) KeyYearNote() string {
	if v.KeyYear() == v.LastYear() {
		return ""
	}
	return fmt.Sprintf("The summary, the key figures and where their differences come from, the largest differences, the maps and all metrics are of %d (settle compare --year %d), as on the terminal; the charts over the years show %d–%d, and who moved and the attractiveness table sum the moves of %d–%d.",
		v.KeyYear(), v.KeyYear(), v.FirstYear(), v.LastYear(), v.FirstFlowYear(), v.LastYear())
}

// KeyNotes are the notes under scenario s's key figures: the
// interventions whose regions are shown together only
// (compare.Plan.GroupedNotes), that a group's figures are those of all
// the scenario's interventions (compare.Plan.CombinedNote), and that the
// scenario follows another national projection (ProjectionNote).
func (v *view) KeyNotes(s int) []string {
	var out []string
	for _, n := range v.P.GroupedNotes(s) {
		out = append(out, upperFirst(n)+".")
	}
	if n := v.P.CombinedNote(s); n != "" {
		out = append(out, n)
	}
	if n := v.P.ProjectionNote(s); n != "" {
		out = append(out, n)
	}
	return out
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

type scenarioView struct {
	Index       int
	Name        string
	Description string
	Difference  Chart
	Maps        []Chart
}

// assumptionView is what a compared file assumed: its interventions with
// their parameters and units, its behaviour overrides, and its text.
type assumptionView struct {
	Role, Name, File, SHA, Text string
	Interventions               []intervention.Description
	Overrides                   []string // "move_scale = 2.2 (default 2)"
}

// Assumptions describes the baseline and every scenario.
func (v *view) Assumptions() []assumptionView {
	var out []assumptionView
	for i, sc := range v.P.Scenarios {
		a := assumptionView{Role: "scenario", Name: sc.Name, File: sc.File, SHA: sc.SHA256[:min(12, len(sc.SHA256))], Text: sc.Text}
		if i == 0 {
			a.Role = "baseline"
		}
		for k := range sc.Interventions {
			a.Interventions = append(a.Interventions, sc.Interventions[k].Describe(v.P.World, maxAssumedTargets))
		}
		for _, o := range sc.SortedOverrides() {
			a.Overrides = append(a.Overrides, fmt.Sprintf("%s = %g (default %g)", o.Name, o.Value, o.Default))
		}
		out = append(out, a)
	}
	return out
}

// maxAssumedTargets is how many target regions the report names per
// intervention before "… and N more".
const maxAssumedTargets = 12

type focusView struct {
	Unit                                                *compare.Unit
	Name                                                string // focusName
	Drawn                                               string // drawnNote
	Trajectory, Pyramid, Migration, MigrationDifference Chart
}

// drawnNote says which scenarios focus unit f's charts draw when they
// leave some out (chartScenarios), and where the others' figures are; ""
// when they draw every scenario.
func drawnNote(r *compare.Result, f int) string {
	p := r.Plan
	shown := chartScenarios(p, f)
	left := len(p.Scenarios) - len(shown)
	if left == 0 || len(shown) < 2 {
		return ""
	}
	var names []string
	for _, s := range shown[1:] {
		names = append(names, p.Scenarios[s].Name)
	}
	unit := &p.Units[p.Focus[f]]
	u := focusName(p, f)
	which := "the scenario that targets " + u
	if len(names) > 1 {
		which = "the scenarios that target " + u
	}
	// A group is targeted by the scenarios that target all its regions
	// (compare.Plan.Targets), whatever their interventions are called;
	// deltas.csv has a group's rows under its own scenario only, and
	// every scenario's rows of its regions.
	it, figures := "it", "for it"
	if unit.Level == compare.LevelTarget {
		it, figures = "all of its regions", "for its regions"
	}
	others := fmt.Sprintf("the other scenario does not target %s and is left out (its figures %s are in deltas.csv)", it, figures)
	if left > 1 {
		others = fmt.Sprintf("the other %d scenarios do not target %s and are left out (their figures %s are in deltas.csv)", left, it, figures)
	}
	return fmt.Sprintf("These charts draw the baseline and %s, %s; %s.", phrase.And(names), which, others)
}

// Sentences are the summary in the key year.
func (v *view) Sentences() []compare.Sentence { return v.R.Sentences(v.KeyYear()) }

func (v *view) Baseline() string { return v.P.Scenarios[0].Name }

func (v *view) ScenarioNames() string {
	var names []string
	for _, s := range v.P.Scenarios[1:] {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

func (v *view) FirstYear() int { return v.R.YearList[0] }

// FirstFlowYear is the first year with flows (moves, births …): the year
// after the start row, whose flows are zero.
func (v *view) FirstFlowYear() int {
	if len(v.R.YearList) > 1 {
		return v.R.YearList[1]
	}
	return v.R.YearList[0]
}
func (v *view) LastYear() int { return v.R.LastYear() }
func (v *view) Seeds() string {
	if v.P.Replicates == 1 {
		return fmt.Sprint(v.P.Seed)
	}
	return fmt.Sprintf("%d–%d", v.P.Seed, v.P.Seed+uint64(v.P.Replicates)-1)
}

// row is a table row of a unit's difference.
type row struct {
	Name, Level                         string
	Baseline, Scenario, Difference, Pct string
	Interval                            string
	Class                               string // "gain", "loss" or "unclear"
	// Verdict says in words what Class says in colour, which a table
	// pasted into a memo loses: "clear", "could be chance", "no
	// difference" (every pair of runs alike) or "" (one replicate, no
	// interval).
	Verdict string
}

// Verdicts of a row.
const (
	verdictClear  = "clear"
	verdictChance = "could be chance"
	verdictNone   = "no difference"
	// verdictChanceAll: a region whose own interval excludes zero but
	// that does not stay clear with all regions tested together (the
	// table of the largest differences of any region).
	verdictChanceAll = "could be chance among all regions"
)

// deltaRow is a table row of d. small is the least baseline (real units)
// whose relative change is shown: below it, a few simulated persons make
// a large percentage ("+111 %" of 88 remote workers at scale 0.03).
func deltaRow(name, level string, d compare.Delta, m compare.Metric, small float64) row {
	r := row{Name: name, Level: level}
	count := m != compare.PriceIndex
	f := func(x float64) string {
		if count {
			return compare.Count(x)
		}
		return compare.Num(x, m)
	}
	r.Baseline, r.Scenario, r.Difference = f(d.Baseline), f(d.Scenario), f(d.Difference)
	if count {
		r.Difference = compare.Signed(d.Difference) // as the sentences round it
	} else {
		// A difference has its sign, as the counts' (+1,750): the price
		// level's read 0.0120.
		r.Difference = signedNum(d.Difference, m)
	}
	if d.Baseline != 0 && !m.Flow() {
		r.Pct = compare.Percent(100 * d.Difference / d.Baseline)
		if m != compare.PriceIndex && math.Abs(d.Baseline) < small {
			r.Pct = "(few)"
		}
	}
	r.Interval = "–"
	if d.Replicates > 1 {
		r.Interval = f(d.Lo) + " to " + f(d.Hi)
		r.Verdict = verdictClear
		switch {
		case math.Abs(d.Difference) < compare.NoDifference && math.Abs(d.Lo) < compare.NoDifference && math.Abs(d.Hi) < compare.NoDifference:
			// (Within a millionth of a person: the decomposition's
			// regression leaves rounding in what is zero.)
			// Every pair of runs the same (dwellings before a programme,
			// the country's net domestic moves): nothing to judge, and
			// the interval is 0 to 0 (compare.Delta.Step).
			r.Verdict = verdictNone
		case d.Includes0():
			r.Verdict = verdictChance
		}
	}
	switch {
	case d.Replicates > 1 && d.Includes0():
		r.Class = "unclear"
	case d.Difference > 0:
		r.Class = "gain"
	case d.Difference < 0:
		r.Class = "loss"
	}
	return r
}

// signedNum formats x with metric m's decimals and its sign: +0.0120,
// -0.0030, and 0.0000 for what rounds to zero.
func signedNum(x float64, m compare.Metric) string {
	t := compare.Num(x, m)
	if t != "" && t[0] != '-' && strings.Trim(t, "0.") != "" {
		t = "+" + t
	}
	return t
}

// smallBase is the baseline (real units) under which a row shows no
// relative change: 20 simulated persons, the count under which settle
// explain calls a count mostly chance.
func (v *view) smallBase() float64 { return compare.SmallCount / v.P.Scale }

// SmallBase is smallBase in words.
func (v *view) SmallBase() string { return compare.Count(v.smallBase()) }

// FocusUnits are the units (indices into Plan.Units) of scenario s's
// focus.
func (v *view) FocusUnits(s int) []int {
	var out []int
	for _, f := range v.P.ScenarioFocus(s) {
		out = append(out, v.P.Focus[f])
	}
	return out
}

// KeyRows are the focus units' population difference in the key year.
func (v *view) KeyRows(s int) []row {
	yi := v.keyIndex()
	var out []row
	for _, u := range v.FocusUnits(s) {
		unit := &v.P.Units[u]
		out = append(out, deltaRow(unit.Name, unit.Level, v.R.Delta(s, u, compare.Population, yi), compare.Population, v.smallBase()))
	}
	return out
}

// LargestRows are the regions with the largest population differences,
// coloured only where clearRegions finds them clear.
func (v *view) LargestRows(s int) []row {
	yi := v.keyIndex()
	clear := clearRegions(v.R, s, yi)
	var out []row
	for _, u := range v.R.Largest(s, yi, 10) {
		unit := &v.P.Units[u]
		r := deltaRow(unit.Name+" ("+unit.Code+")", unit.Level, v.R.Delta(s, u, compare.Population, yi), compare.Population, v.smallBase())
		if clear != nil && !clear[u] {
			r.Class = "unclear"
			if r.Verdict == verdictClear { // "no difference" and "could be chance" stay
				r.Verdict = verdictChanceAll
			}
		}
		out = append(out, r)
	}
	return out
}

// LargestNote says how many regions' differences are clear by their own
// interval, how many chance alone would give, and how many stay clear
// when all are tested at once ("" with one replicate).
func (v *view) LargestNote(s int) string {
	yi := v.keyIndex()
	bh := v.R.ClearRegions(s, yi) // the test alone, targets included
	if bh == nil {
		return ""
	}
	n := v.P.World.N()
	targets := map[int]bool{}
	for _, i := range targetRegions(v.P, s) {
		targets[i] = true
	}
	own, kept := 0, 0
	for u := range n {
		if !v.R.Delta(s, u, compare.Population, yi).Includes0() {
			own++
		}
		if bh[u] && !targets[u] {
			kept++
		}
	}
	// count says how many do: "none does", "1 does", "3 do" (noun after
	// the number, if any).
	count := func(k int, noun string) string {
		switch {
		case k == 0:
			return "none does"
		case k == 1 && noun != "":
			return "1 " + noun + " does"
		case k == 1:
			return "1 does"
		case noun != "":
			return fmt.Sprintf("%d %ss do", k, noun)
		}
		return fmt.Sprintf("%d do", k)
	}
	// Who is judged how: the regions targeted one by one (targetRegions)
	// by their own interval, every other region, those of a larger
	// group among them, with all tested together. The note said "the
	// targets are judged by their own interval" while the table called
	// the five regions of a group "could be chance among all regions".
	others := "Every region is coloured only when its"
	if len(targets) > 0 {
		others = "Regions other than those the scenario targets one by one are coloured only when their"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A region's 90 %% interval excludes zero by chance in one region in ten even where the scenario changes nothing: about %d of the %d. Here %s. %s difference stays clear with all %d tested together (Benjamini–Hochberg, false discovery rate %.0f %%): %s.",
		int(math.Round(float64(n)*(1-0.9))), n, count(own, ""), others, n, 100*compare.FalseDiscovery, count(kept, "region"))
	if len(targets) > 0 {
		fmt.Fprintf(&b, " The regions it targets one by one (those of an intervention of at most %d) are judged by their own interval, as in the key figures.", compare.MaxSingleTargets)
	}
	for _, g := range v.P.LargeInterventions(s) {
		fmt.Fprintf(&b, " The %d regions of %s, more than %d, are judged as any other region here; the group as a whole by its own interval in the key figures.",
			len(g.Regions), g.Name, compare.MaxSingleTargets)
	}
	return b.String()
}

// clearRegions says for every region whether scenario s's population
// difference in year index yi is shown as clear: a region the scenario
// targets by its own 90 % interval (a question asked beforehand), any
// other only if it stays clear when all regions are tested at once
// (compare.Result.ClearRegions). nil with one replicate.
func clearRegions(r *compare.Result, s, yi int) []bool {
	clear := r.ClearRegions(s, yi)
	if clear == nil {
		return nil
	}
	for _, i := range targetRegions(r.Plan, s) {
		clear[i] = !r.Delta(s, i, compare.Population, yi).Includes0()
	}
	return clear
}

// targetRegions are the regions scenario s's interventions target one by
// one: those of interventions with at most compare.MaxSingleTargets
// regions, a question asked of each beforehand. A larger group (27 regions
// of a county) is a question asked of the group, which has its own
// interval; its regions are tested together with all the others.
func targetRegions(p *compare.Plan, s int) []int {
	var out []int
	for _, iv := range p.Scenarios[s].Interventions {
		if len(iv.Regions) <= compare.MaxSingleTargets {
			out = append(out, iv.Regions...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MetricRows are every metric of focus unit u in the key year (flows: the
// year's before it).
func (v *view) MetricRows(s, u int) []row {
	yi := v.keyIndex()
	var out []row
	for m := range compare.NumMetrics {
		name := compare.MetricText[m]
		if m.Flow() {
			// A flow of the year before, next to stocks on 1 January,
			// named by its end as the report's other years of moves are
			// ("2025–2029": the moves recorded on 1 January of each).
			name += fmt.Sprintf(" (the year to 1 January %d)", v.KeyYear())
		}
		out = append(out, deltaRow(name, compare.MetricNames[m], v.R.Delta(s, u, m, yi), m, v.smallBase()))
	}
	return out
}

// components are the rows of the breakdown of the residents' difference
// (ComponentTables), before the residents' own: each a flow metric
// summed over the years (compare.Result.CumulativeDelta) and its name.
var components = []struct {
	m    compare.Metric
	name string
}{
	{compare.Births, "births"},
	{compare.Deaths, "deaths"},
	{compare.InDomestic, "moves in"},
	{compare.OutDomestic, "moves out"},
	{compare.NetDomestic, "net domestic moves"},
	{compare.Immigrants, "immigrants"},
	{compare.Emigrants, "emigrants"},
	{compare.NetInternational, "net international migration"},
}

// componentUnits is how many units a table of the breakdown has side by
// side (three columns each: difference, interval, judged).
const componentUnits = 3

// componentTable is the breakdown of the residents' difference of a few
// focus units from the start to the key year: a row per component, and
// for each unit its difference, 90 % interval and judgement (row's
// Difference, Interval and Verdict; Class "unclear" greys it).
type componentTable struct {
	Units []string
	Rows  []componentRow
	Total componentRow // the residents' difference
}

type componentRow struct {
	Name  string
	Cells []row
}

// ComponentTables break scenario s's residents' difference in the key
// year in each of its focus units (those of the key figures) into the
// births, deaths, moves in and out and immigrants and emigrants of the
// years since the start, each with its own interval: a unit with more net
// domestic moves in but fewer residents showed both in the key figures
// and the charts, and what made up the gap (net international migration)
// only by summing columns of deltas.csv. None when the key year is the
// start year, which has no flows.
func (v *view) ComponentTables(s int) []componentTable {
	yi := v.keyIndex()
	units := v.FocusUnits(s)
	if yi < 1 || len(units) == 0 {
		return nil
	}
	var out []componentTable
	for len(units) > 0 {
		k := min(componentUnits, len(units))
		t := componentTable{Total: componentRow{Name: "residents"}}
		for _, c := range components {
			t.Rows = append(t.Rows, componentRow{Name: c.name})
		}
		for _, u := range units[:k] {
			unit := &v.P.Units[u]
			t.Units = append(t.Units, unit.Name)
			for i, c := range components {
				t.Rows[i].Cells = append(t.Rows[i].Cells, deltaRow(c.name, compare.MetricNames[c.m], v.R.CumulativeDelta(s, u, c.m, yi), c.m, v.smallBase()))
			}
			t.Total.Cells = append(t.Total.Cells, deltaRow("residents", compare.MetricNames[compare.Population], v.R.Delta(s, u, compare.Population, yi), compare.Population, v.smallBase()))
		}
		out = append(out, t)
		units = units[k:]
	}
	return out
}

// ComponentSentences say, for each of scenario s's focus units whose
// largest component of the residents' difference (births, deaths, net
// domestic moves or net international migration, by what it adds to the
// residents) goes against that difference, what made up for it: "In
// Holmøy, 2025–2044, the scenario brought 1,450 more net domestic moves
// in, but 1,395 fewer net immigrants: 455 fewer residents on 1 January
// 2044 than the baseline (could be chance)." A figure whose interval
// includes zero says so, as the table does.
func (v *view) ComponentSentences(s int) []string {
	yi := v.keyIndex()
	if yi < 1 {
		return nil
	}
	var out []string
	for _, u := range v.FocusUnits(s) {
		if t := v.componentSentence(s, u, yi); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (v *view) componentSentence(s, u, yi int) string {
	c := func(m compare.Metric) compare.Delta { return v.R.CumulativeDelta(s, u, m, yi) }
	return componentText(v.P.Units[u].Name, v.ComponentYears(), v.KeyYear(), v.R.Delta(s, u, compare.Population, yi),
		c(compare.Births), c(compare.Deaths), c(compare.NetDomestic), c(compare.NetInternational))
}

// componentText is the sentence of componentSentence for unit over the
// years ("2025–2044") to the key year, of the residents' difference res
// and its parts, or "".
func componentText(unit, years string, key int, res, births, deaths, netDomestic, netInternational compare.Delta) string {
	total := compare.RoundCount(res.Difference)
	if total == 0 {
		return ""
	}
	// The parts, each with the sign of what it adds to the residents.
	type part struct {
		d           compare.Delta
		sign        float64
		more, fewer string // "%s more births" …
	}
	parts := []part{
		{births, 1, "%s more births", "%s fewer births"},
		{deaths, -1, "%s more deaths", "%s fewer deaths"},
		{netDomestic, 1, "%s more net domestic moves in", "%s fewer net domestic moves in"},
		{netInternational, 1, "%s more net immigrants", "%s fewer net immigrants"},
	}
	adds := func(p part) float64 { return p.sign * compare.RoundCount(p.d.Difference) }
	lead := 0
	for i, p := range parts {
		if math.Abs(adds(p)) > math.Abs(adds(parts[lead])) {
			lead = i
		}
	}
	if adds(parts[lead])*total >= 0 {
		return "" // it goes with the residents' difference (or is zero)
	}
	text := func(p part) string {
		f := p.fewer
		if p.d.Difference > 0 {
			f = p.more
		}
		return fmt.Sprintf(f, compare.Count(math.Abs(p.d.Difference))) + chanceNote(p.d)
	}
	var against []part
	for _, p := range parts {
		if adds(p)*total > 0 {
			against = append(against, p)
		}
	}
	if len(against) == 0 {
		return ""
	}
	slices.SortStableFunc(against, func(a, b part) int { return cmpAbs(adds(b), adds(a)) })
	var list []string
	for _, p := range against {
		list = append(list, text(p))
	}
	joined := phrase.And(list)
	residents := "more"
	if total < 0 {
		residents = "fewer"
	}
	return fmt.Sprintf("In %s, %s, the scenario brought %s, but %s: %s %s residents on 1 January %d than the baseline%s.",
		unit, years, text(parts[lead]), joined, compare.Count(math.Abs(res.Difference)), residents, key, chanceNote(res))
}

// ComponentYears are the years of the breakdown's flows: "2025–2044",
// or "2025" when the key year is the first with flows.
func (v *view) ComponentYears() string {
	if v.FirstFlowYear() >= v.KeyYear() {
		return fmt.Sprint(v.KeyYear())
	}
	return fmt.Sprintf("%d–%d", v.FirstFlowYear(), v.KeyYear())
}

// chanceNote is " (could be chance)" for a difference whose interval
// includes zero, "" otherwise (and with one replicate, no interval).
func chanceNote(d compare.Delta) string {
	if d.Replicates > 1 && d.Includes0() {
		return " (" + verdictChance + ")"
	}
	return ""
}

// cmpAbs compares |a| with |b|.
func cmpAbs(a, b float64) int {
	switch a, b := math.Abs(a), math.Abs(b); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// flowTable is the difference in net moves into a focus unit by age group
// (rows) and motive (columns) over the run.
type flowTable struct {
	Focus   int // the focus unit (index into Plan.Focus)
	Unit    string
	Motives []string
	Rows    []flowRow
	Total   flowRow
}

type flowRow struct {
	Age   string
	Cells []flowCell
}

type flowCell struct {
	Text string
	// Interval is the cell's 90 % interval ("-71 to +423"; "" with one
	// replicate), on a line of its own under Text. It was the title
	// shown on hovering, which a table pasted into a memo or printed
	// loses.
	Interval string
	Style    template.CSS
}

// FlowTables gives scenario s's change in net moves into each of its
// targets by age group and motive over the run. A cell is coloured, blue
// for more net moves in and red for fewer, with a strength by its size
// among the cells, only when its difference stays clear with all the
// table's cells tested together (compare.Result.ClearFlowCells; every cell
// with one run per scenario, which has no test): with 56 cells tested one by
// one, about five would show a difference by chance.
func (v *view) FlowTables(s int) []flowTable {
	var out []flowTable
	for _, f := range v.P.ScenarioFocus(s) {
		u := v.P.Focus[f]
		if v.P.Units[u].Level == compare.LevelNation {
			continue // moves between its own regions cancel: a table of zeros
		}
		clearCells := v.R.ClearFlowCells(s, f)
		m := 0.0
		for g := range record.NumAgeGroups {
			for k := range record.NumMotives {
				m = math.Max(m, math.Abs(v.R.FlowDelta(s, f, g, k).Difference))
			}
		}
		t := flowTable{Focus: f, Unit: v.P.Units[u].Name}
		for k := range record.NumMotives {
			t.Motives = append(t.Motives, compare.MotiveLabel[k])
		}
		t.Motives = append(t.Motives, "all motives")
		for g := 0; g <= compare.AllAges; g++ {
			r := flowRow{Age: "all ages"}
			if g < compare.AllAges {
				r.Age = record.AgeGroupNames[g]
			}
			for k := 0; k <= compare.AllMotives; k++ {
				d := v.R.FlowDelta(s, f, g, k)
				c := flowCell{Text: compare.Signed(d.Difference)}
				if !math.IsNaN(d.Lo) {
					c.Interval = compare.Signed(d.Lo) + " to " + compare.Signed(d.Hi)
				}
				distinct := clearCells == nil || clearCells[g][k]
				if g < compare.AllAges && k < compare.AllMotives && m > 0 && distinct {
					a := math.Max(math.Min(math.Abs(d.Difference)/m, 1)*0.6, 0.08)
					if d.Difference > 0 {
						c.Style = template.CSS(fmt.Sprintf("background: rgba(33,102,172,%.2f)", a))
					} else if d.Difference < 0 {
						c.Style = template.CSS(fmt.Sprintf("background: rgba(178,24,43,%.2f)", a))
					}
				} else if !distinct {
					c.Style = "color: #888"
				}
				r.Cells = append(r.Cells, c)
			}
			if g == compare.AllAges {
				t.Total = r
			} else {
				t.Rows = append(t.Rows, r)
			}
		}
		out = append(out, t)
	}
	return out
}

// attractRow is a unit's decomposition over the run.
type attractRow struct {
	Name                                      string
	BaseNet, BaseExplained, BaseAttract       string
	ScenNet, ScenExplained, ScenAttract       string
	DiffAttract, Interval, DiffNet, DiffClass string
}

func (v *view) AttractRows(s int) []attractRow {
	var out []attractRow
	units := v.FocusUnits(s)
	for u := range v.P.Units {
		if v.P.Units[u].Level == compare.LevelCentrality {
			units = append(units, u)
		}
	}
	for _, u := range units {
		b, sc := v.R.Decomposition(0, u), v.R.Decomposition(s, u)
		d := v.R.DecompositionDelta(s, u, compare.Attractiveness)
		dn := v.R.DecompositionDelta(s, u, compare.NetDomestic)
		row := attractRow{Name: v.P.Units[u].Name,
			BaseNet: compare.Signed(b.NetDomestic), BaseExplained: compare.Signed(b.Explained), BaseAttract: compare.Signed(b.Attractiveness),
			ScenNet: compare.Signed(sc.NetDomestic), ScenExplained: compare.Signed(sc.Explained), ScenAttract: compare.Signed(sc.Attractiveness),
			DiffAttract: compare.Signed(d.Difference), DiffNet: compare.Signed(dn.Difference), Interval: "–"}
		if d.Replicates > 1 {
			row.Interval = compare.Count(d.Lo) + " to " + compare.Count(d.Hi)
			if d.Includes0() {
				row.DiffClass = "unclear"
			}
		}
		out = append(out, row)
	}
	return out
}

// ModelText describes the yearly regressions of scenario s in words.
func (v *view) ModelText(s int) string {
	return modelText(v.P.Scenarios[s].Name, v.R.Models(s))
}

// modelText is ModelText for the scenario name and its yearly models (the
// first year has none).
func modelText(name string, ms []compare.Model) string {
	slope, r2, ok := meanModel(ms)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s: on average over the years, a region whose jobs grew one percentage point faster than the nation's had %.3f percentage points more net domestic migration (mean slope; mean R² %.2f).",
		name, slope, r2)
}

// meanModel returns the mean slope and R² of the yearly models (the first
// year has none); ok is false when there are none.
func meanModel(ms []compare.Model) (slope, r2 float64, ok bool) {
	n := len(ms) - 1
	if n <= 0 {
		return 0, 0, false
	}
	for _, m := range ms[1:] {
		slope += m.Slope
		r2 += m.R2
	}
	return slope / float64(n), r2 / float64(n), true
}

// WeakModel says, once for the baseline and scenario s together, when job
// growth explains almost none of the migration in either (mean R² below
// WeakModelR2), so that the split into explained and attractiveness means
// little; "" otherwise.
func (v *view) WeakModel(s int) string {
	if !weakModel(v.R.Models(0)) && !weakModel(v.R.Models(s)) {
		return ""
	}
	return "Job growth explains almost none of the migration here, so nearly all of it falls to attractiveness: read the split with care (in a small sample the regions' job growth is mostly chance; a larger scale helps)."
}

// weakModel reports whether the yearly models' mean R² is below
// WeakModelR2.
func weakModel(ms []compare.Model) bool {
	_, r2, ok := meanModel(ms)
	return ok && r2 < WeakModelR2
}

// WeakModelR2 is the mean R² of the attractiveness model below which the
// report warns that job growth explains too little for the split into
// explained and attractiveness to mean much (Telemarksforsking's model of
// Norway's municipalities had an R² of about 0.2).
const WeakModelR2 = 0.1

// runView is a run's manifest for the table.
type runView struct {
	Scenario  string
	Replicate int
	Seed      uint64
	Workers   int
	Seconds   string
	SHA       string
	Command   string
	JSON      string
	Dir       string
}

func (v *view) Runs() []runView {
	m := v.R.Manifest()
	var out []runView
	for _, run := range m.Runs {
		b, _ := json.MarshalIndent(run.Manifest, "", "  ")
		out = append(out, runView{Scenario: run.Scenario, Replicate: run.Replicate, Seed: run.Seed,
			Workers: run.Manifest.Workers, Seconds: fmt.Sprintf("%.1f", run.Manifest.EndTime.Sub(run.Manifest.StartTime).Seconds()),
			SHA: run.Manifest.ScenarioSHA256[:min(12, len(run.Manifest.ScenarioSHA256))], Command: strings.Join(run.Manifest.CommandLine, " "),
			JSON: string(b), Dir: run.Dir})
	}
	return out
}

func (v *view) CompareJSON() string {
	m := v.R.Manifest()
	m.Runs = nil
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b)
}

// Duration is the time of the runs, as the terminal gives it (compare.Result.RunTime).
func (v *view) Duration() string { return compare.Seconds(v.R.RunTime()) }

func (v *view) Interval() string { return compare.IntervalDescription }

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"svg": func(b []byte) template.HTML { return template.HTML(b) },
}).Parse(pageTemplate))
