package synth

import (
	"math"
	"testing"
)

// tenureAt counts as the engine does (0 for one who moved in the year
// before), never exceeds the age, and gives the share moved in the last
// year the moving rate of the age: at 25, 11.9 %.
func TestTenureAt(t *testing.T) {
	if got := tenureAt(0, 0.5); got != 0 {
		t.Errorf("a newborn's tenure %d, want 0", got)
	}
	for a := 1; a <= 105; a += 13 {
		rate := movedRate[min(a/5, len(movedRate)-1)]
		if got := tenureAt(a, 1-rate/2); got != 0 {
			t.Errorf("age %d, u in the last year's movers: tenure %d, want 0", a, got)
		}
		if got := tenureAt(a, 0); got != uint8(a) {
			t.Errorf("age %d, u = 0 (never moved): tenure %d, want %d", a, got, a)
		}
		for _, u := range []float64{0.1, 0.5, 0.9, 0.999} {
			if got := tenureAt(a, u); int(got) > a {
				t.Errorf("age %d, u %v: tenure %d above the age", a, u, got)
			}
		}
	}
	const n = 200_000
	zero := 0
	for k := range n {
		if tenureAt(25, (float64(k)+0.5)/n) == 0 {
			zero++
		}
	}
	if share := float64(zero) / n; math.Abs(share-movedRate[5]) > 0.001 {
		t.Errorf("at 25, %.4f moved in the last year, want movedRate's %.3f", share, movedRate[5])
	}
}

// The students' years left at the start: shares that add up to 1, and
// every uniform in [0, 1) gets a year (the last for u near 1).
func TestYearsLeft(t *testing.T) {
	for _, shares := range [][]float64{bachelorLeft[:], masterLeft[:]} {
		sum := 0.0
		for _, s := range shares {
			sum += s
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("shares %v add up to %v", shares, sum)
		}
		if got := yearsLeft(shares, 0); got != 1 {
			t.Errorf("u = 0: %d years, want 1", got)
		}
		if got := yearsLeft(shares, math.Nextafter(1, 0)); got != uint8(len(shares)) {
			t.Errorf("u near 1: %d years, want %d", got, len(shares))
		}
	}
}
