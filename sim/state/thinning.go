package state

import (
	"fmt"
	"math"
)

// Rates draws independent yes/no events for a long sequence of items (the
// persons of a chunk) whose probabilities come from a small table indexed by
// a key (age, sex and age …), with about two random draws per event instead
// of one per item. Keys are grouped into classes of probabilities within a
// factor of two; each class is thinned (Lewis and Shedler, 1979): its items
// become candidates as a Bernoulli process with the class's highest
// probability max, drawn as geometric skips, and a candidate with
// probability p is accepted with probability p/max. Every item then has its
// event with probability exactly p, independently of the others.
//
// A Rates is built once per tick (Set) and read by all chunks; each chunk
// draws through its own Draws. The zero value has no keys.
type Rates struct {
	p     []float64
	class []uint8 // per key; never: probability 0
	max   [numClasses]float64
	logq  [numClasses]float64 // log(1 − max)
}

// numClasses bounds the classes: probabilities below 2^−(numClasses−1) share
// the last one. Keys of probability 0 are in class never, whose skip never
// runs out.
const (
	numClasses = 48
	never      = numClasses
)

// Set sets the probabilities by key (values above 1 count as 1). Cost
// O(len(p)); it allocates only when the table grows.
func (r *Rates) Set(p []float64) {
	r.p = append(r.p[:0], p...)
	if cap(r.class) < len(p) {
		r.class = make([]uint8, len(p))
	}
	r.class = r.class[:len(p)]
	r.max = [numClasses]float64{}
	for k, x := range r.p {
		if !(x > 0) {
			r.class[k] = never
			continue
		}
		x = min(x, 1)
		r.p[k] = x
		_, e := math.Frexp(x) // x = frac·2^e, frac ∈ [0.5, 1)
		c := min(max(-e+1, 0), numClasses-1)
		r.class[k] = uint8(c)
		r.max[c] = max(r.max[c], x)
	}
	for c, m := range r.max {
		r.logq[c] = math.Log1p(-m)
	}
}

// Draws is one chunk's draw state for a Rates: the items left until the
// next candidate of every class. Start it with Start; then, for every item
// of key k in order,
//
//	if d.Candidate(k) && d.Accept(k, g) { … the event happens … }
type Draws struct {
	class []uint8 // r.class
	r     *Rates
	left  [numClasses + 1]int
}

// Start begins a sequence of items drawn from r with g: it draws the first
// skip of every class in use.
func (d *Draws) Start(r *Rates, g *RNG) {
	d.r, d.class = r, r.class
	for c := range d.left {
		d.left[c] = math.MaxInt
		if c < numClasses && r.max[c] > 0 {
			d.left[c] = Skip(g, r.logq[c]) + 1
		}
	}
}

// Candidate advances the sequence by one item of key k and reports whether
// it is a candidate of its class, which Accept must then decide. Items of
// probability 0 are never candidates. Inlined.
func (d *Draws) Candidate(k int) bool {
	c := d.class[k]
	d.left[c]--
	return d.left[c] == 0
}

// Accept decides a candidate of key k: it draws the gap to its class's next
// candidate, and accepts with probability p(k)/max.
func (d *Draws) Accept(k int, g *RNG) bool {
	c := d.class[k]
	d.left[c] = Skip(g, d.r.logq[c]) + 1
	m := d.r.max[c]
	return m >= 1 || g.Float64()*m < d.r.p[k]
}

// Skip returns the number of failures before the first success of
// Bernoulli trials with success probability 1 − e^logq (logq = log(1 − p)):
// the gap to the next candidate of a thinned process. logq = −∞ (p = 1)
// gives 0 without a draw; logq = 0 (p = 0) gives 2^61 (never, in practice).
func Skip(g *RNG, logq float64) int {
	if math.IsInf(logq, -1) {
		return 0
	}
	if logq >= 0 {
		return 1 << 61
	}
	x := math.Log(1-g.Float64()) / logq
	if x >= 1<<61 {
		return 1 << 61
	}
	return int(x)
}

// Bounded draws independent yes/no events for a sequence of items whose
// probabilities are costly to compute but have a cheap upper bound: items
// are grouped by their bound into classes a quarter of an octave wide (the
// bound's exponent and first two mantissa bits), each thinned with its
// class's upper end as the candidate rate, and only a candidate's exact
// probability p ≤ bound is computed, for acceptance with p/upper end. For
// every item in order,
//
//	if c, ok := d.Candidate(bound); ok && d.Accept(c, exactP(), g) { … }
//
// Every candidate must go through Accept, which draws the gap to its
// class's next candidate.
type Bounded struct {
	left [numBounded + 1]int
}

// numBounded is the number of classes of Bounded: bounds below 2^−48 share
// the last one; class numBounded takes no part.
const numBounded = 4 * 48

// boundedTop[c] is the upper end of class c = 4·(−e−1) + 3 − q for bounds
// 2^e·(1 + q/4 + …), q the first two mantissa bits: 2^e·(5 + q)/4 (1 for
// class 0, which also holds bounds ≥ 1); boundedLogq[c] = log(1 − top).
var boundedTop, boundedLogq = func() (top, logq [numBounded]float64) {
	for c := range top {
		e, q := -(c/4)-1, 3-c%4
		top[c] = math.Ldexp(float64(5+q)/4, e)
		logq[c] = math.Log1p(-top[c])
	}
	return top, logq
}()

// Start begins a sequence of items drawn with g: it draws the first skip of
// every class.
func (d *Bounded) Start(g *RNG) {
	for c := range d.left[:numBounded] {
		d.left[c] = Skip(g, boundedLogq[c]) + 1
	}
	d.left[numBounded] = math.MaxInt
}

// Candidate advances the sequence by one item with the given bound on its
// probability and reports its class and whether it is a candidate. A bound
// ≤ 0 makes the item take no part (never a candidate). Inlined.
func (d *Bounded) Candidate(bound float64) (int, bool) {
	x := math.Float64bits(bound)
	e := int(x>>52) - 1023 // sign bit set (bound < 0): huge e
	c := min(max(4*(-e-1)+3-int(x>>50&3), 0), numBounded-1)
	if !(bound > 0) {
		c = numBounded
	}
	d.left[c]--
	return c, d.left[c] == 0
}

// Accept decides a candidate of class c with exact probability p (≤ its
// bound): it draws the gap to the class's next candidate, and accepts with
// probability p/top. It panics if p exceeds the class's upper end, which
// means a bound below its probability.
func (d *Bounded) Accept(c int, p float64, g *RNG) bool {
	return Accepted(c, p, d.Draw(c, g))
}

// Draw is the first half of Accept, for candidates whose probability is
// computed later (all candidates of a sequence first, then their
// probabilities, so that the memory those need is fetched for many at
// once): it draws the gap to the class's next candidate and returns the
// uniform that Accepted then compares.
func (d *Bounded) Draw(c int, g *RNG) float64 {
	d.left[c] = Skip(g, boundedLogq[c]) + 1
	return g.Float64()
}

// Accepted is the second half of Accept: whether a candidate of class c
// with probability p and the uniform u from Draw has its event.
func Accepted(c int, p, u float64) bool {
	x := p / boundedTop[c]
	if x > 1+1e-9 {
		panic(fmt.Sprintf("state: Bounded.Accept: probability %g above its bound's class, whose upper end is %g", p, boundedTop[c]))
	}
	return u < x
}
