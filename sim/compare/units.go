package compare

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// Levels of a Unit, as written in the level column of deltas.csv.
const (
	LevelRegion     = "region"     // one region (municipality)
	LevelCentrality = "centrality" // the regions of an SSB centrality class
	LevelCounty     = "county"     // the regions of a county
	LevelNation     = "nation"     // every region of the world
	LevelTarget     = "target"     // the target regions of one intervention, together
)

// Unit is a region or a group of regions whose figures are reported: the
// sums of its regions' figures (the price index: their mean weighted by
// dwellings).
type Unit struct {
	Level   string
	Code    string // region code; class 1–6; county code (or name); world name; T1, T2 … for targets
	Name    string
	Regions []int // region indices, sorted
	// Owner is the scenario whose interventions a target unit stands for
	// (0 for the other levels, which every scenario has).
	Owner int
}

// Shows reports whether the tables of a comparison have rows of unit u for
// scenario s: every unit for the baseline, and a target unit only for the
// scenario it stands for (another scenario on the same regions has its own,
// named after its own interventions).
func (p *Plan) Shows(s, u int) bool {
	unit := &p.Units[u]
	return s == 0 || unit.Level != LevelTarget || unit.Owner == s
}

// Targets reports whether unit u is one of scenario s's own units: a
// region or group its interventions target (or the nation and the
// centrality classes for a national scenario), as ScenarioFocus gives
// them, including those left out of the summary beyond its most units,
// or a region among its interventions' targets (one of a county's or of
// more than MaxSingleTargets regions, which have a group unit only: the
// charts of Bodø left out a scenario aimed at all of Nordland and said it
// did not target Bodø). A target unit of another scenario is targeted by
// s when every one of its regions is among s's interventions' targets:
// remote work in Nordland in one scenario and the same in a combined
// scenario are two units (each named after its own scenario's
// interventions), and the charts of each left the other scenario out,
// saying that it did not target them. The baseline targets none. A
// target unit's rows are its own scenario's alone (Shows).
func (p *Plan) Targets(s, u int) bool {
	if slices.Contains(p.targets[s], u) {
		return true
	}
	unit := &p.Units[u]
	if s == 0 || unit.Level != LevelRegion && unit.Level != LevelTarget {
		return false
	}
	for _, r := range unit.Regions {
		reached := false
		for _, iv := range p.Scenarios[s].Interventions {
			if slices.Contains(iv.Regions, r) {
				reached = true
				break
			}
		}
		if !reached {
			return false
		}
	}
	return len(unit.Regions) > 0
}

// GroupedNotes say, for scenario s, which interventions' target regions
// are shown together only (more than MaxSingleTargets: their group's row,
// no row per region), how many, and where each region's figures are; the
// terminal prints them under its table and report.html under its key
// figures. Without them a reader saw a group's row for an intervention of
// five regions, a row per region for one of four, and no word why.
func (p *Plan) GroupedNotes(s int) []string {
	var out []string
	for _, g := range p.LargeInterventions(s) {
		name, rs := g.Name, g.Regions
		where := "together only"
		for _, u := range p.targets[s] {
			unit := &p.Units[u]
			if unit.Level != LevelTarget || !slices.Equal(unit.Regions, rs) {
				continue
			}
			where = fmt.Sprintf("together only, in deltas.csv as %s", unit.Code)
			for _, f := range p.own[s] {
				if p.Focus[f] == u {
					where = fmt.Sprintf("together only, in the row %s (%s in deltas.csv)", unit.Name, unit.Code)
				}
			}
			break
		}
		out = append(out, fmt.Sprintf("%s targets %d regions, more than %d: they are shown %s, not one by one; each region's own figures are in deltas.csv (level region), and report.html's map judges each as any other region",
			name, len(rs), MaxSingleTargets, where))
	}
	return out
}

// LargeIntervention is an intervention of more than MaxSingleTargets
// regions: its name (its kind without one) and its regions, sorted.
type LargeIntervention struct {
	Name    string
	Regions []int
}

// LargeInterventions are scenario s's interventions whose regions are
// shown together only, not one by one (GroupedNotes).
func (p *Plan) LargeInterventions(s int) []LargeIntervention {
	var out []LargeIntervention
	for _, iv := range p.Scenarios[s].Interventions {
		rs := slices.Compact(slices.Sorted(slices.Values(iv.Regions)))
		if len(rs) <= MaxSingleTargets {
			continue
		}
		name := iv.Name
		if name == "" {
			name = iv.Kind
		}
		out = append(out, LargeIntervention{name, rs})
	}
	return out
}

// CombinedNote says, for a scenario s with more than one intervention
// whose units are named after one of them, that a unit's figures are the
// effect of all its interventions together ("" otherwise): "Lofoten fixed
// link (5 regions)" in a scenario of three measures read as the link's
// effect alone.
func (p *Plan) CombinedNote(s int) string {
	ivs := p.Scenarios[s].Interventions
	if len(ivs) < 2 {
		return ""
	}
	for _, f := range p.own[s] {
		if unit := &p.Units[p.Focus[f]]; unit.Level == LevelTarget && !p.namesAll(s, unit) {
			return fmt.Sprintf("%s has %d interventions: every figure is their effect together, also that of a group of regions named after one of them.",
				p.Scenarios[s].Name, len(ivs))
		}
	}
	return ""
}

// ProjectionNote says, for a scenario s whose national projection differs
// from the baseline's, that every figure includes the difference in
// births, deaths and migration from abroad ("" otherwise): a scenario of
// SSB's high alternative with a measure added is not the measure's effect.
func (p *Plan) ProjectionNote(s int) string {
	a, b := p.Scenarios[s].Projection, p.Scenarios[0].Projection
	if a == b {
		return ""
	}
	title := func(name string) string {
		if pr := world.FindProjection(name); pr != nil {
			return name + " (" + pr.Title + ")"
		}
		return name
	}
	return fmt.Sprintf("%s follows the national projection %s, the baseline %s: every figure includes the difference in births, deaths and migration from abroad.",
		p.Scenarios[s].Name, title(a), title(b))
}

