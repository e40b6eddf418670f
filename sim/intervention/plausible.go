package intervention

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

// Rough sizes of a region from its population, for the plausibility
// checks: the engine synthesises its own (sim/synth), these only say
// whether a number is of the region's order.
const (
	roughPersonsPerDwelling = 2.2 // about 2.2 persons a household in Norway
	roughJobsPerResident    = 0.5 // employed residents per resident
)

// roughSkillShare is the rough share of jobs at each skill level (low,
// medium, high: by the education of the employed, about a fifth basic, two
// fifths upper secondary and two fifths higher education in Norway; fewer
// high in the periphery).
var roughSkillShare = [world.NumSkills]float64{0.2, 0.4, 0.4}

// Implausible returns warnings about entries that are valid but probably not
// what the user meant, for settle validate, run and compare: an entry that is
// phased in over more years than it is in force, a housing programme that
// adds far more than a target's stock each year, more jobs removed than a
// target has. None stops a run. Each names the entry
// (file:line) and what it implies.
func Implausible(specs []Spec, w *world.World) []string {
	var out []string
	for i := range specs {
		sp := &specs[i]
		at := fmt.Sprintf("%s (%s:%d)", sp.Label(), sp.File, sp.Line)
		if sp.PhaseInYears > 1 && sp.ToYear != 0 {
			if inForce := sp.ToYear - sp.FromYear + 1; inForce < sp.PhaseInYears {
				out = append(out, fmt.Sprintf("%s is phased in over %d years but in force for %d (%d–%d): it reaches %s of its strength",
					at, sp.PhaseInYears, inForce, sp.FromYear, sp.ToYear, pct(float64(inForce)/float64(sp.PhaseInYears))))
			}
		}
		// A housing programme builds in its first `years` years only,
		// at the strength the phase-in has reached by then.
		if sp.Kind == "housing" && sp.PhaseInYears > 1 && sp.Has("years") && int(sp.Num("years")) < sp.PhaseInYears {
			y := int(sp.Num("years"))
			out = append(out, fmt.Sprintf("%s is phased in over %d years but builds for %d (years = %d): its last year of building reaches %s of dwellings_per_year",
				at, sp.PhaseInYears, y, y, pct(float64(y)/float64(sp.PhaseInYears))))
		}
		// minutes_saved beyond the trips it shortens: cut to MinMinutes,
		// which a user did not see (Bodø–Røst, 500 minutes saved; or a few
		// of the pairs of a link's five targets, 30 → 5 minutes).
		if sp.Kind == "region_enlargement" && sp.Has("minutes_saved") && len(sp.Regions) > 1 {
			saved := sp.Num("minutes_saved")
			longest, a, b := longestTrip(w, sp.Regions)
			cut, pairs, ca, cb := 0, 0, 0, 0
			for _, i := range sp.Regions {
				for _, j := range sp.Regions {
					if i == j {
						continue
					}
					t := w.TravelMinutes(i, j)
					pairs++
					if float64(t)-saved < MinMinutes && t > MinMinutes {
						if cut == 0 || t > w.TravelMinutes(ca, cb) {
							ca, cb = i, j
						}
						cut++
					}
				}
			}
			switch {
			case saved >= float64(longest)-MinMinutes:
				out = append(out, fmt.Sprintf("%s saves %g minutes, the longest trip between its targets (%s to %s, %.0f minutes) less %d or more: every trip between them is cut to %d minutes, the shortest region_enlargement leaves; give the minutes the link saves, travel_time_factor, or the new travel time as minutes",
					at, saved, regionLabel(w, a), regionLabel(w, b), longest, MinMinutes, MinMinutes))
			case cut > 0:
				out = append(out, fmt.Sprintf("%s saves %g minutes, which would leave %d of the %d trips between its targets under %d minutes (%s to %s takes %.0f): they are cut to %d minutes, the shortest region_enlargement leaves; if the link does not serve those trips, list fewer targets, or give the new travel time as minutes",
					at, saved, cut, pairs, MinMinutes, regionLabel(w, ca), regionLabel(w, cb), w.TravelMinutes(ca, cb), MinMinutes))
			}
		}
		// minutes that shortens no trip between the targets.
		if sp.Kind == "region_enlargement" && sp.Has("minutes") && len(sp.Regions) > 1 {
			to := sp.Num("minutes")
			if longest, a, b := longestTrip(w, sp.Regions); float64(longest) <= to {
				out = append(out, fmt.Sprintf("%s sets trips between its targets to %g minutes, but none takes longer now (the longest, %s to %s, takes %.0f): it changes nothing; give the travel time over the new link",
					at, to, regionLabel(w, a), regionLabel(w, b), longest))
			}
		}
		// remote_work's targets are where the jobs are: aimed at peripheral
		// regions it lets people elsewhere hold their jobs, which a policy
		// user read the other way round (the targets lost employed
		// residents, and gained in-commuters who were remote workers).
		if sp.Kind == "remote_work" && len(sp.Regions) > 0 && peripheral(w, sp.Regions) {
			out = append(out, fmt.Sprintf("%s makes the jobs located in its %d target regions (centrality classes 4–6) remote-capable: people elsewhere can then hold them, and it gives the targets' residents no remote access to jobs elsewhere; to let residents of peripheral regions work remotely for jobs elsewhere, leave the targets out (a national programme) or target the regions where the jobs are, with broadband in the peripheral ones (docs/interventions.md, remote_work)",
				at, len(sp.Regions)))
		}
		// Per region: what it implies, one line a region for a few, one
		// line with the largest few for many (a class of 108 regions gave
		// 117 lines).
		var hits []hit
		var what, why string
		switch sp.Kind {
		case "housing":
			per := sp.Num("dwellings_per_year")
			what = fmt.Sprintf("builds %s dwellings a year", group(per))
			why = "more than a tenth of the dwellings there each year"
			for _, r := range sp.Regions {
				reg := &w.Regions[r]
				stock := float64(reg.Population) / roughPersonsPerDwelling
				if per > 0.1*stock {
					hits = append(hits, hit{r, per / stock, fmt.Sprintf("%s residents and so roughly %s dwellings (an estimate at %g persons a dwelling; the run's start has its own): %s of them each year",
						group(float64(reg.Population)), group(stock), roughPersonsPerDwelling, pct(per/stock))})
				}
			}
		case "business_development":
			jobs := sp.Num("jobs")
			level := sp.Text("skill_level")
			k := skillIndex(level)
			what = fmt.Sprintf("removes %s %s-skill jobs", group(-jobs), level)
			why = "more than half of the jobs at that level there (they stop at none)"
			for _, r := range sp.Regions {
				reg := &w.Regions[r]
				have := float64(reg.Population) * roughJobsPerResident * math.Max(reg.JobsPerWorker, 0.1)
				// Jobs are removed at one skill level, and stop at none
				// of it: compared with that level's rough share.
				if atLevel := roughSkillShare[k] * have; jobs < 0 && -jobs > 0.5*atLevel {
					hits = append(hits, hit{r, -jobs / atLevel, fmt.Sprintf("roughly %s jobs in all and %s at that level (an estimate from its %s residents; the run's start has its own)", group(have), group(atLevel), group(float64(reg.Population)))})
				}
			}
		}
		switch {
		case len(hits) == 0:
		case len(hits) <= maxListed:
			for _, h := range hits {
				out = append(out, fmt.Sprintf("%s %s in %s, which has %s", at, what, regionLabel(w, h.region), h.text))
			}
		default:
			slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.ratio, a.ratio) })
			var most []string
			for _, h := range hits[:maxListed] {
				most = append(most, regionLabel(w, h.region))
			}
			out = append(out, fmt.Sprintf("%s %s in each target, %s in %d of its %d: most in %s, and %d more",
				at, what, why, len(hits), len(sp.Regions), strings.Join(most, ", "), len(hits)-maxListed))
		}
	}
	return out
}

// peripheral reports whether every region of rs is in centrality class 4
// to 6 (a world without classes has none).
func peripheral(w *world.World, rs []int) bool {
	for _, r := range rs {
		if c := w.Regions[r].Centrality; c < 4 {
			return false
		}
	}
	return true
}

// hit is a target region an entry's warning names.
type hit struct {
	region int
	ratio  float64 // how far beyond the region's size, to list the most first
	text   string
}

// maxListed is the most regions an entry's warnings name one by one.
const maxListed = 3

func pct(x float64) string { return strconv.FormatFloat(math.Round(100*x), 'f', -1, 64) + " %" }

// group writes a rounded count with thousands separators.
func group(x float64) string { return output.Group(int64(math.Round(x))) }

// longestTrip is the longest travel time between two of the regions, and
// the pair (from a to b).
func longestTrip(w *world.World, regions []int) (longest float32, a, b int) {
	for _, i := range regions {
		for _, j := range regions {
			if t := w.TravelMinutes(i, j); i != j && t > longest {
				longest, a, b = t, i, j
			}
		}
	}
	return longest, a, b
}
