// Package sensitivity measures how much each swept parameter moves each
// metric of a sweep (sim/sweep): Sobol' first- and total-order indices for
// a sobol design, standardised regression coefficients for any other, each
// with a bootstrap confidence interval, as a table and charts.
//
// Start with Analyse, which takes the results of a finished sweep
// (sweep.ReadResults); the estimators (SobolIndices, SRC) work on plain
// slices and are tested on functions whose indices are known.
//
// Replicates: a point's output is the mean of its replicates. Replicate r
// runs with the same seed at every point (common random numbers), so the
// noise of the simulation largely cancels between points and the indices
// measure the parameters rather than the seed.
package sensitivity

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/settle-sim/settle/sim/rng"
)

// Confidence is the coverage of the bootstrap intervals (percentile method).
const Confidence = 0.95

// streamBootstrap is the rng stream id of the bootstrap resamples.
const streamBootstrap = 0x424f4f54 // "BOOT"

// Index is an estimate with its bootstrap confidence interval. Low and High
// are NaN without bootstrap resamples; all three are NaN when the index is
// undefined (an output that does not vary).
type Index struct {
	Value, Low, High float64
}

// SobolResult holds the Sobol' indices of one output.
type SobolResult struct {
	// First and Total are S_i and ST_i of each parameter i.
	First, Total []Index
	// Variance is the output's variance over the A and B samples, in the
	// output's units squared.
	Variance float64
	// Samples is N, the rows of each matrix.
	Samples int
}

// SobolIndices estimates the first-order (Saltelli et al. 2010) and total
// (Jansen 1999) Sobol' indices of k parameters from y, the outputs of a
// Saltelli design in the order of design.Saltelli: y[j·(k+2)+m] is sample
// j of matrix m (0 = A, 1 = B, 2+i = AB_i). With V the variance of the A
// and B outputs:
//
//	S_i  = mean_j f_B(j)·(f_ABi(j) − f_A(j)) / V
//	ST_i = mean_j (f_A(j) − f_ABi(j))² / (2V)
//
// boot > 0 bootstrap resamples of the samples j (drawn from the stream
// (seed, streamBootstrap)) give percentile intervals. The outputs are
// standardised first (the indices do not change; the estimates' noise
// falls). Cost: O(boot·N·k).
func SobolIndices(y []float64, k, boot int, seed uint64) (SobolResult, error) {
	if k < 1 || len(y)%(k+2) != 0 || len(y) < 2*(k+2) {
		return SobolResult{}, fmt.Errorf("sensitivity: %d outputs are not a Saltelli design of %d parameters with at least 2 samples (it needs a multiple of %d)", len(y), k, k+2)
	}
	n := len(y) / (k + 2)
	// Centre and scale the outputs first: the estimators are invariant to
	// it in expectation, but the first-order one has a variance that grows
	// with the square of the mean (SALib does the same).
	mu, sd := stat.MeanStdDev(y, nil)
	if !(sd > 0) {
		sd = 1
	}
	y = slices.Clone(y)
	for i := range y {
		y[i] = (y[i] - mu) / sd
	}
	idx := make([]int, n)
	for j := range idx {
		idx[j] = j
	}
	est := func(idx []int) (v float64, s1, st []float64) {
		ab := make([]float64, 0, 2*len(idx))
		for _, j := range idx {
			ab = append(ab, y[j*(k+2)], y[j*(k+2)+1])
		}
		v = variance(ab)
		s1, st = make([]float64, k), make([]float64, k)
		for i := range k {
			var a, b float64
			for _, j := range idx {
				fa, fb, fab := y[j*(k+2)], y[j*(k+2)+1], y[j*(k+2)+2+i]
				a += fb * (fab - fa)
				b += (fa - fab) * (fa - fab)
			}
			nn := float64(len(idx))
			s1[i] = a / nn / v
			st[i] = b / nn / (2 * v)
		}
		return v, s1, st
	}
	v, s1, st := est(idx)
	res := SobolResult{First: make([]Index, k), Total: make([]Index, k), Variance: v * sd * sd, Samples: n}
	if !(v > 0) {
		for i := range k {
			res.First[i] = Index{math.NaN(), math.NaN(), math.NaN()}
			res.Total[i] = res.First[i]
		}
		return res, nil
	}
	bs1, bst := make([][]float64, k), make([][]float64, k)
	g := rng.New(seed, streamBootstrap)
	re := make([]int, n)
	for range boot {
		for j := range re {
			re[j] = g.IntN(n)
		}
		_, a, b := est(re)
		for i := range k {
			bs1[i] = append(bs1[i], a[i])
			bst[i] = append(bst[i], b[i])
		}
	}
	for i := range k {
		res.First[i] = interval(s1[i], bs1[i])
		res.Total[i] = interval(st[i], bst[i])
	}
	return res, nil
}

