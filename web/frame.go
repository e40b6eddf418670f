package web

import (
	"math"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// Age bands of the regional age pyramids: 0–4, 5–9 … 85–89 and 90+.
const (
	bandYears = 5
	numBands  = 19
)

// Frame is what the browser gets for one year of one simulation: the
// per-region metrics the map colours by, the regional detail a clicked
// municipality's charts need, and the national series. Per-region slices
// are in the world's region order. All counts are real-population figures
// (sampled counts × record.Year.Weight, rounded).
type Frame struct {
	Side string `json:"side"` // "scenario" or "baseline" (compare runs)
	Year int    `json:"year"`

	Pop      []int64   `json:"pop"`      // residents on 1 January
	Median   []float64 `json:"median"`   // median age in years (one decimal)
	HigherEd []float64 `json:"higherEd"` // % of residents aged 25+ with higher education
	Net      []int64   `json:"net"`      // net migration (domestic and international) in the year before
	Commute  []float64 `json:"commute"`  // % of employed residents working in another region
	// Pyr[r] is region r's age pyramid: numBands women, then numBands men.
	Pyr [][]int64 `json:"pyr"`
	// In[r] and Out[r] are the domestic moves into and out of region r in
	// the year before, by motive (record.MotiveNames).
	In  [][]int64 `json:"in"`
	Out [][]int64 `json:"out"`

	// Central is the % of the population living in municipalities of SSB
	// centrality class 1–3.
	Central float64 `json:"central"`
	// Pyramid[sex] is the national population by single year of age
	// (sex 0 women, 1 men).
	Pyramid [2][]int64 `json:"pyramid"`
	// MoveRate[age] is moves between regions per 1000 residents of that age
	// in the year before (both sexes); 0 in the start row.
	MoveRate []float64 `json:"moveRate"`
	// Year totals (the year before; zero in the start row).
	Population int64                    `json:"population"`
	Moves      int64                    `json:"moves"`
	Motives    [record.NumMotives]int64 `json:"motives"`
	Births     int64                    `json:"births"`
	Deaths     int64                    `json:"deaths"`
	Immigrants int64                    `json:"immigrants"`
	Emigrants  int64                    `json:"emigrants"`
}

// MapFrame is a Frame's per-region map metrics, for the further paired
// runs of a comparison: replicate 2, 3 … (the first is streamed as
// Frames).
type MapFrame struct {
	Side      string    `json:"side"`
	Replicate int       `json:"replicate"`
	Year      int       `json:"year"`
	Pop       []int64   `json:"pop"`
	Median    []float64 `json:"median"`
	HigherEd  []float64 `json:"higherEd"`
	Net       []int64   `json:"net"`
	Commute   []float64 `json:"commute"`
}

// mapFrame returns f's map metrics as replicate k.
func (f *Frame) mapFrame(k int) *MapFrame {
	return &MapFrame{Side: f.Side, Replicate: k, Year: f.Year, Pop: f.Pop, Median: f.Median, HigherEd: f.HigherEd, Net: f.Net, Commute: f.Commute}
}

// frameMaker computes Frames, reusing its counting buffers from year to
// year. It is not safe for concurrent use.
type frameMaker struct {
	w    *world.World
	hist [][2][world.MaxAge + 1]int64 // per region, sex, age: sampled persons
}

// frame computes the Frame of the simulation's current year from its
// record rec and, for the single-year ages per region, one pass over the
// persons. Cost O(persons + regions × ages).
func (fm *frameMaker) frame(side string, sim *engine.Sim, rec *record.Year) *Frame {
	w := fm.w
	n := w.N()
	if fm.hist == nil {
		fm.hist = make([][2][world.MaxAge + 1]int64, n)
	}
	clear(fm.hist)
	p := &sim.State().Persons
	for i := range p.Len() {
		if p.Flags[i]&population.Alive == 0 {
			continue
		}
		fm.hist[p.Region[i]][p.Sex[i]&1][min(int(p.Age[i]), world.MaxAge)]++
	}
	wt := rec.Weight
	real := func(x int64) int64 { return int64(math.Round(float64(x) * wt)) }
	f := &Frame{
		Side: side, Year: rec.Year,
		Pop: make([]int64, n), Median: make([]float64, n), HigherEd: make([]float64, n),
		Net: make([]int64, n), Commute: make([]float64, n),
		Pyr: make([][]int64, n), In: make([][]int64, n), Out: make([][]int64, n),
	}
	var central, total int64
	for r := range n {
		reg := &rec.Regions[r]
		f.Pop[r] = real(reg.Population)
		f.Net[r] = real(reg.NetMigration())
		if reg.Employed > 0 {
			f.Commute[r] = round1(100 * float64(reg.OutCommuters) / float64(reg.Employed))
		}
		h := &fm.hist[r]
		var over25, all int64
		pyr := make([]int64, 2*numBands)
		for sex := range 2 {
			for age, c := range h[sex] {
				all += c
				if age >= 25 {
					over25 += c
				}
				pyr[sex*numBands+min(age/bandYears, numBands-1)] += c
			}
		}
		for k := range pyr {
			pyr[k] = real(pyr[k])
		}
		f.Pyr[r] = pyr
		f.Median[r] = round1(median(h))
		if over25 > 0 {
			f.HigherEd[r] = round1(100 * float64(reg.HigherEducation) / float64(over25))
		}
		f.In[r] = make([]int64, record.NumMotives)
		f.Out[r] = make([]int64, record.NumMotives)
		total += reg.Population
		if c := w.Regions[r].Centrality; c >= 1 && c <= 3 {
			central += reg.Population
		}
		f.Births += reg.Births
		f.Deaths += reg.Deaths
		f.Immigrants += reg.Immigrants
		f.Emigrants += reg.Emigrants
	}
	for _, fl := range rec.Flows {
		f.In[fl.Destination][fl.Motive] += fl.Moves
		f.Out[fl.Origin][fl.Motive] += fl.Moves
		f.Motives[fl.Motive] += fl.Moves
		f.Moves += fl.Moves
	}
	for r := range n {
		for m := range record.NumMotives {
			f.In[r][m], f.Out[r][m] = real(f.In[r][m]), real(f.Out[r][m])
		}
	}
	for m := range f.Motives {
		f.Motives[m] = real(f.Motives[m])
	}
	if total > 0 {
		f.Central = math.Round(10000*float64(central)/float64(total)) / 100
	}
	f.Population = real(total)
	f.Moves = real(f.Moves)
	f.Births, f.Deaths = real(f.Births), real(f.Deaths)
	f.Immigrants, f.Emigrants = real(f.Immigrants), real(f.Emigrants)
	f.MoveRate = make([]float64, world.MaxAge+1)
	for sex := range 2 {
		f.Pyramid[sex] = make([]int64, world.MaxAge+1)
		for age := range f.Pyramid[sex] {
			if age < len(rec.Population[sex]) {
				f.Pyramid[sex][age] = real(rec.Population[sex][age])
			}
		}
	}
	for age := range f.MoveRate {
		var pop, moves int64
		for sex := range 2 {
			if age < len(rec.Population[sex]) {
				pop += rec.Population[sex][age]
			}
			if age < len(rec.Moves[sex]) {
				moves += rec.Moves[sex][age]
			}
		}
		if pop > 0 {
			f.MoveRate[age] = round1(1000 * float64(moves) / float64(pop))
		}
	}
	return f
}

// median returns the median age of a region's single-year histogram, with
// the persons of each year of age spread evenly over it (the grouped-data
// median with width one year); NaN for an empty region is reported as 0.
func median(h *[2][world.MaxAge + 1]int64) float64 {
	var all int64
	for sex := range 2 {
		for _, c := range h[sex] {
			all += c
		}
	}
	if all == 0 {
		return 0
	}
	half := float64(all) / 2
	var cum float64
	for age := range world.MaxAge + 1 {
		c := float64(h[0][age] + h[1][age])
		if cum+c >= half && c > 0 {
			return float64(age) + (half-cum)/c
		}
		cum += c
	}
	return world.MaxAge
}
