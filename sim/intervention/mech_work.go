package intervention

import (
	"math"
	"slices"

	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

func init() {
	registerMechanism("business_development", mechanism{apply: businessDevelopment})
	registerMechanism("remote_work", mechanism{apply: remoteWork, check: checkRemoteWork})
	registerMechanism("broadband", mechanism{apply: broadband})
	registerMechanism("recruitment", mechanism{apply: recruitment, check: checkRecruitment})
}

// skillIndex maps a skill_level choice to world.SkillLow … SkillHigh.
func skillIndex(level string) int {
	i := slices.Index(skillLevels, level)
	if i < 0 {
		panic("intervention: unknown skill level " + level) // Validate prevents it
	}
	return i
}

// businessDevelopment adds jobs (or removes them) at skill_level in each
// target region: a stock that accumulates. By the end of the t-th year in
// force the share rampUp(t, years, phase_in_years) of the jobs has been
// added; each year adds the difference, converted to sampled units
// (× scale). A to_year before completion leaves the rest unbuilt. Jobs never
// fall below zero; where jobs fall below the workers holding them, the
// labour step lays the excess off. The added jobs then grow or shrink with
// the engine's job dynamics like any others.
func businessDevelopment(s *state.State, sp *Spec, _ float64) {
	t := s.Year - sp.FromYear + 1
	years := int(sp.Num("years"))
	flow := sp.Num("jobs") * (rampUp(t, years, sp.PhaseInYears) - rampUp(t-1, years, sp.PhaseInYears)) * s.Scale
	if flow == 0 {
		return
	}
	k := skillIndex(sp.Text("skill_level"))
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		rs.Jobs[k] = math.Max(0, rs.Jobs[k]+flow)
	}
}

// remoteWork raises the share of jobs at the listed skill levels that are
// remote-capable, in the target regions (where the jobs are located) or
// everywhere: strength × share of the jobs become remote-capable, on top of
// those that already are (remote_share_high of the high-skill jobs), and
// never more than all of them. The labour step gives a matched worker a
// remote-capable job with probability (remote_share_high + RemoteShare) ×
// the broadband coverage where the worker lives; a remote worker keeps the
// job after moving beyond the accepted commute.
func remoteWork(s *state.State, sp *Spec, st float64) {
	base := [world.NumSkills]float64{world.SkillHigh: s.P.RemoteShareHigh}
	add := st * sp.Num("share")
	for _, level := range sp.Strings("skill_levels") {
		k := skillIndex(level)
		for _, r := range targets(s, sp) {
			rs := &s.Regions[r]
			rs.RemoteShare[k] = math.Max(0, math.Min(1-base[k], rs.RemoteShare[k]+add))
		}
	}
}

// checkRemoteWork refuses what the engine cannot simulate yet: hybrid work
// (the accepted commute does not widen with office days) and remote work
// without broadband (the engine always scales the chance of a remote job
// by the coverage where the worker lives).
func checkRemoteWork(sp *Spec) (string, string) {
	if sp.Num("office_days_per_week") > 0 {
		return "office_days_per_week", "hybrid work (office days that widen the accepted commute) needs engine support that this version lacks; remove office_days_per_week (remote workers are simulated as fully remote)"
	}
	if sp.Has("requires_broadband") && !sp.Flag("requires_broadband") {
		return "requires_broadband", "remote work without broadband needs engine support that this version lacks: the engine always requires high-speed broadband where a remote worker lives; remove requires_broadband or write requires_broadband = true"
	}
	return "", ""
}

// broadband raises the coverage of the target regions (or of every region)
// towards coverage: strength of the way from the coverage in force, never
// lowering it. The labour step multiplies the chance that a matched worker's
// job is remote-capable by the coverage where the worker lives.
func broadband(s *state.State, sp *Spec, st float64) {
	c := sp.Num("coverage")
	for _, r := range targets(s, sp) {
		rs := &s.Regions[r]
		if c > rs.Broadband {
			rs.Broadband += st * (c - rs.Broadband)
		}
	}
}

// recruitment makes the target regions' vacancies more visible: Visibility
// = strength × visibility (two programmes combine as 1 − (1 − a)(1 − b)).
// Job matching weighs the region's vacancies by 1 + Visibility for every
// seeker within reach, and destination choice weighs the vacancies
// reachable from it by 1 + Visibility.
func recruitment(s *state.State, sp *Spec, st float64) {
	v := st * sp.Num("visibility")
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		rs.Visibility = combine(rs.Visibility, v)
	}
}

// checkRecruitment refuses relocation grants: the engine has no income or
// moving-cost term to pay them into.
func checkRecruitment(sp *Spec) (string, string) {
	if sp.Num("relocation_grant") > 0 {
		return "relocation_grant", "relocation grants need engine support that this version lacks (destination choice has no moving-cost term to lower); remove relocation_grant and use visibility"
	}
	return "", ""
}
