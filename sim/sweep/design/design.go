// Package design makes the experimental designs of a parameter sweep: the
// points of the unit cube [0,1)^k at which a model is run, before they are
// mapped onto the parameters' values.
//
//   - Grid: every combination of each parameter's levels (a full
//     factorial), the first parameter varying slowest.
//   - LatinHypercube: n points whose every one-dimensional projection puts
//     exactly one point in each of n equal strata (McKay, Beckman and
//     Conover 1979).
//   - Saltelli: the A, B and AB_i matrices that the Sobol' sensitivity
//     estimators need (Saltelli 2002; Saltelli et al. 2010), taken from a
//     2k-dimensional Sobol' sequence (Joe and Kuo 2008), digitally shifted.
//
// Every function is deterministic: the same arguments (and seed) give the
// same points on any machine and in every release, because the random
// draws come from sim/rng, whose streams are fixed by their seed, rather
// than from a library whose consumption of random numbers could change.
package design

import (
	"fmt"

	"github.com/settle-sim/settle/sim/rng"
)

// Stream ids of the design's random draws (rng.New(seed, id)).
const (
	streamLHS   = 0x4c4853       // "LHS"
	streamShift = 0x534849465421 // "SHIFT!"
)

// Grid returns every combination of levels[i] levels of each dimension i,
// as level indices, the first dimension varying slowest (as nested loops
// with the first parameter outermost). A dimension with one level stays at
// level 0. It returns nil when a dimension has no levels. Cost: the number
// of combinations times len(levels).
func Grid(levels []int) [][]int {
	n := 1
	for _, l := range levels {
		if l <= 0 {
			return nil
		}
		n *= l
	}
	out := make([][]int, n)
	for p := range out {
		idx := make([]int, len(levels))
		rest := p
		for i := len(levels) - 1; i >= 0; i-- {
			idx[i] = rest % levels[i]
			rest /= levels[i]
		}
		out[p] = idx
	}
	return out
}

// LatinHypercube returns n points in [0,1)^k: in each dimension the points
// fall one in each stratum [j/n, (j+1)/n), in an order and at a position
// within the stratum drawn from the stream (seed, streamLHS). Cost: O(n·k).
func LatinHypercube(n, k int, seed uint64) [][]float64 {
	g := rng.New(seed, streamLHS)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, k)
	}
	perm := make([]int, n)
	for d := 0; d < k; d++ {
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- { // Fisher–Yates
			j := g.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i := range out {
			out[i][d] = (float64(perm[i]) + g.Float64()) / float64(n)
		}
	}
	return out
}

// Block says which matrix of a Saltelli design a point comes from.
type Block struct {
	Sample int // row j of the matrices, 0 … N−1
	// Matrix is 0 for A, 1 for B, and 2+i for AB_i (A with column i taken
	// from B).
	Matrix int
}

// Name returns "A", "B" or "AB1", "AB2" … (columns counted from 1).
func (b Block) Name() string {
	switch b.Matrix {
	case 0:
		return "A"
	case 1:
		return "B"
	}
	return fmt.Sprintf("AB%d", b.Matrix-1)
}

// SaltelliBlock returns the block of point p of a Saltelli design with k
// columns (see Saltelli).
func SaltelliBlock(p, k int) Block {
	return Block{Sample: p / (k + 2), Matrix: p % (k + 2)}
}

// Saltelli returns the n·(k+2) points of a Saltelli design for k
// parameters: rows j = 0 … n−1 of the matrices A, B and AB_1 … AB_k, with
// the rows of one sample together, A_j, B_j, AB_1j … AB_kj (so a sweep cut
// short still holds complete samples). A is the first k coordinates and B
// the next k of a 2k-dimensional Sobol' sequence; AB_i is A with column i
// from B. The sequence is digitally shifted (each coordinate's 32 bits
// XORed with a word drawn from (seed, streamShift)), which keeps its
// stratification and moves the first point off the corner 0. n should be a
// power of two: the Sobol' points are balanced in blocks of 2^m. Cost:
// O(n·k²).
func Saltelli(n, k int, seed uint64) ([][]float64, error) {
	if k < 1 {
		return nil, fmt.Errorf("design: a Saltelli design needs at least one parameter")
	}
	if 2*k > MaxSobolDim {
		return nil, fmt.Errorf("design: a Saltelli design of %d parameters needs a %d-dimensional Sobol' sequence; at most %d dimensions (%d parameters) are available",
			k, 2*k, MaxSobolDim, MaxSobolDim/2)
	}
	s, err := NewSobol(2 * k)
	if err != nil {
		return nil, err
	}
	s.Shift(seed)
	out := make([][]float64, 0, n*(k+2))
	ab := make([]float64, 2*k)
	for range n {
		s.Next(ab)
		a, b := ab[:k], ab[k:]
		out = append(out, append([]float64(nil), a...), append([]float64(nil), b...))
		for i := range k {
			row := append([]float64(nil), a...)
			row[i] = b[i]
			out = append(out, row)
		}
	}
	return out, nil
}
