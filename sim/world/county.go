package world

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// CountyError is a county name or code that no region of a world has, with
// what may have been meant.
type CountyError struct {
	World, Name string
	// Former is what became of Name when it is a former Norwegian county
	// (Hedmark: merged into Innlandet), when Known.
	Former CountyChange
	Known  bool
	// Suggestion is the nearest county name or code, or "".
	Suggestion string
	// Counties are the world's county names and codes, sorted; none when
	// its regions have no county.
	Counties []string
}

func (e *CountyError) Error() string {
	if len(e.Counties) == 0 {
		return fmt.Sprintf("the world %s has no counties (its regions file has no county column)", e.World)
	}
	msg := fmt.Sprintf("unknown county %q in world %s; ", e.Name, e.World)
	switch {
	case e.Known:
		msg += e.Former.String() + ": give " + strings.Join(e.Former.Successors, " or ")
		if len(e.Former.MergedWith) > 0 {
			msg += fmt.Sprintf(" (all of it: it includes the former %s)", strings.Join(e.Former.MergedWith, " and "))
		}
		return msg
	case e.Suggestion != "":
		return msg + fmt.Sprintf("did you mean %q?", e.Suggestion)
	}
	return msg + "use a county name or code: " + strings.Join(e.Counties, ", ")
}

// County returns the regions of the county named name (its name in any
// case, or its code), in the world's order, and the county's name. An
// unknown county is a *CountyError. Cost O(n).
func (w *World) County(name string) ([]int, string, error) {
	s := norm.NFC.String(strings.TrimSpace(name))
	// Exact (any case) or by code; then ignoring diacritics, as region
	// names are ("Trondelag" is Trøndelag).
	for _, match := range []func(r *Region) bool{
		func(r *Region) bool {
			return (r.County != "" && strings.EqualFold(r.County, s)) || (r.CountyCode != "" && r.CountyCode == s)
		},
		func(r *Region) bool { return r.County != "" && fold(r.County) == fold(s) },
	} {
		var out []int
		county := ""
		for i := range w.Regions {
			r := &w.Regions[i]
			if match(r) {
				out = append(out, i)
				county = r.County
				if county == "" {
					county = r.CountyCode
				}
			}
		}
		if len(out) > 0 {
			return out, county, nil
		}
	}
	e := &CountyError{World: w.Name, Name: name}
	seen := map[string]bool{}
	for i := range w.Regions {
		for _, x := range []string{w.Regions[i].County, w.Regions[i].CountyCode} {
			if x != "" && !seen[x] {
				seen[x] = true
				e.Counties = append(e.Counties, x)
			}
		}
	}
	if len(e.Counties) == 0 {
		return nil, "", e
	}
	e.Former, e.Known = w.FormerCounty(name)
	if !e.Known {
		e.Suggestion = SuggestPlace(name, e.Counties)
	}
	sort.Strings(e.Counties)
	return nil, "", e
}