// namesAll reports whether target unit is named after every intervention
// of scenario s: all of them target exactly its regions.
func (p *Plan) namesAll(s int, unit *Unit) bool {
	for _, iv := range p.Scenarios[s].Interventions {
		if !slices.Equal(slices.Compact(slices.Sorted(slices.Values(iv.Regions))), unit.Regions) {
			return false
		}
	}
	return true
}

// maxFocus is the most units a scenario is summarised for, and
// maxFocusAll the most charted over all scenarios.
const (
	maxFocus    = 8
	maxFocusAll = 24
)

// MaxSingleTargets is the most target regions of one intervention that are
// also charted one by one (besides their group), and judged one by one by
// their own interval on the report's map; the regions of a larger group
// are tested with every region (its group has its own interval).
const MaxSingleTargets = 4

// buildUnits returns the reporting units of w for the scenarios: every
// region, the centrality classes and counties present, the nation, and one
// target group for each intervention (of any scenario but the baseline)
// with more than one target region. It also returns the focus units, the
// union of every scenario's own (the regions and groups its interventions
// target and the nation for a national one among them, or the nation and
// the centrality classes when none targets regions), and for each scenario the indices into focus of its own (none
// for the baseline), and the units of each scenario's own that did not fit
// (beyond maxFocus, or maxFocusAll in all).
func buildUnits(w *world.World, scenarios []*scenario.Scenario) (units []Unit, focus []int, own [][]int, dropped [][]int) {
	for i := range w.Regions {
		r := &w.Regions[i]
		units = append(units, Unit{Level: LevelRegion, Code: r.Code, Name: r.Name, Regions: []int{i}})
	}
	var classUnits []int
	for c := 1; c <= 6; c++ {
		var rs []int
		for i := range w.Regions {
			if w.Regions[i].Centrality == c {
				rs = append(rs, i)
			}
		}
		if len(rs) > 0 {
			classUnits = append(classUnits, len(units))
			units = append(units, Unit{Level: LevelCentrality, Code: strconv.Itoa(c), Name: "centrality class " + strconv.Itoa(c), Regions: rs})
		}
	}
	// Counties in order of their code (those without one after them, in
	// the world's order), grouped as every table groups them
	// (world.Counties).
	for _, c := range w.Counties() {
		units = append(units, Unit{Level: LevelCounty, Code: c.Code, Name: c.Name, Regions: c.Regions})
	}
	all := make([]int, w.N())
	for i := range all {
		all[i] = i
	}
	nation := len(units)
	units = append(units, Unit{Level: LevelNation, Code: w.Name, Name: nationName(w), Regions: all})

	// Targets, in scenario and file order.
	seenGroup := map[string]int{}
	groupNames := map[int][]string{} // the interventions a target unit stands for
	own = make([][]int, len(scenarios))
	dropped = make([][]int, len(scenarios))
	for si, s := range scenarios {
		if si == 0 {
			continue
		}
		var mine []int
		regional := false
		add := func(u int) {
			if !slices.Contains(mine, u) {
				mine = append(mine, u)
			}
		}
		for _, sp := range s.Interventions {
			rs := slices.Clone(sp.Regions)
			slices.Sort(rs)
			rs = slices.Compact(rs)
			if len(rs) == 0 {
				// A national intervention next to regional ones is
				// summarised for the nation, in its place among them.
				add(nation)
				continue
			}
			regional = true
			if len(rs) <= MaxSingleTargets {
				for _, r := range rs {
					add(r)
				}
			}
			if len(rs) == 1 {
				continue
			}
			// One unit per scenario and set of regions: shared across
			// scenarios, the unit of one was named after the others'
			// interventions too ("Homes 5-6 + Place 5-6" for the homes
			// alone).
			key := strconv.Itoa(si) + ":" + intsKey(rs)
			name := sp.Name
			if name == "" {
				name = sp.Kind
			}
			u, ok := seenGroup[key]
			if !ok {
				u = len(units)
				seenGroup[key] = u
				units = append(units, Unit{Level: LevelTarget, Code: "T" + strconv.Itoa(len(seenGroup)), Regions: rs, Owner: si})
			}
			// Interventions of the scenario that target the same regions
			// share the unit, named after all of them: named after the
			// first alone, it credited the first with what the others did.
			if !slices.Contains(groupNames[u], name) {
				groupNames[u] = append(groupNames[u], name)
				units[u].Name = strings.Join(groupNames[u], " + ") + " (" + strconv.Itoa(len(rs)) + " regions)"
			}
			add(u)
		}
		if !regional {
			mine = append([]int{nation}, classUnits...)
		}
		var left []int
		if len(mine) > maxFocus {
			mine, left = mine[:maxFocus], mine[maxFocus:]
		}
		for _, u := range mine {
			f := slices.Index(focus, u)
			if f < 0 {
				if len(focus) == maxFocusAll {
					left = append(left, u)
					continue
				}
				f = len(focus)
				focus = append(focus, u)
			}
			own[si] = append(own[si], f)
		}
		dropped[si] = left
	}
	return units, focus, own, dropped
}

func intsKey(x []int) string {
	var b strings.Builder
	for _, v := range x {
		b.WriteString(strconv.Itoa(v))
		b.WriteByte(' ')
	}
	return b.String()
}

// nationName names the whole of a world in sentences.
func nationName(w *world.World) string {
	if strings.HasPrefix(w.Name, "norway") {
		return "Norway"
	}
	return "the whole country"
}
