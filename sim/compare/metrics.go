package compare

import (
	"math"
	"slices"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/state"
)

// Metric is a figure of deltas.csv: a stock on 1 January of the year or a
// flow during the year before it (as in a run's regions.csv).
type Metric int

// The metrics. Counts are real-population figures: sampled counts times
// 1/scale, not rounded (a run's regions.csv rounds them, so its figures may
// differ from these by rounding units).
const (
	Population         Metric = iota
	Age0to19                  // residents aged 0–19
	Age20to39                 // 20–39
	Age40to66                 // 40–66
	Age67Plus                 // 67 and over
	HigherEducation           // residents 25+ with a bachelor's degree or more
	Employed                  // residents with a job
	Unemployed                // residents seeking work
	Jobs                      // jobs located in the unit
	NetMigration              // domestic and international, during the year before
	NetDomestic               // in_domestic − out_domestic, during the year before
	InCommuters               // workers living elsewhere
	OutCommuters              // residents working elsewhere
	RemoteWorkers             // residents with a location-independent job held from home
	Students                  // residents in higher education (where they are registered)
	StudyPlaceStudents        // students whose study place is in the unit, wherever registered (study.csv)
	PartTimeResidents         // second-home residents from elsewhere
	Dwellings                 // the dwelling stock
	Households                // private households living in the unit
	VacantDwellings           // dwellings without a household
	Crowded                   // households beyond the dwellings
	PriceIndex                // dwelling price level (national start mean = 1), weighted by dwellings
	ExplainedByJobs           // net domestic migration job growth explains (Attractiveness decomposition)
	Attractiveness            // net domestic migration job growth does not explain
	// The components of the change in residents, during the year before
	// (appended after the others, so that deltas.csv's earlier rows keep
	// their order): population(t) = population(t−1) + Births − Deaths +
	// NetDomestic + NetInternational. A group's InDomestic and
	// OutDomestic count only the moves across its border (moves between
	// its own regions are neither), so that InDomestic − OutDomestic is
	// its NetDomestic; the nation's are zero.
	Births           // births
	Deaths           // deaths
	InDomestic       // moves in from other regions of the world (a group: from outside it)
	OutDomestic      // moves out to other regions of the world (a group: to outside it)
	Immigrants       // moves in from abroad
	Emigrants        // moves out to abroad
	NetInternational // Immigrants − Emigrants
	NumMetrics
)

// MetricNames are the names in the metric column of deltas.csv; those that
// are columns of a run's regions.csv have the same name.
var MetricNames = [NumMetrics]string{"population", "age_0_19", "age_20_39", "age_40_66", "age_67_plus",
	"higher_education", "employed", "unemployed", "jobs", "net_migration", "net_domestic",
	"in_commuters", "out_commuters", "remote_workers", "students", "students_studying_here", "part_time_residents", "dwellings",
	"households", "vacant_dwellings", "households_without_dwelling", "price_index",
	"explained_by_jobs", "attractiveness",
	"births", "deaths", "in_domestic", "out_domestic", "immigrants", "emigrants", "net_international"}

// MetricText are plain-language names of the metrics, for reports.
var MetricText = [NumMetrics]string{"residents", "residents aged 0–19", "residents aged 20–39", "residents aged 40–66",
	"residents aged 67+", "residents with higher education", "employed residents", "unemployed residents",
	"jobs", "net migration", "net domestic migration", "in-commuters", "out-commuters", "remote workers",
	"students (registered residents)", "students at the study places", "part-time residents (second homes)", "dwellings", "households", "vacant dwellings", "households without a dwelling",
	"price level", "net migration explained by job growth", "attractiveness (net migration beyond job growth)",
	"births", "deaths", "domestic moves in", "domestic moves out", "immigrants", "emigrants", "net international migration"}

// Flow reports whether m happens during the year before its row (zero in the
// start year) rather than being a stock on 1 January.
func (m Metric) Flow() bool {
	return m == NetMigration || m == NetDomestic || m == ExplainedByJobs || m == Attractiveness || m >= Births
}

// Stepped reports whether m is a count of simulated persons (or
// dwellings, jobs …) times 1/scale, whose differences come in steps of
// 1/scale: every metric but the price level and the attractiveness
// decomposition's explained part and attractiveness (a regression's fitted
// values and what is left of net domestic migration after them).
func (m Metric) Stepped() bool {
	return m != PriceIndex && m != ExplainedByJobs && m != Attractiveness
}

// Decimals is how many decimals m is written with.
func (m Metric) Decimals() int {
	if m == PriceIndex {
		return 4
	}
	return 1
}

// Pyramid age groups: 0–4, 5–9 … 85–89, 90+.
const (
	PyramidGroups = 19
	pyramidWidth  = 5
)

