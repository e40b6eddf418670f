package main

import (
	"math"
	"math/rand/v2"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// fakeSim stands in for engine.Sim: a crude random population process in
// sampled counts whose accounting balances exactly, fast and deterministic
// for a seed.
type fakeSim struct {
	w      *world.World
	cfg    engine.Config
	rng    *rand.Rand
	year   int
	pop    []int64
	onStep func(year int) // called after each Step
}

func newFake(onStep func(int)) func(*world.World, engine.Config) (simulator, error) {
	return func(w *world.World, cfg engine.Config) (simulator, error) {
		f := &fakeSim{w: w, cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 7)), year: w.StartYear, onStep: onStep}
		for i := range w.Regions {
			f.pop = append(f.pop, int64(math.Round(float64(w.Regions[i].Population)*cfg.Scale)))
		}
		return f, nil
	}
}

func (f *fakeSim) Workers() int { return max(f.cfg.Workers, 1) }

func (f *fakeSim) record() *record.Year {
	rec := &record.Year{Year: f.year, Regions: make([]record.Region, len(f.pop)), Structure: make([]record.Structure, len(f.pop)), Living: make([]record.Living, len(f.pop)), Weight: 1 / f.cfg.Scale}
	for s := range 2 {
		rec.Population[s] = make([]int64, world.MaxAge+1)
		rec.Moves[s] = make([]int64, world.MaxAge+1)
	}
	return rec
}

func (f *fakeSim) finish(rec *record.Year) *record.Year {
	for i := range f.pop {
		r := &rec.Regions[i]
		f.pop[i] += r.Births - r.Deaths + r.InDomestic - r.OutDomestic + r.Immigrants - r.Emigrants
		r.Population = f.pop[i]
		r.Age0to19, r.Age20to39, r.Age40to66 = f.pop[i]/5, f.pop[i]/4, f.pop[i]/3
		r.Age67Plus = f.pop[i] - r.Age0to19 - r.Age20to39 - r.Age40to66
		r.Employed, r.Jobs, r.Dwellings = f.pop[i]/2, f.pop[i]/2, f.pop[i]/2
		r.PriceIndex = 1 + float64(i)/100
		r.Households = f.pop[i] / 2
		rec.Structure[i][0][2][1] = f.pop[i] / 2
		rec.Structure[i][1][2][1] = f.pop[i] - f.pop[i]/2
		rec.Living[i][0][3][record.LivingCouple] = f.pop[i] / 3
		for a := range world.MaxAge + 1 {
			rec.Population[a%2][a] += f.pop[i] / (world.MaxAge + 1)
		}
	}
	return rec
}

func (f *fakeSim) Observe() *record.Year { return f.finish(f.record()) }

func (f *fakeSim) Step() *record.Year {
	f.year++
	rec := f.record()
	n := len(f.pop)
	for i := range n {
		r := &rec.Regions[i]
		r.Births = f.rng.Int64N(f.pop[i]/80 + 1)
		r.Deaths = f.rng.Int64N(f.pop[i]/90 + 1)
		r.Immigrants = f.rng.Int64N(f.pop[i]/100 + 1)
		r.Emigrants = f.rng.Int64N(f.pop[i]/150 + 1)
	}
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			m := f.rng.Int64N(f.pop[i]/(40*int64(n)) + 1)
			if m == 0 {
				continue
			}
			rec.Regions[i].OutDomestic += m
			rec.Regions[j].InDomestic += m
			rec.Flows = append(rec.Flows, record.Flow{
				FlowKey: record.FlowKey{Origin: uint16(i), Destination: uint16(j), AgeGroup: uint8(f.rng.IntN(record.NumAgeGroups)), Motive: uint8(f.rng.IntN(record.NumMotives))},
				Moves:   m,
			})
			rec.Moves[f.rng.IntN(2)][20+f.rng.IntN(10)] += m
		}
	}
	f.finish(rec)
	if f.onStep != nil {
		f.onStep(f.year)
	}
	return rec
}
