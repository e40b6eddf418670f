// Package fit measures how well a simulated run reproduces calibration
// targets (package targets): it computes the targeted statistics from a
// run's yearly records, compares them with the targets, scores the
// comparison for optimisers and draws the charts of `settle fit`.
//
// Start with NewAccumulator and feed it a run's records (engine.Sim.Observe,
// then every Step) to score a run in memory, as calibration does; or call
// FromRunDir on a run folder written by `settle run`. Both give the same
// Stats for the same run. Then Compare gives the table of `settle fit` and
// Loss a scalar for an optimiser.
//
// # Definitions
//
// All counts are real-population counts: a record's sampled counts are
// scaled by its Weight and rounded cell by cell exactly as package output
// writes them, so the statistics of a run folder and of the records that
// produced it are identical. A run's row for year t holds the stocks of
// 1 January t and the moves during t−1. The window of the targets
// (StartYear, Years) selects the rows t with StartYear < t ≤ StartYear+Years;
// a window that opens before the run starts with the run.
//
//   - Moving rate of an age group (per 1000): the moves between regions of
//     persons aged a at the move (migration_by_age.csv, row t), divided by
//     the persons aged a−1 on 1 January of t−1 (they turned a during the
//     year), summed over the ages of the group and the years of the window,
//     times 1000. Age 0 is divided by the persons aged 0 on 1 January of t
//     (those born during the year who survived it); the open age MaxAge by
//     those aged MaxAge−1 and MaxAge a year earlier.
//   - Moves per 1000 residents: all moves between regions in the window
//     divided by the sum over its years of the mean of the national
//     population on 1 January of t−1 and of t, times 1000.
//   - Peak age: the age at the move (completed years) where the single-year
//     rate of both sexes, smoothed by a centred three-year moving sum of
//     moves and persons, is highest among ages 10–50, refined to a fraction
//     of a year by the parabola through the peak and its two neighbours.
//   - Distance exponent: k of the gravity model F_ij = exp(c)·P_i·P_j·d_ij^−k
//     fitted by Poisson pseudo-maximum likelihood (PPML; Santos Silva and
//     Tenreyro 2006) over all ordered pairs of different regions, those
//     without moves included, where F_ij is the pair's moves in the window
//     (all ages and motives), P_i the mean population of region i on the
//     1 Januaries the window's years start and d_ij the great-circle
//     distance in km between the centroids (at least 1 km). PPML is used
//     because a sampled run has many pairs without moves: a least-squares
//     line of ln(F_ij/(P_i·P_j)) against ln d_ij over the pairs with moves
//     (weighted by F_ij, the inverse of the Poisson variance of ln F_ij) is
//     biased towards 0 by dropping them, the more so the smaller the scale
//     (Norway's baseline: 0.73 at scale 0.1, 0.88 at 0.5, against 0.92 and
//     0.96 by PPML). That line is kept as DistanceExponentWLS.
//   - Same-county share: the moves between two regions of the same county
//     divided by all moves between regions. The counties are those
//     world.County selects, by county name (in any case) or code, as
//     `settle explain --county` and a scenario's county = "…" do: a user
//     world with a county column and no county_code has them. NaN when a
//     region has no county (Stats.NoCounties says why) or no one moved.
//   - Living where they grew up at age a (record.GrewUpAges), for a group
//     of centrality classes: of the persons born in Norway aged a on
//     1 January who grew up in a region of the classes (grew_up.csv), the
//     share living in that region, summed over the last GrewUpRows rows of
//     the window (its last five 1 Januaries): a stock that changes slowly,
//     measured where it reflects the model's own moves more than the
//     synthetic start. Not wholly: the 35-year-olds of a 20-year window's
//     last five rows were 15–19 at the start, and those who were adults
//     then have the region they were synthesised in as their home (a
//     student, the study town), which lifts the first of the rows a little.
//   - Class share change: for each centrality class, the cumulative net
//     domestic migration (in − out) of its regions over the window divided by
//     the national population on 1 January of the window's start: the change
//     of the class's population share that domestic migration accounts for.
package fit

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

