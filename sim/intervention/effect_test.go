package intervention_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// The replicated effect tests (issue 4): every intervention kind with a
// mechanism changes the model in the expected direction against the
// baseline, clearly against the spread of replicates, and by about the
// expected amount where one can be stated.
//
// Each kind is one entry of effectCases: a Norwegian case as
// [[intervention]] TOML, and one or more checks, each a metric of a run in
// real units (sampled counts × 1/scale) with the expected sign and,
// optionally, an expected size. For replicate k = 1 … effectK the baseline
// and the intervention run with seed k (common random numbers: Apply draws
// no random numbers and the submodels draw from streams keyed by year,
// stage and chunk, so the pair starts out identical). A check is on the
// paired differences d_k = metric(intervention_k) − metric(baseline_k):
//
//   - the mean has the expected sign and is at least effectMinT standard
//     errors (sd(d)/√K) from zero;
//   - no replicate is on the wrong side of zero by more than half the mean
//     (one lucky run cannot carry the mean);
//   - where a size is stated, the mean is within [lo, hi] × that size.
//
// Every run is made once: the baseline replicates are shared by every case
// at the same scale (as is a background that several cases share, see
// effectCase.background; a case with its own scale runs its own baseline),
// and each run is measured by every check that needs it as soon as it
// ends, so no state is kept. TestEffects logs a table of the measured
// effects:
//
//	go test -v -run TestEffects ./sim/intervention/
//
// To test a new kind, add one effectCase (TestEffectsCoverEveryKind asks
// for it once the kind has a mechanism).

// The common design: Norway at 5 % for five years from 1 January 2024,
// K = 6 replicates (remote work at 20 %); about 50 s on two cores.
const (
	effectWorld = "norway-2024"
	effectStart = 2024 // the world's start year; from_year in the cases
	effectScale = 0.05
	effectYears = 5
	effectK     = 6
	// effectMinT is the least |mean| / SE of the paired differences.
	effectMinT = 3
)

// effectCase is one intervention kind's effect test.
type effectCase struct {
	kind string // the kind tested
	// name is the subtest's name and the table's label when a kind has
	// several cases; "" means kind.
	name string
	what string // the case in words, for the log
	// background holds [[intervention]] entries in force in both arms (""
	// for the plain baseline), for a kind whose effect needs another
	// (broadband enables remote work). Arms are run once per text, so a
	// background that is another case's entries costs nothing.
	background string
	// entries are the intervention's [[intervention]] entries (TOML for
	// norway-2024, from_year 2024 at the earliest). The regions they
	// target (the union over the entries) are effectEnv.targets.
	entries string
	// scale is the sample of the case's arms; 0 means effectScale. A
	// larger one for an effect that is small against sampling noise.
	scale  float64
	checks []effectCheck
}

// sample returns the scale of the case's arms.
func (c *effectCase) sample() float64 {
	if c.scale == 0 {
		return effectScale
	}
	return c.scale
}

// armKey names an arm: its entries at a scale.
func armKey(scale float64, text string) string {
	if scale == effectScale {
		return text
	}
	return fmt.Sprintf("scale %g\n%s", scale, text)
}

// effectCheck is one metric of a case and what is expected of it.
type effectCheck struct {
	metric  string                                   // what is measured, for the table
	measure func(e *effectEnv, r *effectRun) float64 // real units
	sign    int                                      // expected sign of the effect: +1 or −1
	// size, when not nil, returns the expected mean effect (real units)
	// and the accepted range as factors of it.
	size func(e *effectEnv) (want, lo, hi float64)
	// known, when not "", says why the check fails today (a mechanism that
	// lacks a channel, a calibration that is off). The check is still
	// made: while it fails it is skipped with the measured numbers; once
	// it passes the test fails, so that the note is removed.
	known string
}

// effectEnv is what a metric may know about its case.
type effectEnv struct {
	w       *world.World
	targets []int   // the regions the case's entries target, sorted
	weight  float64 // 1/scale: sampled counts to real units
}

// effectRun is one finished replicate: the record of every simulated year
// (the start row left out) and the final state.
type effectRun struct {
	years []record.Year
	sim   *engine.Sim
}

// last returns the record of the last simulated year (the stocks on
// 1 January after the last step).
func (r *effectRun) last() *record.Year { return &r.years[len(r.years)-1] }

// effectRef names one check of one case.
type effectRef struct{ c, ch int }

