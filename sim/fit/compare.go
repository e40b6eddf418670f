package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/targets"
)

// Row is one target statistic against its simulated value.
type Row struct {
	// ID names the statistic for programs, stably, after the targets
	// file's keys: age_rates.20-24, age_rates.20-24.f, moves_per_thousand,
	// rogers_castro.mu2, centrality_share.5-6,
	// centrality_share.5-6.per_thousand, living_where_grew_up.35.5-6 (the
	// centrality classes joined by -, "all" for none),
	// gross_migration.1.in, living_arrangement.67+.alone.m. Name is for
	// people.
	ID   string
	Name string
	// Target is the target value: the rate of an age group, the preferred
	// point of an interval (Min…Max), 1 for a women/men ratio, 0 for a
	// share change that must be positive or negative.
	Target    float64
	Simulated float64
	// Error is (Simulated − Target)/Target when Relative, else
	// Simulated − Target in the statistic's unit.
	Error    float64
	Relative bool
	// Tolerance is the accepted relative error of an age-group rate; NaN
	// for the other rows, which are checked against Min…Max or a sign.
	Tolerance float64
	Min, Max  float64 // the accepted range; NaN when the row has none
	// Within is the accepted absolute error of a checked size (a
	// centrality group's net rate), 0 for the other rows.
	Within float64
	// OK reports whether the target is met. Rows that are not Checked
	// (reference values) are always OK.
	OK      bool
	Checked bool
	// WorldLacks marks a statistic the run's world cannot have, whatever
	// the run (Detail says why): the target's centrality classes have no
	// region, or the regions no county. A checked row then misses, as
	// every row that cannot be measured, but Loss leaves it out.
	WorldLacks bool
	Unit       string // "per 1000", "years", "pp" …
	Detail     string // how it is checked, or why it could not be measured
	Source     string
}

