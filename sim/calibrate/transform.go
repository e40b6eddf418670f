package calibrate

import "math"

// The optimiser works on an unbounded vector z; each parameter lives in a
// closed interval [lo, hi]. The map between them is the logistic function of
// the scaled value: x = lo + (hi−lo)·σ(z), z = logit((x−lo)/(hi−lo)), so any
// z the optimiser proposes is a value inside the bounds and every value
// strictly inside the bounds has exactly one z. Near the centre of the range
// a unit step in z moves x by a quarter of the range; near a bound the steps
// shrink, so the search approaches a bound without ever crossing it.

// edge keeps a start value off the bounds themselves, where logit is
// infinite: a start at a bound is moved this share of the range inside.
const edge = 1e-3

// toUnbounded returns z for x in [lo, hi]. A value at (or beyond) a bound is
// first moved edge·(hi−lo) inside it.
func toUnbounded(x, lo, hi float64) float64 {
	u := (x - lo) / (hi - lo)
	u = math.Min(math.Max(u, edge), 1-edge)
	return math.Log(u / (1 - u))
}

// toBounded returns x in [lo, hi] for any z, including ±Inf. NaN stays NaN.
func toBounded(z, lo, hi float64) float64 {
	// 1/(1+e^−z) for z ≥ 0 and e^z/(1+e^z) for z < 0 never overflow.
	var s float64
	if z >= 0 {
		s = 1 / (1 + math.Exp(-z))
	} else {
		e := math.Exp(z)
		s = e / (1 + e)
	}
	x := lo + (hi-lo)*s
	// Rounding may step an ulp outside; the bounds are hard.
	return math.Min(math.Max(x, lo), hi)
}
