// Package synth creates the synthetic population of a world at its start
// year: persons with age, sex, education, activity, home region and
// immigrant status, grouped into households of couples and their children.
//
// What the data lacks is synthesised from national schedules (world.Rates)
// tilted per region (world.Region.AgeShift, EducationBias); see each step's
// comment for the method. Regions are synthesised in parallel, each from its
// own random stream, and concatenated in region order, so the result does
// not depend on the number of workers.
package synth

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/rng"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

const maxAge = world.MaxAge

// Stream ids for synthesis (distinct from the tick's).
const streamSynth = 1 << 62

// SampleSize returns the number of simulated persons for a region of real
// population pop at the given scale (at least 1 for a non-empty region).
func SampleSize(pop int, scale float64) int {
	if pop <= 0 {
		return 0
	}
	return max(1, int(math.Round(float64(pop)*scale)))
}

// Simulated returns the number of persons synthesised for w at scale.
func Simulated(w *world.World, scale float64) int {
	n := 0
	for r := range w.Regions {
		n += SampleSize(w.Regions[r].Population, scale)
	}
	return n
}

// MaxScaleBias is the most that keeping one simulated person in every
// region may inflate a world's population in the outputs (ScaleBias).
const MaxScaleBias = 0.01

// ScaleBias returns how much the outputs at scale overstate w's population
// because every region keeps at least one simulated person, who is scaled
// back to 1/scale residents: the persons that minimum adds beyond a
// region's expected sample, over the expected sample of the world (0.24 for
// Norway at scale 0.0001, whose smallest regions get one person each,
// counted as 10,000). Only the minimum counts, not the rounding of larger
// samples (which goes either way), so the bias falls as the scale grows.
func ScaleBias(w *world.World, scale float64) float64 {
	_, b := topped(w, scale)
	return b
}

// Topped returns the number of regions of w whose sample at scale is the
// one person every region keeps (their expected sample is below half a
// person).
func Topped(w *world.World, scale float64) int {
	n, _ := topped(w, scale)
	return n
}

// topped returns Topped and ScaleBias.
func topped(w *world.World, scale float64) (n int, bias float64) {
	extra := 0.0
	for r := range w.Regions {
		if x := float64(w.Regions[r].Population) * scale; x > 0 && math.Round(x) < 1 {
			n++
			extra += 1 - x
		}
	}
	return n, extra / (scale * float64(w.Population()))
}

// BiasText formats a ScaleBias as a percentage for messages, with a
// decimal below 10 % (1.2 %, not 1 % for a bias that exceeds the 1 % limit).
func BiasText(b float64) string {
	if 100*b < 10 {
		return strconv.FormatFloat(100*b, 'f', 1, 64) + " %"
	}
	return strconv.FormatFloat(100*b, 'f', 0, 64) + " %"
}

// CheckScale says what is wrong with scale for world w, or "" when the
// engine can run it: "scale 1 is too large for world W: it would simulate
// … (TooMany)" or "scale 0.0001 is too small for world W: … (TooSmall)".
func CheckScale(w *world.World, scale float64) string {
	if why := TooMany(w, scale); why != "" {
		return fmt.Sprintf("scale %g is too large for world %s: %s", scale, w.Name, why)
	}
	if why := TooSmall(w, scale); why != "" {
		return fmt.Sprintf("scale %g is too small for world %s: %s", scale, w.Name, why)
	}
	return ""
}

// MaxSimulated is the most persons a run may synthesise: 2^30, about 1.07
// billion. Persons are numbered by int32 slots, and a run needs room to
// grow (Population reserves a quarter more; births and immigrants add
// more), so half of the int32 range; a world × scale beyond it panicked
// with slice bounds out of range.
const MaxSimulated = 1 << 30

// TooMany says why w at scale would simulate more persons than a run
// holds ("it would simulate 49,999,500,000 persons, more than the
// 1,073,741,824 a run can hold; use scale = 0.01 or less"), or "" when
// Simulated(w, scale) is at most MaxSimulated.
func TooMany(w *world.World, scale float64) string {
	n := Simulated(w, scale)
	if n <= MaxSimulated {
		return ""
	}
	return fmt.Sprintf("it would simulate %s persons, more than the %s a run can hold (persons are numbered by 32-bit slots); use scale = %g or less",
		output.Group(int64(n)), output.Group(MaxSimulated), MaxScale(w))
}

