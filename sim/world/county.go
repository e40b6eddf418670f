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

// CountyGroup is one county of a world and its regions.
type CountyGroup struct {
	// Code is the county's code, or its name when no region of it gives a
	// code; Name is its name, or its code when no region gives a name.
	Code, Name string
	Regions    []int // in the world's order
}

// Counties returns the world's counties in order of their codes, and
// those without a code after them in the world's order; none when its
// regions have neither a county nor a county_code.
// A county is its code: regions of one code are one county whatever
// names they give, and a region that gives only a name belongs to the
// county of that name's code when another region gives both. This is the
// grouping of every table and chart by county (settle compare, sweep's
// by=county), as County is the lookup of one.
func (w *World) Counties() []CountyGroup {
	codeOf := map[string]string{} // name → the code given with it first
	for i := range w.Regions {
		if r := &w.Regions[i]; r.County != "" && r.CountyCode != "" {
			if _, ok := codeOf[r.County]; !ok {
				codeOf[r.County] = r.CountyCode
			}
		}
	}
	var out []CountyGroup
	at := map[string]int{} // key → index in out
	for i := range w.Regions {
		r := &w.Regions[i]
		key := r.CountyCode
		if key == "" {
			key = codeOf[r.County]
		}
		if key == "" {
			key = r.County
		}
		if key == "" {
			continue
		}
		j, ok := at[key]
		if !ok {
			j = len(out)
			at[key] = j
			out = append(out, CountyGroup{Code: key})
		}
		if out[j].Name == "" && r.County != "" {
			out[j].Name = r.County
		}
		out[j].Regions = append(out[j].Regions, i)
	}
	for j := range out {
		if out[j].Name == "" {
			out[j].Name = out[j].Code
		}
	}
	// By code; those without one after them, in the world's order.
	coded := func(c CountyGroup) bool { return c.Code != c.Name || w.Regions[c.Regions[0]].CountyCode != "" }
	sort.SliceStable(out, func(a, b int) bool {
		ca, cb := coded(out[a]), coded(out[b])
		if ca && cb {
			return out[a].Code < out[b].Code
		}
		return ca && !cb
	})
	return out
}
