package state

import "github.com/settle-sim/settle/sim/rng"

// Rates is a table of yearly event probabilities indexed by a key (age,
// sex and age …), built once per tick (Set) and read by all chunks; a
// person of key k has the event when their keyed uniform (Keyed) is below
// P(k). The zero value has no keys.
type Rates struct {
	p []float64
}

// Set sets the probabilities by key (values above 1 count as 1, below 0 as
// 0). Cost O(len(p)); it allocates only when the table grows.
func (r *Rates) Set(p []float64) {
	r.p = append(r.p[:0], p...)
	for k, x := range r.p {
		r.p[k] = min(max(x, 0), 1)
	}
}

// P returns the probability of key k (0 to 1).
func (r *Rates) P(k int) float64 { return r.p[k] }

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

// U returns person i's uniform in [0, 1).
func (k Keyed) U(i int) float64 { return rng.Uniform(k.Bits(i)) }

// Bits returns person i's 64 random bits, for two draws at once.
func (k Keyed) Bits(i int) uint64 { return rng.Hash(uint64(k) ^ uint64(i)) }

// RNG returns person i's own stream for this kind of event and year, for a
// decision that takes several draws.
func (k Keyed) RNG(i int) RNG { return rng.New(uint64(k), uint64(i)) }
