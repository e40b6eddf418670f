package fit

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"

	"github.com/settle-sim/settle/sim/targets"
)

// RC is a Rogers–Castro schedule fitted by FitRogersCastro.
type RC struct {
	targets.Schedule
	// RMSE is the root mean squared error of the fit, in moves per person
	// per year; N the number of ages fitted.
	RMSE float64
	N    int
}

// FitRogersCastro fits the seven-parameter Rogers–Castro schedule (see
// targets.Schedule) to rates, moves per person per year at ages, by least
// squares. The parameters are kept positive by fitting their logarithms
// (all but Mu2); the minimiser is Nelder–Mead from a few starting points
// derived from the data (the peak, the old-age level, the infant rate),
// polished by BFGS with finite-difference gradients
// (gonum.org/v1/gonum/optimize). The best fit is returned. It needs at
// least 8 ages with finite rates, including some below 10 and above 40.
//
// The parameters of a Rogers–Castro schedule trade off against each other
// (a flatter childhood curve against a larger constant), so two good fits
// of similar data may differ in single parameters while their curves agree;
// compare curves and peaks rather than single parameters.
func FitRogersCastro(ages, rates []float64) (RC, error) {
	if len(ages) != len(rates) {
		return RC{}, fmt.Errorf("fit: %d ages but %d rates", len(ages), len(rates))
	}
	var xs, ys []float64
	young, old := false, false
	var ss float64
	for i, x := range ages {
		y := rates[i]
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(y, 0) || math.IsInf(x, 0) {
			continue
		}
		xs = append(xs, x)
		ys = append(ys, y)
		ss += y * y
		young = young || x < 10
		old = old || x > 40
	}
	if len(xs) < 8 || !young || !old {
		return RC{}, errors.New("fit: a Rogers–Castro fit needs rates at 8 or more ages, some below 10 and some above 40")
	}
	if ss == 0 {
		return RC{}, errors.New("fit: all rates are zero; there is no schedule to fit")
	}
	// The objective is the squared error relative to the data's sum of
	// squares, so the convergence thresholds do not depend on its units.
	f := func(th []float64) float64 {
		s := fromTheta(th)
		var e float64
		for i, x := range xs {
			d := s.Rate(x) - ys[i]
			e += d * d
		}
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return math.Inf(1)
		}
		return e / ss
	}
	best := RC{}
	bestF := math.Inf(1)
	for _, start := range starts(xs, ys) {
		th := toTheta(start)
		x, v := minimise(f, th)
		if v < bestF {
			bestF = v
			best.Schedule = fromTheta(x)
		}
	}
	if math.IsInf(bestF, 1) {
		return RC{}, errors.New("fit: the Rogers–Castro fit did not converge")
	}
	best.N = len(xs)
	best.RMSE = math.Sqrt(bestF * ss / float64(len(xs)))
	return best, nil
}

// minimise runs Nelder–Mead and then BFGS from th and returns the best point.
func minimise(f func([]float64) float64, th []float64) ([]float64, float64) {
	p := optimize.Problem{Func: f}
	best, bestF := th, f(th)
	if res, err := optimize.Minimize(p, th, &optimize.Settings{MajorIterations: 4000, FuncEvaluations: 20000,
		Converger: &optimize.FunctionConverge{Relative: 1e-12, Absolute: 1e-14, Iterations: 200}}, &optimize.NelderMead{}); res != nil && (err == nil || res.F < bestF) {
		if res.F < bestF {
			best, bestF = res.X, res.F
		}
	}
	p.Grad = func(grad, x []float64) {
		fd.Gradient(grad, f, x, &fd.Settings{Formula: fd.Central})
	}
	if res, _ := optimize.Minimize(p, best, &optimize.Settings{MajorIterations: 500, GradientThreshold: 1e-12}, &optimize.BFGS{}); res != nil && res.F < bestF {
		best, bestF = res.X, res.F
	}
	return best, bestF
}

// theta maps the schedule to unconstrained coordinates: logs of all
// parameters but Mu2.
func toTheta(s targets.Schedule) []float64 {
	return []float64{math.Log(s.A1), math.Log(s.Alpha1), math.Log(s.A2), s.Mu2,
		math.Log(s.Alpha2), math.Log(s.Lambda2), math.Log(s.C)}
}

func fromTheta(th []float64) targets.Schedule {
	return targets.Schedule{A1: math.Exp(th[0]), Alpha1: math.Exp(th[1]), A2: math.Exp(th[2]), Mu2: th[3],
		Alpha2: math.Exp(th[4]), Lambda2: math.Exp(th[5]), C: math.Exp(th[6])}
}

// starts returns starting schedules derived from the data: the constant
// from the lowest rate above 40, the labour-force peak from the highest rate
// among ages 12–45, the childhood curve from the youngest rate; with a few
// shapes for the labour-force curve.
func starts(xs, ys []float64) []targets.Schedule {
	c := math.Inf(1)
	peakX, peakY := 22.0, 0.0
	youngX, youngY := math.Inf(1), 0.0
	for i, x := range xs {
		y := ys[i]
		if x > 40 && y < c {
			c = y
		}
		if x >= 12 && x <= 45 && y > peakY {
			peakX, peakY = x, y
		}
		if x < youngX {
			youngX, youngY = x, y
		}
	}
	c = math.Max(0.9*c, 1e-4)
	a1 := math.Max(youngY-c, 1e-3)
	var out []targets.Schedule
	for _, shape := range [][2]float64{{0.13, 0.3}, {0.1, 0.5}, {0.2, 0.25}} {
		al2, l2 := shape[0], shape[1]
		u := math.Log(l2/al2) / l2 // the labour-force curve's peak after Mu2
		h := math.Exp(-al2*u - math.Exp(-l2*u))
		out = append(out, targets.Schedule{
			A1: a1, Alpha1: 0.1,
			A2: math.Max(peakY-c, 1e-3) / h, Mu2: peakX - u, Alpha2: al2, Lambda2: l2,
			C: c,
		})
	}
	return out
}