// PyramidGroupName returns the label of pyramid age group g in
// pyramids.csv ("25-29", "90+"): ASCII hyphens, as flows.csv's age groups,
// so that the tables join and filter alike.
func PyramidGroupName(g int) string {
	if g == PyramidGroups-1 {
		return itoa(g*pyramidWidth) + "+"
	}
	return itoa(g*pyramidWidth) + "-" + itoa(g*pyramidWidth+pyramidWidth-1)
}

// table is one run's figures: vals[(metric*units+unit)*years+t], the net
// moves into each focus unit by age group and motive, the pyramids of the
// focus units in the first and last year, and the regression of the
// attractiveness decomposition for each year.
type table struct {
	units, years int
	vals         []float64
	flows        []float64 // [focus][t][age group][motive], net moves into the unit
	pyramids     []float64 // [start/end][focus][sex][group]
	model        []Model   // [t]
}

func newTable(units, years, focus int) *table {
	return &table{
		units:    units,
		years:    years,
		vals:     make([]float64, int(NumMetrics)*units*years),
		flows:    make([]float64, focus*years*record.NumAgeGroups*record.NumMotives),
		pyramids: make([]float64, 2*focus*2*PyramidGroups),
		model:    make([]Model, years),
	}
}

func (t *table) at(m Metric, u, y int) *float64 { return &t.vals[(int(m)*t.units+u)*t.years+y] }

// observer fills a table from the records of one run.
type observer struct {
	units    []Unit
	focus    []int
	focusOf  [][]int // focus indices containing each region
	t        *table
	prevPop  []float64 // sampled population and jobs of each region a year before
	prevJobs []float64
	attr     attrScratch
	// groupsOf are the groups (unit indices beyond the regions) that
	// contain each region, and crossIn and crossOut the sampled moves
	// into and out of each unit across its border in the current year
	// (InDomestic and OutDomestic of a group).
	groupsOf          [][]int
	crossIn, crossOut []int64
}

func newObserver(units []Unit, focus []int, nRegions, years int) *observer {
	o := &observer{units: units, focus: focus, focusOf: make([][]int, nRegions),
		prevPop: make([]float64, nRegions), prevJobs: make([]float64, nRegions),
		groupsOf: make([][]int, nRegions), crossIn: make([]int64, len(units)), crossOut: make([]int64, len(units))}
	for u := nRegions; u < len(units); u++ {
		for _, r := range units[u].Regions {
			o.groupsOf[r] = append(o.groupsOf[r], u)
		}
	}
	for f, u := range focus {
		for _, r := range units[u].Regions {
			o.focusOf[r] = append(o.focusOf[r], f)
		}
	}
	o.t = newTable(len(units), years, len(focus))
	return o
}

// reset starts a new run.
func (o *observer) reset() {
	clear(o.t.vals)
	clear(o.t.flows)
	clear(o.t.pyramids)
	clear(o.t.model)
}

// observe records y as year index ti (0 = the start row).
func (o *observer) observe(y *record.Year, ti int) {
	t, w := o.t, y.Weight
	n := len(y.Regions)
	for r := range y.Regions {
		g := &y.Regions[r]
		set := func(m Metric, v int64) { *t.at(m, r, ti) = float64(v) * w }
		set(Population, g.Population)
		set(Age0to19, g.Age0to19)
		set(Age20to39, g.Age20to39)
		set(Age40to66, g.Age40to66)
		set(Age67Plus, g.Age67Plus)
		set(HigherEducation, g.HigherEducation)
		set(Employed, g.Employed)
		set(Unemployed, g.Unemployed)
		set(Jobs, g.Jobs)
		set(NetMigration, g.NetMigration())
		set(NetDomestic, g.InDomestic-g.OutDomestic)
		set(Births, g.Births)
		set(Deaths, g.Deaths)
		set(InDomestic, g.InDomestic)
		set(OutDomestic, g.OutDomestic)
		set(Immigrants, g.Immigrants)
		set(Emigrants, g.Emigrants)
		set(NetInternational, g.Immigrants-g.Emigrants)
		set(InCommuters, g.InCommuters)
		set(OutCommuters, g.OutCommuters)
		set(RemoteWorkers, g.RemoteWorkers)
		set(Students, g.Students)
		set(StudyPlaceStudents, g.StudyPlaceStudents)
		set(PartTimeResidents, g.PartTimeResidents)
		set(Dwellings, g.Dwellings)
		set(Households, g.Households)
		set(VacantDwellings, g.VacantDwellings)
		set(Crowded, g.Crowded)
		*t.at(PriceIndex, r, ti) = g.PriceIndex
	}
	if ti > 0 {
		t.model[ti] = o.attr.decompose(y, o.prevPop, o.prevJobs,
			t.vals[(int(ExplainedByJobs)*t.units)*t.years:], t.vals[(int(Attractiveness)*t.units)*t.years:], t.years, ti)
	}
	for r := range y.Regions {
		o.prevPop[r] = float64(y.Regions[r].Population)
		o.prevJobs[r] = float64(y.Regions[r].Jobs)
	}
	// Groups: sums of their regions; the price index weighted by dwellings.
	for u := n; u < len(o.units); u++ {
		for m := range NumMetrics {
			if m == PriceIndex {
				continue
			}
			s := 0.0
			for _, r := range o.units[u].Regions {
				s += *t.at(m, r, ti)
			}
			*t.at(m, u, ti) = s
		}
		num, den := 0.0, 0.0
		for _, r := range o.units[u].Regions {
			d := *t.at(Dwellings, r, ti)
			num += d * *t.at(PriceIndex, r, ti)
			den += d
		}
		if den > 0 {
			*t.at(PriceIndex, u, ti) = num / den
		}
	}
	o.crossBorder(y, ti)
	// Net moves into the focus units by age group and motive.
	cell := record.NumAgeGroups * record.NumMotives
	for i := range y.Flows {
		fl := &y.Flows[i]
		k := int(fl.AgeGroup)*record.NumMotives + int(fl.Motive)
		v := float64(fl.Moves) * w
		for _, f := range o.focusOf[fl.Destination] {
			t.flows[(f*t.years+ti)*cell+k] += v
		}
		for _, f := range o.focusOf[fl.Origin] {
			t.flows[(f*t.years+ti)*cell+k] -= v
		}
	}
}

