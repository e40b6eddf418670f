package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/params"
)

// TestBaselineRealism checks that the default baseline is roughly right
// (issue 2's bar; the formal fit is `settle fit`): 35–50 moves between
// municipalities per 1000 a year, the highest moving rates at ages 20–29,
// women aged 20–24 moving more than men, and central municipalities
// (classes 1–2) gaining while the least central (5–6) lose through
// domestic migration, the share of jobs vacant staying near SSB's 2–4 %
// (within 2–6 % on 1 January, after the year's moves and deaths have opened
// posts again) and unemployment near the Labour Force Survey's 4 % (within
// 3–6 %). Norway at scale 0.05 for 10 years.
func TestBaselineRealism(t *testing.T) {
	if testing.Short() {
		t.Skip("Norway at scale 0.05 for 10 years")
	}
	w := loadWorld(t, "norway-2024")
	sim, err := New(w, Config{Seed: 1, Scale: 0.05, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	const years = 10
	var pop, mv [2][106]float64
	classNet := map[int]float64{}
	var moves, persons float64
	var vacancyRates, unemploymentRates []string
	rec := sim.Observe()
	for y := 0; y < years; y++ {
		var prev [2][]int64
		for sx := 0; sx < 2; sx++ {
			prev[sx] = append([]int64(nil), rec.Population[sx]...)
		}
		rec = sim.Step()
		for sx := 0; sx < 2; sx++ {
			// Moves are counted at the age reached during the year.
			for a := 1; a < 106; a++ {
				pop[sx][a] += float64(prev[sx][a-1])
				mv[sx][a] += float64(rec.Moves[sx][a])
			}
		}
		var jobs, vacancies, employed, unemployed float64
		for r, x := range rec.Regions {
			employed += float64(x.Employed)
			unemployed += float64(x.Unemployed)
			moves += float64(x.InDomestic)
			persons += float64(x.Population)
			classNet[w.Regions[r].Centrality] += float64(x.InDomestic - x.OutDomestic)
			jobs += float64(x.Jobs)
			vacancies += float64(x.Vacancies)
		}
		v := 100 * vacancies / jobs
		vacancyRates = append(vacancyRates, fmt.Sprintf("%.1f", v))
		if v < 2 || v > 6 {
			t.Errorf("%d: %.1f %% of jobs vacant, want 2–6 %% (SSB: 2–4 %%)", rec.Year, v)
		}
		u := 100 * unemployed / (employed + unemployed)
		unemploymentRates = append(unemploymentRates, fmt.Sprintf("%.1f", u))
		if u < 3 || u > 6 {
			t.Errorf("%d: unemployment %.1f %%, want 3–6 %% (SSB Labour Force Survey: about 4 %%)", rec.Year, u)
		}
	}
	t.Logf("share of jobs vacant on 1 January, %%: %s", strings.Join(vacancyRates, " "))
	t.Logf("unemployment on 1 January, %%: %s", strings.Join(unemploymentRates, " "))
	perThousand := 1000 * moves / persons
	rate := func(lo, hi int, sexes ...int) float64 {
		var p, m float64
		for _, sx := range sexes {
			for a := lo; a <= hi; a++ {
				p += pop[sx][a]
				m += mv[sx][a]
			}
		}
		return 1000 * m / p
	}
	var b strings.Builder
	peak, peakRate := 0, 0.0
	for lo := 0; lo < 70; lo += 5 {
		r := rate(lo, lo+4, 0, 1)
		fmt.Fprintf(&b, " %d-%d:%.0f", lo, lo+4, r)
		if r > peakRate {
			peak, peakRate = lo, r
		}
	}
	t.Logf("moves per 1000: %.1f; by age:%s", perThousand, b.String())
	t.Logf("net domestic migration by centrality class (sampled): %v", classNet)
	if perThousand < 35 || perThousand > 50 {
		t.Errorf("%.1f moves per 1000 a year, want 35–50 (MODEL.md: 41–46)", perThousand)
	}
	if peak != 20 && peak != 25 {
		t.Errorf("highest moving rate at ages %d–%d, want 20–29", peak, peak+4)
	}
	if f, m := rate(20, 24, 0), rate(20, 24, 1); f <= m {
		t.Errorf("women 20–24 move %.0f per 1000, men %.0f: women should move more", f, m)
	}
	if classNet[1]+classNet[2] <= 0 || classNet[5]+classNet[6] >= 0 {
		t.Errorf("domestic migration should centralise: classes 1–2 net %+.0f, 5–6 net %+.0f", classNet[1]+classNet[2], classNet[5]+classNet[6])
	}
}
