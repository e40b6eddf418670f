package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// Stocks are a region's row of regions.csv that explain cares about.
type Stocks struct {
	Year                                              int
	Population, Jobs, Vacancies, Employed, Unemployed int64
	InCommuters, OutCommuters, RemoteWorkers          int64
	Students, Dwellings, HigherEducation              int64
	PriceIndex                                        float64
}

// Components are the flows of regions.csv summed over the years explained.
type Components struct {
	Births, Deaths, InDomestic, OutDomestic, Immigrants, Emigrants int64
}

// Partner is another region's moves with the explained region.
type Partner struct {
	Region  int
	In, Out int64 // moves from it into the region, and from the region to it
}

// Net returns In − Out.
func (p Partner) Net() int64 { return p.In - p.Out }

// Explanation says why people moved into and out of one region of a run:
// the components of its population change, its net moves by age group and
// motive, its partners in migration, and its jobs, housing and commuting at
// the start and the end of the years explained.
type Explanation struct {
	Dir      string
	Manifest *output.Manifest
	World    *world.World
	// Region is the region explained, or −1 for a county (Regions, County).
	Region int
	// Regions are the regions explained together, in the world's order
	// (one: Region); moves between them are not counted.
	Regions []int
	County  string // the county's name when a county is explained
	// From and To are the years of the stocks compared; the flows are those
	// of the rows From+1 … To (the moves during the years From … To−1).
	From, To   int
	Start, End Stocks
	Components Components
	// In and Out are the moves into and out of the region by age group and
	// motive.
	In, Out [record.NumAgeGroups][record.NumMotives]int64
	// Partners are every other region with moves to or from it, in the
	// world's order.
	Partners []Partner
}

// Net returns the net moves by age group and motive.
func (e *Explanation) Net(g, m int) int64 { return e.In[g][m] - e.Out[g][m] }

// Name is what is explained: the region's name, or the county's.
func (e *Explanation) Name() string {
	if e.Region < 0 {
		return e.County
	}
	return e.World.Regions[e.Region].Name
}

// Minutes is the travel time to region q from the region explained, or
// from the nearest of a county's regions: a mover's trip to q.
func (e *Explanation) Minutes(q int) float64 {
	best := math.Inf(1)
	for _, r := range e.Regions {
		best = math.Min(best, float64(e.World.TravelMinutes(r, q)))
	}
	return best
}

// MinutesFrom is the travel time from region q to the region explained, or
// to the nearest of a county's regions: a mover's trip from q. It differs
// from Minutes only where a travel-time file gives the two directions
// different times.
func (e *Explanation) MinutesFrom(q int) float64 {
	best := math.Inf(1)
	for _, r := range e.Regions {
		best = math.Min(best, float64(e.World.TravelMinutes(q, r)))
	}
	return best
}

// TopOrigins returns the k regions that sent the most movers.
func (e *Explanation) TopOrigins(k int) []Partner {
	return top(e.Partners, k, func(p Partner) int64 { return p.In })
}

// TopDestinations returns the k regions that received the most movers.
func (e *Explanation) TopDestinations(k int) []Partner {
	return top(e.Partners, k, func(p Partner) int64 { return p.Out })
}

// TopNetGains returns the k regions the region gained the most residents
// from, net (In − Out > 0), the largest gain first.
func (e *Explanation) TopNetGains(k int) []Partner {
	return top(e.Partners, k, func(p Partner) int64 { return max(p.Net(), 0) })
}

// TopNetLosses returns the k regions the region lost the most residents
// to, net (In − Out < 0), the largest loss first.
func (e *Explanation) TopNetLosses(k int) []Partner {
	return top(e.Partners, k, func(p Partner) int64 { return max(-p.Net(), 0) })
}

