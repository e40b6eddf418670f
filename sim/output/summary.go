package output

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// Summary holds the key figures of a run, at real scale, for the table
// `settle run` prints at the end.
type Summary struct {
	Dir                 string // the run folder
	FirstYear, LastYear int
	Years               int // simulated years (LastYear − FirstYear)

	// Classes is the population change by SSB centrality class, most
	// central first (class 0: regions without a class).
	Classes []ClassChange
	// Gainers and Losers are the regions with the largest and smallest
	// relative change (at most 5 each, ties by region order). Regions that
	// started empty are left out.
	Gainers, Losers []RegionChange
	// MovesPer1000 is the mean over the simulated years of moves between
	// regions per 1000 residents (the mean of the populations on 1 January
	// before and after the year); NaN without simulated years.
	MovesPer1000 float64
	// PeakAge is the single year of age with the highest moves per resident
	// (both sexes, the rate averaged over the years), and PeakRate that
	// rate; PeakAge is −1 without simulated years.
	PeakAge  int
	PeakRate float64
}

// ClassChange is the population change of one centrality class.
type ClassChange struct {
	Class       int // 1 most central … 6 least central; 0 unknown
	Regions     int
	Start, End  int64
	NetDomestic int64 // in_domestic − out_domestic over the run
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

// summer accumulates the summary as records are written.
type summer struct {
	first, last int
	years       int
	start       []int64 // population at real scale in the first record
	netDom      []int64
	prevTotal   int64
	movesRate   float64                   // sum over years of moves per 1000
	ageRate     [world.MaxAge + 1]float64 // sum over years of moves/population
	ageYears    [world.MaxAge + 1]int
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
	if first {
		s.first, s.last = y.Year, y.Year
		copy(s.start, pop)
		s.prevTotal = total
		return
	}
	s.last = y.Year
	s.years++
	for i := range y.Regions {
		in, out := scaled(y.Regions[i].InDomestic, y.Weight), scaled(y.Regions[i].OutDomestic, y.Weight)
		s.netDom[i] += in - out
		moves += out
	}
	if mean := float64(s.prevTotal+total) / 2; mean > 0 {
		s.movesRate += 1000 * float64(moves) / mean
	}
	s.prevTotal = total
	for age := range s.ageRate {
		p := at(y.Population[0], age) + at(y.Population[1], age)
		if p > 0 {
			s.ageRate[age] += float64(at(y.Moves[0], age)+at(y.Moves[1], age)) / float64(p)
			s.ageYears[age]++
		}
	}
}

func (s *summer) summary(regions []world.Region, pop []int64, dir string) *Summary {
	sum := &Summary{
		Dir: dir, FirstYear: s.first, LastYear: s.last, Years: s.years,
		MovesPer1000: math.NaN(), PeakAge: -1,
	}
	if s.years > 0 {
		sum.MovesPer1000 = s.movesRate / float64(s.years)
		for age := range s.ageRate {
			if s.ageYears[age] == 0 {
				continue
			}
			if r := s.ageRate[age] / float64(s.ageYears[age]); sum.PeakAge < 0 || r > sum.PeakRate {
				sum.PeakAge, sum.PeakRate = age, r
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
		c.NetDomestic += s.netDom[i]
		if s.start[i] > 0 {
			changes = append(changes, RegionChange{regions[i].Code, regions[i].Name, s.start[i], pop[i]})
		}
	}
	for _, c := range byClass {
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
		all.NetDomestic += c.NetDomestic
	}
	fmt.Fprintf(tw, "all\t%d\t%s\t%s\t%s\t%s\t\n", all.Regions, Group(all.Start), Group(all.End), percent(all.Change()), signed(all.NetDomestic))

	// Where no region shrank (or none grew), the lists are the smallest
	// changes, and say so.
	gainers, losers := "Largest gainers", "Largest losers"
	if len(s.Losers) > 0 && s.Losers[0].Change() >= 0 {
		losers = "Smallest growth (no region shrank)"
	}
	if len(s.Gainers) > 0 && s.Gainers[0].Change() <= 0 {
		gainers = "Smallest losses (no region grew)"
	}
	for _, list := range []struct {
		title   string
		regions []RegionChange
	}{{gainers, s.Gainers}, {losers, s.Losers}} {
		if len(list.regions) == 0 {
			continue
		}
		fmt.Fprintf(tw, "\n%s:\n", list.title)
		fmt.Fprintf(tw, "change\t%s\t%s\t  region\n", y0, y1)
		for _, r := range list.regions {
			fmt.Fprintf(tw, "%s\t%s\t%s\t  %s (%s)\n", percent(r.Change()), Group(r.Start), Group(r.End), r.Name, r.Code)
		}
	}
	fmt.Fprintln(tw)
	if s.Years == 0 {
		fmt.Fprintln(tw, "No year was simulated.")
	} else {
		fmt.Fprintf(tw, "Moves between regions: %.1f per 1000 residents per year (mean of %d years)\n", s.MovesPer1000, s.Years)
		if s.PeakAge >= 0 {
			fmt.Fprintf(tw, "Peak migration age:    %d (the single year of age moving most: %.3f moves per person per year)\n", s.PeakAge, s.PeakRate)
		}
	}
	fmt.Fprintf(tw, "Results:               %s\n", s.Dir)
	return tw.Flush()
}

// Group formats n with thousands separators: 5,550,203 and -35.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

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