// Compare returns one row per target statistic of t, in the order of the
// targets file: age-group rates, moves per 1000, peak age, women over men,
// women earlier, the Rogers–Castro reference, distance exponent,
// same-county share, centrality classes (a report-only one with a size as
// its size row alone), the shares living where they grew up. A statistic
// that cannot be measured (NaN) misses its target, and Detail says why;
// when the world cannot have it (Row.WorldLacks), every row of its target
// says so. When t targets no same-county share, the simulated share is
// given as an unchecked row.
func Compare(t *targets.Targets, s Stats) []Row {
	nan := math.NaN()
	var rows []Row
	for _, r := range t.AgeRates {
		sim := s.Rate(r.Lo, r.Hi, r.Sex)
		var name string
		switch r.Sex {
		case "f":
			name = fmt.Sprintf("moves per 1000, women %s", ageText(r.Lo, r.Hi))
		case "m":
			name = fmt.Sprintf("moves per 1000, men %s", ageText(r.Lo, r.Hi))
		default:
			name = "moves per 1000, ages " + ageText(r.Lo, r.Hi)
		}
		e := (sim - r.PerThousand) / r.PerThousand
		id := "age_rates." + idAges(r.Lo, r.Hi)
		if r.Sex != "" {
			id += "." + r.Sex
		}
		row := Row{ID: id, Name: name, Target: r.PerThousand, Simulated: sim, Error: e, Relative: true,
			Tolerance: r.Tolerance, Min: r.PerThousand * (1 - r.Tolerance), Max: r.PerThousand * (1 + r.Tolerance),
			Checked: !r.ReportOnly, Unit: "per 1000", Source: r.Source}
		row.OK = math.Abs(e) <= r.Tolerance
		if r.ReportOnly {
			row.OK = true
			row.Detail = "reported only"
		} else {
			row.Detail = fmt.Sprintf("within ±%.0f %%", 100*r.Tolerance)
		}
		if math.IsNaN(sim) {
			row.OK = r.ReportOnly
			row.Detail = "no persons of these ages in the window"
		}
		rows = append(rows, row)
	}
	if iv := t.MovesPerThousand; iv != nil {
		rows = append(rows, interval("moves_per_thousand", "moves per 1000 residents", iv, s.MovesPerThousand, true, "per 1000"))
	}
	if iv := t.PeakAge; iv != nil {
		rows = append(rows, interval("peak_age", "peak age of the schedule", iv, s.PeakAge, false, "years"))
	}
	if r := t.WomenOverMen; r != nil {
		f, m := s.Rate(r.Lo, r.Hi, "f"), s.Rate(r.Lo, r.Hi, "m")
		ratio := f / m
		row := Row{ID: "women_over_men", Name: "women/men moving rate, ages " + ageText(r.Lo, r.Hi), Target: 1, Simulated: ratio,
			Error: ratio - 1, Relative: true, Tolerance: nan, Min: 1, Max: nan, Checked: true, OK: f > m,
			Unit: "ratio", Source: r.Source}
		row.Detail = fmt.Sprintf("women %.0f, men %.0f per 1000; must be > 1", f, m)
		if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
			row.OK = false
			row.Detail = "no moves or persons of these ages"
		}
		rows = append(rows, row)
	}
	if r := t.WomenEarlier; r != nil {
		f, m := s.PeakAgeOf(r.Lo, r.Hi, "f"), s.PeakAgeOf(r.Lo, r.Hi, "m")
		row := Row{ID: "women_earlier", Name: "women's peak age − men's", Target: 0, Simulated: f - m,
			Error: f - m, Tolerance: nan, Min: nan, Max: 0, Checked: true, OK: f < m,
			Unit: "years", Source: r.Source}
		row.Detail = fmt.Sprintf("peaks of the schedules smoothed over three years of age, sought at %s: women %.1f, men %.1f; must be < 0", ageText(r.Lo, r.Hi), f, m)
		if math.IsNaN(f - m) {
			row.OK = false
			row.Detail = "no moves of these ages"
		}
		rows = append(rows, row)
	}
	if rc := t.RogersCastro; rc != nil {
		fitted := s.RC.Schedule
		ok := s.RCErr == ""
		ref := []struct {
			name      string
			want, got float64
			unit      string
		}{
			{"a1", rc.A1, fitted.A1, ""}, {"alpha1", rc.Alpha1, fitted.Alpha1, ""},
			{"a2", rc.A2, fitted.A2, ""}, {"mu2", rc.Mu2, fitted.Mu2, "years"},
			{"alpha2", rc.Alpha2, fitted.Alpha2, ""}, {"lambda2", rc.Lambda2, fitted.Lambda2, ""},
			{"c", rc.C, fitted.C, ""},
		}
		wantAge, wantRate := rc.Peak()
		gotAge, gotRate := fitted.Peak()
		ref = append(ref, struct {
			name      string
			want, got float64
			unit      string
		}{"peak rate", 1000 * wantRate, 1000 * gotRate, "per 1000"}, struct {
			name      string
			want, got float64
			unit      string
		}{"peak age", wantAge, gotAge, "years"})
		for _, p := range ref {
			row := Row{ID: "rogers_castro." + strings.ReplaceAll(p.name, " ", "_"), Name: "Rogers–Castro " + p.name, Target: p.want, Simulated: p.got, Error: (p.got - p.want) / p.want,
				Relative: true, Tolerance: nan, Min: nan, Max: nan, OK: true, Unit: p.unit,
				Detail: "reference, not checked", Source: rc.Source}
			if !ok {
				row.Simulated, row.Error = nan, nan
				row.Detail = "reference; " + s.RCErr
			}
			rows = append(rows, row)
		}
	}
	if iv := t.DistanceExponent; iv != nil {
		row := interval("distance_exponent", "distance exponent", iv, s.DistanceExponent, false, "")
		row.Detail += fmt.Sprintf("; PPML over all pairs, %d with moves; least squares over those alone: %.2f", len(s.Pairs), s.DistanceExponentWLS)
		rows = append(rows, row)
	}
	if iv := t.SameCountyShare; iv != nil {
		row := interval("same_county_share", "same-county share of moves", iv, s.SameCountyShare, false, "share")
		switch {
		case s.NoCounties != "":
			row.Detail, row.WorldLacks = "not measurable: "+s.NoCounties, true
		case math.IsNaN(s.SameCountyShare):
			row.Detail = "not measurable: no moves between regions in the window"
		}
		rows = append(rows, row)
	} else if !math.IsNaN(s.SameCountyShare) {
		rows = append(rows, Row{ID: "same_county_share", Name: "same-county share of moves", Target: nan, Simulated: s.SameCountyShare,
			Error: nan, Tolerance: nan, Min: nan, Max: nan, OK: true, Unit: "share", Detail: "not targeted"})
	}
	for _, c := range t.CentralityGain {
		// A class no region is in would add nothing to the sum: a group of
		// such classes would seem measured, +0.00 pp.
		lacks := s.noRegionIn(c.Classes) != ""
		v := classChange(s, c.Classes)
		if lacks {
			v = nan
		}
		row := Row{ID: "centrality_share." + idClasses(c.Classes), Name: fmt.Sprintf("share of %s (domestic migration)", classWord(c)), Target: 0, Simulated: 100 * v, Error: nan, Tolerance: nan, Min: nan, Max: nan,
			Checked: true, Unit: "pp", Source: c.Source}
		if c.Gain {
			row.OK = v > 0
			row.Min = 0
			row.Detail = "must gain (> 0 percentage points)"
		} else {
			row.OK = v < 0
			row.Max = 0
			row.Detail = "must lose (< 0 percentage points)"
		}
		row.WorldLacks = lacks
		if math.IsNaN(v) {
			row.OK = false
			row.Detail = "not measurable: " + whyNoClassRate(s, c.Classes)
		}
		// A reference row shows its direction through the size when it
		// has one, and is not checked.
		if c.ReportOnly {
			row.Checked, row.OK = false, true
			if !math.IsNaN(v) {
				row.Detail = "a reference, not checked"
			}
		}
		if !c.ReportOnly || c.PerThousand == nil {
			rows = append(rows, row)
		}
		if c.PerThousand != nil {
			sim := classNetRate(s, c.Classes)
			if lacks {
				sim = nan
			}
			row := Row{ID: "centrality_share." + idClasses(c.Classes) + ".per_thousand", Name: fmt.Sprintf("net domestic per 1000 a year, %s", classWord(c)), Target: *c.PerThousand, Simulated: sim,
				Error: sim - *c.PerThousand, Tolerance: nan, Min: nan, Max: nan, OK: true, Unit: "per 1000",
				Detail: "a reference size, not checked", WorldLacks: lacks, Source: c.Source}
			if w := c.Within; w != nil {
				row.Checked, row.Within = true, *w
				row.Min, row.Max = *c.PerThousand-*w, *c.PerThousand+*w
				row.OK = math.Abs(sim-*c.PerThousand) <= *w
				row.Detail = fmt.Sprintf("within ±%g per 1000", *w)
			}
			if math.IsNaN(sim) {
				row.Detail = "not measurable: " + whyNoClassRate(s, c.Classes)
			}
			rows = append(rows, row)
		}
	}
	for _, g := range t.GrewUp {
		sim := s.GrewUpShare(g.Age, g.Classes)
		row := shareRow(fmt.Sprintf("living_where_grew_up.%d.%s", g.Age, idClasses(g.Classes)), fmt.Sprintf("living where they grew up at %d, %s", g.Age, g.Label()),
			g.Share, sim, g.Within, g.Source)
		if math.IsNaN(sim) {
			row.OK = !row.Checked
			row.Detail = "not measurable: " + whyNoGrewUp(s, g)
			row.WorldLacks = s.noRegionIn(g.Classes) != ""
		}
		rows = append(rows, row)
	}
	for i, g := range t.Gross {
		in, out, why := s.GrossRates(g.Regions)
		for _, d := range []struct {
			dir       string
			want, sim float64
		}{{"in", g.In, in}, {"out", g.Out, out}} {
			row := Row{ID: fmt.Sprintf("gross_migration.%d.%s", i+1, d.dir), Name: fmt.Sprintf("moves %s per 1000, %s", d.dir, g.Name),
				Target: d.want, Simulated: d.sim, Error: nan, Relative: true, Tolerance: nan, Min: nan, Max: nan, OK: true, Unit: "per 1000",
				Detail: "a reference, not checked", Source: g.Source}
			if d.want != 0 {
				row.Error = (d.sim - d.want) / d.want
			}
			if w := g.Within; w != nil {
				// Checked within ±w per 1000; the error stays relative,
				// as in the reference rows.
				row.Checked, row.Within = true, *w
				row.Min, row.Max = d.want-*w, d.want+*w
				row.OK = math.Abs(d.sim-d.want) <= *w
				row.Detail = fmt.Sprintf("within ±%g per 1000", *w)
			}
			if why != "" {
				row.OK = !row.Checked
				row.Detail = "not measurable: " + why
				row.WorldLacks = strings.HasPrefix(why, "the world has no region")
			}
			rows = append(rows, row)
		}
	}
	for _, l := range t.Living {
		sim := s.LivingShare(l.Lo, l.Hi, l.Sex, l.Living)
		id := fmt.Sprintf("living_arrangement.%s.%s", idAges(l.Lo, l.Hi), l.Living)
		if l.Sex != "" {
			id += "." + l.Sex
		}
		row := shareRow(id, fmt.Sprintf("%s, %s", livingText[l.Living], l.Label()), l.Share, sim, l.Within, l.Source)
		if math.IsNaN(sim) {
			row.OK = !row.Checked
			row.Detail = "not measurable: the run records no living arrangements (living_arrangements.csv, written since engine 0.14.2)"
		}
		rows = append(rows, row)
	}
	// A statistic targeted twice (two centrality_share entries of the
	// same classes): the second is id.2, and so on.
	seen := map[string]int{}
	for i := range rows {
		id := rows[i].ID
		if seen[id]++; seen[id] > 1 {
			rows[i].ID = fmt.Sprintf("%s.%d", id, seen[id])
		}
	}
	return rows
}