// crossBorder sets the groups' InDomestic and OutDomestic of year index
// ti to the moves across their borders: a move between two regions of a
// group is a move in of one and a move out of the other, and the sums of
// the regions' counted it as both (the nation's in and out were every
// move of the year); it is neither. NetDomestic, the sum of
// the regions' in − out, is unchanged by it. Every move between regions
// is a cell of y.Flows (state.Mover.MovePerson counts both), so the
// groups' in − out here equals the sum of their regions' exactly.
func (o *observer) crossBorder(y *record.Year, ti int) {
	n := len(y.Regions)
	if len(o.units) == n {
		return
	}
	clear(o.crossIn)
	clear(o.crossOut)
	for i := range y.Flows {
		fl := &y.Flows[i]
		from, to := o.groupsOf[fl.Origin], o.groupsOf[fl.Destination]
		for _, u := range to {
			if !slices.Contains(from, u) {
				o.crossIn[u] += fl.Moves
			}
		}
		for _, u := range from {
			if !slices.Contains(to, u) {
				o.crossOut[u] += fl.Moves
			}
		}
	}
	t, w := o.t, y.Weight
	for u := n; u < len(o.units); u++ {
		*t.at(InDomestic, u, ti) = float64(o.crossIn[u]) * w
		*t.at(OutDomestic, u, ti) = float64(o.crossOut[u]) * w
	}
}

// pyramid counts the residents of the focus units by sex and five-year age
// group from the persons of s: into the start (end = false) or end pyramid.
func (o *observer) pyramid(s *state.State, end bool) {
	nf := len(o.focus)
	off := 0
	if end {
		off = nf * 2 * PyramidGroups
	}
	p := &s.Persons
	w := 1 / s.Scale
	pyr := o.t.pyramids[off : off+nf*2*PyramidGroups]
	for i := range p.Age {
		if p.Flags[i]&population.Alive == 0 {
			continue
		}
		g := min(int(p.Age[i])/pyramidWidth, PyramidGroups-1)
		sx := int(p.Sex[i])
		for _, f := range o.focusOf[p.Region[i]] {
			pyr[(f*2+sx)*PyramidGroups+g] += w
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	k := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		k--
		b[k] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		k--
		b[k] = '-'
	}
	return string(b[k:])
}

// welford accumulates the mean and the sum of squared deviations of each
// cell of equally long vectors (Welford's algorithm), one vector a replicate.
type welford struct {
	n        int
	mean, m2 []float64
}

func newWelford(size int) *welford {
	return &welford{mean: make([]float64, size), m2: make([]float64, size)}
}

func (a *welford) add(x []float64) {
	a.n++
	k := float64(a.n)
	for i, v := range x {
		d := v - a.mean[i]
		a.mean[i] += d / k
		a.m2[i] += d * (v - a.mean[i])
	}
}

// addDiff adds the vector x − y.
func (a *welford) addDiff(x, y []float64) {
	a.n++
	k := float64(a.n)
	for i := range x {
		v := x[i] - y[i]
		d := v - a.mean[i]
		a.mean[i] += d / k
		a.m2[i] += d * (v - a.mean[i])
	}
}

// sd returns the sample standard deviation of cell i (NaN for fewer than two
// replicates).
func (a *welford) sd(i int) float64 {
	if a.n < 2 {
		return math.NaN()
	}
	return math.Sqrt(math.Max(a.m2[i], 0) / float64(a.n-1))
}
