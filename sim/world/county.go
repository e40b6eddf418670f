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
// regions have neither a county nor a county_code. Regions that share a
// county code, or a county name in any case, are one county (as County
// selects them), also through each other: a county may give its code in
// one row and only its name in another. Its Code is the first code given,
// its Name the first name. This is the grouping of every table by county
// (settle compare's units, sweep's by=county, fit's same-county share), as
// County is the lookup of one.
func (w *World) Counties() []CountyGroup {
	n := w.N()
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := map[string]int{} // "c:"+code or "n:"+lower-case name → the first region with it
	for i := range w.Regions {
		r := &w.Regions[i]
		for _, key := range []string{"c:" + r.CountyCode, "n:" + strings.ToLower(r.County)} {
			if len(key) == 2 {
				continue // no code, or no name
			}
			if j, ok := first[key]; ok {
				parent[find(i)] = find(j)
			} else {
				first[key] = i
			}
		}
	}
	var out []CountyGroup
	at := map[int]int{} // root → index in out
	for i := range w.Regions {
		r := &w.Regions[i]
		if r.CountyCode == "" && r.County == "" {
			continue
		}
		root := find(i)
		j, ok := at[root]
		if !ok {
			j = len(out)
			at[root] = j
			out = append(out, CountyGroup{})
		}
		c := &out[j]
		if c.Code == "" {
			c.Code = r.CountyCode
		}
		if c.Name == "" {
			c.Name = r.County
		}
		c.Regions = append(c.Regions, i)
	}
	// By code; those without one after them, in the world's order.
	coded := make([]bool, len(out))
	for j := range out {
		coded[j] = out[j].Code != ""
		switch {
		case out[j].Code == "":
			out[j].Code = out[j].Name
		case out[j].Name == "":
			out[j].Name = out[j].Code
		}
	}
	order := make([]int, len(out))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := coded[order[a]], coded[order[b]]
		if ca && cb {
			return out[order[a]].Code < out[order[b]].Code
		}
		return ca && !cb
	})
	sorted := make([]CountyGroup, len(out))
	for j, k := range order {
		sorted[j] = out[k]
	}
	return sorted
}
