package calibrate

import (
	"fmt"
	"os"

	"github.com/settle-sim/settle/sim/fit"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

// Targets is a targets file as a calibration reads it.
type Targets struct {
	*targets.Targets
	File   string // the file the targets were read from
	SHA256 string // hex SHA-256 of its bytes
}

// LoadTargets reads the targets of s: the file s.Targets names, or, when it
// is empty, s.File itself (package targets ignores its [calibration]
// table). Errors name the file's lines.
func LoadTargets(s *Spec) (*Targets, error) {
	file := s.Targets
	if file == "" {
		file = s.File
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; check calibration.targets in %s", file, err, s.File)
	}
	t, err := targets.Parse(file, data)
	if err != nil {
		return nil, err
	}
	return &Targets{Targets: t, File: file, SHA256: world.SHA256Hex(data)}, nil
}

// FitScorer scores runs with fit.Loss against t: the statistics of
// fit.NewAccumulator over the targets' window (cut short by a shorter run).
func FitScorer(t *targets.Targets) Scorer { return fitScorer{t} }

type fitScorer struct{ t *targets.Targets }

func (f fitScorer) NewRun(w *world.World) RunScorer {
	return &FitRun{t: f.t, acc: fit.NewAccumulator(w, f.t)}
}

// FitRun is the RunScorer of FitScorer; Stats gives the run's statistics
// after the last Add.
type FitRun struct {
	t     *targets.Targets
	acc   *fit.Accumulator
	stats *fit.Stats
}

// Add implements RunScorer.
func (r *FitRun) Add(y *record.Year) { r.acc.Add(y); r.stats = nil }

// Stats returns the statistics of the years added so far.
func (r *FitRun) Stats() fit.Stats {
	if r.stats == nil {
		s := r.acc.Stats()
		r.stats = &s
	}
	return *r.stats
}

// Loss implements RunScorer.
func (r *FitRun) Loss() float64 { return fit.Loss(r.t, r.Stats()) }