// Ages is the number of single years of age, 0…world.MaxAge.
const Ages = world.MaxAge + 1

// Sex indices of Stats' schedules: those of record.Year, plus both sexes.
const (
	Female = 0
	Male   = 1
	Both   = 2
)

// Stats are the statistics of one run over the targets' window. Rates are
// per 1000 unless said otherwise; NaN means "not measurable" (no moves, no
// persons of those ages, no counties).
type Stats struct {
	// FirstYear is the 1 January the window starts, LastYear the last row
	// counted; Years = LastYear − FirstYear rows were counted.
	FirstYear, LastYear, Years int

	// Moves[sex][age] and Persons[sex][age] are the numerators and
	// denominators of the single-year rates, summed over the window (see
	// the package doc); sex Female, Male or Both.
	Moves, Persons [3][Ages]float64
	// RatesByAgeSex[sex][age] is 1000·Moves/Persons (NaN where Persons is 0).
	RatesByAgeSex [3][Ages]float64

	MovesPerThousand float64 // moves between regions per 1000 residents per year
	TotalMoves       float64 // moves between regions in the window

	PeakAge  float64 // age of the peak of the smoothed single-year schedule (both sexes)
	PeakRate float64 // the smoothed rate there, per 1000

	// RC is the Rogers–Castro schedule fitted to the single-year rates of
	// both sexes at ages 0–79 (moves per person); RCErr says why there is
	// none ("" when RC is valid).
	RC    RC
	RCErr string

	// DistanceExponent (positive: flows fall off as distance^−exponent) and
	// DistanceIntercept c are the PPML gravity fit F/(P·P) = exp(c)·km^−exponent.
	DistanceExponent, DistanceIntercept float64
	// DistanceExponentWLS is the exponent of the weighted least-squares line
	// over the pairs with moves only (see the package doc).
	DistanceExponentWLS float64
	// Pairs are the pairs with moves, for the chart.
	Pairs []Pair
	// DistanceBands are moves per population product in bands of distance
	// (quarter decades of km), over all pairs: Σ F / Σ P·P.
	DistanceBands []Band

	// SameCountyShare is NaN when it cannot be measured: when no one
	// moved, or when the world cannot have it, and then NoCounties says
	// why (its regions have no counties, or some have none).
	SameCountyShare float64
	NoCounties      string

	// ClassRegions[c] is the number of the world's regions in centrality
	// class c (1–6): a statistic of classes none of which has a region
	// cannot be measured in the world, whatever the run (see Compare and
	// Loss).
	ClassRegions [7]int

	// ClassShareChange[c] is the change of centrality class c's share of the
	// national population that its net domestic migration over the window
	// accounts for (a fraction: 0.01 = one percentage point).
	ClassShareChange map[int]float64
	// ClassPopulation[c] is the population of class c on 1 January of the
	// window's first and last year; ClassNetDomestic[c] its cumulative net
	// domestic migration in the window.
	ClassPopulation  map[int][2]float64
	ClassNetDomestic map[int]float64
	// NationalPopulation on 1 January of the window's first and last year.
	NationalPopulation [2]float64

	// Per region of the world, in its order: the code, the domestic moves
	// in and out over the window and the sum over the window's years of
	// the population on 1 January of each year's start (resident-years).
	// See GrossRates.
	RegionCodes         []string
	RegionIn, RegionOut []float64
	RegionResidentYears []float64

	// GrewUp[c][k] counts the persons born in Norway aged
	// record.GrewUpAges[k] who grew up in a region of centrality class c
	// (c = 0: any), summed over the window's last GrewUpRows rows;
	// LivingThere[c][k] those of them living in that region. See
	// GrewUpShare.
	GrewUp, LivingThere [7][record.NumGrewUpAges]float64

	// Living counts the adults of the whole world by sex, age group and
	// living arrangement (record.Living), summed over the window's rows
	// (adult-years); zero for a run that does not record them (written
	// before engine 0.14.2). See LivingShare.
	Living [2][record.NumLivingAges][record.NumLiving]float64
	// LivingRows is the number of rows Living sums.
	LivingRows int
}