// MaxScale returns the largest scale of the series 1, 0.5, 0.2, 0.1, … at
// which w's simulated persons are at most MaxSimulated (0 when none is).
func MaxScale(w *world.World) float64 {
	for k := 0; k < 12; k++ {
		for _, m := range []float64{1, 0.5, 0.2} {
			x := m * math.Pow(10, -float64(k))
			if Simulated(w, x) <= MaxSimulated {
				return x
			}
		}
	}
	return 0
}

// TooSmall says why scale is too small for w, for an error to follow "is
// too small for world W: " ("14 of its 14 regions (the smallest) would
// each keep one simulated person, which overstates the population by
// 3407 %; use 0.0005 or more"), or "" when its ScaleBias is within
// MaxScaleBias. CheckScale adds TooMany.
func TooSmall(w *world.World, scale float64) string {
	n, b := topped(w, scale)
	if !(b > MaxScaleBias) {
		return ""
	}
	return fmt.Sprintf("%d of its %d regions (the smallest) would each keep one simulated person, which overstates the population by %s; use %g or more",
		n, w.N(), BiasText(b), MinScale(w))
}

// MinScale returns the smallest scale of the series 1, 2, 5 × 10^k at
// which ScaleBias(w) is at most MaxScaleBias; every larger scale is within
// it too (the bias falls as the scale grows). It is what to suggest for a
// scale that is too small.
func MinScale(w *world.World) float64 {
	best := 1.0
	for k := 0; k < 12; k++ {
		for _, m := range []float64{0.5, 0.2, 0.1} {
			x := m * math.Pow(10, -float64(k))
			if ScaleBias(w, x) > MaxScaleBias {
				return best
			}
			best = x
		}
	}
	return best
}

// Population synthesises the persons of every region of w at scale, using
// workers goroutines (via forEach), deterministically from seed.
func Population(w *world.World, scale float64, seed uint64, forEach func(n int, fn func(k int))) *population.Persons {
	n := w.N()
	homeCDF := homeChoice(w)
	immigrants := immigrantFactor(w)
	// Each region is synthesised in a scratch population of the worker's
	// and copied into its place in all, laid out with the members of a
	// household side by side (population.Persons.Compact). A region's
	// slots follow from the sample sizes; its households, whose number is
	// known only once it is made, go first to ids from its first slot on
	// (there are fewer households than persons), and are moved down into
	// a dense numbering at the end.
	off := make([]int32, n+1)
	for r := 0; r < n; r++ {
		off[r+1] = off[r] + int32(SampleSize(w.Regions[r].Population, scale))
	}
	total := int(off[n])
	all := &population.Persons{}
	// Room for 30 years of growth without reallocation (households grow
	// faster than persons, as they get smaller).
	all.Grow(total + total/4)
	all.GrowHouseholds(total + total/4) // ≥ total, for the ids from each region's first slot
	all.Extend(total, total)
	households := make([]int32, n)
	var pool sync.Pool
	forEach(n, func(r int) {
		sc, _ := pool.Get().(*scratch)
		if sc == nil {
			sc = new(scratch)
		}
		g := rng.New(seed, streamSynth+uint64(r))
		size := int(off[r+1] - off[r])
		region(w, r, size, &g, homeCDF[r], immigrants[r], sc)
		if k, _ := sc.p.Count(); k != size {
			// Place would write into the next region's slots.
			panic(fmt.Sprintf("synth: region %d made %d persons, not %d", r, k, size))
		}
		_, h := all.Place(&sc.p, off[r], off[r], &sc.l)
		households[r] = int32(h)
		pool.Put(sc)
	})
	hoff := make([]int32, n+1)
	for r := 0; r < n; r++ {
		hoff[r+1] = hoff[r] + households[r]
		// In order: a region's ids may overlap those the previous one
		// held before its move.
		copy(all.First[hoff[r]:hoff[r+1]], all.First[off[r]:off[r]+households[r]])
		copy(all.Kids[hoff[r]:hoff[r+1]], all.Kids[off[r]:off[r]+households[r]])
	}
	all.First, all.Kids = all.First[:hoff[n]], all.Kids[:hoff[n]]
	forEach(n, func(r int) {
		by := hoff[r] - off[r]
		for i := off[r]; i < off[r+1]; i++ {
			all.HH[i] += by
		}
	})
	return all
}

