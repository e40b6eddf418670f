package design

import (
	"fmt"
	"math/bits"

	"github.com/settle-sim/settle/sim/rng"
)

// MaxSobolDim is the largest dimension Sobol supports: the first 40
// dimensions of Joe and Kuo's new-joe-kuo-6.21201 direction numbers.
const MaxSobolDim = 1 + len(joeKuo)

// joeKuo are Joe and Kuo's direction numbers for dimensions 2 … 40 (S. Joe
// and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30, 2635–2654, 2008; the file
// new-joe-kuo-6.21201 at web.maths.unsw.edu.au/~fkuo/sobol/, whose first
// rows these are): the degree s of the primitive polynomial, its interior
// coefficients a as bits, and the initial direction integers m_1 … m_s.
// Dimension 1 is van der Corput's sequence (all m = 1) and needs no row.
var joeKuo = [...]struct {
	s, a int
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
	{5, 4, []uint32{1, 1, 5, 5, 5}},
	{5, 7, []uint32{1, 1, 7, 11, 19}},
	{5, 11, []uint32{1, 1, 5, 1, 1}},
	{5, 13, []uint32{1, 1, 1, 3, 11}},
	{5, 14, []uint32{1, 3, 5, 5, 31}},
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}},
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}},
}

// Sobol generates the Sobol' sequence in [0,1)^dim with 32-bit precision,
// in Gray-code order (Antonov and Saleev 1979), so its first 2^m points
// are the same set as in natural order. The zero value is not useful; use
// NewSobol. It is not safe for concurrent use.
type Sobol struct {
	v     [][32]uint32 // direction numbers V_1 … V_32 per dimension, scaled by 2^32
	x     []uint32     // the current point, scaled by 2^32
	shift []uint32     // digital shift XORed onto every point (zero: none)
	n     uint32       // points returned so far
}

// NewSobol returns the unshifted sequence of dimension dim, 1 ≤ dim ≤
// MaxSobolDim; its first point is 0.
func NewSobol(dim int) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("design: Sobol' dimension %d is out of range; use 1 to %d", dim, MaxSobolDim)
	}
	s := &Sobol{v: make([][32]uint32, dim), x: make([]uint32, dim), shift: make([]uint32, dim)}
	for i := range 32 {
		s.v[0][i] = 1 << (31 - i)
	}
	for d := 1; d < dim; d++ {
		row := joeKuo[d-1]
		v := &s.v[d]
		for i := 0; i < row.s; i++ {
			v[i] = row.m[i] << (31 - i)
		}
		for i := row.s; i < 32; i++ {
			v[i] = v[i-row.s] ^ (v[i-row.s] >> row.s)
			for k := 1; k < row.s; k++ {
				v[i] ^= uint32((row.a>>(row.s-1-k))&1) * v[i-k]
			}
		}
	}
	return s, nil
}

// Shift sets a digital shift drawn from (seed, streamShift): every later
// point has each coordinate's bits XORed with the same random word. A
// shifted Sobol' sequence keeps the stratification of the original.
func (s *Sobol) Shift(seed uint64) {
	g := rng.New(seed, streamShift)
	for d := range s.shift {
		s.shift[d] = uint32(g.Uint64() >> 32)
	}
}

// Next writes the next point into dst (len(dst) = dim). Cost: O(dim).
func (s *Sobol) Next(dst []float64) {
	if s.n > 0 {
		c := bits.TrailingZeros32(^(s.n - 1)) // the lowest zero bit of n−1
		for d := range s.x {
			s.x[d] ^= s.v[d][c]
		}
	}
	s.n++
	for d := range s.x {
		dst[d] = float64(s.x[d]^s.shift[d]) * 0x1p-32
	}
}