// noRegionIn says why no statistic of the centrality classes can be
// measured in the world of s: none of its regions is in any of them. It
// returns "" when one is, or when classes is empty (every region).
func (s *Stats) noRegionIn(classes []int) string {
	if len(classes) == 0 {
		return ""
	}
	var has []int
	for c := 1; c < len(s.ClassRegions); c++ {
		if s.ClassRegions[c] > 0 {
			if slices.Contains(classes, c) {
				return ""
			}
			has = append(has, c)
		}
	}
	if len(has) == 0 {
		return fmt.Sprintf("no region of the world is in %s (its regions have no centrality class)", classText(classes))
	}
	return fmt.Sprintf("no region of the world is in %s (its regions are in %s); target the classes the world has, or leave this target out for this world",
		classText(classes), classText(has))
}

// shareRow is the row of an observed share: checked within ±within when
// within is not nil, else a reference.
func shareRow(id, name string, target, sim float64, within *float64, source string) Row {
	nan := math.NaN()
	row := Row{ID: id, Name: name, Target: target, Simulated: sim, Error: sim - target, Tolerance: nan, Min: nan, Max: nan,
		OK: true, Unit: "share", Detail: "a reference, not checked", Source: source}
	if within != nil {
		row.Checked, row.Within = true, *within
		row.Min, row.Max = target-*within, target+*within
		row.OK = math.Abs(sim-target) <= *within
		row.Detail = fmt.Sprintf("within ±%g", *within)
	}
	return row
}

