package world

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCounty: a county by name (any case) or code; an unknown one is a
// CountyError with what became of a former county, or the nearest name.
func TestCounty(t *testing.T) {
	w, err := Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Nordland", "nordland", "18"} {
		rs, got, err := w.County(name)
		if err != nil || got != "Nordland" || len(rs) != 41 {
			t.Errorf("County(%q) = %d regions, %q, %v; want Nordland's 41", name, len(rs), got, err)
		}
	}
	// Diacritics may be left out, as in region names.
	for _, name := range []string{"Trondelag", "More og Romsdal", "ostfold"} {
		if _, got, err := w.County(name); err != nil || fold(got) != fold(name) {
			t.Errorf("County(%q) = %q, %v", name, got, err)
		}
	}
	for name, want := range map[string]string{
		"Hedmark": `unknown county "Hedmark" in world norway-2024; Hedmark was merged with Oppland into Innlandet in 2020: give Innlandet (all of it: it includes the former Oppland)`,
		"Nordlnd": `did you mean "Nordland"?`,
		"Xyzzy":   "use a county name or code: 03, 11,",
	} {
		_, _, err := w.County(name)
		var ce *CountyError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
			t.Errorf("County(%q): %v, want a CountyError containing %q", name, err, want)
		}
	}
}

// TestCounties: the grouping by county of every table: by code or name in
// any case, a region that gives only a name joining its name's code, those without a code
// after the coded ones in the world's order; Norway's 15 counties.
func TestCounties(t *testing.T) {
	w := &World{Name: "t", Regions: []Region{
		{Code: "1", County: "Vest", CountyCode: "46"},
		{Code: "2", County: "Nord"},                       // no code: after the coded
		{Code: "3", County: "Vest"},                       // Vest's code from region 1
		{Code: "4", CountyCode: "03"},                     // a code alone: named by it
		{Code: "5", County: "Aust"},                       // no code, after Nord (world order)
		{Code: "6", County: "Vestland", CountyCode: "46"}, // one code, one county: the first name
		{Code: "7"},                 // no county
		{Code: "8", County: "VEST"}, // a name in another case: Vest
	}}
	var got []string
	for _, c := range w.Counties() {
		got = append(got, fmt.Sprintf("%s/%s%v", c.Code, c.Name, c.Regions))
	}
	if want := "03/03[3] 46/Vest[0 2 5 7] Nord/Nord[1] Aust/Aust[4]"; strings.Join(got, " ") != want {
		t.Errorf("Counties: %s, want %s", strings.Join(got, " "), want)
	}
	if cs := (&World{Regions: []Region{{Code: "1"}}}).Counties(); len(cs) != 0 {
		t.Errorf("a world without counties: %v", cs)
	}
	nw, err := Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	cs := nw.Counties()
	n := 0
	for _, c := range cs {
		n += len(c.Regions)
	}
	if len(cs) != 15 || cs[0].Code != "03" || cs[0].Name != "Oslo" || n != nw.N() {
		t.Errorf("Norway: %d counties, first %+v, %d of %d regions", len(cs), cs[0], n, nw.N())
	}
}
