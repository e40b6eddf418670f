package output

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// Summary holds the key figures of a run, at real scale, for the table
// `settle run` prints at the end.
type Summary struct {
	weight              float64 // real persons per simulated one
	Dir                 string  // the run folder
	FirstYear, LastYear int
	Years               int // simulated years (LastYear − FirstYear)

	// Classes is the population change by SSB centrality class, most
	// central first (class 0: regions without a class).
	Classes []ClassChange
	// Gainers and Losers are the regions with the largest and smallest
	// relative change (at most 5 each, ties by region order). Regions that
	// started empty are left out, and so are, in a sample (scale below 1),
	// the LeftOut regions with fewer than MinListed simulated persons at
	// the start, whose change is mostly chance.
	Gainers, Losers []RegionChange
	LeftOut         int
	// MovesPer1000 is the mean over the simulated years of moves between
	// regions per 1000 residents (the mean of the populations on 1 January
	// before and after the year); NaN without simulated years.
	MovesPer1000 float64
	// PeakAge is the age at the peak of the migration schedule (both
	// sexes, over all the simulated years) smoothed over three years of age,
	// as settle fit measures it (SchedulePeak), and PeakRate the moves per
	// person a year there; TopAge is the single year of age from 10 to 50
	// moving most and TopRate its rate. A spike (the year students leave home) can put
	// TopAge well before the schedule's peak. PeakAge is NaN and TopAge −1
	// without simulated years.
	PeakAge, PeakRate float64
	TopAge            int
	TopRate           float64
	// Births, Deaths, Immigrants and Emigrants are the country's over the
	// simulated years (real scale); FirstNet and LastNet its net
	// international migration in the first and the last year.
	Births, Deaths, Immigrants, Emigrants int64
	FirstNet, LastNet                     int64
	// Projection says which national projection the rates followed (set
	// by the caller; "" leaves the line out).
	Projection string
}

// SchedulePeak returns the age and the rate per 1000 at the peak of a
// migration schedule (moves and persons by single year of age) smoothed
// over three years of age: the highest of the smoothed rates from age 10
// to 50, refined to the vertex of the parabola through it and its
// neighbours. NaN, NaN when there is none.
func SchedulePeak(moves, persons []float64) (age, rate float64) {
	return SchedulePeakIn(moves, persons, 10, 50)
}

// SchedulePeakIn is SchedulePeak with the peak sought from age lo to hi.
func SchedulePeakIn(moves, persons []float64, lo, hi int) (age, rate float64) {
	smooth := func(a int) float64 {
		var m, p float64
		for k := a - 1; k <= a+1; k++ {
			if k >= 0 && k < len(moves) && k < len(persons) {
				m += moves[k]
				p += persons[k]
			}
		}
		if p == 0 {
			return math.NaN()
		}
		return 1000 * m / p
	}
	best, bestRate := -1, math.Inf(-1)
	for a := lo; a <= hi; a++ {
		if r := smooth(a); r > bestRate {
			best, bestRate = a, r
		}
	}
	if best < 0 {
		return math.NaN(), math.NaN()
	}
	// Vertex of the parabola through (best−1, best, best+1).
	l, c, r := smooth(best-1), bestRate, smooth(best+1)
	age = float64(best)
	if d := l - 2*c + r; d < 0 && !math.IsNaN(d) {
		off := 0.5 * (l - r) / d
		return age + off, c - 0.25*(l-r)*off
	}
	return age, bestRate
}

// ClassChange is the population change of one centrality class.
type ClassChange struct {
	Class       int // 1 most central … 6 least central; 0 unknown
	Regions     int
	Start, End  int64
	NetDomestic int64 // in_domestic − out_domestic over the run
	sampled     int64 // NetDomestic in simulated persons (the country's sums to 0)
}

// Change returns the relative change in percent (NaN when Start is 0).
func (c ClassChange) Change() float64 { return pct(c.Start, c.End) }

// RegionChange is the population change of one region.
type RegionChange struct {
	Code, Name string
	Start, End int64
}

