package intervention

import (
	"fmt"
	"math"
	"strconv"

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
// what the user meant, for settle validate and settle run: an entry that is
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
		switch sp.Kind {
		case "housing":
			per := sp.Num("dwellings_per_year")
			for _, r := range sp.Regions {
				reg := &w.Regions[r]
				stock := float64(reg.Population) / roughPersonsPerDwelling
				if per > 0.1*stock {
					out = append(out, fmt.Sprintf("%s builds %s dwellings a year in %s, which has about %s for its %s residents: %s of its stock each year",
						at, group(per), reg.Name, group(stock), group(float64(reg.Population)), pct(per/stock)))
				}
			}
		case "business_development":
			jobs := sp.Num("jobs")
			level := sp.Text("skill_level")
			k := skillIndex(level)
			for _, r := range sp.Regions {
				reg := &w.Regions[r]
				have := float64(reg.Population) * roughJobsPerResident * math.Max(reg.JobsPerWorker, 0.1)
				// Jobs are removed at one skill level, and stop at none
				// of it: compared with that level's rough share.
				if atLevel := roughSkillShare[k] * have; jobs < 0 && -jobs > 0.5*atLevel {
					out = append(out, fmt.Sprintf("%s removes %s %s-skill jobs in %s, which has about %s jobs in all, some %s of them at that level (the engine stops when none is left)",
						at, group(-jobs), level, reg.Name, group(have), group(atLevel)))
				}
			}
		}
	}
	return out
}

func pct(x float64) string { return strconv.FormatFloat(math.Round(100*x), 'f', -1, 64) + " %" }

// group writes a rounded count with thousands separators.
func group(x float64) string { return output.Group(int64(math.Round(x))) }
