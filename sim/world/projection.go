package world

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// A Projection is a path of national demographic assumptions by calendar
// year: total fertility, life expectancy at birth and net migration, as a
// national population projection states them. The engine moves a world's
// Rates along it each simulated year (Rates.In), so that a baseline follows
// the projection its users know rather than holding today's rates for
// decades. Between the years given the values are interpolated linearly;
// before the first and after the last they are held.
type Projection struct {
	Name   string // the scenario key's value, e.g. "ssb-2024-main"
	Title  string // for summaries: "SSB 2024, main alternative (MMM)"
	Short  string // for a form: "SSB 2024 main (MMM)"
	Source string
	// Years are the calendar years of the points, ascending. A projection
	// without points (Constant) holds the world's rates.
	Years []int
	// TotalFertility is children per woman; LifeExpectancy is period life
	// expectancy at birth of both sexes, in years; NetMigration is
	// immigrations minus emigrations in the year, persons; Population is
	// the population on 1 January, persons (it turns NetMigration into a
	// rate per resident, so that a world of part of the country, or a
	// sample, gets its share).
	TotalFertility, LifeExpectancy, NetMigration, Population []float64
}

// Constant reports whether p holds the world's rates (no points).
func (p *Projection) Constant() bool { return len(p.Years) == 0 }

// DefaultProjection is the projection a scenario follows unless it names
// another: SSB's main alternative of 2024.
const DefaultProjection = "ssb-2024-main"

// ConstantProjection holds the world's rates of the start year for the
// whole run (the engine's only behaviour before 0.11.0).
const ConstantProjection = "constant"

// ssbSource is where the SSB 2024 figures come from.
const ssbSource = "SSB, National population projections 2024 (published 5 June 2024, ssb.no/en/befolkning/befolkningsframskrivinger/statistikk/nasjonale-befolkningsframskrivinger): table \"Projected population figures 2024-2100\""

// ssbYears are the years of SSB's summary table.
var ssbYears = []int{2024, 2030, 2050, 2075, 2100}

// ssbLifeExpectancy2024 is the main alternative's life expectancy of 2024,
// the year the world's mortality describes (SSB registered 81.4 years for
// men and 84.9 for women in 2023; LifeExpectancyMen, LifeExpectancyWomen).
// A projection's life expectancy moves the world's by its difference from
// this value, so every alternative is measured from the same start.
const ssbLifeExpectancy2024 = 83.3

// Projections are the national projections a scenario may name. SSB's
// three alternatives combine its medium, low and high assumptions of
// fertility, life expectancy and immigration; their net migration is that
// of the migration assumption alone (MMM, MML, MMH), as SSB's table gives
// it, and their population that of the whole alternative.
var Projections = []*Projection{
	{
		Name:           "ssb-2024-main",
		Title:          "SSB 2024, main alternative (MMM)",
		Short:          "SSB 2024 main (MMM)",
		Source:         ssbSource,
		Years:          ssbYears,
		TotalFertility: []float64{1.42, 1.57, 1.66, 1.66, 1.66},
		LifeExpectancy: []float64{83.3, 84.3, 87.4, 90.4, 92.8},
		NetMigration:   []float64{41093, 16482, 13275, 12760, 13195},
		Population:     []float64{5550203, 5749712, 6146321, 6272590, 6243256},
	},
	{
		Name:           "ssb-2024-low",
		Title:          "SSB 2024, low national growth (LLL)",
		Short:          "SSB 2024 low growth (LLL)",
		Source:         ssbSource,
		Years:          ssbYears,
		TotalFertility: []float64{1.35, 1.22, 1.21, 1.22, 1.22},
		LifeExpectancy: []float64{83.0, 83.5, 85.4, 87.5, 89.2},
		NetMigration:   []float64{18554, 9057, 4704, 3109, 1355},
		Population:     []float64{5550203, 5608599, 5411859, 4646670, 3656408},
	},
	{
		Name:           "ssb-2024-high",
		Title:          "SSB 2024, high national growth (HHH)",
		Short:          "SSB 2024 high growth (HHH)",
		Source:         ssbSource,
		Years:          ssbYears,
		TotalFertility: []float64{1.48, 1.86, 1.91, 1.91, 1.91},
		LifeExpectancy: []float64{83.6, 85.2, 89.2, 93.2, 96.3},
		NetMigration:   []float64{58879, 23742, 28136, 33579, 38294},
		Population:     []float64{5550203, 5883155, 6857366, 8131580, 9624982},
	},
	{
		Name:   ConstantProjection,
		Title:  "the world's rates of the start year, held constant",
		Short:  "2024's, held constant",
		Source: "the world's Rates (Norway: SSB 2023–24 fertility, mortality, immigration and emigration; rates.go)",
	},
}

