package design

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// The unshifted sequence starts as Joe and Kuo's (and SciPy's unscrambled
// qmc.Sobol) does.
func TestSobolFirstPoints(t *testing.T) {
	want := [][2]float64{{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75},
		{0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}}
	s, err := NewSobol(2)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, 2)
	for i, w := range want {
		s.Next(p)
		if p[0] != w[0] || p[1] != w[1] {
			t.Fatalf("point %d = %v, want %v", i, p, w)
		}
	}
}

// Every one-dimensional projection of the first 2^m points, shifted or
// not, puts exactly one point in each interval [j/2^m, (j+1)/2^m): the
// defining property of a Sobol' sequence, which wrong direction numbers
// (even or too large m_i) would break.
func TestSobolStratified(t *testing.T) {
	if len(joeKuo) != 39 {
		t.Fatalf("%d rows of direction numbers, want 39 (dimensions 2 … 40)", len(joeKuo))
	}
	for i, row := range joeKuo {
		if len(row.m) != row.s {
			t.Fatalf("dimension %d: %d initial numbers for degree %d", i+2, len(row.m), row.s)
		}
		for j, m := range row.m {
			if m%2 != 1 || m >= 1<<(j+1) {
				t.Fatalf("dimension %d: m_%d = %d must be odd and below 2^%d", i+2, j+1, m, j+1)
			}
		}
	}
	for _, shift := range []uint64{0, 7} {
		s, _ := NewSobol(MaxSobolDim)
		if shift != 0 {
			s.Shift(shift)
		}
		const m = 10
		n := 1 << m
		seen := make([][]bool, MaxSobolDim)
		for d := range seen {
			seen[d] = make([]bool, n)
		}
		p := make([]float64, MaxSobolDim)
		for range n {
			s.Next(p)
			for d, x := range p {
				if x < 0 || x >= 1 {
					t.Fatalf("coordinate %g outside [0,1)", x)
				}
				seen[d][int(x*float64(n))] = true
			}
		}
		for d := range seen {
			if slices.Contains(seen[d], false) {
				t.Errorf("shift %d, dimension %d: the first %d points leave a stratum empty", shift, d+1, n)
			}
		}
	}
}

// The first two dimensions form a (0,m,2)-net: every elementary box of
// area 2^-m holds exactly one of the first 2^m points.
func TestSobolTwoDimensionalNet(t *testing.T) {
	const m = 8
	n := 1 << m
	s, _ := NewSobol(2)
	pts := make([][2]float64, n)
	p := make([]float64, 2)
	for i := range pts {
		s.Next(p)
		pts[i] = [2]float64{p[0], p[1]}
	}
	for a := 0; a <= m; a++ {
		nx, ny := 1<<a, 1<<(m-a)
		count := make([]int, nx*ny)
		for _, q := range pts {
			count[int(q[0]*float64(nx))*ny+int(q[1]*float64(ny))]++
		}
		for _, c := range count {
			if c != 1 {
				t.Fatalf("boxes %d×%d: a box holds %d points", nx, ny, c)
			}
		}
	}
}

func TestSobolDimension(t *testing.T) {
	for _, d := range []int{0, MaxSobolDim + 1} {
		if _, err := NewSobol(d); err == nil {
			t.Errorf("NewSobol(%d) gave no error", d)
		}
	}
}