// LivingShare returns the share of the adults aged lo…hi (inclusive, whole
// groups of record.LivingAgeNames) of sex "" (both), "f" or "m" who live
// in the arrangement living (one of record.LivingNames), over the window;
// NaN when the run records no such adult.
func (s *Stats) LivingShare(lo, hi int, sex, living string) float64 {
	k := slices.Index(record.LivingNames[:], living)
	var all, in float64
	for a := max(lo, 18); a <= min(hi, world.MaxAge); a++ {
		g := record.LivingAge(a)
		if a > 18 && record.LivingAge(a-1) == g {
			continue // each group once, at its first age
		}
		for sx := range 2 {
			if sex == "f" && sx != Female || sex == "m" && sx != Male {
				continue
			}
			for kk, v := range s.Living[sx][g] {
				all += v
				if kk == k {
					in += v
				}
			}
		}
	}
	if all == 0 || k < 0 {
		return math.NaN()
	}
	return in / all
}

// GrewUpRows is the number of rows at the end of the window that
// Stats.GrewUp sums.
const GrewUpRows = 5

// GrewUpShare returns the share of the persons aged age (one of
// record.GrewUpAges) who grew up in a region of the centrality classes
// (none: every region) that live there, over the window; NaN when no one
// counts (the age is not recorded, the classes are empty, or the run has
// no grew_up.csv).
func (s *Stats) GrewUpShare(age int, classes []int) float64 {
	k := slices.Index(record.GrewUpAges[:], age)
	if k < 0 {
		return math.NaN()
	}
	if len(classes) == 0 {
		classes = []int{0}
	}
	var grew, living float64
	for _, c := range classes {
		if c >= 0 && c < len(s.GrewUp) {
			grew += s.GrewUp[c][k]
			living += s.LivingThere[c][k]
		}
	}
	if grew == 0 {
		return math.NaN()
	}
	return living / grew
}

// Pair is the moves between two regions over the window.
type Pair struct {
	Origin, Destination int     // region indices
	Km                  float64 // great-circle distance between centroids, at least 1
	Moves               float64
	PopProduct          float64 // P_origin · P_destination (mean populations)
}

// Band is a band of distances.
type Band struct {
	Km    float64 // the population-product-weighted geometric mean distance
	Ratio float64 // Σ moves / Σ P_origin·P_destination
	Pairs int
}

// sexIndex is the index into Stats.Moves and Persons of sex "f", "m" or
// "" (both).
func sexIndex(sex string) int {
	switch sex {
	case "f":
		return Female
	case "m":
		return Male
	}
	return Both
}

// Rate returns the moving rate per 1000 of ages lo…hi (inclusive) for sex
// "" (both), "f" or "m", as defined in the package doc.
func (s *Stats) Rate(lo, hi int, sex string) float64 {
	sx := sexIndex(sex)
	var m, p float64
	for a := max(lo, 0); a <= min(hi, Ages-1); a++ {
		m += s.Moves[sx][a]
		p += s.Persons[sx][a]
	}
	if p == 0 {
		return math.NaN()
	}
	return 1000 * m / p
}

// PeakAgeOf returns the age of the peak of the schedule of sex ("f", "m"
// or "" for both), smoothed over three years of age as PeakAge, sought
// from age lo to hi.
func (s *Stats) PeakAgeOf(lo, hi int, sex string) float64 {
	sx := sexIndex(sex)
	age, _ := output.SchedulePeakIn(s.Moves[sx][:], s.Persons[sx][:], lo, hi)
	return age
}

