package state

import (
	"math"
	"testing"
)

// TestKeyedExact checks that keyed draws give every person their own
// probability and independence: for keys from 0 to 1 (and above 1, and
// NaN), the events among many persons are within 5 standard deviations of
// n·p; the events of neighbouring persons, of one person in two kinds of
// event and of one person in two years are independent (P(both) = p²).
func TestKeyedExact(t *testing.T) {
	probs := []float64{0, 1e-6, 0.001, 0.0123, 0.0625, 0.07, 0.125, 0.25, 0.3, 0.5, 0.9, 1, 1.5, math.NaN()}
	var r Rates
	r.Set(probs)
	s := &State{Seed: 11, Year: 2030}
	k1, k2 := s.Keyed(KeyDeath), s.Keyed(KeyBirth)
	s.Year++
	next := s.Keyed(KeyDeath)
	const n = 400_000
	for k, p := range probs {
		p = min(max(p, 0), 1)
		if math.IsNaN(probs[k]) {
			p = 0
		}
		var count, pairs, kinds, years float64
		for i := range n {
			ev := k1.U(i) < r.P(k)
			if ev {
				count++
				if i%2 == 1 && k1.U(i-1) < r.P(k) {
					pairs++
				}
				if k2.U(i) < r.P(k) {
					kinds++
				}
				if next.U(i) < r.P(k) {
					years++
				}
			}
		}
		if sd := math.Sqrt(n * p * (1 - p)); math.Abs(count-n*p) > 5*sd+1e-9 {
			t.Errorf("p = %g: %.0f events among %d persons, want %.1f ± %.1f", probs[k], count, n, n*p, sd)
		}
		for _, c := range []struct {
			what string
			got  float64
			m    float64
		}{{"neighbours", pairs, n / 2}, {"two kinds", kinds, n}, {"two years", years, n}} {
			if sd := math.Sqrt(c.m * p * p * (1 - p*p)); math.Abs(c.got-c.m*p*p) > 5*sd+1e-9 {
				t.Errorf("p = %g, %s: %.0f both, want %.1f ± %.1f", probs[k], c.what, c.got, c.m*p*p, sd)
			}
		}
	}
}

// TestKeyedStable: a person's draw depends on the seed, the kind, the
// year and the person, and on nothing else (common random numbers).
func TestKeyedStable(t *testing.T) {
	a := &State{Seed: 3, Year: 2025}
	b := &State{Seed: 3, Year: 2025}
	if a.Keyed(KeyMove).U(1234) != b.Keyed(KeyMove).U(1234) {
		t.Error("the same key gives two draws")
	}
	for _, c := range []struct {
		what string
		u    float64
	}{
		{"another person", a.Keyed(KeyMove).U(1235)},
		{"another kind", a.Keyed(KeyDestination).U(1234)},
		{"another seed", (&State{Seed: 4, Year: 2025}).Keyed(KeyMove).U(1234)},
		{"another year", (&State{Seed: 3, Year: 2026}).Keyed(KeyMove).U(1234)},
	} {
		if c.u == a.Keyed(KeyMove).U(1234) {
			t.Errorf("%s gives the same draw", c.what)
		}
	}
	g, h := a.Keyed(KeyEducation).RNG(7), b.Keyed(KeyEducation).RNG(7)
	if g.Float64() != h.Float64() || g.Float64() != h.Float64() {
		t.Error("a person's stream differs between two states with the same key")
	}
}

// TestBelowSameAsU: the integer test (Keyed.Below against Rates.T) gives
// U(i) < P(k) for every draw, also at the boundaries: a probability equal
// to a draw (not below it) and the next float up (below it).
func TestBelowSameAsU(t *testing.T) {
	s := &State{Seed: 5, Year: 2031}
	k := s.Keyed(KeyAdult)
	probs := []float64{0, 0x1p-53, 0x1p-52 + 0x1p-60, 1e-9, 0.01, 0.5, 1 - 0x1p-53, 1, 2, -1, math.NaN(), math.Inf(1)}
	for i := range 64 {
		u := k.U(i)
		probs = append(probs, u, math.Nextafter(u, 1), math.Nextafter(u, 0))
	}
	var r Rates
	r.Set(probs)
	for key := range probs {
		if (r.T(key) == 0) != !(r.P(key) > 0) {
			t.Errorf("probability %v: threshold %d, want zero exactly when the event never happens", probs[key], r.T(key))
		}
		for i := range 20_000 {
			if got, want := k.Below(i, r.T(key)), k.U(i) < r.P(key); got != want {
				t.Fatalf("person %d, probability %v (u = %v): Below says %v, U < P says %v", i, probs[key], k.U(i), got, want)
			}
		}
	}
}
