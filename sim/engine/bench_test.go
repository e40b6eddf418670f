package engine

import (
	"fmt"
	"testing"

	"github.com/settle-sim/settle/sim/params"
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