// Accumulator computes Stats from the records of one run. Feed it the start
// record (Observe) and then every year's record (Step) in order; it does not
// retain the records, so the engine may reuse them. It is not safe for
// concurrent use. Add costs O(regions + flows + ages).
type Accumulator struct {
	w *world.World
	// The window: the rows start < t ≤ end. Before the first record, start
	// is the targets' StartYear (0 = open) and years their Years; the first
	// record fixes start (at least its year) and end (0 = open).
	start, end, years int

	n        int
	records  int
	year     int        // Year of the last record
	regPop   []int64    // population carried forward like package output
	agePop   [2][]int64 // persons by sex and age on the last record's 1 January
	km       []float64  // n×n
	county   []int      // county index per region; nil when a region has none
	noCounty string     // why county is nil
	class    []int      // centrality class per region

	moves, persons [2][Ages]float64
	meanPop        float64 // Σ over counted years of (P(t−1)+P(t))/2
	pair           []float64
	popSum         []float64                                          // Σ over counted years of the region's population on 1 January t−1
	inDom, outDom  []float64                                          // Σ over counted years of the region's domestic moves in and out
	grewUp         [][2][7][record.NumGrewUpAges]float64              // per counted row: grew up, living there, by centrality class (0: all)
	living         [2][record.NumLivingAges][record.NumLiving]float64 // Σ over counted rows of the adults by living arrangement (Stats.Living)
	livingRows     int
	startPop       []float64 // regions' population on the window's first 1 January
	endPop         []float64
	counted        int
	last           int // last counted row
}

// NewAccumulator returns an Accumulator for a run of w over the window of t
// (the whole run when t is nil). Cost O(regions²) for the distance matrix.
func NewAccumulator(w *world.World, t *targets.Targets) *Accumulator {
	n := w.N()
	a := &Accumulator{w: w, n: n,
		regPop: make([]int64, n), km: make([]float64, n*n), class: make([]int, n),
		pair: make([]float64, n*n), popSum: make([]float64, n),
		inDom: make([]float64, n), outDom: make([]float64, n),
	}
	if t != nil {
		a.start, a.years = t.StartYear, t.Years
	}
	a.agePop = [2][]int64{make([]int64, Ages), make([]int64, Ages)}
	a.county, a.noCounty = counties(w)
	for i := range w.Regions {
		r := &w.Regions[i]
		a.class[i] = r.Centrality
		for j := range w.Regions {
			q := &w.Regions[j]
			a.km[i*n+j] = math.Max(1, world.GreatCircleKm(r.Lat, r.Lon, q.Lat, q.Lon))
		}
	}
	return a
}

// counties numbers the counties of w's regions as every table groups them
// (world.Counties: by county code or name in any case, a county that gives
// its code in one row and only its name in another being one). It returns
// nil and why when a region has no county.
func counties(w *world.World) ([]int, string) {
	n := w.N()
	var none []string
	for i := range w.Regions {
		if r := &w.Regions[i]; r.County == "" && r.CountyCode == "" {
			none = append(none, r.Code)
		}
	}
	switch {
	case len(none) == n:
		return nil, "the world has no counties (its regions file has neither a county nor a county_code column); add a county column to measure it, or leave same_county_share out of the targets"
	case len(none) == 1:
		return nil, fmt.Sprintf("region %s has no county; give every region its county in the regions file", none[0])
	case len(none) > 1:
		return nil, fmt.Sprintf("regions %s and %d more have no county; give every region its county in the regions file", none[0], len(none)-1)
	}
	county := make([]int, n)
	for k, c := range w.Counties() {
		for _, i := range c.Regions {
			county[i] = k
		}
	}
	return county, ""
}

// scaled converts a sampled count to the real population exactly as
// package output does (output.scaled): rounded to the nearest integer,
// untouched at weight 1.
func scaled(x int64, weight float64) int64 {
	if weight == 1 {
		return x
	}
	return int64(math.Round(float64(x) * weight))
}

