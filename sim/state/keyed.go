package state

import (
	"math"

	"github.com/settle-sim/settle/sim/rng"
)

// Rates is a table of yearly event probabilities indexed by a key (age,
// sex and age …), built once per tick (Set) and read by all chunks; a
// person of key k has the event when their keyed uniform (Keyed) is below
// P(k). The zero value has no keys.
type Rates struct {
	p []float64
	t []uint64 // ceil(p·2⁵³): the same test on integers (Keyed.Below)
}

// Set sets the probabilities by key (values above 1 count as 1, below 0 as
// 0). Cost O(len(p)); it allocates only when the table grows.
func (r *Rates) Set(p []float64) {
	r.p = append(r.p[:0], p...)
	r.t = r.t[:0]
	for k, x := range r.p {
		r.p[k] = min(max(x, 0), 1)
		r.t = append(r.t, threshold(r.p[k]))
	}
}

// P returns the probability of key k (0 to 1).
func (r *Rates) P(k int) float64 { return r.p[k] }

// T returns the threshold of key k for Keyed.Below: zero exactly when the
// event never happens.
func (r *Rates) T(k int) uint64 { return r.t[k] }

// threshold returns the t for which Keyed.Below(i, t) is U(i) < p: U is
// x·2⁻⁵³ for a 53-bit integer x, and x·2⁻⁵³ < p exactly when x < ⌈p·2⁵³⌉
// (p·2⁵³ is exact in floating point, a power-of-two scaling).
func threshold(p float64) uint64 {
	if !(p > 0) {
		return 0
	}
	return uint64(math.Ceil(min(p, 1) * 0x1p53))
}

// Keyed gives one uniform per person for one kind of event in one year,
// from a hash of the seed, the kind, the year and the person's slot: a
// person's draw does not depend on anyone else's. Two runs that differ in
// one person's events (a scenario and its baseline) so keep everyone
// else's draws, and the common random numbers of a comparison hold for
// years instead of wearing off within months (docs/compare.md). The draws
// of a person, event and year are independent of those of any other
// person, event or year (SplitMix64 of distinct keys), and uniform in
// [0, 1) with 53 bits; u < p has probability exactly p.
type Keyed uint64

// Keyed returns the keyed draws of kind (a Key* constant) this year.
func (s *State) Keyed(kind int) Keyed {
	return Keyed(rng.Mix(s.Seed, uint64(kind), uint64(s.Year)))
}

// Below reports whether person i's uniform U(i) is below the probability
// whose threshold is t (Rates.T): the same answer as U(i) < p, compared on
// integers. A threshold of 0 is never met, so a pass can draw for everyone
// and mask the threshold of those a rule does not concern instead of
// branching on them.
func (k Keyed) Below(i int, t uint64) bool { return k.Bits(i)>>11 < t }

// U returns person i's uniform in [0, 1).
func (k Keyed) U(i int) float64 { return rng.Uniform(k.Bits(i)) }

// Bits returns person i's 64 random bits, for two draws at once.
func (k Keyed) Bits(i int) uint64 { return rng.Hash(uint64(k) ^ uint64(i)) }

// RNG returns person i's own stream for this kind of event and year, for a
// decision that takes several draws.
func (k Keyed) RNG(i int) RNG { return rng.New(uint64(k), uint64(i)) }