func TestGrid(t *testing.T) {
	got := Grid([]int{2, 1, 3})
	want := [][]int{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {1, 0, 0}, {1, 0, 1}, {1, 0, 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Grid = %v, want %v", got, want)
	}
	if Grid([]int{2, 0}) != nil {
		t.Fatal("a dimension without levels must give no points")
	}
	if got := Grid(nil); len(got) != 1 || len(got[0]) != 0 {
		t.Fatalf("Grid(nil) = %v, want one empty point", got)
	}
}

func TestLatinHypercube(t *testing.T) {
	const n, k = 50, 4
	pts := LatinHypercube(n, k, 3)
	for d := range k {
		seen := make([]bool, n)
		for _, p := range pts {
			seen[int(p[d]*n)] = true
		}
		if slices.Contains(seen, false) {
			t.Fatalf("dimension %d leaves a stratum empty", d)
		}
	}
	if fmt.Sprint(LatinHypercube(n, k, 3)) != fmt.Sprint(pts) {
		t.Fatal("the same seed gave other points")
	}
	if fmt.Sprint(LatinHypercube(n, k, 4)) == fmt.Sprint(pts) {
		t.Fatal("another seed gave the same points")
	}
}

func TestSaltelli(t *testing.T) {
	const n, k = 8, 3
	pts, err := Saltelli(n, k, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != n*(k+2) {
		t.Fatalf("%d points, want %d", len(pts), n*(k+2))
	}
	for j := range n {
		a, b := pts[j*(k+2)], pts[j*(k+2)+1]
		for i := range k {
			ab := pts[j*(k+2)+2+i]
			for c := range k {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Fatalf("sample %d: AB%d column %d = %g, want %g", j, i+1, c+1, ab[c], want)
				}
			}
		}
	}
	if b := SaltelliBlock(2*(k+2)+3, k); b.Sample != 2 || b.Name() != "AB2" {
		t.Fatalf("SaltelliBlock = %+v (%s)", b, b.Name())
	}
	if _, err := Saltelli(n, MaxSobolDim/2+1, 1); err == nil {
		t.Fatal("too many parameters gave no error")
	}
	if math.IsNaN(pts[0][0]) {
		t.Fatal("NaN")
	}
}

// A Latin hypercube's dimensions hardly correlate: random orders of 10
// points in 3 dimensions correlate at |r| 0.45 on average (up to 0.88),
// which made regression coefficients share their effects; rearranged
// (Iman–Conover) they stay below 0.1, each dimension keeping its strata.
func TestLatinHypercubeCorrelation(t *testing.T) {
	const n, k, seeds = 10, 3, 100
	var raw, ic float64
	for seed := uint64(1); seed <= seeds; seed++ {
		pts := LatinHypercube(n, k, seed)
		r0, _, _ := MaxCorrelation(randomLatinHypercube(n, k, seed))
		r1, a, b := MaxCorrelation(pts)
		if math.Abs(r1) > math.Abs(r0) || a < 0 || b <= a {
			t.Fatalf("seed %d: |r| %.3f (columns %d, %d) after the rearrangement, %.3f before", seed, r1, a, b, r0)
		}
		if math.Abs(r1) > 0.15 {
			t.Errorf("seed %d: |r| = %.3f", seed, r1)
		}
		raw, ic = raw+math.Abs(r0)/seeds, ic+math.Abs(r1)/seeds
		for d := range k {
			seen := make([]bool, n)
			for _, p := range pts {
				seen[int(p[d]*n)] = true
			}
			if slices.Contains(seen, false) {
				t.Fatalf("seed %d: dimension %d leaves a stratum empty", seed, d)
			}
		}
	}
	if raw < 0.3 || ic > 0.06 {
		t.Errorf("mean |r| %.3f of random orders, %.3f rearranged; want above 0.3 and below 0.06", raw, ic)
	}
	// Too few points to rearrange (n ≤ k+1): the random orders.
	if fmt.Sprint(LatinHypercube(4, 3, 1)) != fmt.Sprint(randomLatinHypercube(4, 3, 1)) {
		t.Error("4 points of 3 dimensions were rearranged")
	}
}

func TestMaxCorrelation(t *testing.T) {
	x := [][]float64{{1, 2, 5, 7}, {2, 4, 5, 1}, {3, 6, 5, 4}, {4, 8, 5, 0}}
	r, a, b := MaxCorrelation(x)
	if math.Abs(r-1) > 1e-12 || a != 0 || b != 1 {
		t.Errorf("MaxCorrelation = %g (%d, %d), want 1 (0, 1)", r, a, b)
	}
	// The constant column correlates 0; column 3 falls as column 1 rises
	// (−0.98), more than as column 0 does (−0.85).
	x[1][1], x[2][1] = 6, 4
	if r, a, b := MaxCorrelation(x); a != 1 || b != 3 || math.Abs(r+0.9798) > 1e-4 {
		t.Errorf("MaxCorrelation = %g (%d, %d), want −0.9798 (1, 3)", r, a, b)
	}
	if r, a, _ := MaxCorrelation([][]float64{{1}, {2}}); r != 0 || a != -1 {
		t.Errorf("one column: %g, %d", r, a)
	}
}

// TestLatinHypercubeBits pins the exact bits of a decorrelated Latin
// hypercube: its points must be the same on every platform (no fused
// multiply-add, no math function whose arithmetic a platform fuses), so
// that shards on amd64 and arm64 machines merge. A change here changes
// every latin_hypercube sweep's points: say so in its commit.
func TestLatinHypercubeBits(t *testing.T) {
	want := [][]uint64{
		{0x3fedbf6961af53a1, 0x3fd2d84e71102cbf, 0x3fe61e41b94b508b},
		{0x3fd43dadace05d7f, 0x3fef11e527ce6c4c, 0x3fe2dfec80c7696d},
		{0x3fda3fc3ccbbfceb, 0x3fe9ca11a0f4d7d3, 0x3fc96aa98919eafd},
	}
	x := LatinHypercube(12, 3, 7)
	for i, row := range want {
		for d, b := range row {
			if got := math.Float64bits(x[i][d]); got != b {
				t.Errorf("point %d, dimension %d: %#x, want %#x (%v)", i, d, got, b, x[i][d])
			}
		}
	}
}