// effectLab runs arms (an arm: the replicates of one set of entries) and
// keeps, per arm, the value of every check that compares against it.
type effectLab struct {
	w    *world.World
	envs []*effectEnv           // per case
	uses map[string][]effectRef // per arm text: the checks measured on it
	mu   sync.Mutex
	done map[string]map[effectRef][]float64 // per arm text: values by replicate
}

var effectLabOnce = sync.OnceValues(func() (*effectLab, error) {
	w, err := world.Load(effectWorld, "")
	if err != nil {
		return nil, err
	}
	if w.StartYear != effectStart {
		return nil, fmt.Errorf("%s starts in %d, the cases in %d: update effectStart and the cases' from_year", effectWorld, w.StartYear, effectStart)
	}
	l := &effectLab{w: w, uses: map[string][]effectRef{}, done: map[string]map[effectRef][]float64{}}
	for c := range effectCases {
		ec := &effectCases[c]
		sc, err := l.parse(ec.entries, ec.sample())
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", ec.label(), err)
		}
		env := &effectEnv{w: w, weight: 1 / ec.sample()}
		for _, sp := range sc.Interventions {
			env.targets = append(env.targets, sp.Regions...)
		}
		slices.Sort(env.targets)
		env.targets = slices.Compact(env.targets)
		l.envs = append(l.envs, env)
		for ch := range ec.checks {
			ref := effectRef{c, ch}
			base, scen := armKey(ec.sample(), ec.background), armKey(ec.sample(), ec.background+ec.entries)
			l.uses[base] = append(l.uses[base], ref)
			l.uses[scen] = append(l.uses[scen], ref)
		}
	}
	return l, nil
})

// label returns the case's name in the table and its subtest.
func (c *effectCase) label() string {
	label := c.kind
	if c.name != "" {
		label = c.name
	}
	if c.sample() != effectScale {
		label += fmt.Sprintf(" (scale %g)", c.sample())
	}
	return label
}

// parse resolves [[intervention]] entries against the lab's world.
func (l *effectLab) parse(entries string, scale float64) (*scenario.Scenario, error) {
	text := fmt.Sprintf("[scenario]\nname = \"effect\"\nworld = %q\nyears = %d\nscale = %g\n%s", effectWorld, effectYears, scale, entries)
	sc, err := scenario.Parse("effect.toml", []byte(text))
	if err == nil {
		err = sc.Resolve(l.w)
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, text)
	}
	return sc, nil
}