// Add consumes the record of the next year. The first call takes the start
// record (its flows are ignored). Add panics if y does not follow the
// previous record or does not fit the world (a caller's bug).
func (a *Accumulator) Add(y *record.Year) {
	if len(y.Regions) != a.n {
		panic(fmt.Sprintf("fit: record of %d has %d regions, the world has %d", y.Year, len(y.Regions), a.n))
	}
	if a.records > 0 && y.Year != a.year+1 {
		panic(fmt.Sprintf("fit: record of %d follows %d; add the records in order, starting with Observe", y.Year, a.year))
	}
	w := y.Weight
	if w == 0 {
		w = 1
	}
	first := a.records == 0
	if first {
		if a.start == 0 {
			a.start = y.Year
		}
		if a.years > 0 {
			a.end = a.start + a.years
		}
		// A window that opens before the run starts begins with the run.
		a.start = max(a.start, y.Year)
	}
	prevPop := append([]int64(nil), a.regPop...)
	var prevTotal, total int64
	for i := range y.Regions {
		r := &y.Regions[i]
		prevTotal += a.regPop[i]
		if first {
			a.regPop[i] = scaled(r.Population, w)
		} else {
			a.regPop[i] += scaled(r.Births, w) - scaled(r.Deaths, w) + scaled(r.InDomestic, w) -
				scaled(r.OutDomestic, w) + scaled(r.Immigrants, w) - scaled(r.Emigrants, w)
		}
		total += a.regPop[i]
	}
	counted := !first && y.Year-1 >= a.start && (a.end == 0 || y.Year <= a.end)
	if y.Year == a.start {
		a.startPop = toFloat(a.regPop)
	}
	if counted {
		a.counted++
		a.last = y.Year
		a.meanPop += float64(prevTotal+total) / 2
		for i := range y.Regions {
			r := &y.Regions[i]
			a.popSum[i] += float64(prevPop[i])
			a.inDom[i] += float64(scaled(r.InDomestic, w))
			a.outDom[i] += float64(scaled(r.OutDomestic, w))
		}
		var g [2][7][record.NumGrewUpAges]float64
		for i := range y.Regions {
			r := &y.Regions[i]
			c := a.class[i]
			for k := range record.NumGrewUpAges {
				grew, living := float64(scaled(r.GrewUp[k], w)), float64(scaled(r.LivingThere[k], w))
				g[0][0][k] += grew
				g[1][0][k] += living
				if c >= 1 && c <= 6 {
					g[0][c][k] += grew
					g[1][c][k] += living
				}
			}
		}
		a.grewUp = append(a.grewUp, g)
		if len(y.Living) == a.n {
			a.livingRows++
			for i := range y.Living {
				for sx := range 2 {
					for ag := range record.NumLivingAges {
						for k, v := range y.Living[i][sx][ag] {
							a.living[sx][ag][k] += float64(scaled(v, w))
						}
					}
				}
			}
		}
		for k := range y.Flows {
			f := &y.Flows[k]
			a.pair[int(f.Origin)*a.n+int(f.Destination)] += float64(scaled(f.Moves, w))
		}
		for sx := 0; sx < 2; sx++ {
			for age := 0; age < Ages; age++ {
				a.moves[sx][age] += float64(scaled(at(y.Moves[sx], age), w))
				var p int64
				switch age {
				case 0:
					p = scaled(at(y.Population[sx], 0), w)
				case Ages - 1:
					p = a.agePop[sx][age-1] + a.agePop[sx][age]
				default:
					p = a.agePop[sx][age-1]
				}
				a.persons[sx][age] += float64(p)
			}
		}
		a.endPop = toFloat(a.regPop)
	}
	for sx := 0; sx < 2; sx++ {
		for age := 0; age < Ages; age++ {
			a.agePop[sx][age] = scaled(at(y.Population[sx], age), w)
		}
	}
	a.records++
	a.year = y.Year
}