// homeChoice returns, for each region, a cumulative distribution over the
// regions people who live there grew up in, other than the region itself:
// proportional to population and decaying with the square of travel time
// (a gravity model; MODEL.md: migration falls off with distance).
func homeChoice(w *world.World) [][]float64 {
	n := w.N()
	out := make([][]float64, n)
	for i := 0; i < n; i++ {
		c := make([]float64, n)
		acc := 0.0
		for j := 0; j < n; j++ {
			if j != i {
				m := float64(w.TravelMinutes(i, j)) + 15
				acc += float64(w.Regions[j].Population) / (m * m)
			}
			c[j] = acc
		}
		out[i] = c
	}
	return out
}

func pick(cdf []float64, u float64) int {
	x := u * cdf[len(cdf)-1]
	return sort.SearchFloat64s(cdf, x)
}

// ageSexWeights returns the region's population shares by sex and age: the
// national structure shifted older by AgeShift years (linear interpolation),
// which makes peripheral municipalities older (SSB: the share aged 67+ is
// about twice as high in the least central municipalities as in the most
// central).
func ageSexWeights(w *world.World, r int) [2][maxAge + 1]float64 {
	var out [2][maxAge + 1]float64
	shift := w.Regions[r].AgeShift
	for s := 0; s < 2; s++ {
		for a := 0; a <= maxAge; a++ {
			out[s][a] = interp(w.Rates.AgeStructure[s][:], float64(a)-shift)
		}
	}
	// Renormalise to the national sex ratio.
	var tot float64
	for s := 0; s < 2; s++ {
		for a := 0; a <= maxAge; a++ {
			tot += out[s][a]
		}
	}
	for s := 0; s < 2; s++ {
		for a := 0; a <= maxAge; a++ {
			out[s][a] /= tot
		}
	}
	return out
}

func interp(x []float64, at float64) float64 {
	if at <= 0 {
		return x[0]
	}
	if at >= float64(len(x)-1) {
		return x[len(x)-1]
	}
	i := int(at)
	f := at - float64(i)
	return x[i]*(1-f) + x[i+1]*f
}

// partnerShare is the share of persons living in a couple by age (SSB
// household statistics: few before 20, 29 % at 20–29, about 70 % at
// 32–66, falling in old age as partners die, faster for women: of those
// 67 or older 24 % of men and 48 % of women live alone).
func partnerShare(age int, sex uint8) float64 {
	switch {
	case age < 19:
		return 0
	case age < 32:
		return 0.7 * float64(age-18) / 14
	case age < 67:
		return 0.7
	}
	drop := 0.012
	if sex == 0 {
		drop = 0.02
	}
	return max(0.1, 0.7-drop*float64(age-67))
}

// atHomeShare is the share of young adults still living with a parent
// (SSB: most leave home between 18 and 25; median age about 21).
func atHomeShare(age int) float64 {
	switch {
	case age < 18:
		return 1
	case age > 27:
		return 0
	}
	return [...]float64{0.92, 0.8, 0.62, 0.45, 0.33, 0.25, 0.18, 0.13, 0.09, 0.06}[age-18]
}

// immigrantShare is the share born abroad by age (SSB 2024: 16.8 % of the
// population are immigrants, concentrated at ages 25–50), times the region's
// factor (immigrantFactor).
func immigrantShare(age int, factor float64) float64 {
	base := 0.065
	switch {
	case age >= 25 && age < 50:
		base = 0.29
	case age >= 18 && age < 25:
		base = 0.17
	case age >= 50 && age < 67:
		base = 0.15
	case age >= 67:
		base = 0.065
	}
	return base * factor
}