// arm returns the values of the checks measured on the arm with entries
// text at scale, running its effectK replicates (seeds 1 … effectK) on
// first use.
func (l *effectLab) arm(t testing.TB, scale float64, text string) map[effectRef][]float64 {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	key := armKey(scale, text)
	if v, ok := l.done[key]; ok {
		return v
	}
	sc, err := l.parse(text, scale)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config(l.w)
	v := map[effectRef][]float64{}
	for k := 0; k < effectK; k++ {
		cfg.Seed = uint64(k + 1)
		sim, err := engine.New(l.w, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := &effectRun{sim: sim}
		for y := 0; y < effectYears; y++ {
			r.years = append(r.years, cloneYear(sim.Step()))
		}
		for _, ref := range l.uses[key] {
			m := effectCases[ref.c].checks[ref.ch].measure
			v[ref] = append(v[ref], m(l.envs[ref.c], r))
		}
	}
	l.done[key] = v
	return v
}

func cloneYear(y *record.Year) record.Year {
	c := *y
	c.Regions = slices.Clone(y.Regions)
	c.Flows = slices.Clone(y.Flows)
	for s := range c.Population {
		c.Population[s] = slices.Clone(y.Population[s])
		c.Moves[s] = slices.Clone(y.Moves[s])
	}
	return c
}

// effectResult is one row of the table.
type effectResult struct {
	kind, metric string
	base         float64 // mean of the metric over the baseline replicates
	mean, se, ci float64 // mean paired difference, its SE, half-width of the 95 % interval
	size, note   string
}

// paired summarises paired differences d (at least two): their mean, its
// standard error and the half-width of its 95 % confidence interval
// (Student's t with len(d) − 1 degrees of freedom).
func paired(d []float64) (mean, se, ci float64) {
	mean, sd := stat.MeanStdDev(d, nil)
	se = sd / math.Sqrt(float64(len(d)))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(0.975)
	return mean, se, q * se
}

func TestEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("runs norway-2024 at 5 % for five years about 100 times (about a minute)")
	}
	lab, err := effectLabOnce()
	if err != nil {
		t.Fatal(err)
	}
	var rows []effectResult
	for c := range effectCases {
		ec := &effectCases[c]
		t.Run(ec.label(), func(t *testing.T) {
			if !intervention.Available(ec.kind) {
				t.Fatalf("kind %s has no mechanism: remove its case, or add the mechanism", ec.kind)
			}
			base := lab.arm(t, ec.sample(), ec.background)
			scen := lab.arm(t, ec.sample(), ec.background+ec.entries)
			for ch := range ec.checks {
				ref := effectRef{c, ch}
				t.Run(ec.checks[ch].metric, func(t *testing.T) {
					checkEffect(t, lab.envs[c], ec, &ec.checks[ch], base[ref], scen[ref], &rows)
				})
			}
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "measured effects: %s at scale %g (where the kind gives no other), %d years from %d, K = %d replicates (seeds 1–%d, common random numbers);\n",
		effectWorld, effectScale, effectYears, effectStart, effectK, effectK)
	fmt.Fprintf(&b, "Δ = intervention − baseline in real units (sampled counts / scale), mean ± half-width of its 95 %% interval, SE, t = mean/SE\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tmetric\tbaseline\tΔ\t± 95 %\tSE\tt\tΔ/baseline\tsize\tnote")
	for _, r := range rows {
		rel := ""
		if r.base != 0 {
			rel = fmt.Sprintf("%+.1f %%", 100*r.mean/math.Abs(r.base))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%+.0f\t%.0f\t%.0f\t%.1f\t%s\t%s\t%s\n",
			r.kind, r.metric, r.base, r.mean, r.ci, r.se, r.mean/r.se, rel, r.size, r.note)
	}
	tw.Flush()
	t.Log("\n" + b.String())
}

// checkEffect tests one check on the paired replicates and adds its row.
func checkEffect(t *testing.T, env *effectEnv, ec *effectCase, ch *effectCheck, base, scen []float64, rows *[]effectResult) {
	res := effectResult{kind: ec.label(), metric: ch.metric, base: stat.Mean(base, nil)}
	d := make([]float64, len(base))
	for k := range d {
		d[k] = scen[k] - base[k]
	}
	res.mean, res.se, res.ci = paired(d)
	// crn is the spread of the differences against that of two
	// independent runs (√2 × the baseline's spread): below 1, common random
	// numbers sharpen the comparison.
	crn := "n/a (the baseline does not vary)"
	if sb := stat.StdDev(base, nil); sb > 0 {
		crn = fmt.Sprintf("%.2f", stat.StdDev(d, nil)/(math.Sqrt2*sb))
	}
	t.Logf("%s: %s: baseline %.0f, Δ by replicate %.0f: mean %+.0f ± %.0f (95 %%), SE %.0f, t %.1f; sd(Δ)/(√2·sd(baseline)) %s",
		ec.what, ch.metric, res.base, d, res.mean, res.ci, res.se, res.mean/res.se, crn)
	var fails []string
	sign := float64(ch.sign)
	if !(sign*res.mean > 0 && sign*res.mean >= effectMinT*res.se) {
		fails = append(fails, fmt.Sprintf("mean effect %+.0f with SE %.0f: want sign %+d and at least %d standard errors from zero",
			res.mean, res.se, ch.sign, effectMinT))
	}
	for k := range d {
		if sign*d[k] < -0.5*math.Abs(res.mean) {
			fails = append(fails, fmt.Sprintf("replicate %d (seed %d) has Δ = %+.0f, of the wrong sign by more than half the mean %+.0f",
				k+1, k+1, d[k], res.mean))
		}
	}
	if ch.size != nil {
		want, lo, hi := ch.size(env)
		f := res.mean / want
		res.size = fmt.Sprintf("%.2f× %.0f", f, want)
		if !(f >= lo && f <= hi) {
			fails = append(fails, fmt.Sprintf("mean effect %+.0f is %.2f× the expected %.0f: want %g–%g×", res.mean, f, want, lo, hi))
		}
	}
	if len(fails) > 0 && ch.known != "" {
		res.note = "known: " + ch.known
	}
	*rows = append(*rows, res)
	switch {
	case ch.known == "":
		for _, f := range fails {
			t.Errorf("%s: %s: %s", ec.what, ch.metric, f)
		}
	case len(fails) > 0:
		t.Skipf("known to fail (%s): %s", ch.known, strings.Join(fails, "; "))
	default:
		t.Errorf("%s: %s passes now, though marked known to fail (%s): remove known", ec.what, ch.metric, ch.known)
	}
}

// Every kind with a mechanism has an effect test.
func TestEffectsCoverEveryKind(t *testing.T) {
	for _, k := range intervention.KindNames() {
		if intervention.Available(k) && !slices.ContainsFunc(effectCases, func(c effectCase) bool { return c.kind == k }) {
			t.Errorf("kind %s has a mechanism but no effect test: add an effectCase", k)
		}
	}
}

// --- metrics (real units) ----------------------------------------------------

// in reports whether r is one of the sorted regions rs.
func in(rs []int, r int) bool {
	_, ok := slices.BinarySearch(rs, r)
	return ok
}

// flowSum sums a per-region flow (moves, emigrants …) of the regions over
// every simulated year.
func flowSum(e *effectEnv, r *effectRun, regions []int, f func(*record.Region) int64) float64 {
	var s int64
	for y := range r.years {
		for _, q := range regions {
			s += f(&r.years[y].Regions[q])
		}
	}
	return float64(s) * e.weight
}

// stockEnd sums a per-region stock of the regions at the end of the run.
func stockEnd(e *effectEnv, r *effectRun, regions []int, f func(*record.Region) int64) float64 {
	var s int64
	for _, q := range regions {
		s += f(&r.last().Regions[q])
	}
	return float64(s) * e.weight
}

// movesInto sums the moves into the regions over every simulated year:
// those of the given motive (−1: any), from outside the regions or, with
// inside, from anywhere (a return home from one target region to another
// is a return to the target area).
func movesInto(e *effectEnv, r *effectRun, regions []int, motive int, inside bool) float64 {
	var s int64
	for y := range r.years {
		for _, f := range r.years[y].Flows {
			if in(regions, int(f.Destination)) && (inside || !in(regions, int(f.Origin))) &&
				(motive < 0 || int(f.Motive) == motive) {
				s += f.Moves
			}
		}
	}
	return float64(s) * e.weight
}

// persons counts the living persons of the final state for which keep is
// true.
func persons(e *effectEnv, r *effectRun, keep func(p *population.Persons, i int) bool) float64 {
	p := &r.sim.State().Persons
	c := 0
	for i := 0; i < p.Len(); i++ {
		if p.Flags[i]&population.Alive != 0 && keep(p, i) {
			c++
		}
	}
	return float64(c) * e.weight
}

// byCentrality returns the regions in the given centrality classes.
func byCentrality(w *world.World, classes ...int) []int {
	var rs []int
	for r := range w.Regions {
		if slices.Contains(classes, w.Regions[r].Centrality) {
			rs = append(rs, r)
		}
	}
	return rs
}

// Metrics of the targets, for the table.

func targetPopulation(e *effectEnv, r *effectRun) float64 {
	return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.Population })
}

