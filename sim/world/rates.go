package world

import "math"

// Sexes, as the first index of the Rates arrays.
const (
	Female = 0
	Male   = 1
)

// Targets the Norway 2024 rates are built to reproduce.
const (
	// LifeExpectancyMen and LifeExpectancyWomen are life expectancy at
	// birth in 2023 (SSB table 05375, "Dødsfall og levealder" 2023: 81.4
	// years for men, 84.9 for women).
	LifeExpectancyMen   = 81.4
	LifeExpectancyWomen = 84.9

	// TotalFertility is the total fertility rate of 2024 (SSB, "Fødte"
	// 2024: 1.44 children per woman, up from the record low 1.40 in 2023).
	TotalFertility = 1.44

	// FertilityPeakAge is the age of the highest age-specific fertility.
	// SSB reports a mean age of mothers at all births of about 31.5 and at
	// first birth about 30.3 (2023–24); the rates of the 30–34 age group
	// are the highest.
	FertilityPeakAge = 31

	// ImmigrationRate is immigrations per resident per year: about 70,000
	// a year over 5.55 million residents. SSB's migration statistics
	// ("Flytting") show roughly 50,000–90,000 immigrations a year since
	// 2015, the high years being refugee arrivals (2015–16, and from
	// Ukraine in 2022–23); 70,000 is a typical recent year.
	ImmigrationRate = 0.0125
	// EmigrationRate is emigrations per resident per year: about 39,000 a
	// year recently (SSB "Flytting": 35,000–40,000 in most years) over 5.55
	// million residents.
	EmigrationRate = 0.0070

	// HigherEducationShare16 is the share of residents aged 16 and over
	// whose highest education is higher education, university or college,
	// short or long (SSB "Befolkningens utdanningsnivå" 2023, table 09429:
	// about 37 %). Rates.HigherEducation is built to reproduce it.
	HigherEducationShare16 = 0.37

	// MasterShareOfHigher is the share of the higher-educated who have long
	// higher education (more than four years, a master's degree or more):
	// about 11 % of residents 16+ against 37 % with any higher education
	// (SSB "Befolkningens utdanningsnivå" 2023).
	MasterShareOfHigher = 0.30
)

// Mortality model: a Gompertz–Makeham hazard with an accident hump for
// young adults, μ(x) = A + H·exp(−((x−23)/6)²) + B·exp(c·x), and an
// infant death probability q(0). The Gompertz slope c is fixed from the
// rise of Norwegian death rates between 70 and 90 (they rise about 3.4-fold
// per decade, c ≈ 0.12); B is then solved so that the life table reproduces
// the target life expectancy at birth exactly.
var mortalityShape = [2]struct {
	q0, a, hump, c, e0 float64
}{
	// Infant mortality: about 2 per 1000 live births in recent years (SSB
	// "Dødsfall"), a little higher for boys. Makeham term A: child and
	// young-adult background mortality of about 0.1 per 1000 (SSB death
	// statistics, death rates at 5–14). Hump: young men's accidents and suicides lift
	// their death rate at 18–30 to about 0.6 per 1000, young women's to 0.25.
	Female: {q0: 0.0018, a: 0.00008, hump: 0.00012, c: 0.120, e0: LifeExpectancyWomen},
	Male:   {q0: 0.0021, a: 0.00010, hump: 0.00040, c: 0.112, e0: LifeExpectancyMen},
}

