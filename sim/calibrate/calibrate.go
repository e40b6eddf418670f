// Package calibrate fits behavioural parameters (sim/params) so that
// simulated runs reproduce target statistics.
//
// A Spec (usually the [calibration] table of a targets file, see ParseSpec)
// names the parameters and their bounds, the world, the reduced scale, the
// years and the seeds. Fit then minimises a loss with a derivative-free
// optimiser, gonum.org/v1/gonum/optimize's Nelder–Mead, over the logit of
// each parameter's bounds, so every proposal is a valid value. Each evaluation simulates the world once per seed, always the
// same seeds (common random numbers: the loss is a deterministic function of
// the parameters, and differences between points are not sampling noise of
// different draws), and averages the seeds' losses. A Scorer turns a run's
// records into a loss; sim/fit provides the one against a targets file.
//
// Start with ParseSpec, then Fit; WriteFitted writes the result as a
// [behaviour] table a scenario can use.
//
// Fit is deterministic: the same spec, scorer and start give the same
// evaluations in the same order for any number of workers.
package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// Scorer turns simulated runs into losses; 0 is a perfect fit, larger is
// worse. NewRun is called from several goroutines at once; each RunScorer
// it returns is used by one goroutine.
type Scorer interface {
	NewRun(w *world.World) RunScorer
}

// RunScorer scores one run. Add receives the start row (engine.Sim.Observe)
// and then each simulated year in order; the record is only valid during the
// call. Loss is called once, after the last year.
type RunScorer interface {
	Add(y *record.Year)
	Loss() float64
}

// Problem is a calibration to run.
type Problem struct {
	Spec  *Spec
	World *world.World
	// Base holds the values of the parameters that are not fitted and the
	// start values of those that are; the zero value means params.Default.
	Base   *params.Params
	Scorer Scorer
	// Workers is the number of goroutines (0 = one per CPU). The seeds of an
	// evaluation run side by side, and each run uses the workers left; the
	// results are the same for any number.
	Workers int
	// OnEval, if not nil, is called after every finished evaluation, in
	// order, from the goroutine that called Fit.
	OnEval func(Eval)
}

// Eval is one evaluation of the loss.
type Eval struct {
	N        int       // 1-based; evaluation 1 is the start point
	Values   []float64 // in Spec.Params order
	Loss     float64   // mean of SeedLoss
	SeedLoss []float64 // in Spec.Seeds order
	Best     bool      // the lowest loss so far (ties keep the earlier point)
	Elapsed  time.Duration
}

// Result is the outcome of Fit.
type Result struct {
	Start Eval // the start point (evaluation 1)
	// Best is the evaluation with the lowest loss. Its values are as the
	// optimiser found them; Params holds them rounded to Digits significant
	// digits, as WriteFitted writes them.
	Best  Eval
	Evals int
	// Restarts is the number of times the method was restarted around
	// the best point after it converged (Spec.Restarts).
	Restarts int
	// Status is why the optimiser stopped (gonum's status name, or
	// "interrupted"). Complete is false when the fit was interrupted.
	Status   string
	Complete bool
	// Params is Base with the fitted values (rounded, see Round).
	Params params.Params
	// Elapsed is the wall time of the fit.
	Elapsed time.Duration
}

// Digits is the number of significant digits of the fitted values: finer
// than the sampling noise of any affordable calibration, and short enough
// to read.
const Digits = 5

// Round returns v with Digits significant digits, kept inside [lo, hi].
func Round(v, lo, hi float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', Digits, 64), 64)
	if err != nil || r < lo || r > hi {
		return v
	}
	return r
}

// Fit runs the calibration. When ctx is cancelled it stops after at most the
// years already begun and returns the best point so far with Complete
// false, and ctx's error. Other errors (a failing engine) return a nil
// Result.
func Fit(ctx context.Context, p Problem) (*Result, error) {
	s := p.Spec
	eval := func(ctx context.Context, pp params.Params) ([]float64, error) {
		return Evaluate(ctx, p.World, pp, s.Scale, s.Years, s.Seeds, p.Workers, p.Scorer)
	}
	return minimise(ctx, s, p.Base, eval, p.OnEval)
}

