package compare

import (
	"cmp"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/settle-sim/settle/sim/record"
)

// Result holds the aggregated figures of a comparison: for every scenario,
// unit, metric and year the mean over the replicates and, against the
// baseline, the mean of the paired differences with its spread.
type Result struct {
	Plan       *Plan
	Start, End time.Time
	YearList   []int // the years of the rows: the start year, then each simulated year
	Runs       []Run // in the order they ran: replicate by replicate, scenario by scenario

	level, diff   []*welford // per scenario: [metric][unit][year]
	flows         []*welford // per scenario: [focus][year][age group][motive]
	pyramids      []*welford // per scenario: [start/end][focus][sex][group]
	totals        []*welford // per scenario: [total][unit]
	totalDiff     []*welford
	runFlows      []*welford // per scenario: [focus][age group or AllAges][motive or AllMotives], over the run
	runFlowDiff   []*welford
	cumDiff       []*welford // per scenario: [cumMetrics][unit][year], flows summed from the start
	models        [][]Model  // per scenario and year: the mean over replicates
	tcrit         float64
	tcritComputed bool
}

// RunTime is how long the runs took, from the start of the first to the
// end of the last, without writing the tables, charts and report: the
// figure the terminal and report.html both give (Seconds). They gave two
// different ones (the terminal's included the writing), 25.2 s against
// 19.9 s, and a reader could not tell which to believe.
func (r *Result) RunTime() time.Duration { return r.End.Sub(r.Start) }

// Delta is a difference between a scenario and the baseline.
type Delta struct {
	Baseline, Scenario float64 // means over the replicates
	Difference         float64 // the mean of the paired differences (= Scenario − Baseline up to rounding)
	// Lo and Hi are its 90 % interval, Difference ± t(0.95, n−1)·
	// max(SD, Step)/√n; NaN with one replicate.
	Lo, Hi float64
	SD     float64 // standard deviation of the paired differences, as observed; NaN with one replicate
	// Step is the least spread the interval and the test (PValue) take:
	// one simulated person (1/scale) for a count, whose differences come
	// in such steps; 0 for a figure that is not a count (the price level,
	// the attractiveness decomposition's explained part and
	// attractiveness) and for a count that is the same in every pair of
	// runs (every paired difference zero: no difference).
	Step       float64
	Replicates int
}

// Includes0 reports whether the interval contains zero (true when there is
// no interval).
func (d Delta) Includes0() bool { return !(d.Lo > 0 || d.Hi < 0) }

// PValue is the two-sided p-value of the paired t-test that the mean
// difference is zero (NaN with one replicate): the chance of a difference
// at least this far from zero, relative to its spread, if the scenario
// changed nothing. The spread is taken as at least Step, as the interval
// takes it: the p-value is below 0.1 exactly when the interval excludes
// zero.
func (d Delta) PValue() float64 {
	sd := max(d.SD, d.Step)
	switch {
	case d.Replicates < 2 || math.IsNaN(sd):
		return math.NaN()
	case sd == 0 && d.Difference == 0:
		return 1
	case sd == 0:
		return 0
	}
	t := math.Abs(d.Difference) / (sd / math.Sqrt(float64(d.Replicates)))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(d.Replicates - 1)}.Survival(t)
}

// NoDifference is how close to zero (in persons) the mean and the spread
// of a figure's paired differences must be for the figure to count as the
// same in every pair of runs (Delta: a difference and an interval of
// exactly 0, Step 0): a group's sums of regions and the attractiveness
// regression leave rounding of this order in what is zero.
const NoDifference = 1e-6

// FalseDiscovery is the false discovery rate of ClearRegions: as the 90 %
// intervals, a tenth.
const FalseDiscovery = 0.1

// ClearRegions reports for every region of the world whether scenario s's
// population difference in year index yi stays clear when all the
// world's regions are tested at once: the Benjamini–Hochberg procedure
// (1995) at the false discovery rate FalseDiscovery, so that of the
// regions it marks a tenth or fewer are expected to differ by chance. A
// region's own 90 % interval excludes zero by chance in one region in ten
// where the scenario changes nothing, dozens of Norway's 357; this is the
// test for "which regions did it change" over the whole map. The spread of
// a region's differences counts as at least one simulated person, as in
// its interval (Delta.Step). It returns nil with one replicate (no test).
func (r *Result) ClearRegions(s, yi int) []bool {
	if r.Plan.Replicates < 2 {
		return nil
	}
	p := make([]float64, r.Plan.World.N())
	for u := range p {
		p[u] = r.Delta(s, u, Population, yi).PValue()
	}
	return benjaminiHochberg(p, FalseDiscovery)
}