// top returns the k partners with the largest key, the largest first and
// ties in the world's order; partners whose key is 0 (or less) are left
// out.
func top(ps []Partner, k int, key func(Partner) int64) []Partner {
	s := slices.Clone(ps)
	slices.SortStableFunc(s, func(a, b Partner) int {
		switch ka, kb := key(a), key(b); {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
	for len(s) > 0 && key(s[len(s)-1]) <= 0 {
		s = s[:len(s)-1]
	}
	return s[:min(k, len(s))]
}

// Explain reads the run folder dir (regions.csv, flows.csv and
// manifest.json, written by settle run) and explains the region named
// region (a code or name; world.Lookup, with did-you-mean): over the whole
// run when year is 0, else the moves recorded in year (during the year
// before it). It streams the files once. Cost: O(rows of flows.csv).
func Explain(dir, region string, year int) (*Explanation, error) {
	return explain(dir, year, func(w *world.World) ([]int, string, error) {
		r, err := w.Lookup(region)
		if err != nil {
			return nil, "", fmt.Errorf("--region: %w", err)
		}
		return []int{r}, "", nil
	})
}

// ExplainCounty is Explain for the regions of a county together (by name
// or code; world.County): moves between them are left out, so that its
// moves in and out are those across the county's border.
func ExplainCounty(dir, county string, year int) (*Explanation, error) {
	return explain(dir, year, func(w *world.World) ([]int, string, error) {
		rs, name, err := w.County(county)
		if err != nil {
			return nil, "", fmt.Errorf("--county: %w", err)
		}
		return rs, name, nil
	})
}

// explain explains the regions pick chooses in the run in dir: one region
// (no county name) or a county.
func explain(dir string, year int, pick func(*world.World) ([]int, string, error)) (*Explanation, error) {
	m, err := output.ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a run folder: it has no %s; give a folder written by settle run (for a comparison, one of its runs/ folders, kept with --keep-runs)", dir, output.ManifestFile)
		}
		return nil, err
	}
	w, err := output.LoadWorld(dir, m)
	if err != nil {
		return nil, err
	}
	rs, county, err := pick(w)
	if err != nil {
		return nil, err
	}
	e := &Explanation{Dir: dir, Manifest: m, World: w, Region: -1, Regions: rs, County: county}
	if county == "" {
		e.Region = rs[0]
	}
	first, last := m.StartYear, m.StartYear+m.YearsCompleted
	if m.YearsCompleted == 0 && m.LastYear > 0 {
		last = m.LastYear
	}
	switch {
	case year == 0:
		e.From, e.To = first, last
	case year <= first || year > last:
		return nil, fmt.Errorf("--year %d: the run %s has the moves of %d–%d (the row %d is the start population); give a year in that range, or leave --year out for the whole run",
			year, dir, first+1, last, first)
	default:
		e.From, e.To = year-1, year
	}
	if e.From == e.To {
		return nil, fmt.Errorf("the run %s holds only its start population (%d); there are no moves to explain", dir, first)
	}
	codes := map[string]bool{}
	for _, r := range rs {
		codes[w.Regions[r].Code] = true
	}
	if err := e.readRegions(filepath.Join(dir, output.RegionsFile), codes); err != nil {
		return nil, err
	}
	if err := e.readFlows(filepath.Join(dir, output.FlowsFile), codes); err != nil {
		return nil, err
	}
	if e.Region < 0 {
		// A county's in_domestic and out_domestic summed would count the
		// moves between its regions: its moves are those across its
		// border, from flows.csv.
		e.Components.InDomestic, e.Components.OutDomestic = 0, 0
		for g := range e.In {
			for k := range e.In[g] {
				e.Components.InDomestic += e.In[g][k]
				e.Components.OutDomestic += e.Out[g][k]
			}
		}
	}
	return e, nil
}

// csvTable opens a CSV file of a run and maps its header to columns.
type csvTable struct {
	path string
	f    *os.File
	r    *csv.Reader
	col  map[string]int
	line int
}

func openCSV(path string, need []string) (*csvTable, error) {
	f, r, h, err := output.OpenCSV(path)
	if err != nil {
		return nil, err
	}
	t := &csvTable{path: path, f: f, r: r, col: map[string]int{}, line: 1}
	t.r.ReuseRecord = true
	for i, c := range h {
		t.col[c] = i
	}
	for _, c := range need {
		if _, ok := t.col[c]; !ok {
			f.Close()
			return nil, fmt.Errorf("%s:1: no column %q; is this a settle run's %s?", path, c, filepath.Base(path))
		}
	}
	return t, nil
}

func (t *csvTable) next() ([]string, error) {
	row, err := t.r.Read()
	if err == io.EOF {
		return nil, nil
	}
	t.line++
	if err != nil {
		return nil, output.DamagedCSV(t.path, false, len(t.col), err)
	}
	return row, nil
}

func (t *csvTable) int(row []string, name string) (int64, error) {
	v, err := strconv.ParseInt(row[t.col[name]], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s:%d: %s = %q is not a whole number", t.path, t.line, name, row[t.col[name]])
	}
	return v, nil
}

func (e *Explanation) readRegions(path string, codes map[string]bool) error {
	stockCols := []string{"population", "jobs", "vacancies", "employed", "unemployed", "in_commuters", "out_commuters",
		"remote_workers", "students", "dwellings", "higher_education"}
	flowCols := []string{"births", "deaths", "in_domestic", "out_domestic", "immigrants", "emigrants"}
	t, err := openCSV(path, append(append([]string{"year", "code", "price_index"}, stockCols...), flowCols...))
	if err != nil {
		return err
	}
	defer t.f.Close()
	found := 0
	// A county's price level is its regions' weighted by their dwellings.
	var priced, dwellings [2]float64
	for {
		row, err := t.next()
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if !codes[row[t.col["code"]]] {
			continue
		}
		year, err := strconv.Atoi(row[t.col["year"]])
		if err != nil {
			return fmt.Errorf("%s:%d: year %q is not a whole number", t.path, t.line, row[t.col["year"]])
		}
		if year < e.From || year > e.To {
			continue
		}
		var s *Stocks
		side := 0
		switch year {
		case e.From:
			s = &e.Start
		case e.To:
			s, side = &e.End, 1
		}
		if s != nil {
			s.Year = year
			for i, dst := range []*int64{&s.Population, &s.Jobs, &s.Vacancies, &s.Employed, &s.Unemployed, &s.InCommuters,
				&s.OutCommuters, &s.RemoteWorkers, &s.Students, &s.Dwellings, &s.HigherEducation} {
				v, err := t.int(row, stockCols[i])
				if err != nil {
					return err
				}
				*dst += v
			}
			price, err := strconv.ParseFloat(row[t.col["price_index"]], 64)
			if err != nil {
				return fmt.Errorf("%s:%d: price_index %q is not a number", t.path, t.line, row[t.col["price_index"]])
			}
			if len(codes) == 1 {
				s.PriceIndex = price
			} else {
				dw, _ := t.int(row, "dwellings")
				priced[side] += price * float64(max(dw, 1))
				dwellings[side] += float64(max(dw, 1))
			}
		}
		if year > e.From {
			c := &e.Components
			for i, dst := range []*int64{&c.Births, &c.Deaths, &c.InDomestic, &c.OutDomestic, &c.Immigrants, &c.Emigrants} {
				v, err := t.int(row, flowCols[i])
				if err != nil {
					return err
				}
				*dst += v
			}
		}
		found++
	}
	if want := (e.To - e.From + 1) * len(codes); found != want {
		return fmt.Errorf("%s: %s has %d rows for %d–%d, want %d; the file is damaged or of another run", path, e.Name(), found, e.From, e.To, want)
	}
	if len(codes) > 1 {
		e.Start.PriceIndex = priced[0] / dwellings[0]
		e.End.PriceIndex = priced[1] / dwellings[1]
	}
	return nil
}

func (e *Explanation) readFlows(path string, codes map[string]bool) error {
	t, err := openCSV(path, output.FlowsHeader)
	if err != nil {
		return err
	}
	defer t.f.Close()
	w := e.World
	index := make(map[string]int, w.N())
	for i := range w.Regions {
		index[w.Regions[i].Code] = i
	}
	ageGroup, motive := map[string]int{}, map[string]int{}
	for i, s := range record.AgeGroupNames {
		ageGroup[s] = i
	}
	for i, s := range record.MotiveNames {
		motive[s] = i
	}
	partners := make([]Partner, w.N())
	cy, co, cd, cg, cm := t.col["year"], t.col["origin"], t.col["destination"], t.col["age_group"], t.col["motive"]
	for {
		row, err := t.next()
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		// Moves across the border of what is explained (one region, or
		// a county whose internal moves are left out).
		in, out := codes[row[cd]] && !codes[row[co]], codes[row[co]] && !codes[row[cd]]
		if !in && !out {
			continue
		}
		year, err := strconv.Atoi(row[cy])
		if err != nil {
			return fmt.Errorf("%s:%d: year %q is not a whole number", t.path, t.line, row[cy])
		}
		if year <= e.From || year > e.To {
			continue
		}
		g, ok1 := ageGroup[row[cg]]
		m, ok2 := motive[row[cm]]
		other := row[co]
		if out {
			other = row[cd]
		}
		p, ok3 := index[other]
		if !ok1 || !ok2 || !ok3 {
			return fmt.Errorf("%s:%d: unknown region, age group or motive in %q; is this a run of world %s?", t.path, t.line, row, w.Name)
		}
		v, err := t.int(row, "moves")
		if err != nil {
			return err
		}
		if in {
			e.In[g][m] += v
			partners[p].In += v
		} else {
			e.Out[g][m] += v
			partners[p].Out += v
		}
	}
	for i := range partners {
		if partners[i].In != 0 || partners[i].Out != 0 {
			partners[i].Region = i
			e.Partners = append(e.Partners, partners[i])
		}
	}
	return nil
}