// Change returns the relative change in percent (NaN when Start is 0).
func (c RegionChange) Change() float64 { return pct(c.Start, c.End) }

func pct(start, end int64) float64 {
	if start == 0 {
		return math.NaN()
	}
	return 100 * float64(end-start) / float64(start)
}

// MinListed is the fewest simulated persons at the start a region needs
// to be listed among the largest gainers and losers of a sample: in a
// smaller one a few moves more or less make tens of per cent (Utsira's 11
// persons at scale 0.05 grew 145 %).
const MinListed = 200

// summer accumulates the summary as records are written.
type summer struct {
	weight      float64 // real persons per simulated one
	first, last int
	years       int
	start       []int64 // population at real scale in the first record
	netDom      []int64
	prevTotal   int64
	movesRate   float64 // sum over years of moves per 1000
	// The country's components over the years, simulated persons, and its
	// net international migration in the first and the last year.
	births, deaths, immigrants, emigrants int64
	firstNet, lastNet                     int64
	// The schedule, both sexes, summed over the years: moves by age, and
	// the persons who could make them, the cohort on the 1 January before
	// (as sim/fit counts them); prevAge is that population.
	ageMoves, agePersons [world.MaxAge + 1]float64
	prevAge              [world.MaxAge + 1]int64
}

func (s *summer) init(n int) {
	s.start = make([]int64, n)
	s.netDom = make([]int64, n)
}

// add takes a record after its regions were written; pop is the carried
// real-scale population.
func (s *summer) add(y *record.Year, pop []int64, first bool) {
	var total, moves int64
	for i := range pop {
		total += pop[i]
	}
	defer func() {
		for age := range s.prevAge {
			s.prevAge[age] = at(y.Population[0], age) + at(y.Population[1], age)
		}
	}()
	if first {
		s.weight = y.Weight
		s.first, s.last = y.Year, y.Year
		copy(s.start, pop)
		s.prevTotal = total
		return
	}
	s.last = y.Year
	s.years++
	var net int64
	for i := range y.Regions {
		r := &y.Regions[i]
		s.births += r.Births
		s.deaths += r.Deaths
		s.immigrants += r.Immigrants
		s.emigrants += r.Emigrants
		net += r.Immigrants - r.Emigrants
		// Sampled moves, scaled once per class in summary: rounding each
		// region's in and out apart left the country a net domestic
		// migration of a few dozen persons, where it is 0.
		s.netDom[i] += y.Regions[i].InDomestic - y.Regions[i].OutDomestic
		moves += scaled(y.Regions[i].OutDomestic, y.Weight)
	}
	if s.years == 1 {
		s.firstNet = net
	}
	s.lastNet = net
	if mean := float64(s.prevTotal+total) / 2; mean > 0 {
		s.movesRate += 1000 * float64(moves) / mean
	}
	s.prevTotal = total
	top := len(s.prevAge) - 1
	for age := range s.ageMoves {
		s.ageMoves[age] += float64(at(y.Moves[0], age) + at(y.Moves[1], age))
		switch age {
		case 0: // born in the year
			s.agePersons[0] += float64(at(y.Population[0], 0) + at(y.Population[1], 0))
		case top:
			s.agePersons[top] += float64(s.prevAge[top-1] + s.prevAge[top])
		default:
			s.agePersons[age] += float64(s.prevAge[age-1])
		}
	}
}