// minimise minimises the mean of eval's losses over the parameters of s (the
// seam for tests with an analytic loss).
func minimise(ctx context.Context, s *Spec, basep *params.Params, eval func(context.Context, params.Params) ([]float64, error), onEval func(Eval)) (*Result, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	base := params.Default()
	if basep != nil {
		base = *basep
	}
	dim := len(s.Params)
	lo, hi := make([]float64, dim), make([]float64, dim)
	x0, z0 := make([]float64, dim), make([]float64, dim)
	for i, pr := range s.Params {
		lo[i], hi[i] = pr.Min, pr.Max
		v, err := base.Get(pr.Name)
		if err != nil {
			return nil, err
		}
		z0[i] = toUnbounded(v, lo[i], hi[i])
		// The start is the base value itself, not its round trip through
		// the logit (which may differ in the last bits), unless the
		// transform had to move it inside the bounds.
		x0[i] = v
		if !(v > lo[i] && v < hi[i]) {
			x0[i] = toBounded(z0[i], lo[i], hi[i])
		}
	}

	start := time.Now()
	var (
		res         = &Result{}
		evalErr     error
		n           int
		interrupted bool
		bestZ       []float64 // the optimiser's coordinates of res.Best
	)
	prob := optimize.Problem{
		Func: func(z []float64) float64 {
			if evalErr != nil || interrupted {
				return math.Inf(1)
			}
			x := make([]float64, dim)
			pp := base
			for i, pr := range s.Params {
				x[i] = toBounded(z[i], lo[i], hi[i])
				if n == 0 {
					x[i] = x0[i]
				}
				if err := pp.Set(pr.Name, x[i]); err != nil {
					panic("calibrate: " + err.Error()) // Check keeps bounds inside the ranges
				}
			}
			t0 := time.Now()
			seedLoss, err := eval(ctx, pp)
			if err != nil {
				if ctx.Err() != nil {
					interrupted = true
				} else {
					evalErr = err
				}
				return math.Inf(1)
			}
			n++
			e := Eval{N: n, Values: x, SeedLoss: seedLoss, Loss: mean(seedLoss), Elapsed: time.Since(t0)}
			if math.IsNaN(e.Loss) {
				e.Loss = math.Inf(1) // a run the scorer cannot score is no fit
			}
			if n == 1 {
				res.Start = e
			}
			if n == 1 || e.Loss < res.Best.Loss {
				e.Best = true
				res.Best = e
				bestZ = append(bestZ[:0], z...)
			}
			res.Evals = n
			if onEval != nil {
				onEval(e)
			}
			return e.Loss
		},
		Status: func() (optimize.Status, error) {
			if evalErr != nil {
				return optimize.Failure, evalErr
			}
			if interrupted || ctx.Err() != nil {
				interrupted = true
				return optimize.Failure, ctx.Err()
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		FuncEvaluations: s.MaxEvals - 1, // the start is evaluated first, below
		Converger: &optimize.FunctionConverge{
			Relative:   s.Tolerance,
			Iterations: s.patience(),
		},
		Concurrent: 1, // one evaluation at a time: the parallelism is inside it
	}
	newMethod := func() optimize.Method {
		switch s.Method {
		case "nelder-mead":
			return &optimize.NelderMead{SimplexSize: s.Step}
		}
		panic("calibrate: method " + s.Method) // Check knows the methods
	}
	// Evaluate the start point first, whatever the method: it is the
	// reference every report compares with, and a method that only samples
	// around the start would not give it.
	f0 := prob.Func(z0)
	if st, err := prob.Status(); st != optimize.NotTerminated {
		res.Elapsed = time.Since(start)
		if evalErr != nil {
			return nil, evalErr
		}
		return nil, err
	}
	settings.InitValues = &optimize.Location{F: f0}
	r, err := optimize.Minimize(prob, z0, settings, newMethod())
	// On a rugged loss (common random numbers make it deterministic, not
	// smooth) a simplex can shrink around a point that is only locally
	// lucky. A restart builds a fresh simplex of the first size around the
	// best point, as long as evaluations remain.
	for restart := 0; restart < s.Restarts && err == nil && r.Status == optimize.FunctionConvergence && n < s.MaxEvals-len(s.Params)-1; restart++ {
		settings.InitValues = &optimize.Location{F: res.Best.Loss}
		settings.FuncEvaluations = s.MaxEvals - n
		res.Restarts++
		r, err = optimize.Minimize(prob, append([]float64(nil), bestZ...), settings, newMethod())
	}
	res.Elapsed = time.Since(start)
	if evalErr != nil {
		return nil, evalErr
	}
	if n == 0 {
		if interrupted {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("calibrate: %w", err)
		}
	}
	res.Complete = !interrupted
	switch {
	case interrupted:
		res.Status = "interrupted"
	case r != nil:
		res.Status = r.Status.String()
	default:
		res.Status = "stopped"
	}
	res.Params = base
	for i, pr := range s.Params {
		if err := res.Params.Set(pr.Name, Round(res.Best.Values[i], pr.Min, pr.Max)); err != nil {
			panic("calibrate: " + err.Error())
		}
	}
	if interrupted {
		return res, ctx.Err()
	}
	if err != nil && r == nil {
		return res, fmt.Errorf("calibrate: %w", err)
	}
	return res, nil
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Evaluate simulates w with behaviour p for years years at scale, once per
// seed, and returns each run's loss in seed order. The runs use workers
// goroutines in all (0 = one per CPU): seeds run side by side when there
// are workers for it. Cost: len(seeds) syntheses and years ticks at scale.
// It stops between years when ctx is cancelled and returns ctx's error.
func Evaluate(ctx context.Context, w *world.World, p params.Params, scale float64, years int, seeds []uint64, workers int, sc Scorer) ([]float64, error) {
	runs, err := Simulate(ctx, w, p, scale, years, seeds, workers, sc.NewRun)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.Loss()
	}
	return out, nil
}

// Simulate runs w once per seed as Evaluate does, feeding each run's start
// row and years to a RunScorer from newRun, and returns them in seed order
// (for reports that need more than the loss).
func Simulate(ctx context.Context, w *world.World, p params.Params, scale float64, years int, seeds []uint64, workers int, newRun func(*world.World) RunScorer) ([]RunScorer, error) {
	if workers <= 0 {
		workers = numCPU()
	}
	side := min(len(seeds), workers)                     // runs side by side
	each := min(max(1, workers/side), engine.MaxWorkers) // engine workers per run
	runs := make([]RunScorer, len(seeds))
	errs := make([]error, len(seeds))
	var wg sync.WaitGroup
	next := make(chan int)
	for range side {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i], errs[i] = simulate(ctx, w, engine.Config{Seed: seeds[i], Scale: scale, Behaviour: p, Workers: each}, years, newRun)
			}
		}()
	}
	for i := range seeds {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func simulate(ctx context.Context, w *world.World, cfg engine.Config, years int, newRun func(*world.World) RunScorer) (RunScorer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sim, err := engine.New(w, cfg)
	if err != nil {
		return nil, err
	}
	r := newRun(w)
	r.Add(sim.Observe())
	for range years {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.Add(sim.Step())
	}
	return r, nil
}

func numCPU() int { return runtime.NumCPU() }