// immigrantFactor returns each region's multiplier on the immigrant shares:
// 0.6 + 0.8·centrality index/1000 (more immigrants in central regions),
// normalised to a population-weighted mean of 1 so the national share stays.
func immigrantFactor(w *world.World) []float64 {
	f := make([]float64, w.N())
	var sum, pop float64
	for r := range w.Regions {
		f[r] = 0.6 + 0.8*w.Regions[r].CentralityIndex/1000
		sum += f[r] * float64(w.Regions[r].Population)
		pop += float64(w.Regions[r].Population)
	}
	for r := range f {
		f[r] *= pop / sum
	}
	return f
}

// scratch is a worker's memory for synthesising regions one after the
// other: the population of the current one, its layout (Place), and its
// persons by sex and age.
type scratch struct {
	p        population.Persons
	l        population.Layout
	bySexAge [2][maxAge + 1][]int32
}

// region synthesises the n persons of region r in sc.p, which it resets.
func region(w *world.World, r, n int, g *rng.RNG, homeCDF []float64, immigrants float64, sc *scratch) {
	p := &sc.p
	p.Reset()
	p.Grow(n)
	p.GrowHouseholds(n) // at most one per person
	reg := &w.Regions[r]
	ws := ageSexWeights(w, r)

	// Systematic sampling of n (sex, age) cells: exact total, low variance.
	step := 1.0 / float64(n)
	u := g.Float64() * step
	acc := 0.0
	// Candidates for forming households, by sex and age (the scratch's
	// lists, emptied: their memory is reused from region to region).
	bySexAge := &sc.bySexAge
	for s := range bySexAge {
		for a := range bySexAge[s] {
			bySexAge[s][a] = bySexAge[s][a][:0]
		}
	}
	central := reg.CentralityIndex / 1000
	movedInShare := 0.2 + 0.35*central // adults who grew up elsewhere
	for s := 0; s < 2; s++ {
		for a := 0; a <= maxAge; a++ {
			acc += ws[s][a]
			for u < acc && p.Len() < n {
				u += step
				i := p.Add(person(w, r, a, uint8(s), g, movedInShare, immigrants, homeCDF))
				bySexAge[s][a] = append(bySexAge[s][a], i)
			}
		}
	}
	for p.Len() < n { // floating-point shortfall: oldest women
		i := p.Add(person(w, r, 80, 0, g, movedInShare, immigrants, homeCDF))
		bySexAge[0][80] = append(bySexAge[0][80], i)
	}

	// Couples: women who live in a couple are matched to single men about
	// two years older (SSB: median age gap about 2 years). The men are
	// taken from the ends of copies of the lists (men's slice headers):
	// bySexAge itself keeps every man, for the young at home placed below
	// (men at home popped from the lists here were left in a household of
	// their own still marked at home, 5,478 in Norway before engine
	// 0.15.1) and for findMother's last resort.
	men := bySexAge[1]
	for a := 19; a <= maxAge; a++ {
		for _, i := range bySexAge[0][a] {
			if g.Float64() >= partnerShare(a, 0) || p.Flags[i]&population.AtHome != 0 {
				continue
			}
			for _, d := range [...]int{2, 1, 3, 0, 4, 5, -1, 6, 7, -2, 8} {
				b := a + d
				if b < 19 || b > maxAge {
					continue
				}
				list := men[b]
				if k := len(list); k > 0 {
					m := list[k-1]
					if p.Partner[m] != population.None || p.Flags[m]&population.AtHome != 0 {
						men[b] = list[:k-1]
						continue
					}
					men[b] = list[:k-1]
					p.Partner[i], p.Partner[m] = m, i
					h := p.NewHousehold(i)
					p.Join(m, h)
					break
				}
			}
		}
	}
	// Children and young adults at home live with a mother aged 20–40
	// years older (SSB: mean age at birth about 31), preferring mothers in
	// couples. Mothers without a household yet get one.
	for a := 0; a <= 27; a++ {
		for s := 0; s < 2; s++ {
			for _, i := range bySexAge[s][a] {
				if p.HH[i] != population.None {
					continue
				}
				if a >= 18 && p.Flags[i]&population.AtHome == 0 {
					continue
				}
				mo := findMother(p, bySexAge, a, g)
				if mo == population.None {
					p.NewHousehold(i)
					p.Flags[i] &^= population.AtHome
					continue
				}
				h := p.HH[mo]
				if h == population.None {
					h = p.NewHousehold(mo)
				}
				p.Join(i, h)
			}
		}
	}
	for i := int32(0); i < int32(p.Len()); i++ {
		if p.HH[i] == population.None {
			p.NewHousehold(i)
		}
	}
	// Population lays the members of a household side by side. Second
	// homes are given by the engine (engine.secondHomes), which knows the
	// travel times in force.
}

