package compare

import "github.com/settle-sim/settle/sim/record"

// The attractiveness decomposition follows Telemarksforsking's
// attractiveness model in its original form (Knut Vareide and Marit O.
// Nygaard, "Måling av attraktivitet", TF-notat 32/2014; Knut Vareide,
// "Hvordan skape vekst?", Cappelen Damm 2024): across the regions of a
// year, net migration in per cent of the population is regressed on job
// growth in per cent, both relative to the nation. The fitted line is the
// net migration job growth explains; a region's distance above or below it
// is its attractiveness as a place to live ("bostedsattraktivitet"). For
// Norway's municipalities in 2010–2012 the line was
// y = 0.286·x − 0.141 with R² = 0.22 (Telemarksforsking, Regional analyse
// Buskerud 2013, figure 38). Later versions of the model add structural
// factors (size, neighbouring labour markets); this one keeps job growth
// alone, which is what planners read off the published charts.
//
// Here the regression is fitted for every run and every year separately, by
// least squares weighted by the population at the start of the year, on
// domestic moves only. The weights keep small regions, whose job growth
// is noisy in a sample, from tilting the line, and they make the parts add
// up: over the whole country the explained part and the attractiveness
// each sum to zero, as net domestic migration does.

// Model is the regression of one year: net domestic migration (per cent of
// the population at the start of the year) = Intercept + Slope · job growth
// (per cent, minus the national job growth).
type Model struct {
	Slope, Intercept float64
	R2               float64
	Regions          int // regions in the fit (those with residents and jobs a year before)
}

type attrScratch struct {
	x, y, wt []float64
}

// decompose fits the year's model on the regions of y, given each region's
// sampled population and jobs a year before, and writes each region's
// explained part and attractiveness (real persons) into
// explained[r*years+ti] and attr[r*years+ti].
func (a *attrScratch) decompose(y *record.Year, prevPop, prevJobs, explained, attr []float64, years, ti int) Model {
	n := len(y.Regions)
	if cap(a.x) < n {
		a.x, a.y, a.wt = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	x, yy, wt := a.x[:n], a.y[:n], a.wt[:n]
	jobs0, jobs1 := 0.0, 0.0
	for r := range y.Regions {
		jobs0 += prevJobs[r]
		jobs1 += float64(y.Regions[r].Jobs)
	}
	national := 0.0
	if jobs0 > 0 {
		national = 100 * (jobs1 - jobs0) / jobs0
	}
	var m Model
	sw, sx, sy := 0.0, 0.0, 0.0
	for r := range y.Regions {
		g := &y.Regions[r]
		wt[r], x[r], yy[r] = 0, 0, 0
		if prevPop[r] <= 0 || prevJobs[r] <= 0 {
			continue
		}
		wt[r] = prevPop[r]
		x[r] = 100*(float64(g.Jobs)-prevJobs[r])/prevJobs[r] - national
		yy[r] = 100 * float64(g.InDomestic-g.OutDomestic) / prevPop[r]
		sw += wt[r]
		sx += wt[r] * x[r]
		sy += wt[r] * yy[r]
		m.Regions++
	}
	if sw > 0 {
		mx, my := sx/sw, sy/sw
		sxx, sxy, syy := 0.0, 0.0, 0.0
		for r := range x {
			dx, dy := x[r]-mx, yy[r]-my
			sxx += wt[r] * dx * dx
			sxy += wt[r] * dx * dy
			syy += wt[r] * dy * dy
		}
		if sxx > 0 {
			m.Slope = sxy / sxx
		}
		m.Intercept = my - m.Slope*mx
		if syy > 0 {
			m.R2 = m.Slope * sxy / syy
		}
	}
	for r := range y.Regions {
		net := float64(y.Regions[r].InDomestic-y.Regions[r].OutDomestic) * y.Weight
		e := 0.0
		if wt[r] > 0 {
			e = (m.Intercept + m.Slope*x[r]) / 100 * prevPop[r] * y.Weight
		}
		explained[r*years+ti] = e
		attr[r*years+ti] = net - e
	}
	return m
}
