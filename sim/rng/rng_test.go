package rng

import (
	"math"
	"testing"
)

// TestUniform checks the mean and variance of Float64 and of both halves of
// Two against 1/2 and 1/12, and that streams with different ids differ.
func TestUniform(t *testing.T) {
	const n = 1_000_000
	g := New(1, 2)
	var s, s2, a, b float64
	for i := 0; i < n; i++ {
		x := g.Float64()
		s += x
		s2 += x * x
		u, v := g.Two()
		a += u
		b += v
	}
	mean, variance := s/n, s2/n-(s/n)*(s/n)
	// Standard error of the mean is sqrt(1/12/n) ≈ 0.00029; allow 5 of them.
	if math.Abs(mean-0.5) > 0.0015 || math.Abs(a/n-0.5) > 0.0015 || math.Abs(b/n-0.5) > 0.0015 {
		t.Errorf("means %.5f %.5f %.5f, want 0.5", mean, a/n, b/n)
	}
	if math.Abs(variance-1.0/12) > 0.001 {
		t.Errorf("variance %.5f, want %.5f", variance, 1.0/12)
	}
	g1, g2 := New(1, 2), New(1, 3)
	same := 0
	for i := 0; i < 1000; i++ {
		if g1.Uint64() == g2.Uint64() {
			same++
		}
	}
	if same > 0 {
		t.Errorf("streams 2 and 3 of seed 1 agree on %d of 1000 draws", same)
	}
}

// TestPoisson checks the mean of Poisson variates on both sides of the
// normal-approximation threshold.
func TestPoisson(t *testing.T) {
	g := New(5, 0)
	for _, lambda := range []float64{0.5, 7, 120} {
		const n = 200_000
		s := 0.0
		for i := 0; i < n; i++ {
			s += float64(g.Poisson(lambda))
		}
		if se := math.Sqrt(lambda / n); math.Abs(s/n-lambda) > 5*se {
			t.Errorf("Poisson(%g): mean %.4f", lambda, s/n)
		}
	}
}

func BenchmarkTwo(b *testing.B) {
	g := New(1, 1)
	var s float64
	for b.Loop() {
		u, v := g.Two()
		s += u + v
	}
	_ = s
}
