package web

import (
	"encoding/json"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
)

// BenchmarkFrame measures what the server adds to a simulated year: the
// frame of Norway at the classroom scale and its JSON. On the project's
// machine about 2 ms and 1 ms (71 kB), against some 30–60 ms for the year.
func BenchmarkFrame(b *testing.B) {
	w := loadWorld(b, "norway-2024")
	sim, err := engine.New(w, engine.Config{Seed: 1, Scale: 0.05, Behaviour: params.Default()})
	if err != nil {
		b.Fatal(err)
	}
	rec := sim.Step()
	fm := frameMaker{w: w}
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		f := fm.frame("scenario", sim, rec)
		data, _ := json.Marshal(f)
		size = len(data)
	}
	b.ReportMetric(float64(size)/1024, "kB/frame")
}