func targetNetDomestic(e *effectEnv, r *effectRun) float64 {
	return flowSum(e, r, e.targets, func(g *record.Region) int64 { return g.InDomestic - g.OutDomestic })
}

func targetInMoves(e *effectEnv, r *effectRun) float64 { return movesInto(e, r, e.targets, -1, false) }

func targetReturns(e *effectEnv, r *effectRun) float64 {
	return movesInto(e, r, e.targets, record.MotiveReturn, true)
}

func targetRemoteWorkers(e *effectEnv, r *effectRun) float64 {
	return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.RemoteWorkers })
}

// young counts the residents of the targets aged 19–25.
func young(e *effectEnv, r *effectRun) float64 {
	return persons(e, r, func(p *population.Persons, i int) bool {
		return in(e.targets, int(p.Region[i])) && p.Age[i] >= 19 && p.Age[i] <= 25
	})
}

// youngLiving counts the persons aged 19–25 who live in the targets:
// their residents and the students whose campus is there, beyond the
// commute from where they are registered (study_registered_home).
func youngLiving(e *effectEnv, r *effectRun) float64 {
	s := r.sim.State()
	lim := float32(s.P.CommuteMinutes)
	return persons(e, r, func(p *population.Persons, i int) bool {
		if p.Age[i] < 19 || p.Age[i] > 25 {
			return false
		}
		if in(e.targets, int(p.Region[i])) {
			return true
		}
		w := int(p.Work[i])
		return p.Act[i] == population.Student && in(e.targets, w) && s.TravelMinutes(int(p.Region[i]), w) > lim
	})
}

// targetWorkers counts the persons working in the targets (wherever they live).
func targetWorkers(e *effectEnv, r *effectRun) float64 {
	return persons(e, r, func(p *population.Persons, i int) bool {
		return p.Act[i] == population.Employed && in(e.targets, int(p.Work[i]))
	})
}

