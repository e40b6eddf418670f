package world

import (
	"math"
	"testing"
)

func TestNorwayRates(t *testing.T) {
	r := NorwayRates()
	if r != NorwayRates() {
		t.Fatal("NorwayRates is not deterministic")
	}
	// Mortality reproduces SSB's life expectancy at birth.
	for _, c := range []struct {
		sex  int
		want float64
	}{{Female, LifeExpectancyWomen}, {Male, LifeExpectancyMen}} {
		if e := r.LifeExpectancy(c.sex); math.Abs(e-c.want) > 0.5 {
			t.Errorf("life expectancy (sex %d) = %.2f, want %.1f ± 0.5", c.sex, e, c.want)
		}
	}
	for s := range 2 {
		q := r.Mortality[s]
		if q[0] < 0.0015 || q[0] > 0.0025 {
			t.Errorf("sex %d: infant mortality %g, want ≈ 0.002", s, q[0])
		}
		for x := 0; x <= MaxAge; x++ {
			if q[x] <= 0 || q[x] >= 1 {
				t.Fatalf("sex %d: q(%d) = %g outside (0, 1)", s, x, q[x])
			}
			if x > 35 && q[x] <= q[x-1] {
				t.Errorf("sex %d: q(%d) = %g not above q(%d) = %g", s, x, q[x], x-1, q[x-1])
			}
		}
	}
	for x := 1; x <= MaxAge; x++ {
		if r.Mortality[Male][x] <= r.Mortality[Female][x] {
			t.Errorf("q(%d): men %g not above women %g", x, r.Mortality[Male][x], r.Mortality[Female][x])
		}
	}
	// SSB period life tables for 2023, roughly: q(80) ≈ 0.035 for women and
	// 0.05 for men, q(90) ≈ 0.13 and 0.16.
	for _, c := range []struct {
		sex, age int
		lo, hi   float64
	}{{Female, 80, 0.025, 0.05}, {Male, 80, 0.035, 0.07}, {Female, 90, 0.09, 0.18}, {Male, 90, 0.11, 0.22}} {
		if q := r.Mortality[c.sex][c.age]; q < c.lo || q > c.hi {
			t.Errorf("q(%d) sex %d = %g, want %g–%g", c.age, c.sex, q, c.lo, c.hi)
		}
	}

	// Fertility.
	if tfr := r.TotalFertility(); math.Abs(tfr-TotalFertility) > 0.02 {
		t.Errorf("TFR = %g, want %g ± 0.02", tfr, TotalFertility)
	}
	peak, mean := 0, 0.0
	for x, f := range r.Fertility {
		if (x < 15 || x > 49) && f != 0 {
			t.Errorf("fertility at %d = %g, want 0 outside 15–49", x, f)
		}
		if f > r.Fertility[peak] {
			peak = x
		}
		mean += (float64(x) + 0.5) * f
	}
	mean /= r.TotalFertility()
	if peak < 30 || peak > 32 || mean < 30.5 || mean > 32.5 {
		t.Errorf("fertility peaks at %d with mean age %.2f; want a peak at about 31 and a mean of 31–32", peak, mean)
	}

	// Age structure of 1 January 2024.
	sum, old, young, men := 0.0, 0.0, 0.0, 0.0
	for x := 0; x <= MaxAge; x++ {
		f, m := r.AgeStructure[Female][x], r.AgeStructure[Male][x]
		if f < 0 || m < 0 {
			t.Fatalf("negative share at %d", x)
		}
		sum += f + m
		men += m
		if x >= 67 {
			old += f + m
		}
		if x < 20 {
			young += f + m
		}
		n := (f + m) * 5550203
		switch {
		case x < 20 && (n < 50000 || n > 68000):
			t.Errorf("age %d: %0.f people, want 50–68 thousand", x, n)
		case x >= 25 && x <= 60 && (n < 65000 || n > 80000):
			t.Errorf("age %d: %0.f people, want 65–80 thousand", x, n)
		case x >= 85 && f <= m:
			t.Errorf("age %d: women %g not more than men %g", x, f, m)
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("age structure sums to %.15f, want 1", sum)
	}
	if r.AgeStructure[Female][MaxAge]+r.AgeStructure[Male][MaxAge] > 1e-5 {
		t.Error("age structure does not taper to ~0 at MaxAge")
	}
	if old < 0.16 || old > 0.20 || young < 0.21 || young > 0.24 || men < 0.49 || men > 0.515 {
		t.Errorf("67+ %.3f, under 20 %.3f, men %.3f; want about 0.18, 0.22 and 0.50 (SSB 2024)", old, young, men)
	}

	// International migration.
	if r.ImmigrationRate != 0.0125 || r.EmigrationRate != 0.0070 {
		t.Errorf("migration rates %g / %g", r.ImmigrationRate, r.EmigrationRate)
	}
	isum, mode, young20to35 := 0.0, 0, 0.0
	for x, g := range r.ImmigrantAge {
		isum += g
		if g > r.ImmigrantAge[mode] {
			mode = x
		}
		if x >= 20 && x <= 35 {
			young20to35 += g
		}
	}
	if math.Abs(isum-1) > 1e-12 || mode < 20 || mode > 35 || young20to35 < 0.5 {
		t.Errorf("immigrant ages: sum %g, mode %d, share 20–35 %.2f; want 1, 20–35, > 0.5", isum, mode, young20to35)
	}

	// Education and employment.
	hi16, p16 := 0.0, 0.0
	for x := 0; x <= MaxAge; x++ {
		h, u := r.HigherEducation[x], r.UpperSecondary[x]
		if h < 0 || u < 0 || h+u > 1 {
			t.Errorf("age %d: higher %g + upper secondary %g outside [0, 1]", x, h, u)
		}
		if x < 21 && h != 0 {
			t.Errorf("higher education at %d = %g, want 0", x, h)
		}
		if x >= 16 {
			p := r.AgeStructure[Female][x] + r.AgeStructure[Male][x]
			hi16 += p * h
			p16 += p
		}
	}
	if s := hi16 / p16; math.Abs(s-HigherEducationShare16) > 0.02 {
		t.Errorf("higher-education share 16+ = %.3f, want %.2f ± 0.02 (SSB)", s, HigherEducationShare16)
	}
	// By sex: the factors keep the share of both sexes at each age; at
	// 25–39 women have higher education about one and a half times as often
	// as men (SSB 2020: about 60 % and 40 %), over 75 less often.
	var hiSex, pSex [2]float64
	for x := 0; x <= MaxAge; x++ {
		f := r.HigherEducationSex
		if math.Abs(f[Female][x]+f[Male][x]-2) > 1e-12 {
			t.Errorf("age %d: education factors %g and %g do not average 1", x, f[Female][x], f[Male][x])
		}
		for sx := range 2 {
			if x >= 16 {
				hiSex[sx] += r.AgeStructure[sx][x] * r.HigherEducation[x] * f[sx][x]
				pSex[sx] += r.AgeStructure[sx][x]
			}
		}
	}
	if f := r.HigherEducationSex; f[Female][30]/f[Male][30] < 1.4 || f[Female][30]/f[Male][30] > 1.6 || f[Female][85] > f[Male][85] {
		t.Errorf("women's higher education over men's: %.2f at 30, %.2f at 85", f[Female][30]/f[Male][30], f[Female][85]/f[Male][85])
	}
	// SSB 2022: 41.9 % of women and 31.8 % of men aged 16 and over.
	t.Logf("higher education 16+: women %.3f, men %.3f", hiSex[Female]/pSex[Female], hiSex[Male]/pSex[Male])
	if w, m := hiSex[Female]/pSex[Female], hiSex[Male]/pSex[Male]; math.Abs(w-0.419) > 0.03 || math.Abs(m-0.318) > 0.03 {
		t.Errorf("higher education 16+: women %.3f, men %.3f; SSB 2022: 0.419 and 0.318", w, m)
	}
	for _, c := range []struct {
		what   string
		v      float64
		lo, hi float64
	}{
		{"higher education at 35", r.HigherEducation[35], 0.45, 0.6},
		{"higher education at 60", r.HigherEducation[60], 0.3, 0.4},
		{"higher education at 80", r.HigherEducation[80], 0.15, 0.25},
		{"master share", r.MasterShare, 0.25, 0.35},
		{"employment at 22", r.Employment[22], 0.65, 0.75},
		{"employment at 40", r.Employment[40], 0.8, 0.9},
		{"employment at 62", r.Employment[62], 0.55, 0.65},
		{"employment at 70", r.Employment[70], 0.05, 0.12},
		{"employment at 10", r.Employment[10], 0, 0},
	} {
		if c.v < c.lo || c.v > c.hi {
			t.Errorf("%s = %g, want %g–%g", c.what, c.v, c.lo, c.hi)
		}
	}
}