// livingText names the adults of each living arrangement in settle fit's
// rows.
var livingText = map[string]string{
	"couple":       "adults in a couple",
	"with_parents": "adults living with a parent",
	"alone":        "adults living alone",
	"lone_parent":  "lone parents",
	"other":        "adults in other households",
}

// classText names centrality classes as the targets' labels do: "class 6",
// "classes 1-3".
func classText(classes []int) string { return targets.GrewUpShare{Classes: classes}.Label() }

// whyNoClassRate says why the share change or the net rate of the classes
// is not measurable (NaN).
func whyNoClassRate(s Stats, classes []int) string {
	if why := s.noRegionIn(classes); why != "" {
		return why
	}
	if s.Years <= 0 || len(s.ClassPopulation) == 0 {
		return "the window is empty"
	}
	return fmt.Sprintf("no one lives in the regions of %s in the window", classText(classes))
}

// whyNoGrewUp says why the share living where they grew up of g is not
// measurable (NaN).
func whyNoGrewUp(s Stats, g targets.GrewUpShare) string {
	if why := s.noRegionIn(g.Classes); why != "" {
		return why
	}
	for _, n := range s.GrewUp[0] {
		if n > 0 {
			where := "any region"
			if len(g.Classes) > 0 {
				where = "a region of " + g.Label()
			}
			return fmt.Sprintf("no one aged %d grew up in %s in the window's last %d rows", g.Age, where, GrewUpRows)
		}
	}
	return "the run records no one by where they grew up (a run without grew_up.csv, written before engine 0.3.1?)"
}

