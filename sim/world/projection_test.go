package world

import (
	"math"
	"testing"
)

// TestProjectionPoints: in the years SSB's table gives, the rates reproduce
// its total fertility, move life expectancy by its change from 2024 and
// give its net migration per resident; between them they are interpolated,
// and held beyond the ends.
func TestProjectionPoints(t *testing.T) {
	r := NorwayRates()
	base := [2]float64{r.LifeExpectancy(Female), r.LifeExpectancy(Male)}
	for _, p := range Projections {
		if p.Constant() {
			continue
		}
		if len(p.TotalFertility) != len(p.Years) || len(p.LifeExpectancy) != len(p.Years) ||
			len(p.NetMigration) != len(p.Years) || len(p.Population) != len(p.Years) {
			t.Fatalf("%s: %d years but %d, %d, %d, %d values", p.Name, len(p.Years),
				len(p.TotalFertility), len(p.LifeExpectancy), len(p.NetMigration), len(p.Population))
		}
		for k, y := range p.Years {
			n := r.In(p, y)
			if n.Year != y {
				t.Errorf("%s %d: National.Year = %d", p.Name, y, n.Year)
			}
			if math.Abs(n.TotalFertility-p.TotalFertility[k]) > 1e-9 {
				t.Errorf("%s %d: total fertility %.4f, want %.4f", p.Name, y, n.TotalFertility, p.TotalFertility[k])
			}
			gain := p.LifeExpectancy[k] - ssbLifeExpectancy2024
			for s := range 2 {
				if d := n.LifeExpectancy[s] - (base[s] + gain); math.Abs(d) > 0.005 {
					t.Errorf("%s %d sex %d: life expectancy %.3f, want %.3f", p.Name, y, s, n.LifeExpectancy[s], base[s]+gain)
				}
			}
			net := (n.ImmigrationRate - n.EmigrationRate) * p.Population[k]
			if math.Abs(net-p.NetMigration[k]) > 0.5 {
				t.Errorf("%s %d: net migration %.1f, want %.0f", p.Name, y, net, p.NetMigration[k])
			}
			if n.EmigrationRate != r.EmigrationRate {
				t.Errorf("%s %d: emigration rate %g, want the world's %g", p.Name, y, n.EmigrationRate, r.EmigrationRate)
			}
		}
		// 2027 is halfway between 2024 and 2030.
		mid := r.In(p, 2027)
		if want := (p.TotalFertility[0] + p.TotalFertility[1]) / 2; math.Abs(mid.TotalFertility-want) > 1e-9 {
			t.Errorf("%s 2027: total fertility %.4f, want %.4f", p.Name, mid.TotalFertility, want)
		}
		for _, y := range []int{2000, 2023} {
			if got, want := r.In(p, y).TotalFertility, p.TotalFertility[0]; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %d: total fertility %.4f, want the first year's %.4f", p.Name, y, got, want)
			}
		}
		if got, want := r.In(p, 2150).ImmigrationRate, r.In(p, 2100).ImmigrationRate; got != want {
			t.Errorf("%s 2150: immigration rate %g, want 2100's %g", p.Name, got, want)
		}
	}
}

// TestProjectionOrder: the alternatives are ordered as SSB's are (low below
// main below high in fertility, life expectancy and net migration after
// the start), and mortality falls at every age as life expectancy rises.
func TestProjectionOrder(t *testing.T) {
	r := NorwayRates()
	low, main, high := FindProjection("ssb-2024-low"), FindProjection(DefaultProjection), FindProjection("ssb-2024-high")
	if low == nil || main == nil || high == nil {
		t.Fatal("missing one of SSB's three alternatives")
	}
	for _, y := range []int{2030, 2040, 2050} {
		l, m, h := r.In(low, y), r.In(main, y), r.In(high, y)
		if !(l.TotalFertility < m.TotalFertility && m.TotalFertility < h.TotalFertility) {
			t.Errorf("%d: total fertility %.2f, %.2f, %.2f not ordered", y, l.TotalFertility, m.TotalFertility, h.TotalFertility)
		}
		if !(l.ImmigrationRate < m.ImmigrationRate && m.ImmigrationRate < h.ImmigrationRate) {
			t.Errorf("%d: immigration rates %g, %g, %g not ordered", y, l.ImmigrationRate, m.ImmigrationRate, h.ImmigrationRate)
		}
		for s := range 2 {
			for a := range MaxAge + 1 {
				if !(h.Mortality[s][a] <= m.Mortality[s][a] && m.Mortality[s][a] <= l.Mortality[s][a]) {
					t.Fatalf("%d sex %d age %d: death probabilities %g, %g, %g not ordered", y, s, a, l.Mortality[s][a], m.Mortality[s][a], h.Mortality[s][a])
				}
			}
		}
	}
	later := r.In(main, 2050)
	for s := range 2 {
		for a := 1; a < MaxAge; a++ {
			if !(later.Mortality[s][a] < r.Mortality[s][a]) {
				t.Fatalf("2050 sex %d age %d: death probability %g not below 2024's %g", s, a, later.Mortality[s][a], r.Mortality[s][a])
			}
		}
	}
}

// TestConstantProjection: "constant" and nil hold the world's rates in
// every year.
func TestConstantProjection(t *testing.T) {
	r := NorwayRates()
	c := FindProjection(ConstantProjection)
	if c == nil || !c.Constant() {
		t.Fatalf("FindProjection(%q) = %v", ConstantProjection, c)
	}
	for _, p := range []*Projection{nil, c} {
		for _, y := range []int{2024, 2050} {
			n := r.In(p, y)
			if n.Mortality != r.Mortality || n.Fertility != r.Fertility ||
				n.ImmigrationRate != r.ImmigrationRate || n.EmigrationRate != r.EmigrationRate {
				t.Errorf("%v %d: the rates differ from the world's", p, y)
			}
		}
	}
	if FindProjection("ssb-main") != nil {
		t.Error(`FindProjection("ssb-main") found a projection`)
	}
}

func TestProjectionSummary(t *testing.T) {
	got := FindProjection(DefaultProjection).Summary(2024, 2030)
	want := "ssb-2024-main: SSB 2024, main alternative (MMM); 2024 → 2030: total fertility 1.42 → 1.57, life expectancy 83.3 → 84.3 years, net migration 41,093 → 16,482 a year"
	if got != want {
		t.Errorf("Summary:\n got %s\nwant %s", got, want)
	}
	if got := FindProjection(ConstantProjection).Summary(2024, 2030); got != "constant: the world's rates of the start year, held constant" {
		t.Errorf("constant Summary: %s", got)
	}
}