func at(s []int64, i int) int64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func toFloat(x []int64) []float64 {
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	return f
}

// Stats returns the statistics of the records added so far. It may be
// called at any time; it fits a Rogers–Castro schedule (a few milliseconds).
func (a *Accumulator) Stats() Stats {
	s := Stats{FirstYear: a.start, LastYear: a.last, Years: a.counted,
		ClassShareChange: map[int]float64{}, ClassPopulation: map[int][2]float64{}, ClassNetDomestic: map[int]float64{},
		Living: a.living, LivingRows: a.livingRows}
	if a.counted == 0 {
		s.LastYear = a.start
	}
	for sx := 0; sx < 2; sx++ {
		for age := 0; age < Ages; age++ {
			s.Moves[sx][age] = a.moves[sx][age]
			s.Persons[sx][age] = a.persons[sx][age]
			s.Moves[Both][age] += a.moves[sx][age]
			s.Persons[Both][age] += a.persons[sx][age]
		}
	}
	for sx := 0; sx < 3; sx++ {
		for age := 0; age < Ages; age++ {
			s.RatesByAgeSex[sx][age] = math.NaN()
			if s.Persons[sx][age] > 0 {
				s.RatesByAgeSex[sx][age] = 1000 * s.Moves[sx][age] / s.Persons[sx][age]
			}
		}
	}
	for age := 0; age < Ages; age++ {
		s.TotalMoves += s.Moves[Both][age]
	}
	s.MovesPerThousand = math.NaN()
	if a.meanPop > 0 {
		s.MovesPerThousand = 1000 * s.TotalMoves / a.meanPop
	}
	s.PeakAge, s.PeakRate = output.SchedulePeak(s.Moves[Both][:], s.Persons[Both][:])

	var ages, rates []float64
	for age := 0; age < 80; age++ {
		if s.Persons[Both][age] > 0 {
			ages = append(ages, float64(age))
			rates = append(rates, s.Moves[Both][age]/s.Persons[Both][age])
		}
	}
	if rc, err := FitRogersCastro(ages, rates); err != nil {
		s.RCErr = err.Error()
	} else {
		s.RC = rc
	}

	s.distance(a)
	for _, g := range a.grewUp[max(0, len(a.grewUp)-GrewUpRows):] {
		for c := range g[0] {
			for k := range g[0][c] {
				s.GrewUp[c][k] += g[0][c][k]
				s.LivingThere[c][k] += g[1][c][k]
			}
		}
	}

	for _, c := range a.class {
		if c >= 0 && c < len(s.ClassRegions) {
			s.ClassRegions[c]++
		}
	}
	s.RegionCodes = make([]string, a.n)
	for i := range a.w.Regions {
		s.RegionCodes[i] = a.w.Regions[i].Code
	}
	s.RegionIn, s.RegionOut = slices.Clone(a.inDom), slices.Clone(a.outDom)
	s.RegionResidentYears = slices.Clone(a.popSum)
	s.SameCountyShare, s.NoCounties = math.NaN(), a.noCounty
	if a.county != nil {
		var same, all float64
		for i := 0; i < a.n; i++ {
			for j := 0; j < a.n; j++ {
				f := a.pair[i*a.n+j]
				all += f
				if a.county[i] == a.county[j] {
					same += f
				}
			}
		}
		if all > 0 {
			s.SameCountyShare = same / all
		}
	}

	if a.startPop != nil {
		end := a.endPop
		if end == nil {
			end = a.startPop
		}
		var nat0, nat1 float64
		for i := 0; i < a.n; i++ {
			c := a.class[i]
			p := s.ClassPopulation[c]
			p[0] += a.startPop[i]
			p[1] += end[i]
			s.ClassPopulation[c] = p
			s.ClassNetDomestic[c] += a.inDom[i] - a.outDom[i] // sums of integers: exact
			nat0 += a.startPop[i]
			nat1 += end[i]
		}
		s.NationalPopulation = [2]float64{nat0, nat1}
		for c, net := range s.ClassNetDomestic {
			s.ClassShareChange[c] = math.NaN()
			if nat0 > 0 {
				s.ClassShareChange[c] = net / nat0
			}
		}
	}
	return s
}

