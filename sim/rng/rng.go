// Package rng provides the random streams of a simulation: small, fast
// generators identified by a seed and a stream id, so that every unit of
// parallel work draws from its own stream and results do not depend on
// scheduling. There is no global random source.
package rng

import (
	"math"
	"math/rand/v2"
)

// RNG is a small, fast random stream (PCG from math/rand/v2) owned by one
// goroutine. The zero value is not useful; use New.
type RNG struct{ pcg rand.PCG }

// New returns the stream identified by (seed, id).
func New(seed, id uint64) RNG {
	var r RNG
	r.pcg.Seed(splitmix(seed^0x9e3779b97f4a7c15), splitmix(id+0x632be59bd9b4e019))
	return r
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Uint64 returns 64 random bits.
func (r *RNG) Uint64() uint64 { return r.pcg.Uint64() }

// Float64 returns a uniform number in [0, 1).
func (r *RNG) Float64() float64 { return float64(r.pcg.Uint64()>>11) * 0x1p-53 }

// Two returns two independent uniforms in [0, 1) with 32-bit resolution from
// one draw (enough for yearly event probabilities down to 1e-9).
func (r *RNG) Two() (float64, float64) {
	x := r.pcg.Uint64()
	return float64(x>>32) * 0x1p-32, float64(x&0xffffffff) * 0x1p-32
}

// IntN returns a uniform integer in [0, n).
func (r *RNG) IntN(n int) int {
	return int((r.pcg.Uint64() >> 32) * uint64(n) >> 32)
}

// Poisson returns a Poisson variate with mean lambda (inversion for small
// means, a normal approximation above 50).
func (r *RNG) Poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 50 {
		u1, u2 := r.Float64(), r.Float64()
		z := math.Sqrt(-2*math.Log(1-u1)) * math.Cos(2*math.Pi*u2)
		return max(0, int(math.Round(lambda+z*math.Sqrt(lambda))))
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Round returns x rounded to an integer, rounding the fraction up with its
// probability (stochastic rounding keeps sampled totals unbiased at small scales).
func (r *RNG) Round(x float64) int {
	f := math.Floor(x)
	if r.Float64() < x-f {
		return int(f) + 1
	}
	return int(f)
}