// --- the cases ---------------------------------------------------------------

// remoteWork20 is the remote_work case's entry, and broadband's background.
const remoteWork20 = `
[[intervention]]
kind = "remote_work"
from_year = 2024
share = 0.2
skill_levels = ["medium", "high"]
`

var effectCases = []effectCase{
	{
		kind: "region_enlargement",
		what: "Rogfast: Stavanger–Haugesund 40 % shorter (64 → 38 minutes in norway-2024)",
		entries: `
[[intervention]]
kind = "region_enlargement"
regions = ["Stavanger", "Haugesund"]
from_year = 2024
travel_time_factor = 0.6
`,
		checks: []effectCheck{{
			metric: "commuters between the two (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				a, b := e.targets[0], e.targets[1]
				return persons(e, r, func(p *population.Persons, i int) bool {
					h, w := int(p.Region[i]), int(p.Work[i])
					return p.Act[i] == population.Employed && p.Flags[i]&population.Remote == 0 &&
						(h == a && w == b || h == b && w == a)
				})
			},
			sign: +1,
		}},
	},
	{
		kind:    "remote_work",
		what:    "20 % of medium- and high-skill jobs location-independent, nationally",
		entries: remoteWork20,
		// The shift of movers to the periphery is a few thousand persons
		// in five years, against a sampling noise of about 1,700 at 5 %.
		scale: 0.2,
		checks: []effectCheck{{
			metric: "remote workers in Norway (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, byCentrality(e.w, 1, 2, 3, 4, 5, 6), func(g *record.Region) int64 { return g.RemoteWorkers })
			},
			sign: +1,
		}, {
			metric: "remote workers living in classes 5–6 (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, byCentrality(e.w, 5, 6), func(g *record.Region) int64 { return g.RemoteWorkers })
			},
			sign: +1,
		}, {
			metric: "net domestic migration to classes 5–6",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return flowSum(e, r, byCentrality(e.w, 5, 6), func(g *record.Region) int64 { return g.InDomestic - g.OutDomestic })
			},
			sign: +1,
		}},
	},
	{
		kind:       "broadband",
		what:       "full broadband in classes 5–6, with remote work (20 % of medium/high-skill jobs) in both arms",
		background: remoteWork20,
		entries: `
[[intervention]]
kind = "broadband"
centrality = [5, 6]
from_year = 2024
coverage = 1
`,
		// Coverage is also an amenity (util_broadband), but by default a
		// small one: the in-moves into the targets changed by −563 ± 2,168
		// here (K = 6, engine 0.14.0; −93 ± 505 with 0.12.0), so that
		// channel is tested in mech_test.go's TestBroadbandAmenity with a
		// larger weight.
		checks: []effectCheck{{metric: "remote workers living in the targets (end)", measure: targetRemoteWorkers, sign: +1}},
	},
	{
		kind: "housing",
		what: "40 dwellings a year for 5 years in each municipality of classes 5–6 (212)",
		entries: `
[[intervention]]
kind = "housing"
centrality = [5, 6]
from_year = 2024
dwellings_per_year = 40
years = 5
`,
		checks: []effectCheck{{
			metric: "dwellings in the targets (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.Dwellings })
			},
			sign: +1,
			size: func(e *effectEnv) (float64, float64, float64) {
				return 40 * float64(min(5, effectYears)*len(e.targets)), 0.5, 1.5
			},
		}, {
			// The population at the end follows, but it also moves with
			// births, deaths and international migration, which common
			// random numbers pair poorly: its t was about 3 at K = 6.
			metric: "net domestic migration to the targets", measure: targetNetDomestic, sign: +1,
		}},
	},
	{
		kind: "campus",
		what: "a campus of 1,000 study places in each of six towns with none within 75 minutes: Vefsn (Mosjøen), Brønnøy, Vestvågøy (Leknes), Sør-Varanger (Kirkenes), Tynset and Ullensvang",
		entries: `
[[intervention]]
kind = "campus"
regions = ["Vefsn", "Brønnøy", "Vestvågøy", "Sør-Varanger", "Tynset", "Ullensvang"]
from_year = 2024
students = 1000
`,
		checks: []effectCheck{{
			metric: "students with their study place there (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return persons(e, r, func(p *population.Persons, i int) bool {
					return p.Act[i] == population.Student && in(e.targets, int(p.Work[i]))
				})
			},
			sign: +1,
			// New places fill where enough applicants rank the campus
			// among their choices (and never beyond the places).
			size: func(e *effectEnv) (float64, float64, float64) {
				return 1000 * float64(len(e.targets)), 0.5, 1.02
			},
		}, {
			metric: "residents aged 19–25 (end)", measure: young, sign: +1,
		}, {
			// Issue 4's example: a campus of 1,000 students adds on the
			// order of a thousand residents aged 19–25 to the town, in
			// the sense of people living there: registered residents and
			// the students there registered where they lived before, beyond the
			// commute (study_registered_home). Registered residents alone
			// rise by under a third of that (the row above). Not
			// counted: the places left empty (about a ninth), students
			// over 25, and those living within the commute in a
			// neighbouring municipality; so "on the order of a thousand"
			// is checked from 0.4 (engines 0.6.0 and 0.7.0: 0.46, 0.52
			// before 0.6.0's refit; 0.56 before students could stay
			// registered at home).
			metric:  "living there aged 19–25 against 1,000 places each",
			measure: youngLiving,
			sign:    +1,
			size: func(e *effectEnv) (float64, float64, float64) {
				return 1000 * float64(len(e.targets)), 0.4, 1.5
			},
		}},
	},
	{
		kind: "recruitment",
		what: "recruitment (visibility 1) in every municipality of classes 4–6",
		// Some 2,000–4,000 more movers in five years (+2–4 %): at 5 % the
		// replicates' differences ranged from −160 to 8,940 once newcomers
		// were matched after moving (t 2.5), and at 10 % with engine 0.8.0
		// from −690 to 5,130 (t 2.2), so at 20 %.
		scale: 0.2,
		entries: `
[[intervention]]
kind = "recruitment"
centrality = [4, 5, 6]
from_year = 2024
visibility = 1
`,
		checks: []effectCheck{
			{metric: "moves into the targets from elsewhere", measure: targetInMoves, sign: +1},
			{metric: "persons working in the targets (end)", measure: targetWorkers, sign: +1},
		},
	},
	{
		kind: "immigration",
		what: "integration programme (0.5) in every municipality of classes 4–6",
		entries: `
[[intervention]]
kind = "immigration"
centrality = [4, 5, 6]
from_year = 2024
integration = 0.5
`,
		checks: []effectCheck{{
			metric: "emigrants from the targets",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return flowSum(e, r, e.targets, func(g *record.Region) int64 { return g.Emigrants })
			},
			sign: -1,
		}, {
			metric: "immigrants of under 10 years living there (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return persons(e, r, func(p *population.Persons, i int) bool {
					return p.Flags[i]&population.Immigrant != 0 && p.Years[i] < 10 && in(e.targets, int(p.Region[i]))
				})
			},
			sign: +1,
		}},
	},
	{
		kind: "youth",
		what: "youth programme (attachment +1) in Nordland, Troms and Finnmark",
		entries: `
[[intervention]]
kind = "youth"
county = ["Nordland", "Troms", "Finnmark"]
from_year = 2024
attachment_boost = 1
`,
		checks: []effectCheck{
			{metric: "return moves into the targets", measure: targetReturns, sign: +1},
			// Those still living where they grew up leave less.
			{metric: "domestic out-moves from the targets", measure: func(e *effectEnv, r *effectRun) float64 {
				return flowSum(e, r, e.targets, func(g *record.Region) int64 { return g.OutDomestic })
			}, sign: -1},
		},
	},
	{
		kind: "place_development",
		what: "place development (boost 0.3) in every municipality of classes 5–6",
		entries: `
[[intervention]]
kind = "place_development"
centrality = [5, 6]
from_year = 2024
boost = 0.3
`,
		checks: []effectCheck{{metric: "net domestic migration to the targets", measure: targetNetDomestic, sign: +1}},
	},
	{
		kind: "childcare_services",
		what: "better childcare and services (boost 0.3) in every municipality of classes 5–6",
		entries: `
[[intervention]]
kind = "childcare_services"
centrality = [5, 6]
from_year = 2024
boost = 0.3
`,
		checks: []effectCheck{{metric: "net domestic migration to the targets", measure: targetNetDomestic, sign: +1}},
	},
	{
		kind: "reputation",
		what: "image campaign (boost 0.3) for every municipality of classes 5–6",
		// About 6,500 more net movers in five years (engine 0.14.0; 3,600
		// with 0.12.0): at 5 % the replicates' differences ranged from
		// 1,160 to 10,480 with engine 0.7.0 (t 2.9), so at 10 %, sharing
		// the relocation grant's baseline.
		scale: 0.1,
		entries: `
[[intervention]]
kind = "reputation"
centrality = [5, 6]
from_year = 2024
boost = 0.3
`,
		checks: []effectCheck{{metric: "net domestic migration to the targets", measure: targetNetDomestic, sign: +1}},
	},
	{
		kind: "immigration",
		name: "immigration-inflow",
		what: "500 labour immigrants and 100 refugees a year on top of the national inflow in Frøya and Hitra",
		entries: `
[[intervention]]
kind = "immigration"
regions = ["Frøya", "Hitra"]
from_year = 2024
workers_per_year = 500
refugees_per_year = 100
`,
		checks: []effectCheck{{
			metric: "immigrants into the targets",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return flowSum(e, r, e.targets, func(g *record.Region) int64 { return g.Immigrants })
			},
			sign: +1,
			// Each worker brings 0.37 partners and children on average
			// (sim/international: a partner for 30 % of the 25–45-year-olds
			// among the 20–49-year-old workers, then 1–2 children for half).
			size: func(*effectEnv) (float64, float64, float64) {
				return (500*(1+0.3*21.0/30*(1+0.5*1.5)) + 100) * effectYears, 0.8, 1.2
			},
		}, {
			metric: "persons working in the targets (end)", measure: targetWorkers, sign: +1,
		}, {
			metric: "population of the targets (end)", measure: targetPopulation, sign: +1,
		}},
	},
	{
		kind: "part_time_residents",
		what: "1,000 more cabins, 70-day stays and 2 % conversion a year in Hemsedal and Hol",
		entries: `
[[intervention]]
kind = "part_time_residents"
regions = ["Hemsedal", "Hol"]
from_year = 2024
second_homes = 1000
days_per_year = 70
conversion_rate = 0.02
`,
		checks: []effectCheck{{
			metric: "part-time residents of the targets (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.PartTimeResidents })
			},
			sign: +1,
		}, {
			// Conversions move with the motive amenity, which few other
			// moves into these two have.
			metric: "amenity moves into the targets from elsewhere",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return movesInto(e, r, e.targets, record.MotiveAmenity, false)
			},
			sign: +1,
		}, {
			metric: "jobs in the targets (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.Jobs })
			},
			sign: +1,
		}},
	},
	{
		kind: "municipal_cooperation",
		what: "six regional councils act as one labour market each: Valdres, Hallingdal, Nord-Østerdalen, Nord-Gudbrandsdalen, Lofoten, Vesterålen",
		entries: `
[[intervention]]
kind = "municipal_cooperation"
name = "Valdres"
regions = ["Sør-Aurdal", "Etnedal", "Nord-Aurdal", "Vestre Slidre", "Øystre Slidre", "Vang"]
from_year = 2024

[[intervention]]
kind = "municipal_cooperation"
name = "Hallingdal"
regions = ["Flå", "Nesbyen", "Gol", "Hemsedal", "Ål", "Hol"]
from_year = 2024

[[intervention]]
kind = "municipal_cooperation"
name = "Nord-Østerdalen"
regions = ["Tynset", "Tolga", "Os", "Alvdal", "Folldal", "Rendalen"]
from_year = 2024

[[intervention]]
kind = "municipal_cooperation"
name = "Nord-Gudbrandsdalen"
regions = ["Sel", "Vågå", "Lom", "Skjåk", "Lesja", "Dovre"]
from_year = 2024

[[intervention]]
kind = "municipal_cooperation"
name = "Lofoten"
regions = ["Vestvågøy", "Vågan", "Flakstad", "Moskenes", "Værøy", "Røst"]
from_year = 2024

[[intervention]]
kind = "municipal_cooperation"
name = "Vesterålen"
regions = ["Sortland", "Hadsel", "Bø", "Øksnes", "Andøy"]
from_year = 2024
`,
		// The moves into the members rise by a few per cent, against
		// replicates that differ by as much: at 5 % by t 2.9 with engine
		// 0.15.0 (+970 ± 850; 0.14.0: +837 ± 438), at 10 % by t 3.5, then
		// 2.9 with 0.15.1 (+365 ± 323). At 20 % it shares the baseline of
		// the first remote_work and recruitment cases.
		scale: 0.2,
		checks: []effectCheck{
			{metric: "moves into the members from elsewhere", measure: targetInMoves, sign: +1},
			{metric: "net domestic migration to the members", measure: targetNetDomestic, sign: +1},
		},
	},
	{
		kind: "business_development",
		what: "a battery plant in Rana: 1,500 medium-skill jobs over 3 years",
		entries: `
[[intervention]]
kind = "business_development"
regions = ["Rana"]
from_year = 2024
jobs = 1500
skill_level = "medium"
years = 3
`,
		checks: []effectCheck{{
			metric: "jobs in Rana (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, e.targets, func(g *record.Region) int64 { return g.Jobs })
			},
			sign: +1,
			// The plant's jobs are all there (+1,578 medium-skill jobs at
			// 5 %, seeds 1–6, engine 0.14.0), but some go to high-skill
			// workers of Rana, whose posts are withdrawn when nobody else
			// fills them (labour: vacancy_withdrawal; −419 high-skill and
			// −92 low-skill jobs): the region gains about 0.71× the jobs
			// added.
			size: func(*effectEnv) (float64, float64, float64) { return 1500, 0.6, 1.25 },
		}, {
			metric: "persons working in Rana (end)", measure: targetWorkers, sign: +1,
		}},
	},
	{
		kind: "remote_work",
		name: "remote_work (hybrid)",
		what: "20 % of medium- and high-skill jobs remote-capable with 2 office days a week, nationally",
		entries: `
[[intervention]]
kind = "remote_work"
from_year = 2024
share = 0.2
skill_levels = ["medium", "high"]
office_days_per_week = 2
`,
		checks: []effectCheck{{
			metric: "remote workers in Norway (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, byCentrality(e.w, 1, 2, 3, 4, 5, 6), func(g *record.Region) int64 { return g.RemoteWorkers })
			},
			sign: +1,
		}, {
			// Hybrid workers keep their job up to 150 minutes away (60 × 5
			// / 2), not beyond.
			metric:  "workers living 60–150 minutes from their job (end)",
			measure: commuteBand(60, 150),
			sign:    +1,
		}},
	},
	{
		kind: "remote_work",
		name: "remote_work (no broadband needed)",
		what: "20 % of medium- and high-skill jobs remote-capable without broadband, nationally",
		entries: `
[[intervention]]
kind = "remote_work"
from_year = 2024
share = 0.2
skill_levels = ["medium", "high"]
requires_broadband = false
`,
		checks: []effectCheck{{
			metric: "remote workers living in classes 5–6 (end)",
			measure: func(e *effectEnv, r *effectRun) float64 {
				return stockEnd(e, r, byCentrality(e.w, 5, 6), func(g *record.Region) int64 { return g.RemoteWorkers })
			},
			sign: +1,
		}},
	},
	{
		kind: "recruitment",
		name: "recruitment (relocation grant)",
		what: "a relocation grant of 400,000 NOK in every municipality of classes 5–6 (about a sixth of a dwelling's price there)",
		// Some 6,000 more movers in five years (engine 0.14.0; 2,800 with
		// 0.12.0), against replicates that differed by as much at 5 % (t 2.9
		// there).
		scale: 0.1,
		entries: `
[[intervention]]
kind = "recruitment"
centrality = [5, 6]
from_year = 2024
relocation_grant = 400000
`,
		checks: []effectCheck{{metric: "moves into the targets from elsewhere", measure: targetInMoves, sign: +1}},
	},
	{
		kind: "housing",
		name: "housing (starter homes)",
		what: "40 starter homes a year for 5 years for the young, 20 % below market price, in each municipality of classes 5–6",
		entries: `
[[intervention]]
kind = "housing"
centrality = [5, 6]
from_year = 2024
dwellings_per_year = 40
years = 5
for = "young"
price_subsidy = 0.2
`,
		checks: []effectCheck{{
			metric: "moves of people aged 18–34 into the targets from elsewhere",
			measure: func(e *effectEnv, r *effectRun) float64 {
				var n int64
				for y := range r.years {
					for _, f := range r.years[y].Flows {
						if in(e.targets, int(f.Destination)) && !in(e.targets, int(f.Origin)) && (f.AgeGroup == 1 || f.AgeGroup == 2) {
							n += f.Moves
						}
					}
				}
				return float64(n) * e.weight
			},
			sign: +1,
		}},
	},
}

// commuteBand returns a metric: the employed persons of the final state
// who live between lo and hi minutes (exclusive, inclusive) from their job.
func commuteBand(lo, hi float32) func(e *effectEnv, r *effectRun) float64 {
	return func(e *effectEnv, r *effectRun) float64 {
		s := r.sim.State()
		return persons(e, r, func(p *population.Persons, i int) bool {
			if p.Act[i] != population.Employed {
				return false
			}
			m := s.TravelMinutes(int(p.Region[i]), int(p.Work[i]))
			return m > lo && m <= hi
		})
	}
}
