package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

func loadWorld(b testing.TB, name string) *world.World {
	w, err := world.Load(name, "")
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkSynthesis measures building the full population of Norway.
func BenchmarkSynthesis(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	for _, scale := range []float64{0.1, 1} {
		b.Run(fmt.Sprintf("norway/scale=%g", scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New(w, Config{Seed: 1, Scale: scale, Behaviour: params.Default()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkYear measures one simulated year with every submodel, after a
// warm-up year so buffers have reached their steady-state sizes. It reports
// agent-updates per second (persons advanced through one tick).
func BenchmarkYear(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	for _, scale := range []float64{0.1, 1} {
		b.Run(fmt.Sprintf("norway/scale=%g", scale), func(b *testing.B) {
			sim, err := New(w, Config{Seed: 1, Scale: scale, Behaviour: params.Default()})
			if err != nil {
				b.Fatal(err)
			}
			sim.Step()
			b.ReportAllocs()
			b.ResetTimer()
			var persons float64
			for b.Loop() {
				rec := sim.Step()
				for _, r := range rec.Regions {
					persons += float64(r.Population)
				}
			}
			b.ReportMetric(persons/b.Elapsed().Seconds(), "agent-updates/s")
		})
	}
}

// BenchmarkSteps times each step of the tick at scale 1 (after a warm-up
// year) and reports its wall time per simulated year as "<step>-ms": where
// a year's time goes (docs/model.md, Speed).
func BenchmarkSteps(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	sim, err := New(w, Config{Seed: 1, Scale: 1, Behaviour: params.Default()})
	if err != nil {
		b.Fatal(err)
	}
	sim.Step()
	spent := make([]time.Duration, len(sim.steps))
	b.ResetTimer()
	for b.Loop() {
		for k, st := range sim.steps {
			t0 := time.Now()
			st.run(sim.s)
			spent[k] += time.Since(t0)
		}
	}
	for k, st := range sim.steps {
		b.ReportMetric(float64(spent[k].Microseconds())/1000/float64(b.N), st.name+"-ms")
	}
}

// BenchmarkRun simulates Norway at scale 1 for 30 years, as make run does
// (synthesis included), and reports the wall time of the first, the middle
// and the last year and the median year ("year1-ms", "year15-ms",
// "year30-ms", "median-year-ms"): later years cost more (more persons,
// households spread over the slots; docs/model.md, Speed), which
// BenchmarkYear, of the second year, does not show.
func BenchmarkRun(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	const years = 30
	var spent [years][]float64
	for b.Loop() {
		sim, err := New(w, Config{Seed: 1, Scale: 1, Behaviour: params.Default()})
		if err != nil {
			b.Fatal(err)
		}
		for y := range years {
			t0 := time.Now()
			sim.Step()
			spent[y] = append(spent[y], float64(time.Since(t0).Microseconds())/1000)
		}
	}
	mean := func(x []float64) float64 {
		var t float64
		for _, v := range x {
			t += v
		}
		return t / float64(len(x))
	}
	var each []float64
	for y := range years {
		each = append(each, mean(spent[y]))
	}
	b.ReportMetric(each[0], "year1-ms")
	b.ReportMetric(each[years/2-1], "year15-ms")
	b.ReportMetric(each[years-1], "year30-ms")
	slices.Sort(each)
	b.ReportMetric((each[years/2-1]+each[years/2])/2, "median-year-ms")
}

// BenchmarkPassFloor measures what a parallel pass over Norway's persons at
// scale 1 costs before its work: reading the 19 bytes a person that the
// observation reads, and one keyed draw a person (state.Keyed) against a
// probability by sex and age. The passes of the tick cost several times
// these.
func BenchmarkPassFloor(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	sim, err := New(w, Config{Seed: 1, Scale: 1, Behaviour: params.Default()})
	if err != nil {
		b.Fatal(err)
	}
	s := sim.s
	p := &s.Persons
	sums := make([]int64, 8*state.MaxWorkers)
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			s.ForChunksW(0, func(w, _, lo, hi int, _ *state.RNG) {
				var t int64
				region, work, second, homes := p.Region[lo:hi], p.Work[lo:hi], p.Second[lo:hi], p.Home[lo:hi]
				ages, sexes, edus, acts, years, partners := p.Age[lo:hi], p.Sex[lo:hi], p.Edu[lo:hi], p.Act[lo:hi], p.Years[lo:hi], p.Partner[lo:hi]
				for i, f := range p.Flags[lo:hi] {
					t += int64(f) + int64(region[i]) + int64(work[i]) + int64(second[i]) + int64(homes[i]) + int64(ages[i]) +
						int64(sexes[i]) + int64(edus[i]) + int64(acts[i]) + int64(years[i]) + int64(partners[i])
				}
				sums[8*w] += t
			})
		}
	})
	var rates state.Rates
	tab := make([]float64, 2*(world.MaxAge+1))
	for k := range tab {
		tab[k] = 0.001 + float64(k%(world.MaxAge+1))*0.0005
	}
	rates.Set(tab)
	b.Run("keyed", func(b *testing.B) {
		for b.Loop() {
			s.ForChunksW(state.StreamDemography, func(w, _, lo, hi int, _ *state.RNG) {
				k := s.Keyed(state.KeyDeath)
				var t int64
				ages, sexes := p.Age[lo:hi], p.Sex[lo:hi]
				for j, f := range p.Flags[lo:hi] {
					if f&population.Alive == 0 {
						continue
					}
					if k.U(lo+j) < rates.P(int(sexes[j]&1)*(world.MaxAge+1)+int(ages[j])) {
						t++
					}
				}
				sums[8*w] += t
			})
		}
	})
}