// findMother returns a woman 22–40 years older than age who does not live
// with her own parents, trying a few random candidates; in a small region
// without one, the woman of 20 or more nearest to 31 years older; failing
// that, any adult not living with their parents; or None.
func findMother(p *population.Persons, by *[2][maxAge + 1][]int32, age int, g *rng.RNG) int32 {
	for try := 0; try < 12; try++ {
		d := 22 + g.IntN(19) // 22–40
		if age+d > maxAge {
			continue
		}
		list := by[0][age+d]
		if len(list) == 0 {
			continue
		}
		m := list[g.IntN(len(list))]
		if p.Flags[m]&population.AtHome != 0 {
			continue
		}
		// Prefer mothers in couples (about 75 % of children live with both parents).
		if p.Partner[m] == population.None && try < 6 && g.Float64() < 0.75 {
			continue
		}
		return m
	}
	// Small regions: the nearest suitable age, then anyone adult.
	for _, sex := range [...]int{0, 1} {
		for d := 0; d <= maxAge; d++ {
			for _, a := range [...]int{age + 31 + d, age + 31 - d} {
				if a < max(20, age+16) || a > maxAge {
					continue
				}
				for _, m := range by[sex][a] {
					if p.Flags[m]&population.AtHome == 0 {
						return m
					}
				}
			}
		}
	}
	return population.None
}

// person draws the attributes of one person aged a of sex s in region r.
func person(w *world.World, r, a int, s uint8, g *rng.RNG, movedIn, immigrants float64, homeCDF []float64) population.Person {
	reg := &w.Regions[r]
	rates := &w.Rates
	x := population.Person{Age: uint8(a), Sex: s, Region: uint16(r), Work: population.NoRegion,
		Home: uint16(r), Second: population.NoRegion}
	u1, u2 := g.Two()
	// Education: national shares by age and sex, tilted by the region's
	// bias.
	he := math.Min(0.95, rates.HigherEducation[a]*rates.HigherEducationSex[s&1][a]*reg.EducationBias)
	us := rates.UpperSecondary[a]
	switch {
	case u1 < he:
		x.Edu = population.EduBachelor
		if u2 < rates.MasterShare*math.Min(1.5, reg.EducationBias) {
			x.Edu = population.EduMaster
		}
	case u1 < he+us*(1-he)/math.Max(1e-9, 1-rates.HigherEducation[a]):
		x.Edu = population.EduUpperSecondary
	default:
		x.Edu = population.EduBasic
	}
	u3, u4 := g.Two()
	switch {
	case a < 18:
		x.Act = population.Child
		x.Flags |= population.AtHome
	case u3 < studentShare(a)*studentSex[s&1]:
		x.Act = population.Student
		if x.Edu >= population.EduBachelor {
			// A degree already: studying for a master.
			x.Edu = population.EduBachelor
			x.StudyLeft = yearsLeft(masterLeft[:], g.Float64()) | population.StudyMaster
		} else {
			x.Edu = population.EduUpperSecondary
			x.StudyLeft = yearsLeft(bachelorLeft[:], g.Float64())
		}
	case a >= 67:
		x.Act = population.Retired
	default:
		emp := rates.Employment[a]
		if x.Edu >= population.EduBachelor {
			emp = math.Min(0.97, emp*1.08)
		} else if x.Edu == population.EduBasic {
			emp *= 0.85
		}
		switch {
		case u3 < emp:
			x.Act = population.Employed
			x.JobSkill = uint8(state.Skill(x.Edu))
		case a >= 62:
			x.Act = population.Retired
		case u4 < 0.2:
			x.Act = population.Unemployed
		default:
			x.Act = population.Inactive
		}
	}
	if a >= 18 && a <= 27 && u4 < atHomeShare(a) {
		x.Flags |= population.AtHome
	}
	u5, u6 := g.Two()
	if u5 < immigrantShare(a, immigrants) {
		x.Flags |= population.Immigrant
		// Years since arrival as the engine counts them on 1 January: 0
		// for those who arrived in the year before, up to 24.
		x.Years = uint8(min(a, g.IntN(25)))
		x.Home = uint16(r)
	} else if a >= 20 && u6 < movedIn*math.Min(1, float64(a-18)/10) {
		x.Home = uint16(pick(homeCDF, g.Float64()))
	}
	x.Years = min(x.Years, uint8(a))
	// Years in the region: back from the age, year by year, to the last
	// move (tenureAt), at most the years since arrival for immigrants.
	x.Tenure = tenureAt(a, g.Float64())
	if x.Flags&population.Immigrant != 0 {
		x.Tenure = min(x.Tenure, x.Years)
	}
	return x
}