func (s *summer) summary(regions []world.Region, pop []int64, dir string) *Summary {
	sum := &Summary{
		weight: s.weight, Dir: dir, FirstYear: s.first, LastYear: s.last, Years: s.years,
		MovesPer1000: math.NaN(), PeakAge: math.NaN(), PeakRate: math.NaN(), TopAge: -1,
	}
	sum.Births, sum.Deaths = scaled(s.births, s.weight), scaled(s.deaths, s.weight)
	sum.Immigrants, sum.Emigrants = scaled(s.immigrants, s.weight), scaled(s.emigrants, s.weight)
	sum.FirstNet, sum.LastNet = scaled(s.firstNet, s.weight), scaled(s.lastNet, s.weight)
	if s.years > 0 {
		sum.MovesPer1000 = s.movesRate / float64(s.years)
		age, rate := SchedulePeak(s.ageMoves[:], s.agePersons[:])
		sum.PeakAge, sum.PeakRate = age, rate/1000
		for age := 10; age <= 50; age++ { // where SchedulePeak looks: a sparse old age is no rival
			if s.agePersons[age] == 0 {
				continue
			}
			if r := s.ageMoves[age] / s.agePersons[age]; sum.TopAge < 0 || r > sum.TopRate {
				sum.TopAge, sum.TopRate = age, r
			}
		}
	}

	byClass := map[int]*ClassChange{}
	var changes []RegionChange
	for i := range regions {
		c := byClass[regions[i].Centrality]
		if c == nil {
			c = &ClassChange{Class: regions[i].Centrality}
			byClass[c.Class] = c
		}
		c.Regions++
		c.Start += s.start[i]
		c.End += pop[i]
		c.sampled += s.netDom[i]
		switch {
		case s.start[i] == 0:
		case s.weight > 1 && math.Round(float64(s.start[i])/s.weight) < MinListed:
			sum.LeftOut++
		default:
			changes = append(changes, RegionChange{regions[i].Code, regions[i].Name, s.start[i], pop[i]})
		}
	}
	for _, c := range byClass {
		c.NetDomestic = scaled(c.sampled, s.weight)
		sum.Classes = append(sum.Classes, *c)
	}
	slices.SortFunc(sum.Classes, func(a, b ClassChange) int {
		return cmp.Compare(classOrder(a.Class), classOrder(b.Class))
	})

	k := min(5, len(changes)/2)
	byChange := func(a, b RegionChange) int { return cmp.Compare(b.Change(), a.Change()) }
	slices.SortStableFunc(changes, byChange)
	sum.Gainers = slices.Clone(changes[:k])
	slices.SortStableFunc(changes, func(a, b RegionChange) int { return byChange(b, a) })
	sum.Losers = slices.Clone(changes[:k])
	return sum
}

// classOrder sorts class 0 (unknown) last.
func classOrder(c int) int {
	if c == 0 {
		return math.MaxInt
	}
	return c
}