// SRCResult holds the standardised regression coefficients of one output.
type SRCResult struct {
	// Coef are the coefficients of the standardised parameters; NaN for a
	// parameter that does not vary.
	Coef []Index
	// R2 is the share of the output's variance the linear model explains:
	// the coefficients describe the output well only when it is high (say
	// above 0.7).
	R2 float64
	// Distinct is the number of distinct points (rows of the varying
	// parameters): repeated points run the same seeds and give the same
	// outputs, so they add no information.
	Distinct int
	// NoInterval says why the coefficients' intervals could not be
	// estimated, when bootstrap resamples were asked for but the fit
	// leaves nothing to resample (Low and High are NaN then); "" when
	// they were estimated or not asked for.
	NoInterval string
}

// Why a regression's intervals cannot be estimated.
const (
	// NoIntervalExact: the model fits the points exactly (no residual
	// degrees of freedom, or residuals of zero), so every resample fits
	// exactly too and the interval would be the estimate itself.
	NoIntervalExact = "the linear model fits the points exactly, so every resample would too and the interval would be the estimate itself"
	// NoIntervalResamples: too few resamples keep a residual (most repeat
	// too few distinct points), or those that do are all alike.
	NoIntervalResamples = "most resamples of the points repeat too few of them to leave the fit a residual, and the others cannot show how far the coefficients could be off"
)

// exactFit is the residual sum of squares, relative to the total (of the
// standardised output, n−1), below which a fit counts as exact.
const exactFit = 1e-12

// distinctRows counts the distinct rows of x among rows, in the columns
// cols.
func distinctRows(x [][]float64, rows, cols []int) int {
	seen := map[string]bool{}
	key := make([]byte, 0, 8*len(cols))
	for _, p := range rows {
		key = key[:0]
		for _, i := range cols {
			b := math.Float64bits(x[p][i])
			for s := 0; s < 64; s += 8 {
				key = append(key, byte(b>>s))
			}
		}
		seen[string(key)] = true
	}
	return len(seen)
}