// movedRate is the yearly share of persons moving between municipalities
// by five-year age group, 0–4 … 65–69 and 70+ (SSB, targets/norway.toml's
// schedule).
var movedRate = [...]float64{0.057, 0.027, 0.021, 0.053, 0.130, 0.119, 0.072, 0.042, 0.030, 0.024, 0.019, 0.015, 0.014, 0.011, 0.005}

// tenureAt returns the years a person aged a has lived in the region on 1
// January for a uniform u, as the engine counts them (0 for one who moved
// in the year before, as after a move, a birth or an arrival): going back
// from the last year, lived at age a (the tick counts a move at the age
// after the year's ageing), then at a−1 …, each year with that age's
// moving rate (movedRate), to the last move; a for one who never moved.
// An exponential with a mean of 15 years at every age gave the old far too
// short tenures (a mean tenure factor of 0.46 at 67+ against the 0.33 of
// the model's own moves), and the first years too many moves at 45 and
// over.
func tenureAt(a int, u float64) uint8 {
	stay := 1.0
	for k := a; k >= 1; k-- {
		stay *= 1 - movedRate[min(k/5, len(movedRate)-1)]
		if u >= stay {
			return uint8(a - k)
		}
	}
	return uint8(a)
}

// bachelorLeft and masterLeft are the shares of students with 1, 2, 3 …
// years left on 1 January in the steady state of the education step: the
// normed three (two) years, one more for 40 % (study_delay_share), 8 %
// (4 %) leaving each year (study_dropout_rate). A third in the last year
// gave the first year 12–18 % more graduates and 25–30 % more admissions
// than the years after.
var (
	bachelorLeft = [...]float64{0.266, 0.289, 0.315, 0.130}
	masterLeft   = [...]float64{0.406, 0.423, 0.171}
)

// yearsLeft draws the years left (1, 2, …) from their shares for u.
func yearsLeft(shares []float64, u float64) uint8 {
	for k, sh := range shares {
		if u < sh {
			return uint8(k + 1)
		}
		u -= sh
	}
	return uint8(len(shares))
}

// studentSex is the factor on studentShare for women (0) and men (1): about
// 60 % of the students in higher education are women (SSB, "Studenter i
// universitets- og høgskoleutdanning", 2024), which the tick's application
// hazards (education.EntrySex) also give from the third year on.
var studentSex = [2]float64{1.25, 0.75}

// studentShare is the share of an age in higher education: SSB's students
// resident in Norway by age in 2024 (statistics "Studenter i universitets-
// og høgskoleutdanning": 11,100 aged 19, 22,800 aged 20, 31,000 at 21 …
// 8,100 at 29 and 28,100 aged 30–34) over the size of the age group; 37 %
// of those aged 19–24 and 18 % of those aged 25–29.
func studentShare(a int) float64 {
	if a < 19 || a > 34 {
		return 0
	}
	if a >= 30 {
		return 0.075
	}
	return [...]float64{0.17, 0.34, 0.46, 0.44, 0.41, 0.36, 0.26, 0.20, 0.16, 0.13, 0.11}[a-19]
}