// ProjectionNames returns the names of Projections, in order.
func ProjectionNames() []string {
	names := make([]string, len(Projections))
	for i, p := range Projections {
		names[i] = p.Name
	}
	return names
}

// FindProjection returns the projection called name, or nil.
func FindProjection(name string) *Projection {
	for _, p := range Projections {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// at interpolates v at year: linearly between the points, held before the
// first and after the last.
func (p *Projection) at(v []float64, year int) float64 {
	i, found := slices.BinarySearch(p.Years, year)
	switch {
	case found:
		return v[i]
	case i == 0:
		return v[0]
	case i == len(p.Years):
		return v[len(v)-1]
	}
	y0, y1 := float64(p.Years[i-1]), float64(p.Years[i])
	f := (float64(year) - y0) / (y1 - y0)
	return v[i-1]*(1-f) + v[i]*f
}

// National are the national rates of one simulated year: a world's Rates
// moved along a Projection (Rates.In).
type National struct {
	Year int
	// Mortality[sex][age] is the probability of dying within the year,
	// Fertility[age] births per woman, as in Rates.
	Mortality [2][MaxAge + 1]float64
	Fertility [MaxAge + 1]float64
	// ImmigrationRate and EmigrationRate are international moves per
	// resident in the year.
	ImmigrationRate, EmigrationRate float64
	// TotalFertility and LifeExpectancy[sex] are what the rates give.
	TotalFertility float64
	LifeExpectancy [2]float64
}

// In returns the rates of year along p (nil or Constant: r's own).
//
// Fertility: r's age schedule scaled to the projection's total fertility.
// Mortality: r's death probabilities with the hazard of every age
// multiplied by the factor, one per sex, that moves the sex's life
// expectancy by the projection's change from SSB's 2024 value
// (proportional hazards: a simplification, since the gains of recent
// decades were largest at old ages). Net migration: emigration keeps r's
// rate, and immigration is that rate plus the projection's net migration
// per resident, so a scenario that changes emigration (emigration_scale)
// changes the net.
func (r *Rates) In(p *Projection, year int) National {
	n := National{
		Year:            year,
		Mortality:       r.Mortality,
		Fertility:       r.Fertility,
		ImmigrationRate: r.ImmigrationRate,
		EmigrationRate:  r.EmigrationRate,
	}
	if p != nil && !p.Constant() {
		if base := r.TotalFertility(); base > 0 {
			f := p.at(p.TotalFertility, year) / base
			for a := range n.Fertility {
				n.Fertility[a] *= f
			}
		}
		gain := p.at(p.LifeExpectancy, year) - ssbLifeExpectancy2024
		for s := range n.Mortality {
			if gain != 0 {
				n.Mortality[s] = scaledMortality(&r.Mortality[s], lifeExpectancy(&r.Mortality[s])+gain)
			}
		}
		n.ImmigrationRate = r.EmigrationRate + p.at(p.NetMigration, year)/p.at(p.Population, year)
	}
	for _, f := range n.Fertility {
		n.TotalFertility += f
	}
	for s := range n.Mortality {
		n.LifeExpectancy[s] = lifeExpectancy(&n.Mortality[s])
	}
	return n
}

// scaledMortality returns q with every age's hazard multiplied by the
// factor k that gives life expectancy e0: 1 − (1 − q)^k, k found by
// bisection of its logarithm (life expectancy falls as k rises).
func scaledMortality(q *[MaxAge + 1]float64, e0 float64) [MaxAge + 1]float64 {
	var out [MaxAge + 1]float64
	scale := func(k float64) {
		for a, x := range q {
			out[a] = -math.Expm1(k * math.Log1p(-x))
		}
	}
	lo, hi := math.Log(0.01), math.Log(100)
	for range 60 {
		mid := (lo + hi) / 2
		scale(math.Exp(mid))
		if lifeExpectancy(&out) > e0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	scale(math.Exp((lo + hi) / 2))
	return out
}

// Summary describes p over the years from to to (both simulated): its
// title and, unless it is Constant, the assumptions of the first and the
// last year.
func (p *Projection) Summary(from, to int) string {
	if p.Constant() {
		return p.Name + ": " + p.Title
	}
	return fmt.Sprintf("%s: %s; %d → %d: total fertility %.2f → %.2f, life expectancy %.1f → %.1f years, net migration %s → %s a year",
		p.Name, p.Title, from, to,
		p.at(p.TotalFertility, from), p.at(p.TotalFertility, to),
		p.at(p.LifeExpectancy, from), p.at(p.LifeExpectancy, to),
		group(p.at(p.NetMigration, from)), group(p.at(p.NetMigration, to)))
}

// group formats x rounded to a whole number with thousands separated by
// commas.
func group(x float64) string {
	s := strconv.FormatInt(int64(math.Round(math.Abs(x))), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if x < 0 {
		s = "−" + s
	}
	return s
}
