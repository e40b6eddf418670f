// Package design makes the experimental designs of a parameter sweep: the
// points of the unit cube [0,1)^k at which a model is run, before they are
// mapped onto the parameters' values.
//
//   - Grid: every combination of each parameter's levels (a full
//     factorial), the first parameter varying slowest.
//   - LatinHypercube: n points whose every one-dimensional projection puts
//     exactly one point in each of n equal strata (McKay, Beckman and
//     Conover 1979), their order in each dimension rearranged so that the
//     dimensions hardly correlate (Iman and Conover 1982).
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
	"math"
	"slices"

	"github.com/settle-sim/settle/sim/rng"
)

// Stream ids of the design's random draws (rng.New(seed, id)).
const (
	streamLHS   = 0x4c4853       // "LHS"
	streamShift = 0x534849465421 // "SHIFT!"
	streamIC    = 0x494d414e     // "IMAN"
	streamIC2   = 0x494d414e32   // "IMAN2"
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
// fall one in each stratum [j/n, (j+1)/n), at a position within the
// stratum drawn from the stream (seed, streamLHS). The order of the strata
// in each dimension is first drawn at random too, which leaves spurious
// correlation between the dimensions (r = −0.5 between two of three
// dimensions of 10 points is common): regression coefficients of
// correlated inputs share their effects. The order is then rearranged by
// the method of Iman and Conover (1982), with centred rank scores
// permuted from the stream (seed, streamIC), repeated while it lowers the
// largest absolute correlation (MaxCorrelation): each dimension keeps its
// values, and so its strata, in another order. With n ≤ k+1 points there
// is no rearrangement (their scores' correlation matrix is singular).
// Cost: O(n·k² + k·n·log n).
func LatinHypercube(n, k int, seed uint64) [][]float64 {
	out := randomLatinHypercube(n, k, seed)
	decorrelate(out, rng.New(seed, streamIC))
	return out
}

// Decorrelate rearranges the values within each column of x (rows are
// points, as LatinHypercube's mapped onto parameters' values: a column
// keeps its values, so a Latin hypercube keeps its strata) as
// LatinHypercube does, with scores from the stream (seed, streamIC2), and
// keeps the new order only where it lowers MaxCorrelation. For values a
// mapping made coarser than the unit cube's (a short list of levels,
// whole numbers), whose correlation LatinHypercube's rearrangement did not
// see.
func Decorrelate(x [][]float64, seed uint64) {
	decorrelate(x, rng.New(seed, streamIC2))
}

// randomLatinHypercube is LatinHypercube before decorrelate: every order
// drawn at random.
func randomLatinHypercube(n, k int, seed uint64) [][]float64 {
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

// icRounds is the most rearrangements one start of decorrelate makes (one
// when n·k² > 10·icWork), and icWork bounds the work of its starts: as
// many starts as fit n·k²·starts ≤ icWork, from 1 to icStarts (20 for 100
// points of 10 parameters, 1 for 100,000 points).
const (
	icRounds = 6
	icStarts = 20
	icWork   = 2_000_000
)

// decorrelate rearranges the rows of each column of x (n points of k
// dimensions) so that the columns correlate less (Iman and Conover 1982):
// a matrix of scores S whose columns are centred ranks i − (n−1)/2 in
// random order (Iman and Conover's van der Waerden scores Φ⁻¹(i/(n+1))
// would need math.Erfinv, whose arithmetic other platforms fuse
// differently) is made uncorrelated, S* = S·(L⁻¹)ᵀ with
// L the Cholesky factor of S's correlation matrix, and each column of x
// is put in the rank order of S*'s. Further rounds start from the scores
// in x's new ranks, while they lower the largest correlation. Small
// designs, whose result depends much on the first scores, try several
// starts, each with scores of its own. x keeps the arrangement of lowest
// MaxCorrelation (the random one when nothing lowers it).
func decorrelate(x [][]float64, g rng.RNG) {
	n := len(x)
	if n == 0 {
		return
	}
	k := len(x[0])
	if k < 2 || n < k+2 {
		return
	}
	score := make([]float64, n)
	for i := range score {
		// Centred ranks, not van der Waerden's normal scores: Erfinv's
		// arithmetic is fused differently on other platforms (arm64's
		// FMADD), and the points must be the same bits everywhere.
		score[i] = float64(i) - float64(n-1)/2
	}
	best, _, _ := MaxCorrelation(x)
	best = math.Abs(best)
	keep := clone(x)
	y := clone(x)
	s := make([][]float64, n)
	for i := range s {
		s[i] = make([]float64, k)
	}
	perm := make([]int, n)
	col := make([]float64, n)
	order := make([]ranked, n)
	starts := min(icStarts, max(1, icWork/(n*k*k)))
	rounds := icRounds
	if n*k*k > 10*icWork {
		// A large design correlates little already (about 1/√n): one
		// round, a second or two at 100,000 points, rather than many.
		rounds = 1
	}
	for range starts {
		for d := range k {
			for i := range perm {
				perm[i] = i
			}
			for i := n - 1; i > 0; i-- {
				j := g.IntN(i + 1)
				perm[i], perm[j] = perm[j], perm[i]
			}
			for i := range s {
				s[i][d] = score[perm[i]]
			}
		}
		last := math.Inf(1)
		for range rounds {
			l, ok := cholesky(correlations(s))
			if !ok {
				break
			}
			for i := range s { // s_i ← L⁻¹ s_i (forward substitution)
				row := s[i]
				for a := range k {
					v := row[a]
					for b := range a {
						v -= float64(l[a][b] * row[b])
					}
					row[a] = v / l[a][a]
				}
			}
			for d := range k {
				for i := range order {
					order[i] = ranked{s[i][d], i}
					col[i] = x[i][d]
				}
				slices.SortFunc(order, cmpRanked)
				slices.Sort(col)
				for r, o := range order {
					y[o.i][d] = col[r]
				}
			}
			r, _, _ := MaxCorrelation(y)
			r = math.Abs(r)
			if r < best {
				best = r
				for i := range y {
					copy(keep[i], y[i])
				}
			}
			if r >= last {
				break
			}
			last = r
			// The next round's scores: in the ranks y has now.
			for d := range k {
				for i := range order {
					order[i] = ranked{y[i][d], i}
				}
				slices.SortFunc(order, cmpRanked)
				for r, o := range order {
					s[o.i][d] = score[r]
				}
			}
		}
	}
	for i := range x {
		copy(x[i], keep[i])
	}
}

// ranked is a row's value in a column, to sort the rows by.
type ranked struct {
	v float64
	i int
}

// cmpRanked orders rows by their values, ties by the rows: a total order,
// so that any sort gives the same result.
func cmpRanked(a, b ranked) int {
	switch {
	case a.v < b.v:
		return -1
	case a.v > b.v:
		return 1
	}
	return a.i - b.i
}

func clone(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = slices.Clone(x[i])
	}
	return out
}

// correlations returns the k×k Pearson correlation matrix of the columns
// of x (rows are points); a constant column correlates 0 with the others.
// The products are rounded before they are added (float64(a*b)), so that
// no platform fuses them and the points are the same bits everywhere.
func correlations(x [][]float64) [][]float64 {
	n, k := len(x), len(x[0])
	mean := make([]float64, k)
	for _, row := range x {
		for d, v := range row {
			mean[d] += v
		}
	}
	for d := range mean {
		mean[d] /= float64(n)
	}
	cov := make([][]float64, k)
	for a := range cov {
		cov[a] = make([]float64, k)
	}
	for _, row := range x {
		for a := range k {
			da := row[a] - mean[a]
			for b := a; b < k; b++ {
				cov[a][b] += float64(da * (row[b] - mean[b]))
			}
		}
	}
	c := make([][]float64, k)
	for a := range c {
		c[a] = make([]float64, k)
		c[a][a] = 1
	}
	for a := range k {
		for b := a + 1; b < k; b++ {
			if den := math.Sqrt(float64(cov[a][a] * cov[b][b])); den > 0 {
				c[a][b] = cov[a][b] / den
				c[b][a] = c[a][b]
			}
		}
	}
	return c
}

// cholesky returns the lower triangular L with L·Lᵀ = c, or false when c
// is not positive definite.
func cholesky(c [][]float64) ([][]float64, bool) {
	k := len(c)
	l := make([][]float64, k)
	for a := range l {
		l[a] = make([]float64, k)
	}
	for a := range k {
		for b := 0; b <= a; b++ {
			v := c[a][b]
			for j := range b {
				v -= float64(l[a][j] * l[b][j])
			}
			if a == b {
				if !(v > 1e-12) {
					return nil, false
				}
				l[a][a] = math.Sqrt(v)
			} else {
				l[a][b] = v / l[b][b]
			}
		}
	}
	return l, true
}

// MaxCorrelation returns the Pearson correlation of largest absolute
// value between two columns of x (rows are points, as a design's), and
// those columns a < b; 0, -1, -1 with fewer than two columns or two rows.
// A constant column correlates 0 with every other.
func MaxCorrelation(x [][]float64) (r float64, a, b int) {
	a, b = -1, -1
	if len(x) < 2 || len(x[0]) < 2 {
		return 0, a, b
	}
	c := correlations(x)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if a < 0 || math.Abs(c[i][j]) > math.Abs(r) {
				r, a, b = c[i][j], i, j
			}
		}
	}
	return r, a, b
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