// SRC regresses y on the columns of x (x[i] is the i-th point's
// parameters), both standardised to mean 0 and standard deviation 1, by
// least squares (gonum's QR): SRC_i = b_i·σ_xi/σ_y. For independent
// parameters SRC_i² is the share of the variance of y that parameter i
// explains linearly. boot > 0 bootstrap resamples of the points give
// percentile intervals. A resample whose distinct points are too few to
// leave the fit a residual (no more than the varying parameters plus one)
// fits exactly, whatever the noise, and is left out; when the points
// themselves fit exactly, or fewer than half the resamples are left or
// they are all alike, the intervals are NaN and NoInterval says why.
// Cost: O(boot·n·k²).
func SRC(x [][]float64, y []float64, boot int, seed uint64) (SRCResult, error) {
	n := len(y)
	if n != len(x) || n == 0 {
		return SRCResult{}, fmt.Errorf("sensitivity: %d points and %d outputs", len(x), n)
	}
	k := len(x[0])
	var cols []int // the parameters that vary
	for i := range k {
		lo, hi := x[0][i], x[0][i]
		for _, row := range x {
			lo, hi = min(lo, row[i]), max(hi, row[i])
		}
		if hi > lo {
			cols = append(cols, i)
		}
	}
	if n <= len(cols)+1 {
		params := fmt.Sprintf("%d varying parameters", len(cols))
		if len(cols) == 1 {
			params = "1 varying parameter"
		}
		return SRCResult{}, fmt.Errorf("sensitivity: %d points are too few to regress on %s; use more points than parameters plus one", n, params)
	}
	// fit returns the coefficients, R² and whether the fit is exact.
	fit := func(rows []int) (coef []float64, r2 float64, exact bool) {
		coef = make([]float64, k)
		for i := range coef {
			coef[i] = math.NaN()
		}
		ys := make([]float64, len(rows))
		for r, p := range rows {
			ys[r] = y[p]
		}
		my, sy := stat.MeanStdDev(ys, nil)
		if !(sy > 0) {
			return coef, math.NaN(), false
		}
		a := mat.NewDense(len(rows), len(cols), nil)
		for c, i := range cols {
			xs := make([]float64, len(rows))
			for r, p := range rows {
				xs[r] = x[p][i]
			}
			mx, sx := stat.MeanStdDev(xs, nil)
			for r := range rows {
				v := 0.0
				if sx > 0 {
					v = (xs[r] - mx) / sx
				}
				a.Set(r, c, v)
			}
		}
		b := mat.NewVecDense(len(rows), nil)
		for r := range rows {
			b.SetVec(r, (ys[r]-my)/sy)
		}
		var beta mat.VecDense
		if err := beta.SolveVec(a, b); err != nil {
			return coef, math.NaN(), false
		}
		var pred mat.VecDense
		pred.MulVec(a, &beta)
		var ss float64
		for r := range rows {
			d := b.AtVec(r) - pred.AtVec(r)
			ss += d * d
		}
		for c, i := range cols {
			coef[i] = beta.AtVec(c)
		}
		// Σ b² = n−1 for the standardised output.
		exact = distinctRows(x, rows, cols) <= len(cols)+1 || ss <= exactFit*float64(len(rows)-1)
		return coef, 1 - ss/float64(len(rows)-1), exact
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	coef, r2, exact := fit(all)
	res := SRCResult{Coef: make([]Index, k), R2: r2, Distinct: distinctRows(x, all, cols)}
	boots := make([][]float64, k)
	if boot > 0 && exact {
		res.NoInterval = NoIntervalExact
		boot = 0
	}
	g := rng.New(seed, streamBootstrap)
	re := make([]int, n)
	kept := 0
	for range boot {
		for j := range re {
			re[j] = g.IntN(n)
		}
		c, _, exact := fit(re)
		if exact {
			continue
		}
		kept++
		for i := range k {
			if !math.IsNaN(c[i]) {
				boots[i] = append(boots[i], c[i])
			}
		}
	}
	for i := range k {
		res.Coef[i] = interval(coef[i], boots[i])
	}
	if boot > 0 {
		defined, alike := false, true
		for i := range k {
			if ix := res.Coef[i]; !math.IsNaN(ix.Value) {
				defined = true
				// Resamples that are all the points give one value,
				// up to rounding.
				alike = alike && !(ix.High-ix.Low > 1e-9)
			}
		}
		if defined && (2*kept < boot || alike) {
			res.NoInterval = NoIntervalResamples
		}
	}
	if res.NoInterval != "" {
		for i := range k {
			res.Coef[i].Low, res.Coef[i].High = math.NaN(), math.NaN()
		}
	}
	return res, nil
}

// interval returns v with the percentile interval of the resampled values.
func interval(v float64, boots []float64) Index {
	if math.IsNaN(v) || len(boots) == 0 {
		return Index{v, math.NaN(), math.NaN()}
	}
	s := slices.Clone(boots)
	slices.Sort(s)
	alpha := (1 - Confidence) / 2
	return Index{v, stat.Quantile(alpha, stat.Empirical, s, nil), stat.Quantile(1-alpha, stat.Empirical, s, nil)}
}

// variance returns the population variance of xs (divided by n).
func variance(xs []float64) float64 {
	m := stat.Mean(xs, nil)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs))
}