// GrossRates returns the domestic moves into and out of the regions of
// the given codes per 1000 residents a year over the window: the sums of
// each region's moves in and out (a move between two of them counts in
// both, as in a sum of each municipality's published figures) over the
// sum of their population on 1 January of each year's start. They are
// NaN, with why, when a code is not one of the world's or the window is
// empty.
func (s Stats) GrossRates(codes []string) (in, out float64, why string) {
	nan := math.NaN()
	idx := make(map[string]int, len(s.RegionCodes))
	for i, c := range s.RegionCodes {
		idx[c] = i
	}
	var missing []string
	var sumIn, sumOut, years float64
	for _, c := range codes {
		i, ok := idx[c]
		if !ok {
			missing = append(missing, c)
			continue
		}
		sumIn += s.RegionIn[i]
		sumOut += s.RegionOut[i]
		years += s.RegionResidentYears[i]
	}
	switch {
	case len(missing) == 1:
		return nan, nan, fmt.Sprintf("the world has no region %s; list the codes of its regions (settle worlds, or the regions file)", missing[0])
	case len(missing) > 1:
		return nan, nan, fmt.Sprintf("the world has no regions %s and %d more; list the codes of its regions (settle worlds, or the regions file)", missing[0], len(missing)-1)
	case s.Years <= 0 || years <= 0:
		return nan, nan, "no one lives in these regions in the window, or the window is empty"
	}
	return 1000 * sumIn / years, 1000 * sumOut / years, ""
}

// classNetRate is the net domestic migration of the classes per 1000
// residents (the mean of the window's first and last population) a year.
func classNetRate(s Stats, classes []int) float64 {
	if s.Years <= 0 || len(s.ClassPopulation) == 0 {
		return math.NaN()
	}
	net, pop := 0.0, 0.0
	for _, c := range classes {
		net += s.ClassNetDomestic[c]
		p := s.ClassPopulation[c]
		pop += (p[0] + p[1]) / 2
	}
	if pop <= 0 {
		return math.NaN()
	}
	return 1000 * net / pop / float64(s.Years)
}

func classWord(c targets.ClassShare) string {
	l := c.Label()
	if c.Gain {
		return l[:len(l)-len(" gain")]
	}
	return l[:len(l)-len(" lose")]
}

// classChange sums the share change of the classes.
func classChange(s Stats, classes []int) float64 {
	if len(s.ClassShareChange) == 0 {
		return math.NaN()
	}
	v := 0.0
	for _, c := range classes {
		v += s.ClassShareChange[c] // a class absent from the world adds nothing
	}
	return v
}

// idAges writes an age group for a Row.ID: 20-24, 70+, 23.
func idAges(lo, hi int) string { return strings.ReplaceAll(ageText(lo, hi), "–", "-") }

// idClasses writes centrality classes for a Row.ID: 5-6, 1-2-3 ("all"
// for none: every region).
func idClasses(classes []int) string {
	if len(classes) == 0 {
		return "all"
	}
	s := make([]string, len(classes))
	for i, c := range classes {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, "-")
}

