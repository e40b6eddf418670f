// Package rng provides the random streams of a simulation: small, fast
// generators identified by a seed and a stream id, so that every unit of
// parallel work draws from its own stream and results do not depend on
// scheduling. There is no global random source.
package rng

import (
	"math"
	"math/bits"
)

// RNG is a small, fast random stream owned by one goroutine: xoshiro256++
// (Blackman and Vigna, 2019), which passes BigCrush and PractRand and costs a
// few additions and rotations a draw; each stream's state comes from
// SplitMix64 of its seed and id. The zero value is not useful; use New.
type RNG struct{ s0, s1, s2, s3 uint64 }

// New returns the stream identified by (seed, id).
func New(seed, id uint64) RNG {
	x := splitmix(seed^0x9e3779b97f4a7c15) ^ splitmix(id+0x632be59bd9b4e019)
	var r RNG
	r.s0 = splitmix(x)
	r.s1 = splitmix(r.s0)
	r.s2 = splitmix(r.s1)
	r.s3 = splitmix(r.s2)
	return r
}

// next advances the xoshiro256++ state.
func (r *RNG) next() uint64 {
	out := bits.RotateLeft64(r.s0+r.s3, 23) + r.s0
	t := r.s1 << 17
	r.s2 ^= r.s0
	r.s3 ^= r.s1
	r.s1 ^= r.s2
	r.s0 ^= r.s3
	r.s2 ^= t
	r.s3 = bits.RotateLeft64(r.s3, 45)
	return out
}

// Mix combines the parts of a stream id (a year, a stage, a sub-stream …)
// into one id by chained SplitMix64, so ids made of different parts differ
// with overwhelming probability whatever the parts' sizes.
func Mix(parts ...uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, p := range parts {
		h = splitmix(h ^ splitmix(p))
	}
	return h
}

// Hash is SplitMix64's finaliser: 64 bits that change with every bit of x.
func Hash(x uint64) uint64 { return splitmix(x) }

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Uniform returns a uniform number in [0, 1) from the bits of h, a hash
// such as Mix of what the draw concerns: a draw that takes nothing from any
// stream, so a rule switched on by a parameter leaves the other draws as
// they are.
func Uniform(h uint64) float64 { return float64(h>>11) * 0x1p-53 }

// Uint64 returns 64 random bits.
func (r *RNG) Uint64() uint64 { return r.next() }

// Float64 returns a uniform number in [0, 1).
func (r *RNG) Float64() float64 { return float64(r.next()>>11) * 0x1p-53 }

// Two returns two independent uniforms in [0, 1) with 32-bit resolution from
// one draw (enough for yearly event probabilities down to 1e-9).
func (r *RNG) Two() (float64, float64) {
	x := r.next()
	return float64(x>>32) * 0x1p-32, float64(x&0xffffffff) * 0x1p-32
}

// IntN returns a uniform integer in [0, n).
func (r *RNG) IntN(n int) int {
	return int((r.next() >> 32) * uint64(n) >> 32)
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
