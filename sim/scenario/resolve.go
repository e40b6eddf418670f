package scenario

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/world"
)

// LoadWorld loads the scenario's world (world.Load) and calls Resolve with it.
func (s *Scenario) LoadWorld() (*world.World, error) {
	w, err := s.loadWorld()
	if err != nil {
		key := "scenario.world"
		if s.TravelTimes != "" && strings.Contains(err.Error(), filepath.Base(s.TravelTimes)) {
			key = "scenario.travel_times"
		}
		p := newProblems(s.File, s.lines)
		p.Add(key, "%v", err)
		return nil, p.Err()
	}
	if err := s.Resolve(w); err != nil {
		return nil, err
	}
	return w, nil
}

// Resolve checks s against the world w (start_year, the interventions'
// years) and resolves every intervention's targets to region indices,
// sorted: a regions list by code or name (World.Lookup; a region named
// twice is an error), centrality classes and counties (by name or code;
// both together select the regions that match both). On success it sets
// StartYear and each Interventions[i].Regions; on error s is unchanged and
// the error is Errors.
func (s *Scenario) Resolve(w *world.World) error {
	p := newProblems(s.File, s.lines)
	resolved := s.checkWorld(p, w)
	if err := p.Err(); err != nil {
		return err
	}
	s.StartYear = w.StartYear
	for i := range s.Interventions {
		s.Interventions[i].Regions = resolved[i]
	}
	s.resolved = w
	return nil
}

// checkWorld adds to p what is wrong with s in world w and returns the
// interventions' target regions (nil for national ones and those with a
// problem).
func (s *Scenario) checkWorld(p *problems, w *world.World) [][]int {
	if s.StartYear != 0 && s.StartYear != w.StartYear {
		p.Add("scenario.start_year", "start_year = %d, but world %s describes the population on 1 January %d, where the simulation starts; start_year only documents the start and cannot move it: write start_year = %d or leave it out",
			s.StartYear, filepath.Base(w.Name), w.StartYear, w.StartYear)
	}
	s.checkYears(p, w)
	s.checkScale(p, w)
	resolved := make([][]int, len(s.Interventions))
	for i := range s.Interventions {
		sp := &s.Interventions[i]
		t := &s.targets[i]
		regions := resolveTargets(p, w, t)
		if regions == nil && t.any() {
			continue // the problem is reported
		}
		check := *sp
		check.Regions = regions
		if fe := intervention.CheckTargets(&check); fe != nil {
			key := t.path + "." + fe.Key
			if t.regions == nil {
				for _, sel := range []string{"county", "centrality"} {
					if _, ok := s.lines[t.path+"."+sel]; ok {
						key = t.path + "." + sel
					}
				}
			}
			p.Add(key, "%s", fe.Msg)
			continue
		}
		resolved[i] = regions
	}
	return resolved
}

// checkWorldToo is called when Parse found problems: it loads the world
// (if the file names one that loads) and adds what checkWorld finds, so
// that a mistake in a value does not hide a mistyped region or a year
// outside the run. A key already reported on the same line, or a message
// already given, is not reported again (a from_year that is not a number
// is no year to compare with the run's; a number in a regions list does
// not hide a mistyped name on another line).
func (s *Scenario) checkWorldToo(p *problems) {
	if s.World == "" {
		return
	}
	for _, e := range p.Errs {
		if e.Key == "scenario.world" || e.Key == "scenario.travel_times" {
			return
		}
	}
	w, err := s.loadWorld()
	if err != nil {
		key := "scenario.world"
		if s.TravelTimes != "" && strings.Contains(err.Error(), filepath.Base(s.TravelTimes)) {
			key = "scenario.travel_times"
		}
		p.Add(key, "%v", err)
		return
	}
	q := newProblems(s.File, s.lines)
	s.checkWorld(q, w)
	type at struct {
		line int
		key  string
	}
	keys, msgs := map[at]bool{}, map[string]bool{}
	for _, e := range p.Errs {
		keys[at{e.Line, e.Key}], msgs[e.Msg] = true, true
	}
	for _, e := range q.Errs {
		if !keys[at{e.Line, e.Key}] && !msgs[e.Msg] {
			p.Errs = append(p.Errs, e)
		}
	}
}

// resolveTargets returns the sorted, unique region indices t selects in w,
// or nil (national, or after reporting a problem).
func resolveTargets(p *problems, w *world.World, t *targets) []int {
	if t.regions != nil {
		var out []int
		bad := false
		first := map[int]string{} // region → the entry that named it first
		for _, r := range t.regions {
			i, err := w.Lookup(r.s)
			if err != nil {
				p.AddAt(r.line, t.path+".regions", "%v", err)
				bad = true
				continue
			}
			// A region listed twice (by name and code, or in two
			// spellings) is most likely a slip for another region.
			if f, dup := first[i]; dup {
				reg := &w.Regions[i]
				p.AddAt(r.line, t.path+".regions", "%q and %q both name %s (%s); list each region once", f, r.s, reg.Name, reg.Code)
				bad = true
				continue
			}
			first[i] = r.s
			out = append(out, i)
		}
		if bad || len(out) == 0 {
			return nil
		}
		return uniqueSorted(out)
	}
	if t.centrality == nil && t.county == nil {
		return nil
	}
	inCounty := make([]bool, w.N())
	if t.county == nil {
		for i := range inCounty {
			inCounty[i] = true
		}
	}
	bad := false
	firstCounty := map[string]string{} // county → the entry that named it first
	for _, c := range t.county {
		rs, name, err := w.County(c.s)
		var ce *world.CountyError
		if errors.As(err, &ce) {
			p.AddAt(c.line, t.path+".county", "%s", unknownCounty(ce, t.countyList))
			bad = true
		}
		if f, dup := firstCounty[name]; dup && err == nil {
			p.AddAt(c.line, t.path+".county", "%q and %q both name %s; list each county once", f, c.s, name)
			bad = true
		} else if err == nil {
			firstCounty[name] = c.s
		}
		for _, i := range rs {
			inCounty[i] = true
		}
	}
	if bad {
		return nil
	}
	var out []int
	for i := range w.Regions {
		if inCounty[i] && (t.centrality == nil || slices.Contains(t.centrality, w.Regions[i].Centrality)) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		key := t.path + ".centrality"
		if t.centrality == nil {
			key = t.path + ".county"
		}
		p.Add(key, "no region of world %s matches %s; widen the selection (classes present: %s)",
			filepath.Base(w.Name), describeSelection(t), classesPresent(w, inCounty))
		return nil
	}
	return out
}

