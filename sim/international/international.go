// Package international is step 7 of the tick: emigration of resident
// households and the arrival of immigrants, who settle where jobs and
// networks (earlier immigrants) are, or are placed by the national
// settlement programme in proportion to population.
package international

import (
	"math"
	"sort"

	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// Model holds per-chunk buffers.
type Model struct {
	chunks [][]int32
	cdf    []float64
	ageCDF []float64
	heads  []int32 // the household heads the last arrive added
}

// Immigrant households: adults aged 25–45 bring a partner with this
// probability, and children (0–2) with the next (SSB: about a quarter of
// immigrants arrive as family members).
const (
	partnerShare = 0.3
	childShare   = 0.5
)

// Education of adult immigrants (SSB: about a third have higher education,
// with large differences by country of origin).
var immigrantEdu = [4]float64{0.4, 0.25, 0.22, 0.13}

// Step emigrates and immigrates for one year.
func (m *Model) Step(s *state.State) {
	p := &s.Persons
	P := &s.P
	rates := &s.World.Rates
	// Emigration by household, decided by the head. Recent immigrants (under
	// ten years) emigrate ImmigrantEmig times as often as the rest; the rest's
	// rate is set so that the national rate is the world's.
	total := float64(s.Residents)
	share := float64(s.RecentImmigrants) / math.Max(total, 1)
	F := P.ImmigrantEmig
	native := math.Max(0, (1-share*F)/math.Max(1e-9, 1-share))
	base := rates.EmigrationRate * P.EmigrationScale
	nc := s.NumChunks()
	for len(m.chunks) < nc {
		m.chunks = append(m.chunks, nil)
	}
	// Thinning: candidates among the heads arrive as a Bernoulli process with
	// the highest rate pmax, drawn by geometric skips, and each is accepted
	// with its own rate / pmax. Exact, with one draw per candidate instead
	// of one per household.
	pmax := math.Min(1, base*math.Max(native, F))
	s.ForChunks(state.StreamInternational, func(c, lo, hi int, g *state.RNG) {
		out := m.chunks[c][:0]
		skip := geometric(g, pmax)
		for i := lo; i < hi; i++ {
			f := p.Flags[i]
			if f&population.Alive == 0 || f&population.Head == 0 {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			skip = geometric(g, pmax)
			r := base * native
			if f&population.Immigrant != 0 && p.Years[i] < 10 {
				r = base * F * (1 - s.Regions[p.Region[i]].Retention)
			}
			if g.Float64()*pmax < r {
				out = append(out, int32(i))
			}
		}
		m.chunks[c] = out
	})
	acc := s.Ledger.Accounts
	for c := 0; c < nc; c++ {
		for _, head := range m.chunks[c] {
			h := p.HH[head]
			for j := p.First[h]; j != population.None; {
				next := p.Next[j]
				r := p.Region[j]
				acc[r].Emigrants++
				if p.Edu[j] >= population.EduBachelor {
					acc[r].NetHigherEd--
				}
				if p.Act[j] == population.Employed {
					s.Regions[p.Work[j]].Filled[p.JobSkill[j]]--
				}
				p.Remove(j)
				j = next
			}
		}
	}
	m.immigrate(s, total)
}

// geometric returns the number of failures before the first success of
// Bernoulli(p) trials.
func geometric(g *state.RNG, p float64) int {
	switch {
	case p <= 0:
		return math.MaxInt
	case p >= 1:
		return 0
	}
	return int(math.Log(1-g.Float64()) / math.Log1p(-p))
}

// immigrate adds this year's immigrants.
func (m *Model) immigrate(s *state.State, pop float64) {
	P := &s.P
	n := s.N()
	g := s.Stream(state.StreamInternational, 1<<31)
	target := g.Round(s.World.Rates.ImmigrationRate * P.ImmigrationScale * pop)
	// Settlement weights: refugees in proportion to population; the others
	// by vacancies and the share of earlier immigrants (networks).
	m.cdf = m.cdf[:0]
	if cap(m.cdf) < 2*n {
		m.cdf = make([]float64, 0, 2*n)
	}
	var totRes float64
	for r := 0; r < n; r++ {
		totRes += float64(s.Regions[r].Residents)
	}
	acc := 0.0
	for r := 0; r < n; r++ { // refugees
		acc += P.RefugeeShare * float64(s.Regions[r].Residents) / math.Max(totRes, 1)
		m.cdf = append(m.cdf, acc)
	}
	var wsum float64
	w := make([]float64, n)
	for r := 0; r < n; r++ {
		rs := &s.Regions[r]
		vac := 0.0
		for k := 0; k < world.NumSkills; k++ {
			vac += math.Max(0, rs.Jobs[k]-float64(rs.Filled[k]))
		}
		net := float64(rs.Immigrants) / math.Max(1, float64(rs.Residents))
		w[r] = (vac + 0.02*float64(rs.Residents)) * (1 + 5*net)
		wsum += w[r]
	}
	for r := 0; r < n; r++ {
		acc += (1 - P.RefugeeShare) * w[r] / math.Max(wsum, 1e-9)
		m.cdf = append(m.cdf, acc)
	}
	if len(m.ageCDF) == 0 {
		a := 0.0
		for _, x := range s.World.Rates.ImmigrantAge {
			a += x
			m.ageCDF = append(m.ageCDF, a)
		}
	}
	m.arrive(s, target, func() int { return sort.SearchFloat64s(m.cdf, g.Float64()*acc) % n }, m.drawAge, &g)
	m.extra(s)
}

// drawAge draws an immigrant's age from the world's age distribution.
func (m *Model) drawAge(g *state.RNG) int {
	return min(sort.SearchFloat64s(m.ageCDF, g.Float64()*m.ageCDF[len(m.ageCDF)-1]), world.MaxAge)
}

// Labour immigrants recruited by an immigration programme are 20–49 years
// old (SSB: most labour immigrants arrive in their twenties and thirties).
const workerMinAge, workerAges = 20, 30

// extra settles the immigrants that immigration programmes add on top of
// the national inflow (RegionState.ExtraImmigrants, sampled, rounded at
// random): refugees with the national immigrants' ages, and labour
// immigrants aged 20–49 who arrive with a job in the region (see employ),
// with partners and children as other immigrants. It draws nothing when no
// region has any.
func (m *Model) extra(s *state.State) {
	for r := range s.Regions {
		ex := s.Regions[r].ExtraImmigrants
		if ex[state.ExtraWorkers] <= 0 && ex[state.ExtraRefugees] <= 0 {
			continue
		}
		g := s.Stream(state.StreamArrivals, uint64(r))
		region := func() int { return r }
		m.arrive(s, g.Round(ex[state.ExtraRefugees]), region, m.drawAge, &g)
		m.arrive(s, g.Round(ex[state.ExtraWorkers]), region, func(g *state.RNG) int { return workerMinAge + g.IntN(workerAges) }, &g)
		employ(s, r, m.heads)
	}
}

// employ gives the labour immigrants heads (the adults of working age who
// head the households just added; partners seek work like other
// immigrants) a job at their skill level in region r: a vacant one
// while any is vacant, else a new one. Employers recruited them for those
// jobs, so recruitment from abroad is also labour demand.
func employ(s *state.State, r int, heads []int32) {
	p := &s.Persons
	rs := &s.Regions[r]
	for _, i := range heads {
		if p.Act[i] != population.Unemployed {
			continue
		}
		k := state.Skill(p.Edu[i])
		if rs.Jobs[k]-float64(rs.Filled[k]) < 1 {
			rs.Jobs[k]++
		}
		rs.Filled[k]++
		p.Act[i] = population.Employed
		p.Work[i] = uint16(r)
		p.JobSkill[i] = uint8(k)
	}
}

// arrive adds target immigrants in households: each household's region from
// region and the age of its first member from age; children come with a
// parent, and adults aged 25–45 with a partner (partnerShare) and children
// (childShare). It leaves the heads of the households it added in m.heads
// (slots may be reused ones, anywhere in the population).
func (m *Model) arrive(s *state.State, target int, region func() int, age func(*state.RNG) int, g *state.RNG) {
	p := &s.Persons
	added := 0
	m.heads = m.heads[:0]
	for added < target {
		r := region()
		age := age(g)
		sex := uint8(g.IntN(2))
		if age < 18 && added+2 > target {
			age = 18 + g.IntN(30) // room for one more person only: an adult
		}
		if age < 18 {
			// A child arrives with a parent 22–39 years older (children
			// come as family members), who heads the household.
			parent := m.add(s, r, min(age+22+g.IntN(18), world.MaxAge), uint8(g.IntN(2)), g)
			h := p.NewHousehold(parent)
			m.heads = append(m.heads, parent)
			p.Join(m.add(s, r, age, sex, g), h)
			added += 2
			continue
		}
		head := m.add(s, r, age, sex, g)
		h := p.NewHousehold(head)
		m.heads = append(m.heads, head)
		added++
		if age >= 25 && age <= 45 && added < target && g.Float64() < partnerShare {
			q := m.add(s, r, max(18, age+g.IntN(7)-3), 1-sex, g)
			p.Join(q, h)
			p.Partner[head], p.Partner[q] = q, head
			added++
			if g.Float64() < childShare {
				for c := 1 + g.IntN(2); c > 0 && added < target; c-- {
					ch := m.add(s, r, g.IntN(13), uint8(g.IntN(2)), g)
					p.Join(ch, h)
					added++
				}
			}
		}
	}
}

func (m *Model) add(s *state.State, r, age int, sex uint8, g *state.RNG) int32 {
	p := &s.Persons
	x := population.Person{Age: uint8(age), Sex: sex, Flags: population.Immigrant,
		Region: uint16(r), Work: population.NoRegion, Home: uint16(r), Second: population.NoRegion}
	switch {
	case age < 18:
		x.Act = population.Child
		x.Flags |= population.AtHome
	case age >= 67:
		x.Act = population.Retired
	default:
		u := g.Float64()
		for e, sh := range immigrantEdu {
			if u < sh || e == 3 {
				x.Edu = uint8(e)
				break
			}
			u -= sh
		}
		x.Act = population.Unemployed
	}
	i := p.Add(x)
	acc := &s.Ledger.Accounts[r]
	acc.Immigrants++
	if x.Edu >= population.EduBachelor {
		acc.NetHigherEd++
	}
	return i
}