// ClearFlowCells reports for each cell of scenario s's net moves into
// focus unit f over the run, by age group (and AllAges) and motive (and
// AllMotives), whether its difference can be told from chance. The total
// (all ages, all motives), the question asked of the unit, is judged by
// its own 90 % interval; the other 55 cells, its breakdown, only when they
// stay clear tested together (Benjamini–Hochberg at FalseDiscovery, each
// spread at least one simulated person, as in its interval): one by one at
// 90 %, about five would look clear by chance. Nil with one replicate.
func (r *Result) ClearFlowCells(s, f int) [][]bool {
	if r.Plan.Replicates < 2 {
		return nil
	}
	var p []float64
	for g := 0; g <= AllAges; g++ {
		for m := 0; m <= AllMotives; m++ {
			if g == AllAges && m == AllMotives {
				continue // the total: its own interval, below
			}
			p = append(p, r.FlowDelta(s, f, g, m).PValue())
		}
	}
	bh := append(benjaminiHochberg(p, FalseDiscovery), !r.FlowDelta(s, f, AllAges, AllMotives).Includes0())
	out := make([][]bool, AllAges+1)
	for g := range out {
		out[g] = bh[g*(AllMotives+1) : (g+1)*(AllMotives+1)]
	}
	return out
}

// benjaminiHochberg marks the hypotheses rejected at false discovery rate
// q: with the p-values in ascending order, the first k, k the largest rank
// whose p-value is at most k/m·q (m hypotheses). A NaN counts as 1.
func benjaminiHochberg(p []float64, q float64) []bool {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	pv := func(i int) float64 {
		if math.IsNaN(p[i]) {
			return 1
		}
		return p[i]
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pv(a), pv(b)) })
	k := 0
	for rank, i := range order {
		if pv(i) <= float64(rank+1)/float64(m)*q {
			k = rank + 1
		}
	}
	out := make([]bool, m)
	for _, i := range order[:k] {
		out[i] = true
	}
	return out
}

func (r *Result) t90() float64 {
	if !r.tcritComputed {
		r.tcrit = tQuantile(r.Plan.Replicates)
		r.tcritComputed = true
	}
	return r.tcrit
}

func (r *Result) index(u int, m Metric, yi int) int {
	return (int(m)*len(r.Plan.Units)+u)*len(r.YearList) + yi
}

// YearIndex returns the row index of year, or −1.
func (r *Result) YearIndex(year int) int {
	i := year - r.Plan.StartYear
	if i < 0 || i >= len(r.YearList) {
		return -1
	}
	return i
}

// LastYear returns the last simulated year.
func (r *Result) LastYear() int { return r.YearList[len(r.YearList)-1] }

// Delta returns scenario s (≥ 1) against the baseline for unit u, metric m
// and year index yi.
func (r *Result) Delta(s, u int, m Metric, yi int) Delta {
	i := r.index(u, m, yi)
	return r.delta(r.level[0].mean[i], r.level[s].mean[i], r.diff[s], i, m.Stepped())
}

// delta is the difference of cell i of d, with the means base and scen.
// A count's (stepped) interval takes the spread of its paired differences
// as at least one simulated person, 1/scale real ones, the step in which
// its differences come: two replicates that differ from their baselines
// by the same one or two simulated persons have a spread of 0, and their
// interval was a point ("+22 to +22", clear) that says the effect is
// known to the person. The floor makes the interval the test's (ClearRegions
// and ClearFlowCells took the spread so, the interval did not): it
// excludes zero exactly when the test calls the difference clear. A count
// the same in every pair of runs (every paired difference zero: before an
// intervention acts, or a figure it does not change) keeps the interval 0
// to 0, no difference; so does any figure whose paired differences are
// all within NoDifference of zero, rounding in sums of the same numbers
// in another order (a group's net moves), whose spread of 1e-13 made a
// difference of 1e-12 clear.
func (r *Result) delta(base, scen float64, d *welford, i int, stepped bool) Delta {
	out := Delta{Baseline: base, Scenario: scen, Difference: d.mean[i], SD: d.sd(i), Replicates: d.n}
	switch {
	case d.n > 1 && math.Abs(out.Difference) < NoDifference && out.SD < NoDifference:
		out.Difference, out.SD = 0, 0
	case stepped && d.n > 1:
		out.Step = 1 / r.Plan.Scale
	}
	half := r.t90() * max(out.SD, out.Step) / math.Sqrt(float64(d.n))
	out.Lo, out.Hi = out.Difference-half, out.Difference+half
	return out
}

// Level returns the mean over the replicates of scenario s (0 = baseline)
// for unit u, metric m and year index yi, and the 90 % interval of that mean
// (NaN with one replicate).
func (r *Result) Level(s, u int, m Metric, yi int) (mean, lo, hi float64) {
	i := r.index(u, m, yi)
	a := r.level[s]
	mean = a.mean[i]
	half := r.t90() * a.sd(i) / math.Sqrt(float64(a.n))
	return mean, mean - half, mean + half
}