// distance fits the gravity model (see the package doc).
func (s *Stats) distance(a *Accumulator) {
	s.DistanceExponent, s.DistanceIntercept, s.DistanceExponentWLS = math.NaN(), math.NaN(), math.NaN()
	if a.counted == 0 {
		return
	}
	type obs struct{ x, e, f float64 } // ln km, P_i·P_j, moves
	all := make([]obs, 0, a.n*(a.n-1))
	nPairs := 0
	for _, f := range a.pair {
		if f > 0 {
			nPairs++
		}
	}
	s.Pairs = make([]Pair, 0, nPairs)
	var sw, sx, sy, sxx, sxy float64
	bands := map[int]*struct {
		x, e, f float64
		n       int
	}{}
	for i := 0; i < a.n; i++ {
		pi := a.popSum[i] / float64(a.counted)
		for j := 0; j < a.n; j++ {
			pj := a.popSum[j] / float64(a.counted)
			if i == j || pi <= 0 || pj <= 0 {
				continue
			}
			km, f := a.km[i*a.n+j], a.pair[i*a.n+j]
			o := obs{math.Log(km), pi * pj, f}
			all = append(all, o)
			k := int(math.Floor(4 * math.Log10(km)))
			b := bands[k]
			if b == nil {
				b = &struct {
					x, e, f float64
					n       int
				}{}
				bands[k] = b
			}
			b.x += o.e * o.x
			b.e += o.e
			b.f += f
			b.n++
			if f <= 0 {
				continue
			}
			s.Pairs = append(s.Pairs, Pair{Origin: i, Destination: j, Km: km, Moves: f, PopProduct: o.e})
			y := math.Log(f / o.e)
			sw += f
			sx += f * o.x
			sy += f * y
			sxx += f * o.x * o.x
			sxy += f * o.x * y
		}
	}
	keys := make([]int, 0, len(bands))
	for k := range bands {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		b := bands[k]
		s.DistanceBands = append(s.DistanceBands, Band{Km: math.Exp(b.x / b.e), Ratio: b.f / b.e, Pairs: b.n})
	}
	if len(s.Pairs) < 3 {
		return
	}
	if mx := sx / sw; sxx/sw-mx*mx > 0 {
		slope := (sxy/sw - mx*(sy/sw)) / (sxx/sw - mx*mx)
		s.DistanceExponentWLS = -slope
	}

	// PPML: maximise Σ F·(c − k·x) − e·exp(c − k·x). For a given k the best
	// c is ln(Σ F / Σ e·exp(−k·x)); Newton's method on the profiled
	// likelihood, which is concave in k, with steps of at most 1.
	k := 1.0
	for range 100 {
		var sf, sm, sfx, smx, smxx float64
		for _, o := range all {
			m := o.e * math.Exp(-k*o.x)
			sf += o.f
			sm += m
			sfx += o.f * o.x
			smx += m * o.x
			smxx += m * o.x * o.x
		}
		if sf == 0 || sm == 0 {
			return
		}
		// d/dk of the profiled log-likelihood and its second derivative.
		g := sf*smx/sm - sfx
		h := -sf * (smxx/sm - (smx/sm)*(smx/sm))
		if h >= 0 {
			return
		}
		step := math.Max(-1, math.Min(1, -g/h))
		k += step
		if math.Abs(step) < 1e-9 {
			break
		}
	}
	var sf, sm float64
	for _, o := range all {
		sf += o.f
		sm += o.e * math.Exp(-k*o.x)
	}
	s.DistanceExponent, s.DistanceIntercept = k, math.Log(sf/sm)
}
