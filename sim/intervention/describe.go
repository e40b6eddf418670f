package intervention

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/world"
)

// Description is an intervention entry in words, for settle validate and
// the comparison report: what was assumed, with units.
type Description struct {
	Label   string   // "Starter homes (housing)", or the kind alone
	Years   string   // "from 2026", "2026–2030", "…, phased in over 3 years"
	Targets string   // "national (all 357 regions)" or "2 regions: Vega (1815), Bindal (1811)"
	Params  []string // "dwellings_per_year = 10 dwellings/year", sorted by key
}

// Label names the entry: "Starter homes (housing)", or its kind when it
// has no name of its own.
func (s *Spec) Label() string {
	if s.Name != "" && s.Name != s.Kind {
		return fmt.Sprintf("%s (%s)", s.Name, s.Kind)
	}
	return s.Kind
}

// Describe describes the entry against w, naming at most maxTargets target
// regions before "… and N more".
func (s *Spec) Describe(w *world.World, maxTargets int) Description {
	d := Description{Label: s.Label()}
	d.Years = fmt.Sprintf("from %d", s.FromYear)
	if s.ToYear != 0 {
		d.Years = fmt.Sprintf("%d–%d", s.FromYear, s.ToYear)
	}
	if s.PhaseInYears > 0 {
		d.Years += fmt.Sprintf(", phased in over %d years", s.PhaseInYears)
	}
	if len(s.Regions) == 0 {
		d.Targets = fmt.Sprintf("national (all %d regions)", w.N())
	} else {
		var names []string
		for k, r := range s.Regions {
			if k == maxTargets {
				names = append(names, fmt.Sprintf("… and %d more", len(s.Regions)-maxTargets))
				break
			}
			names = append(names, regionLabel(w, r))
		}
		plural := "s"
		if len(s.Regions) == 1 {
			plural = ""
		}
		d.Targets = fmt.Sprintf("%d region%s: %s", len(s.Regions), plural, strings.Join(names, ", "))
	}
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	kind := Kinds[s.Kind]
	for _, k := range keys {
		v := s.Params[k]
		var text string
		switch {
		case v.IsBool:
			text = strconv.FormatBool(v.Bool)
		case v.IsNum:
			text = strconv.FormatFloat(v.Num, 'g', -1, 64)
		case v.IsList:
			text = "[" + strings.Join(v.List, ", ") + "]"
		default:
			text = strconv.Quote(v.Str)
		}
		if kind != nil {
			for _, ps := range kind.Params {
				if ps.Key == k && ps.Unit != "" {
					text += " [" + ps.Unit + "]"
				}
			}
		}
		d.Params = append(d.Params, k+" = "+text)
	}
	return d
}

// regionLabel names region r with its code and county: "Bø (1867,
// Nordland)". The county too: a name like Bø or Sande is a municipality of
// one county, and may have been meant in another.
func regionLabel(w *world.World, r int) string {
	reg := &w.Regions[r]
	if reg.County != "" {
		return fmt.Sprintf("%s (%s, %s)", reg.Name, reg.Code, reg.County)
	}
	return fmt.Sprintf("%s (%s)", reg.Name, reg.Code)
}
