package intervention

import (
	"fmt"
	"slices"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// mechanism turns one kind into changes of the state.
type mechanism struct {
	// apply changes the state for one year, given the spec and its strength
	// (0 < strength ≤ 1: the phase-in ramp) this year. It must only add to
	// the levers (Apply resets them first) or add this year's flow to a
	// stock, so that Apply is idempotent per year.
	apply func(s *state.State, sp *Spec, strength float64)
	// check, when set, refuses parameter values the engine cannot simulate
	// yet: it returns the offending key and a message with the fix, or "".
	check func(sp *Spec) (key, msg string)
}

// mechanisms maps a kind to its mechanism; it is filled by the mech_*.go
// files at initialisation and never modified after. Kinds without a
// mechanism are refused by Check (with the reason in pending when there is
// one), so no scenario silently does nothing.
var mechanisms = map[string]mechanism{}

// pending says, for a catalogue kind without a mechanism, what engine
// support it waits for.
// (Every kind of the catalogue has a mechanism in this version; the map
// stays for kinds added to the catalogue before their mechanism.)
var pending = map[string]string{}

func registerMechanism(kind string, m mechanism) {
	if _, ok := Kinds[kind]; !ok {
		panic(fmt.Sprintf("intervention: mechanism for unknown kind %q", kind))
	}
	if _, dup := mechanisms[kind]; dup {
		panic(fmt.Sprintf("intervention: mechanism for %q registered twice", kind))
	}
	mechanisms[kind] = m
}

// Available reports whether kind has a mechanism in this engine version.
func Available(kind string) bool {
	_, ok := mechanisms[kind]
	return ok
}

// Check reports whether sp can be simulated in world w: its kind has a
// mechanism, its parameters ask for nothing the engine cannot do yet, and
// its target regions are regions of w. The error names the file, the line,
// the key and the fix.
func Check(sp Spec, w *world.World) error {
	m, ok := mechanisms[sp.Kind]
	if !ok {
		why := "it has no mechanism in this engine version yet"
		if p, ok := pending[sp.Kind]; ok {
			why = p
		}
		return fmt.Errorf("%s:%d: intervention %q: kind %q cannot be simulated yet: %s; remove the entry (docs/interventions.md lists the kinds available)",
			sp.File, sp.Line, sp.Name, sp.Kind, why)
	}
	for _, r := range sp.Regions {
		if r < 0 || r >= w.N() {
			return fmt.Errorf("%s:%d: intervention %q: target region index %d is not a region of world %s (it has %d); resolve the scenario against the world it runs in",
				sp.File, sp.Line, sp.Name, r, w.Name, w.N())
		}
	}
	if m.check != nil {
		if key, msg := m.check(&sp); msg != "" {
			line := sp.Line
			if v, ok := sp.Params[key]; ok && v.Line > 0 {
				line = v.Line
			}
			return fmt.Errorf("%s:%d: %s.%s: %s (intervention %q; see docs/interventions.md)", sp.File, line, sp.Kind, key, msg, sp.Name)
		}
	}
	return nil
}

// Apply runs step 1 of the tick. It first resets every lever to its neutral
// value (resetLevers), then applies every intervention in force this year
// with its strength, in the order of the scenario file. Levers are thus
// levels set anew each year, so an intervention ends after its to_year; the
// stocks that accumulate (jobs, dwellings) get only the flow of the years in
// force. When the travel times in force change, s.Reach is rebuilt.
//
// Cost: O(regions) plus O(regions²) to compare the travel-time matrix, and
// O(targets²) per region_enlargement in force.
func Apply(s *state.State, specs []Spec) {
	w := s.World
	var before []float32 // the matrix in force last year, when not the world's
	if !slices.Equal(s.Minutes, w.Minutes) {
		before = slices.Clone(s.Minutes)
		copy(s.Minutes, w.Minutes)
	}
	resetLevers(s)
	for k := range specs {
		sp := &specs[k]
		if st := sp.Strength(s.Year); st > 0 {
			mechanisms[sp.Kind].apply(s, sp, st)
		}
	}
	if before == nil {
		before = w.Minutes
	}
	if !slices.Equal(s.Minutes, before) {
		s.RebuildReach()
	}
}

// resetLevers sets every region's levers to the neutral values engine.New
// starts from: the world's broadband coverage and study places (sampled),
// no cooperation group (−1), and zero for every boost, share, subsidy and
// flow (a StayDays of 0 means state.BaseStayDays). The stocks (jobs,
// dwellings, Reserved, Sponsored) are kept.
// Travel times are reset by Apply.
func resetLevers(s *state.State) {
	for r := range s.Regions {
		reg := &s.World.Regions[r]
		rs := &s.Regions[r]
		rs.Broadband = reg.Amenities.Broadband
		rs.RemoteShare = [world.NumSkills]float64{}
		rs.RemoteAnywhere = [world.NumSkills]float64{}
		rs.HybridShare = [world.NumSkills]float64{}
		rs.HybridAnywhere = [world.NumSkills]float64{}
		rs.OfficeDays = 0
		rs.AmenityBoost = world.Amenities{}
		rs.Reputation = 0
		rs.Visibility = 0
		rs.AttachBoost = 0
		rs.StudyPlaces = float64(reg.StudyPlaces) * s.Scale
		rs.Retention = 0
		rs.ExtraImmigrants = [2]float64{}
		rs.SecondHomeAdd = 0
		rs.StayDays = 0
		rs.Conversion = 0
		rs.HousingBoost = [3]float64{}
		rs.Subsidy = [params.NumPhases]float64{}
		rs.Cooperation = -1
	}
}

// targets returns the regions sp applies to: its resolved regions, or every
// region of the world for a national intervention without targets.
func targets(s *state.State, sp *Spec) []int {
	if len(sp.Regions) > 0 {
		return sp.Regions
	}
	all := make([]int, s.N())
	for r := range all {
		all[r] = r
	}
	return all
}

// combine returns the share that results when a share b is applied to what
// a share a left: 1 − (1 − a)(1 − b). Two integration programmes of 0.5
// cut emigration by 0.75, never by more than all of it.
func combine(a, b float64) float64 { return 1 - (1-a)*(1-b) }

// rampUp returns the share of a stock-building intervention complete at the
// end of its t-th year in force (t = 1 in from_year): the product of the
// build-out over `years` equal steps and the phase-in ramp; 0 for t ≤ 0.
func rampUp(t, years, phaseIn int) float64 {
	if t <= 0 {
		return 0
	}
	f := 1.0
	if years > 1 {
		f = min(1, float64(t)/float64(years))
	}
	if phaseIn > 0 {
		f *= min(1, float64(t)/float64(phaseIn))
	}
	return f
}
