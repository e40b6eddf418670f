package intervention

import (
	"fmt"
	"math"
	"strconv"

	"github.com/settle-sim/settle/sim/world"
)

// Rough sizes of a region from its population, for the plausibility
// checks: the engine synthesises its own (sim/synth), these only say
// whether a number is of the region's order.
const (
	roughPersonsPerDwelling = 2.2 // about 2.2 persons a household in Norway
	roughJobsPerResident    = 0.5 // employed residents per resident
)

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
		at := fmt.Sprintf("%s (%s:%d)", sp.label(), sp.File, sp.Line)
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
			for _, r := range sp.Regions {
				reg := &w.Regions[r]
				have := float64(reg.Population) * roughJobsPerResident * math.Max(reg.JobsPerWorker, 0.1)
				if jobs < 0 && -jobs > 0.5*have {
					out = append(out, fmt.Sprintf("%s removes %s jobs in %s, which has about %s jobs in all (the engine stops when none of the skill level is left)",
						at, group(-jobs), reg.Name, group(have)))
				}
			}
		}
	}
	return out
}

func (s *Spec) label() string {
	if s.Name != "" && s.Name != s.Kind {
		return fmt.Sprintf("%s (%s)", s.Name, s.Kind)
	}
	return s.Kind
}

func pct(x float64) string { return strconv.FormatFloat(math.Round(100*x), 'f', -1, 64) + " %" }

// group writes a rounded count with thousands separators.
func group(x float64) string {
	n := int64(math.Round(x))
	s := strconv.FormatInt(max(n, -n), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if n < 0 {
		return "-" + s
	}
	return s
}