// WriteText writes the summary as aligned text tables.
func (s *Summary) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	y0, y1 := strconv.Itoa(s.FirstYear), strconv.Itoa(s.LastYear)

	fmt.Fprintf(tw, "Population by centrality class, %s–%s (1 = most central … 6 = least central):\n", y0, y1)
	fmt.Fprintf(tw, "class\tregions\t%s\t%s\tchange\tnet domestic\t\n", y0, y1)
	var all ClassChange
	for _, c := range s.Classes {
		label := strconv.Itoa(c.Class)
		if c.Class == 0 {
			label = "none"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", label, c.Regions, Group(c.Start), Group(c.End), percent(c.Change()), signed(c.NetDomestic))
		all.Regions += c.Regions
		all.Start += c.Start
		all.End += c.End
		all.sampled += c.sampled
	}
	all.NetDomestic = scaled(all.sampled, s.weight)
	fmt.Fprintf(tw, "all\t%d\t%s\t%s\t%s\t%s\t\n", all.Regions, Group(all.Start), Group(all.End), percent(all.Change()), signed(all.NetDomestic))
	if s.weight != math.Trunc(s.weight) {
		// 1/scale not whole: regions.csv rounds each region's moves, so
		// its sums differ from these by a few (the country's net is not 0).
		tw.Flush()
		fmt.Fprintf(w, "(net domestic: the simulated moves of each class times 1/scale = %.4g, rounded once; regions.csv rounds each region's, so its sums may differ by a few persons)\n", s.weight)
	}
	if s.Years > 0 {
		// The country's account: what the population change is made of,
		// to hold against a national projection.
		first, last := strconv.Itoa(s.FirstYear), strconv.Itoa(s.LastYear-1)
		tw.Flush()
		if s.Years == 1 {
			fmt.Fprintf(w, "In %s: births %s, deaths %s, immigrants %s, emigrants %s (net migration %s)\n",
				first, Group(s.Births), Group(s.Deaths), Group(s.Immigrants), Group(s.Emigrants), signed(s.FirstNet))
		} else {
			fmt.Fprintf(w, "Over %s–%s: births %s, deaths %s, immigrants %s, emigrants %s (net migration %s in %s, %s in %s)\n",
				first, last, Group(s.Births), Group(s.Deaths), Group(s.Immigrants), Group(s.Emigrants),
				signed(s.FirstNet), first, signed(s.LastNet), last)
		}
	}
	if s.Projection != "" {
		tw.Flush()
		fmt.Fprintf(w, "National rates: %s\n", s.Projection)
	}

	// Where no region shrank (or none grew), the lists are the smallest
	// changes, and say so. Otherwise a list holds only regions that
	// changed its way: a world where three regions grew does not list a
	// fourth that shrank among the gainers.
	gainers, losers := "Largest gainers", "Largest losers"
	gainList, loseList := s.Gainers, s.Losers
	if len(s.Losers) > 0 && s.Losers[0].Change() >= 0 {
		losers = "Smallest growth (no region shrank)"
	} else {
		loseList = slices.DeleteFunc(slices.Clone(loseList), func(r RegionChange) bool { return r.Change() >= 0 })
	}
	if len(s.Gainers) > 0 && s.Gainers[0].Change() <= 0 {
		gainers = "Smallest losses (no region grew)"
	} else {
		gainList = slices.DeleteFunc(slices.Clone(gainList), func(r RegionChange) bool { return r.Change() <= 0 })
	}
	for _, list := range []struct {
		title   string
		regions []RegionChange
	}{{gainers, gainList}, {losers, loseList}} {
		if len(list.regions) == 0 {
			continue
		}
		fmt.Fprintf(tw, "\n%s:\n", list.title)
		fmt.Fprintf(tw, "change\t%s\t%s\t  region\n", y0, y1)
		for _, r := range list.regions {
			fmt.Fprintf(tw, "%s\t%s\t%s\t  %s (%s)\n", percent(r.Change()), Group(r.Start), Group(r.End), r.Name, r.Code)
		}
	}
	if s.LeftOut > 0 {
		regions := "regions"
		if s.LeftOut == 1 {
			regions = "region"
		}
		fmt.Fprintf(tw, "(%d %s of fewer than %d simulated persons at the start left out of these lists: their change is mostly chance)\n", s.LeftOut, regions, MinListed)
	}
	fmt.Fprintln(tw)
	if s.Years == 0 {
		fmt.Fprintln(tw, "No year was simulated.")
	} else {
		years := "years"
		if s.Years == 1 {
			years = "year"
		}
		fmt.Fprintf(tw, "Moves between regions: %.1f per 1000 residents per year (mean of %d %s)\n", s.MovesPer1000, s.Years, years)
		if !math.IsNaN(s.PeakAge) && s.PeakRate > 0 { // no moves (a world of one region): no peak
			fmt.Fprintf(tw, "Peak migration age:    %.1f (%.3f moves per person a year in the schedule smoothed over three years of age, settle fit's measure)\n", s.PeakAge, s.PeakRate)
		}
		if s.TopAge >= 0 && s.TopRate > 0 && math.Abs(float64(s.TopAge)-s.PeakAge) >= 1.5 {
			fmt.Fprintf(tw, "                       the single year of age moving most is %d (%.3f)\n", s.TopAge, s.TopRate)
		}
	}
	fmt.Fprintf(tw, "Results:               %s\n", s.Dir)
	return tw.Flush()
}

// Group formats n with thousands separators: 5,550,203 and -35
// (phrase.Group, which the packages below output call).
func Group(n int64) string { return phrase.Group(n) }

func signed(n int64) string {
	if n > 0 {
		return "+" + Group(n)
	}
	return Group(n)
}

func percent(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return fmt.Sprintf("%+.1f%%", p)
}
