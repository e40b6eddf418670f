package state

import (
	"math"
	"testing"

	"github.com/settle-sim/settle/sim/rng"
)

// TestRatesExact checks that thinned draws give every item its own
// probability: keys from 0 to 1 (including exact powers of two, class
// boundaries, and probabilities above 1), interleaved in the sequence,
// spread over many short sequences (chunks restart with Start), each key's
// count within 5 standard deviations of Σp; and that pairs of neighbouring
// items of the same key are independent (P(both) = p²).
func TestRatesExact(t *testing.T) {
	probs := []float64{0, 1e-6, 0.001, 0.0123, 0.0625, 0.07, 0.125, 0.25, 0.3, 0.5, 0.5000001, 0.9, 1, 1.5}
	var r Rates
	r.Set(probs)
	const seqs, perSeq = 400, 5000 // items per key and sequence
	n := float64(seqs * perSeq)
	count := make([]float64, len(probs))
	both := make([]float64, len(probs))
	for q := 0; q < seqs; q++ {
		g := rng.New(11, uint64(q))
		var d Draws
		d.Start(&r, &g)
		prev := make([]bool, len(probs))
		for i := 0; i < perSeq; i++ {
			for k := range probs {
				ev := d.Candidate(k) && d.Accept(k, &g)
				if ev {
					count[k]++
					if i%2 == 1 && prev[k] {
						both[k]++
					}
				}
				prev[k] = ev
			}
		}
	}
	for k, p := range probs {
		p = min(p, 1)
		sd := math.Sqrt(n * p * (1 - p))
		if math.Abs(count[k]-n*p) > 5*sd+1e-9 {
			t.Errorf("p = %g: %.0f events in %.0f items, want %.1f ± %.1f", probs[k], count[k], n, n*p, sd)
		}
		pairs := n / 2
		sd2 := math.Sqrt(pairs * p * p * (1 - p*p))
		if math.Abs(both[k]-pairs*p*p) > 5*sd2+1e-9 {
			t.Errorf("p = %g: %.0f pairs of events, want %.1f ± %.1f", probs[k], both[k], pairs*p*p, sd2)
		}
	}
}

// TestSkip checks the geometric gaps: mean (1 − p)/p and P(0) = p, and the
// two ends p = 1 (always 0) and p = 0 (never).
func TestSkip(t *testing.T) {
	for _, p := range []float64{0.003, 0.05, 0.3, 0.9} {
		g := rng.New(4, uint64(p*1000))
		const n = 400_000
		var sum, zeros float64
		for i := 0; i < n; i++ {
			k := Skip(&g, math.Log1p(-p))
			sum += float64(k)
			if k == 0 {
				zeros++
			}
		}
		mean, sd := (1-p)/p, math.Sqrt(1-p)/p/math.Sqrt(n)
		if math.Abs(sum/n-mean) > 5*sd {
			t.Errorf("p = %g: mean skip %.4f, want %.4f ± %.4f", p, sum/n, mean, sd)
		}
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(zeros/n-p) > 5*se {
			t.Errorf("p = %g: P(0) = %.4f, want %.4f", p, zeros/n, p)
		}
	}
	g := rng.New(1, 1)
	if Skip(&g, math.Inf(-1)) != 0 || Skip(&g, 0) < 1<<60 {
		t.Error("Skip at p = 1 should be 0 and at p = 0 never end")
	}
}

// TestBoundedExact checks that items drawn through their bounds have their
// exact probabilities: for each probability, bounds from p to 8p (and 1 and
// above, and p itself at class boundaries), interleaved, over many
// sequences, within 5 standard deviations; items with bound 0 never happen
// and draw nothing.
func TestBoundedExact(t *testing.T) {
	probs := []float64{1e-7, 0.0009, 0.01, 0.0625, 0.1, 0.25, 0.3, 0.5, 0.7, 0.95, 1}
	factors := []float64{1, 1.0001, 1.9, 2, 3.7, 8, 1e6}
	const seqs, perSeq = 300, 3000
	count := make([]float64, len(probs))
	for q := 0; q < seqs; q++ {
		g := rng.New(12, uint64(q))
		var d Bounded
		d.Start(&g)
		for i := 0; i < perSeq; i++ {
			for k, p := range probs {
				b := p * factors[(i+k)%len(factors)]
				if c, ok := d.Candidate(b); ok && d.Accept(c, p, &g) {
					count[k]++
				}
				if _, ok := d.Candidate(0); ok {
					t.Fatal("an item with bound 0 became a candidate")
				}
			}
		}
	}
	n := float64(seqs * perSeq)
	for k, p := range probs {
		sd := math.Sqrt(n * p * (1 - p))
		if math.Abs(count[k]-n*p) > 5*sd+1e-9 {
			t.Errorf("p = %g: %.0f events in %.0f items, want %.1f ± %.1f", p, count[k], n, n*p, sd)
		}
	}
}