func ageText(lo, hi int) string {
	if hi >= Ages-1 {
		return fmt.Sprintf("%d+", lo)
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

func interval(id, name string, iv *targets.Interval, sim float64, relative bool, unit string) Row {
	p := iv.Point()
	row := Row{ID: id, Name: name, Target: p, Simulated: sim, Relative: relative, Tolerance: math.NaN(),
		Min: iv.Min, Max: iv.Max, Checked: true, OK: iv.Contains(sim), Unit: unit, Source: iv.Source}
	if relative && p != 0 {
		row.Error = (sim - p) / p
	} else {
		row.Relative = false
		row.Error = sim - p
	}
	row.Detail = fmt.Sprintf("within %g–%g", iv.Min, iv.Max)
	if math.IsNaN(sim) {
		row.Detail = "not measurable in this run"
	}
	return row
}

// Met counts the checked rows that are OK and the checked rows.
func Met(rows []Row) (ok, checked int) {
	for _, r := range rows {
		if r.Checked {
			checked++
			if r.OK {
				ok++
			}
		}
	}
	return ok, checked
}

// Loss weights of the terms (see Loss).
const (
	// MissingPenalty is the loss term of a statistic that the run cannot
	// measure (NaN), times its weight: a term 100 times that of a value at
	// the edge of its tolerance, so that an optimiser does not prefer
	// parameters that leave a statistic unmeasured (an empty schedule has
	// no error to square). A statistic the world cannot have has no term
	// (see Loss).
	MissingPenalty = 100
	// RatioScale is the relative shortfall of women's rate below men's that
	// counts as one tolerance (10 %).
	RatioScale = 0.1
	// AgeScale is how much later than men's women's schedule may peak
	// to count as one tolerance: half a year.
	AgeScale = 0.5
	// ShareScale is the wrong-signed share change that counts as one
	// tolerance: half a percentage point.
	ShareScale = 0.005
)

// Loss returns a smooth scalar for optimisers, 0 when every statistic hits
// its target point; each term is 1 at the edge of its tolerance:
//
//   - an age-group rate (not report-only): weight · (relative error / tolerance)²;
//   - an interval: weight · ((value − point) / half-width)², where the point
//     is the interval's Target or midpoint (moves per 1000, peak age,
//     distance exponent, same-county share);
//   - women over men: (shortfall of f/m − 1 below 0 / RatioScale)², zero
//     when women move more;
//   - women earlier: (years by which women's schedule peaks after men's /
//     AgeScale)², zero when it peaks earlier;
//   - a centrality group: weight · (wrong-signed share change / ShareScale)²,
//     zero when the sign is right; with a checked size (Within), also
//     weight · ((net rate − per_thousand) / within)²;
//   - a checked share living where they grew up (Within):
//     weight · ((share − target) / within)².
//
// The Rogers–Castro reference is not part of the loss (the age-group rates
// are). A statistic the run cannot measure adds weight · MissingPenalty. One
// the world cannot have, whatever the run (Row.WorldLacks: a centrality
// group none of whose classes has a region, a same-county share in a world
// whose regions have no counties), adds nothing: no parameter can change
// it, so its penalty would steer no optimiser, only add the same constant
// to every evaluation, and settle calibrate's tolerance is relative to the
// loss (gonum's FunctionConverge), so a constant of a few hundred would
// stop the search on improvements it should have followed. Compare still
// counts such a target as missed.
func Loss(t *targets.Targets, s Stats) float64 {
	var loss float64
	term := func(weight, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			loss += weight * MissingPenalty
			return
		}
		loss += weight * x * x
	}
	for _, r := range t.AgeRates {
		if r.ReportOnly {
			continue
		}
		term(r.Weight, (s.Rate(r.Lo, r.Hi, r.Sex)-r.PerThousand)/r.PerThousand/r.Tolerance)
	}
	iv := func(iv *targets.Interval, v float64) {
		if iv == nil {
			return
		}
		half := (iv.Max - iv.Min) / 2
		if half <= 0 {
			half = math.Max(math.Abs(iv.Point())*0.05, 1e-9)
		}
		term(iv.Weight, (v-iv.Point())/half)
	}
	iv(t.MovesPerThousand, s.MovesPerThousand)
	iv(t.PeakAge, s.PeakAge)
	iv(t.DistanceExponent, s.DistanceExponent)
	if s.NoCounties == "" {
		iv(t.SameCountyShare, s.SameCountyShare)
	}
	if r := t.WomenOverMen; r != nil {
		d := s.Rate(r.Lo, r.Hi, "f")/s.Rate(r.Lo, r.Hi, "m") - 1
		term(1, math.Min(d, 0)/RatioScale)
	}
	if r := t.WomenEarlier; r != nil {
		d := s.PeakAgeOf(r.Lo, r.Hi, "m") - s.PeakAgeOf(r.Lo, r.Hi, "f")
		term(1, math.Min(d, 0)/AgeScale)
	}
	for _, c := range t.CentralityGain {
		if c.ReportOnly || s.noRegionIn(c.Classes) != "" {
			continue
		}
		v := classChange(s, c.Classes)
		if !c.Gain {
			v = -v
		}
		term(c.Weight, math.Min(v, 0)/ShareScale)
		if c.PerThousand != nil && c.Within != nil {
			term(c.Weight, (classNetRate(s, c.Classes)-*c.PerThousand) / *c.Within)
		}
	}
	for _, g := range t.GrewUp {
		if g.Within != nil && s.noRegionIn(g.Classes) == "" {
			term(g.Weight, (s.GrewUpShare(g.Age, g.Classes)-g.Share) / *g.Within)
		}
	}
	for _, g := range t.Gross {
		if in, out, why := s.GrossRates(g.Regions); g.Within != nil && !strings.HasPrefix(why, "the world has no region") {
			term(g.Weight, (in-g.In) / *g.Within)
			term(g.Weight, (out-g.Out) / *g.Within)
		}
	}
	for _, l := range t.Living {
		if l.Within != nil {
			term(l.Weight, (s.LivingShare(l.Lo, l.Hi, l.Sex, l.Living)-l.Share) / *l.Within)
		}
	}
	return loss
}