// NorwayRates returns the national demographic rates of Norway 2024, built
// from the targets above and the documented shapes below. It is
// deterministic and costs a few microseconds.
func NorwayRates() Rates {
	var r Rates
	for s := range 2 {
		m := mortalityShape[s]
		// Life expectancy rises monotonically as B falls: bisect log B.
		lo, hi := math.Log(1e-9), math.Log(1e-2)
		for range 100 {
			mid := (lo + hi) / 2
			gompertzMakeham(&r.Mortality[s], m.q0, m.a, m.hump, math.Exp(mid), m.c)
			if lifeExpectancy(&r.Mortality[s]) > m.e0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		gompertzMakeham(&r.Mortality[s], m.q0, m.a, m.hump, math.Exp((lo+hi)/2), m.c)
	}
	fertilitySchedule(&r.Fertility)
	ageStructure2024(&r.AgeStructure)
	r.ImmigrationRate = ImmigrationRate
	r.EmigrationRate = EmigrationRate
	immigrantAge(&r.ImmigrantAge)
	emigrationByAge(&r.EmigrationByAge, &r.AgeStructure)
	educationByAge(&r.HigherEducation, &r.UpperSecondary)
	educationBySex(&r.HigherEducationSex)
	r.MasterShare = MasterShareOfHigher
	employmentByAge(&r.Employment)
	return r
}

// gompertzMakeham fills q with yearly death probabilities: q(0) = q0 and
// q(x) = 1 − exp(−μ(x + ½)) for x ≥ 1.
func gompertzMakeham(q *[MaxAge + 1]float64, q0, a, hump, b, c float64) {
	q[0] = q0
	for x := 1; x <= MaxAge; x++ {
		t := float64(x) + 0.5
		h := (t - 23) / 6
		mu := a + hump*math.Exp(-h*h) + b*math.Exp(c*t)
		q[x] = 1 - math.Exp(-mu)
	}
}

// lifeExpectancy returns life expectancy at birth from yearly death
// probabilities with the standard period life table: deaths in the first
// year happen on average 0.1 years after birth, later ones in mid-year, and
// the last age MaxAge is an open interval with a constant hazard.
func lifeExpectancy(q *[MaxAge + 1]float64) float64 {
	const a0 = 0.1 // mean age at death in the first year (Coale–Demeny for low mortality)
	l := 1.0
	e := 0.0
	for x := 0; x < MaxAge; x++ {
		d := l * q[x]
		if x == 0 {
			e += l - (1-a0)*d
		} else {
			e += l - d/2
		}
		l -= d
	}
	mu := -math.Log(1 - q[MaxAge])
	if mu <= 0 {
		return math.Inf(1)
	}
	return e + l/mu
}

// LifeExpectancy returns period life expectancy at birth in years for sex
// (Female or Male) from r.Mortality (see lifeExpectancy for the method).
func (r *Rates) LifeExpectancy(sex int) float64 { return lifeExpectancy(&r.Mortality[sex]) }

// TotalFertility returns the sum of r.Fertility (children per woman).
func (r *Rates) TotalFertility() float64 {
	s := 0.0
	for _, f := range r.Fertility {
		s += f
	}
	return s
}

// fertilitySchedule fills f with a smooth age-specific fertility schedule:
// an asymmetric bell peaking at FertilityPeakAge, narrower below the peak
// (σ 5.0 years) than above it (σ 5.2), over ages 15–49, scaled so that it
// sums to TotalFertility. The widths give a mean age at birth of about 31.5
// and rates by five-year group close to SSB's for 2023 (about 0.005 at
// 15–19, 0.04 at 20–24, 0.10 at 30–34, 0.01 at 40–44).
func fertilitySchedule(f *[MaxAge + 1]float64) {
	sum := 0.0
	for x := 15; x <= 49; x++ {
		d := float64(x) - FertilityPeakAge
		sd := 5.0
		if d > 0 {
			sd = 5.2
		}
		f[x] = math.Exp(-d * d / (2 * sd * sd))
		sum += f[x]
	}
	for x := range f {
		f[x] *= TotalFertility / sum
	}
}

// ageAnchors approximate Norway's population on 1 January 2024 by single
// year of age (SSB table 07459), in thousands of both sexes, at selected
// ages; ages between anchors are interpolated linearly. The shape: cohorts
// of 52–57 thousand under 5 (falling births since 2010: 61,400 born in
// 2009, 51,500 in 2022), about 64–66 thousand at 10–20 (the large birth
// cohorts of 2004–2013 plus immigrant children), 70–78 thousand at 25–40
// and 70–75 thousand at 45–55 (labour immigration since 2004), the
// post-war baby boom at 74–78, and a taper to about 30 people aged 105.
var ageAnchors = [][2]float64{
	{0, 54.5}, {1, 52.0}, {2, 56.5}, {3, 54.0}, {4, 56.0}, {5, 57.5}, {6, 59.5},
	{7, 61.0}, {8, 62.5}, {9, 63.5}, {10, 64.0}, {12, 65.0}, {14, 66.0},
	{16, 65.5}, {18, 64.5}, {20, 65.0}, {22, 67.5}, {25, 73.0}, {28, 77.0},
	{31, 78.0}, {34, 76.5}, {37, 73.5}, {40, 72.0}, {43, 70.5}, {46, 71.0},
	{49, 73.5}, {52, 74.5}, {55, 72.5}, {58, 70.0}, {61, 67.0}, {64, 62.5},
	{67, 58.5}, {70, 55.5}, {73, 53.5}, {76, 51.0}, {78, 45.0}, {80, 37.0},
	{83, 27.5}, {85, 21.0}, {88, 13.5}, {90, 9.5}, {93, 4.8}, {95, 2.8},
	{98, 1.0}, {100, 0.40}, {103, 0.10}, {105, 0.03},
}

// maleShareAnchors are the share of men by age on 1 January 2024 (SSB
// 07459): 51.3 % at birth (the sex ratio at birth, about 105 boys per 100
// girls), a male surplus at 20–50 from labour immigration, and women a
// growing majority from 70 (about 60 % at 85, 80 % at 100).
var maleShareAnchors = [][2]float64{
	{0, 0.513}, {20, 0.515}, {30, 0.522}, {40, 0.517}, {50, 0.512}, {60, 0.505},
	{65, 0.498}, {70, 0.490}, {75, 0.475}, {80, 0.445}, {85, 0.400}, {90, 0.340},
	{95, 0.270}, {100, 0.200}, {105, 0.150},
}

// interp evaluates the piecewise-linear function through the anchors
// (sorted by x) at x, constant beyond the ends.
func interp(anchors [][2]float64, x float64) float64 {
	if x <= anchors[0][0] {
		return anchors[0][1]
	}
	for k := 1; k < len(anchors); k++ {
		if x <= anchors[k][0] {
			x0, y0 := anchors[k-1][0], anchors[k-1][1]
			x1, y1 := anchors[k][0], anchors[k][1]
			return y0 + (y1-y0)*(x-x0)/(x1-x0)
		}
	}
	return anchors[len(anchors)-1][1]
}

// ageStructure2024 fills a with the population share by sex and single year
// of age (summing to 1 over both sexes) from ageAnchors and maleShareAnchors.
func ageStructure2024(a *[2][MaxAge + 1]float64) {
	total := 0.0
	for x := 0; x <= MaxAge; x++ {
		n := interp(ageAnchors, float64(x))
		m := interp(maleShareAnchors, float64(x))
		a[Male][x] = n * m
		a[Female][x] = n * (1 - m)
		total += n
	}
	for s := range a {
		for x := range a[s] {
			a[s][x] /= total
		}
	}
}

// immigrantAge fills g with the age distribution of immigrants: a child
// component (about 15 %, accompanying parents, most under 10) and a labour
// and study component peaking at 27 (SSB "Flytting": immigrants are young,
// with a median age of about 28 and most aged 20–35), plus a small older
// tail; it sums to 1.
func immigrantAge(g *[MaxAge + 1]float64) {
	sum := 0.0
	for x := 0; x <= MaxAge; x++ {
		t := float64(x)
		child := 0.15 / 7 * math.Exp(-t/7)
		d := t - 27
		sd := 6.0
		if d > 0 {
			sd = 11.0
		}
		adult := 0.85 * math.Exp(-d*d/(2*sd*sd))
		if x < 15 {
			adult = 0
		}
		g[x] = child + adult/(sd*2.5)
		sum += g[x]
	}
	for x := range g {
		g[x] /= sum
	}
}

// maxEmigrationFactor and minEmigrationFactor bound EmigrationByAge
// (relative to the mean over adults, 1): the propensity is highest in the
// late twenties, about 2.9 times the mean, and the cap only guards the
// ratio where the population is thin; the floor keeps some emigration
// in old age (pensioners moving abroad: about 5 % of emigrants are 60 or
// over here).
const (
	maxEmigrationFactor = 6
	minEmigrationFactor = 0.15
)

// emigrationByAge fills f with a household's relative propensity to
// emigrate by the age of its head: a bell peaking at 27 with a standard
// deviation of 6 years below and 11 above, the shape of immigrantAge's
// adult component but without its step at 27 (immigrantAge divides each
// side by its own width; here the two sides meet), over the population's
// age distribution (AgeStructure, both sexes), so that the heads who
// emigrate are young like those who arrive (a little older than
// immigrantAge's heads past 27). SSB ("Flytting"):
// emigrants, like immigrants, are mostly 20–40, many of them immigrants
// moving on or back, and few emigrate after 60. With every age equally
// likely to leave (engine 0.11.0 and earlier), emigration took the old as
// often as the young, and net migration, young, swelled the cohorts of
// parents: births still exceeded deaths by 11,000 in 2053, where SSB's
// main projection has deaths overtake births by 2045. Heads under 18 (rare)
// get the factor of 18. The scale is arbitrary (the engine normalises it).
func emigrationByAge(f *[MaxAge + 1]float64, ages *[2][MaxAge + 1]float64) {
	for x := 18; x <= MaxAge; x++ {
		t := float64(x)
		d := t - 27
		sd := 6.0
		if d > 0 {
			sd = 11.0
		}
		adult := math.Exp(-d * d / (2 * sd * sd))
		if pop := ages[0][x] + ages[1][x]; pop > 0 {
			f[x] = adult / pop
		}
	}
	// Mean 1 over the population aged 18 and over.
	var sum, n float64
	for x := 18; x <= MaxAge; x++ {
		pop := ages[0][x] + ages[1][x]
		sum += f[x] * pop
		n += pop
	}
	for x := 18; x <= MaxAge; x++ {
		f[x] = min(maxEmigrationFactor, max(minEmigrationFactor, f[x]*n/sum))
	}
	for x := 0; x < 18; x++ {
		f[x] = f[18]
	}
}

// higherEduAnchors are the share with higher education (bachelor or more)
// by age (SSB "Befolkningens utdanningsnivå" 2023, by age group): none
// before the first degrees at 21–22, about half at 30–39 (women 60 %, men
// 43 %), falling with age to about 35 % at 60 and 20 % over 75 as older
// cohorts studied less. Combined with the 2024 age structure they give
// HigherEducationShare16 for ages 16 and over (checked by a test).
var higherEduAnchors = [][2]float64{
	{20, 0}, {21, 0.03}, {22, 0.12}, {23, 0.23}, {24, 0.32}, {25, 0.39},
	{27, 0.48}, {30, 0.54}, {35, 0.55}, {39, 0.54}, {45, 0.50}, {50, 0.45},
	{55, 0.40}, {60, 0.37}, {67, 0.32}, {75, 0.23}, {85, 0.17}, {95, 0.13},
}

// completedUpperAnchors are the share whose highest completed level is
// upper secondary or more (SSB "Befolkningens utdanningsnivå" 2023): most
// finish upper secondary at 18–19 (about 80 % within five years, SSB
// "Gjennomføring i videregående opplæring"), about 82 % of adults of
// working age (lower among recent immigrants with unregistered education)
// and fewer in the oldest cohorts. Basic = 1 − this.
var completedUpperAnchors = [][2]float64{
	{18, 0}, {19, 0.60}, {20, 0.68}, {21, 0.73}, {25, 0.80}, {30, 0.82},
	{50, 0.82}, {60, 0.79}, {67, 0.76}, {75, 0.68}, {85, 0.55}, {95, 0.45},
}

// womenHigherEduFactor is the share of women with higher education over
// the share of both sexes, by age in 2024 (men's is 2 minus it). SSB
// "Befolkningens utdanningsnivå": in 2020 about 60 % of women and 40 % of
// men aged 25–39 had higher education, 21.5 % and 27.6 % of those 67 and
// over; the cohorts between from the 2011 table by sex and age (women
// over men 41 % to 32 % at 40–49, 33 % to 29 % at 50–59, 24 % to 28 % at
// 60–66), thirteen years older by 2024.
var womenHigherEduFactor = [][2]float64{
	{0, 1.2}, {45, 1.2}, {55, 1.13}, {65, 1.06}, {75, 0.92}, {85, 0.8},
}

// educationBySex fills the factors on the higher-education share by sex.
func educationBySex(f *[2][MaxAge + 1]float64) {
	for x := 0; x <= MaxAge; x++ {
		w := interp(womenHigherEduFactor, float64(x))
		f[0][x], f[1][x] = w, 2-w
	}
}

// educationByAge fills the higher-education share and the upper-secondary
// share (completed upper secondary or vocational, no higher education).
func educationByAge(higher, upper *[MaxAge + 1]float64) {
	for x := 0; x <= MaxAge; x++ {
		h := interp(higherEduAnchors, float64(x))
		c := interp(completedUpperAnchors, float64(x))
		higher[x] = h
		upper[x] = max(c-h, 0)
	}
}

// employmentAnchors are the share employed by age (SSB register-based
// employment statistics, 4th quarter 2023: about 0.35 at 15–19 with
// part-time jobs beside school, 0.70 at 20–24, 0.80 at 25–29, 0.85 at
// 30–54, falling from 60 as early retirement (AFP) opens at 62, 0.6 at
// 62, and about 0.1 after 67, the usual pension age).
var employmentAnchors = [][2]float64{
	{14, 0}, {15, 0.20}, {17, 0.35}, {19, 0.50}, {22, 0.71}, {27, 0.81},
	{32, 0.86}, {54, 0.86}, {58, 0.80}, {61, 0.73}, {62, 0.62}, {64, 0.50},
	{66, 0.36}, {67, 0.18}, {68, 0.13}, {70, 0.10}, {73, 0.06}, {76, 0.02},
	{80, 0.0},
}

func employmentByAge(e *[MaxAge + 1]float64) {
	for x := 0; x <= MaxAge; x++ {
		e[x] = interp(employmentAnchors, float64(x))
	}
}