// unknownCounty explains a county that no region of a world has, as a
// scenario's fix: a former county (Hedmark, Viken) with the counties it
// became, else the nearest county name or code. inList says it is an
// element of a list.
func unknownCounty(e *world.CountyError, inList bool) string {
	if len(e.Counties) == 0 {
		return fmt.Sprintf("the world %s has no counties (its regions file has no county column); list the regions instead: regions = [\"…\"]", filepath.Base(e.World))
	}
	msg := fmt.Sprintf("unknown county %q in world %s; ", e.Name, filepath.Base(e.World))
	if e.Known {
		ch := e.Former
		quoted := make([]string, len(ch.Successors))
		for i, s := range ch.Successors {
			quoted[i] = strconv.Quote(s)
		}
		write := strings.Join(quoted, ", ")
		switch {
		case len(ch.MergedWith) > 0 && inList:
			write = fmt.Sprintf("%s in its place, for all of %s, which includes the former %s", write, ch.Successors[0], strings.Join(ch.MergedWith, " and "))
		case len(ch.MergedWith) > 0:
			// Innlandet is Hedmark and Oppland: the successor would
			// double the targets.
			write = fmt.Sprintf("county = %s for all of %s, which includes the former %s, or list %s's former municipalities in regions = [\"…\"]",
				write, ch.Successors[0], strings.Join(ch.MergedWith, " and "), ch.Former)
		case inList:
			write += " in its place"
		case len(quoted) == 1:
			write = "county = " + write
		default:
			write = "county = [" + write + "] for all of it, or the one you mean"
		}
		return msg + ch.String() + ": write " + write
	}
	if e.Suggestion != "" {
		return msg + fmt.Sprintf("did you mean %q?", e.Suggestion)
	}
	return msg + "use a county name or code: " + strings.Join(e.Counties, ", ")
}

func describeSelection(t *targets) string {
	var parts []string
	if t.county != nil {
		var cs []string
		for _, c := range t.county {
			cs = append(cs, fmt.Sprintf("%q", c.s))
		}
		parts = append(parts, "county "+strings.Join(cs, ", "))
	}
	if t.centrality != nil {
		parts = append(parts, fmt.Sprintf("centrality %v", t.centrality))
	}
	return strings.Join(parts, " and ")
}

func classesPresent(w *world.World, in []bool) string {
	var seen [7]bool
	var out []string
	for i := range w.Regions {
		c := w.Regions[i].Centrality
		if in[i] && c >= 1 && c <= 6 && !seen[c] {
			seen[c] = true
		}
	}
	for c := 1; c <= 6; c++ {
		if seen[c] {
			out = append(out, fmt.Sprint(c))
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func uniqueSorted(x []int) []int {
	sort.Ints(x)
	return slices.Compact(x)
}

// Config returns the engine's configuration for this scenario in world w,
// which must be the world LoadWorld returned (or Resolve was given): before
// that the interventions' targets are unknown, and Config panics. The
// interventions are copied; their Params maps are shared and must not be
// modified.
func (s *Scenario) Config(w *world.World) engine.Config {
	if s.resolved == nil || s.resolved != w {
		panic("scenario: Config needs the world returned by LoadWorld (or given to Resolve)")
	}
	start := s.StartYear
	if start == 0 {
		start = w.StartYear
	}
	return engine.Config{
		Seed:          s.Seed,
		Scale:         s.Scale,
		StartYear:     start,
		Behaviour:     s.Behaviour,
		Interventions: slices.Clone(s.Interventions),
		Projection:    s.Projection,
	}
}

// loadWorld is world.Load of the scenario's world and travel times, whose
// paths are already relative to the scenario's folder. A world name that
// is no embedded world is looked up beside the scenario too, for the fix
// world = "ok.csv" when the folder has ok.csv (world.LoadIn; the current
// folder may be another). A world given to ParseWith (Overrides.World) is
// returned as it is.
func (s *Scenario) loadWorld() (*world.World, error) {
	if s.given != nil {
		return s.given, nil
	}
	w, err := world.Load(s.World, s.TravelTimes)
	if err != nil && !strings.ContainsAny(s.World, `/\.`) {
		if _, e := world.LoadIn(filepath.Dir(s.File), s.World, ""); e != nil {
			err = e // the name is unknown there too: its error says what the folder has
		}
	}
	return w, err
}