// CumulativeDelta returns scenario s (≥ 1) against the baseline for flow
// metric m (births, deaths, the moves, net migration …) of unit u summed
// over the years after the start up to and including year index yi: the
// flows of the years FirstFlowYear … YearList[yi], from 1 January of the
// start year to 1 January of YearList[yi]. The difference and its interval
// are those of the paired differences of each replicate's sums, as Delta's
// are of one year's: the interval of a sum is not the sum of the years'
// intervals (the years of a run vary together). Since paired runs start
// alike, the residents' difference in year yi, Delta(s, u, Population,
// yi), is CumulativeDelta's of Births − Deaths + NetDomestic +
// NetInternational, up to rounding. It panics for a stock.
func (r *Result) CumulativeDelta(s, u int, m Metric, yi int) Delta {
	k := cumIndex[m]
	if k < 0 {
		panic("compare: CumulativeDelta of the stock " + MetricNames[m])
	}
	base, scen := 0.0, 0.0
	for y := 1; y <= yi; y++ {
		i := r.index(u, m, y)
		base += r.level[0].mean[i]
		scen += r.level[s].mean[i]
	}
	i := (k*len(r.Plan.Units)+u)*len(r.YearList) + yi
	return r.delta(base, scen, r.cumDiff[s], i, m.Stepped())
}

// Flows returns the mean net moves into focus unit f (an index into
// Plan.Focus) of scenario s by age group and motive, summed over the years
// after the start up to year index yi.
func (r *Result) Flows(s, f, yi int) [record.NumAgeGroups][record.NumMotives]float64 {
	var out [record.NumAgeGroups][record.NumMotives]float64
	a := r.flows[s]
	for y := 1; y <= yi; y++ {
		base := (f*len(r.YearList) + y) * flowCells
		for g := range record.NumAgeGroups {
			for m := range record.NumMotives {
				out[g][m] += a.mean[base+g*record.NumMotives+m]
			}
		}
	}
	return out
}

// FlowDelta returns scenario s (≥ 1) against the baseline for the net
// moves into focus unit f (an index into Plan.Focus) over the run, in age
// group g (AllAges: every age) with motive m (AllMotives: every motive),
// with the 90 % interval of the mean paired difference.
func (r *Result) FlowDelta(s, f, g, m int) Delta {
	i := f*runFlowCells + g*(record.NumMotives+1) + m
	return r.delta(r.runFlows[0].mean[i], r.runFlows[s].mean[i], r.runFlowDiff[s], i, true)
}

// Pyramid returns the mean residents of focus unit f in scenario s by sex
// (0 women, 1 men) and five-year age group, in the first year or (end) the
// last.
func (r *Result) Pyramid(s, f int, end bool) [2][PyramidGroups]float64 {
	var out [2][PyramidGroups]float64
	nf := len(r.Plan.Focus)
	off := 0
	if end {
		off = nf * 2 * PyramidGroups
	}
	for sx := range 2 {
		for g := range PyramidGroups {
			out[sx][g] = r.pyramids[s].mean[off+(f*2+sx)*PyramidGroups+g]
		}
	}
	return out
}

// Models returns the attractiveness regression of each year of scenario s,
// averaged over the replicates (the start year's is zero).
func (r *Result) Models(s int) []Model { return r.models[s] }

// Decomposition is net domestic migration of a unit over the whole run split
// into what job growth explains and the residual attractiveness (means over
// the replicates).
type Decomposition struct {
	NetDomestic, Explained, Attractiveness float64
}

// Decomposition returns unit u's split in scenario s over the run.
func (r *Result) Decomposition(s, u int) Decomposition {
	nu := len(r.Plan.Units)
	m := r.totals[s].mean
	return Decomposition{m[totalNetDomestic*nu+u], m[totalExplained*nu+u], m[totalAttractiveness*nu+u]}
}

// DecompositionDelta returns scenario s (≥ 1) against the baseline for one
// part of unit u's split over the run: metric is NetDomestic,
// ExplainedByJobs or Attractiveness.
func (r *Result) DecompositionDelta(s, u int, metric Metric) Delta {
	k := -1
	for i, m := range totalMetrics {
		if m == metric {
			k = i
		}
	}
	if k < 0 {
		panic("compare: DecompositionDelta of " + MetricNames[metric])
	}
	i := k*len(r.Plan.Units) + u
	return r.delta(r.totals[0].mean[i], r.totals[s].mean[i], r.totalDiff[s], i, metric.Stepped())
}
