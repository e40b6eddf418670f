package intervention

import (
	"math"
	"slices"

	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

func init() {
	registerMechanism("business_development", mechanism{apply: businessDevelopment})
	registerMechanism("remote_work", mechanism{apply: remoteWork})
	registerMechanism("broadband", mechanism{apply: broadband})
	registerMechanism("recruitment", mechanism{apply: recruitment})
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
// the engine's job dynamics like any others, except that the posts of the
// jobs added stay open until filled (state.RegionState.Sponsored): the
// labour step withdraws only the vacancies beyond them.
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
		rs.Sponsored[k] += flow // clamped to the vacancies by the labour step, whatever the order of the programmes
	}
}

// remoteWork raises the share of jobs at the listed skill levels that are
// remote-capable, in the target regions (where the jobs are located) or
// everywhere: strength × share of the jobs become remote-capable, on top of
// those that already are (remote_share_high of the high-skill jobs), and
// never more than all of them. The labour step gives a matched worker a
// remote-capable job with probability (remote_share_high + RemoteShare) ×
// the broadband coverage where the worker lives, + RemoteAnywhere: with
// requires_broadband = false (default true) the share goes to
// RemoteAnywhere, which needs no broadband. A remote worker keeps the job
// after moving beyond the accepted commute: anywhere when fully remote,
// within state.HybridCommute(commute_minutes, office_days_per_week) of the
// job when hybrid. A hybrid programme's share is also added to HybridShare
// or HybridAnywhere, so that the labour step marks the workers it hires
// population.Hybrid; the region's OfficeDays is the average of its hybrid
// programmes' office days weighted by the shares they add (summed over
// skill levels). Workers who are fully remote (at the start, or hired
// under a programme without office days) keep their job anywhere.
func remoteWork(s *state.State, sp *Spec, st float64) {
	base := [world.NumSkills]float64{world.SkillHigh: s.P.RemoteShareHigh}
	add := st * sp.Num("share")
	days := sp.Num("office_days_per_week")
	anywhere := sp.Has("requires_broadband") && !sp.Flag("requires_broadband")
	for _, r := range targets(s, sp) {
		rs := &s.Regions[r]
		before, added := 0.0, 0.0
		for k := range base {
			before += rs.HybridShare[k] + rs.HybridAnywhere[k]
		}
		for _, level := range sp.Strings("skill_levels") {
			k := skillIndex(level)
			room := math.Max(0, 1-base[k]-rs.RemoteShare[k]-rs.RemoteAnywhere[k])
			x := math.Min(room, add)
			if anywhere {
				rs.RemoteAnywhere[k] += x
				if days > 0 {
					rs.HybridAnywhere[k] += x
				}
			} else {
				rs.RemoteShare[k] += x
				if days > 0 {
					rs.HybridShare[k] += x
				}
			}
			added += x
		}
		if days > 0 && added > 0 {
			rs.OfficeDays = (rs.OfficeDays*before + days*added) / (before + added)
		}
	}
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

// MeanDwellingPrice is the average price of a dwelling sold in Norway in
// 2024, in NOK (Eiendom Norge's housing price statistics: about 4.5
// million); a region's price is this times its price index.
const MeanDwellingPrice = 4.5e6

// recruitment makes the target regions' vacancies more visible: Visibility
// = strength × visibility (two programmes combine as 1 − (1 − a)(1 − b)).
// Job matching weighs the region's vacancies by 1 + 2 × Visibility for
// seekers living elsewhere within reach (labour.visibility), and
// destination choice weighs the vacancies reachable from it by
// 1 + Visibility. A relocation_grant lowers the cost of settling there for
// working-age households (the early-career, family and established
// phases, whatever the motive of their move): it acts in destination
// choice, every year in force, as a price subsidy of strength × grant /
// (MeanDwellingPrice × the region's price index in force), at most
// MaxSubsidy, combined with other subsidies.
func recruitment(s *state.State, sp *Spec, st float64) {
	v := st * sp.Num("visibility")
	grant := st * sp.Num("relocation_grant")
	for _, r := range sp.Regions {
		rs := &s.Regions[r]
		rs.Visibility = combine(rs.Visibility, v)
		if grant > 0 {
			subsidise(rs, workingPhases, math.Min(MaxSubsidy, grant/(MeanDwellingPrice*rs.Price)))
		}
	}
}
