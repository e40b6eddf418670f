//go:build unix

package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/settle-sim/settle/sim/engine"
)

// benchSweep is a grid of 8 runs of the teaching world at a quarter of its
// population (about 100,000 persons) for 5 years.
const benchSweep = `[sweep]
scenario = "base.toml"
[[parameter]]
path = "behaviour.move_scale"
values = [0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2]
[[parameter]]
path = "scale"
values = 0.25
[[parameter]]
path = "years"
values = 5
[metrics]
pop = "population(by=centrality)"
moves = "moves_per_1000"
`

// BenchmarkThroughput compares, in agent-years per second (persons advanced
// through a simulated year, synthesis included), one run on one core
// (single), one run with the engine's own parallelism on W cores
// (engine/workers=W), and a sweep running W single-core runs side by side
// (sweep/workers=W). A sweep's ideal is W × single; the ratio
// sweep/(W·single) is its parallel efficiency. On a shared machine the
// wall clock depends on what else runs, so each also reports agent-years
// per CPU-second of the process (user + system time), which does not (the
// sweep's CPU efficiency is its ratio to single's), and the cores it got:
// CPU time over wall time.
func BenchmarkThroughput(b *testing.B) {
	sw := load(b, benchSweep)
	job := sw.Job(0)
	one := func(b *testing.B, workers int) {
		var agents float64
		cpu0 := cpuTime()
		for b.Loop() {
			cfg := job.Config
			cfg.Workers = workers
			sim, err := engine.New(sw.World, cfg)
			if err != nil {
				b.Fatal(err)
			}
			for range job.Years {
				rec := sim.Step()
				for i := range rec.Regions {
					agents += float64(rec.Regions[i].Population)
				}
			}
		}
		b.ReportMetric(agents/b.Elapsed().Seconds(), "agent-years/s")
		cpu := (cpuTime() - cpu0).Seconds()
		b.ReportMetric(agents/cpu, "agent-years/cpu-s")
		b.ReportMetric(cpu/b.Elapsed().Seconds(), "cores")
	}
	b.Run("single", func(b *testing.B) { one(b, 1) })
	for _, w := range []int{1, 2} {
		if w > 1 {
			b.Run(fmt.Sprintf("engine/workers=%d", w), func(b *testing.B) { one(b, w) })
		}
		b.Run(fmt.Sprintf("sweep/workers=%d", w), func(b *testing.B) {
			var agents float64
			tmp := b.TempDir()
			n := 0
			cpu0 := cpuTime()
			for b.Loop() {
				n++
				res, err := Run(context.Background(), sw, Options{Dir: filepath.Join(tmp, fmt.Sprint(n)), Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				agents += res.AgentYears
				b.StopTimer()
				os.RemoveAll(filepath.Join(tmp, fmt.Sprint(n)))
				b.StartTimer()
			}
			b.ReportMetric(agents/b.Elapsed().Seconds(), "agent-years/s")
			cpu := (cpuTime() - cpu0).Seconds()
			b.ReportMetric(agents/cpu, "agent-years/cpu-s")
			b.ReportMetric(cpu/b.Elapsed().Seconds(), "cores")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
