package world

import (
	"reflect"
	"strings"
	"testing"
)

// TestLookupSuggestions: a did-you-mean only where the name is near (a
// former municipality such as Tysfjord got Balsfjord, and Ballangen
// Salangen), and a town that is a municipality's administrative centre
// gets that municipality (Mosjøen got Modalen).
func TestLookupSuggestions(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	for _, c := range []struct{ in, want string }{
		{"Brønøy", `did you mean "Brønnøy" (1813, Nordland)?`},
		{"Bregen", `did you mean "Bergen" (4601, Vestland)?`}, // two letters swapped
		{"Christiansand", `did you mean "Kristiansand" (4204, Agder)?`},
		{"Lillehamer", `did you mean "Lillehammer" (3405, Innlandet)?`},
		{"Kautokeio", `did you mean "Kautokeino" (5612, Finnmark)?`},
		{"Tysfjord", `unknown region "Tysfjord" in world norway-2024; give a region code or name from the world's regions file (norway-2024 has the municipalities of 1 January 2024`},
		{"Ballangen", "; give a region code or name"},
		{"Snillfjord", "; give a region code or name"},
		{"Nedre Eiker", "; give a region code or name"},
		{"Songdalen", "; give a region code or name"},
		{"Kvalsund", "; give a region code or name"},
		{"Mosjøen", `unknown region "Mosjøen" in world norway-2024; Mosjøen is the administrative centre of Vefsn: give "Vefsn" (1824)`},
		{"mosjoen", `Mosjøen is the administrative centre of Vefsn: give "Vefsn" (1824)`},
		{"Kirkenes", `Kirkenes is the administrative centre of Sør-Varanger: give "Sør-Varanger" (5605)`},
		{"Leknes", `Leknes is the administrative centre of Vestvågøy and of Leka: give "Vestvågøy" (1860) or "Leka" (5052)`},
		{"Fosnavåg", `Fosnavåg is the administrative centre of Herøy: give "1515" (Herøy, Møre og Romsdal)`},
		// A county where a region goes: selected as a county.
		{"finnmark", `unknown region "finnmark" in world norway-2024; Finnmark is a county (18 regions), not a region: select its regions as a county (county = "Finnmark" in a scenario, instead of regions; county=Finnmark in a sweep metric; --county "Finnmark" in settle explain)`},
		{"Møre og Romsdal", `Møre og Romsdal is a county (`},
	} {
		_, err := w.Lookup(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Lookup(%q) error = %v\nwant it to contain %q", c.in, err, c.want)
		}
		if err != nil && strings.Contains(c.want, "give a region code") && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("Lookup(%q) suggests a region: %v", c.in, err)
		}
	}
	for in, code := range map[string]string{"Vaaga": "3435", "bo": "1867", "Brønnøy": "1813"} {
		if i, err := w.Lookup(in); err != nil || w.Regions[i].Code != code {
			t.Errorf("Lookup(%q) = %d, %v; want %s", in, i, err, code)
		}
	}
}

// TestSuggestPlaceTypos measures the suggestions on every misspelling of
// every municipality's name by one dropped letter or two swapped ones:
// they must name the municipality meant at least 95 % of the time and
// another one at most 3 % (the distance rule of params.Suggest, which
// suggested Balsfjord for Tysfjord, was right 93 % and wrong 6.6 %).
func TestSuggestPlaceTypos(t *testing.T) {
	if testing.Short() {
		t.Skip("4,000 look-ups")
	}
	w := mustLoad(t, "norway-2024")
	var cands []string
	owner := map[string]int{}
	for i := range w.Regions {
		r := &w.Regions[i]
		for _, c := range append([]string{r.Code, r.Name}, nameParts(r.Name)...) {
			if _, ok := owner[c]; !ok {
				owner[c] = i
				cands = append(cands, c)
			}
		}
	}
	known := map[string]bool{}
	for _, c := range cands {
		known[fold(c)] = true
	}
	n, right, wrong := 0, 0, 0
	for i := range w.Regions {
		name := []rune(w.Regions[i].Name)
		if len(nameParts(string(name))) > 0 {
			continue
		}
		var typos []string
		for k := range name {
			typos = append(typos, string(name[:k])+string(name[k+1:]))
			if k+1 < len(name) {
				s := append([]rune(nil), name...)
				s[k], s[k+1] = s[k+1], s[k]
				typos = append(typos, string(s))
			}
		}
		for _, s := range typos {
			if known[fold(s)] || fold(s) == "" { // still a name
				continue
			}
			n++
			switch got := SuggestPlace(s, cands); {
			case got == "":
			case strings.EqualFold(w.Regions[owner[got]].Name, string(name)): // Herøy is Herøy
				right++
			default:
				wrong++
			}
		}
	}
	t.Logf("%d misspellings: %d suggestions right, %d wrong", n, right, wrong)
	if n < 4000 || float64(right) < 0.95*float64(n) || float64(wrong) > 0.03*float64(n) {
		t.Errorf("%d misspellings: %d suggestions right (want ≥ 95 %%), %d wrong (want ≤ 3 %%)", n, right, wrong)
	}
}

func TestAllowedEdits(t *testing.T) {
	for _, c := range []struct {
		n         int
		sameFirst bool
		want      int
	}{
		{2, true, 1}, {3, false, 0}, {5, true, 1}, {5, false, 1}, {7, true, 1},
		{8, true, 2}, {9, false, 1}, {11, true, 2}, {12, true, 3}, {13, false, 2},
	} {
		if got := allowedEdits(c.n, c.sameFirst); got != c.want {
			t.Errorf("allowedEdits(%d, %v) = %d, want %d", c.n, c.sameFirst, got, c.want)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{{"bergen", "bregen", 1}, {"tysfjord", "balsfjord", 3}, {"ballangen", "salangen", 2}, {"", "abc", 3}, {"ab", "ba", 1}} {
		if got := editDistance([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestFormerCounty: the counties merged in 2018 and 2020 and split in
// 2024, in the worlds that have the counties they became.
func TestFormerCounty(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	for _, c := range []struct {
		in, former string
		year       int
		successors []string
	}{
		{"Hedmark", "Hedmark", 2020, []string{"Innlandet"}},
		{"oppland", "Oppland", 2020, []string{"Innlandet"}},
		{"Hordaland", "Hordaland", 2020, []string{"Vestland"}},
		{"Sogn og Fjordane", "Sogn og Fjordane", 2020, []string{"Vestland"}},
		{"Aust-Agder", "Aust-Agder", 2020, []string{"Agder"}},
		{"Vest Agder", "Vest-Agder", 2020, []string{"Agder"}},
		{"Nord-Trøndelag", "Nord-Trøndelag", 2018, []string{"Trøndelag"}},
		{"sor-trondelag", "Sør-Trøndelag", 2018, []string{"Trøndelag"}},
		{"Viken", "Viken", 2024, []string{"Østfold", "Akershus", "Buskerud"}},
		{"Vestfold og Telemark", "Vestfold og Telemark", 2024, []string{"Vestfold", "Telemark"}},
		{"Vestfold-Telemark", "Vestfold og Telemark", 2024, []string{"Vestfold", "Telemark"}},
		{"Troms og Finnmark", "Troms og Finnmark", 2024, []string{"Troms", "Finnmark"}},
	} {
		got, ok := w.FormerCounty(c.in)
		if !ok || got.Former != c.former || got.Year != c.year || !reflect.DeepEqual(got.Successors, c.successors) {
			t.Errorf("FormerCounty(%q) = %+v, %v", c.in, got, ok)
		}
	}
	for _, in := range []string{"Innlandet", "Telemark", "Hedmarken", ""} {
		if got, ok := w.FormerCounty(in); ok {
			t.Errorf("FormerCounty(%q) = %+v", in, got)
		}
	}
	// The teaching world has no Innlandet: Hedmark means nothing there.
	if got, ok := mustLoad(t, "teaching").FormerCounty("Hedmark"); ok {
		t.Errorf("teaching: FormerCounty(Hedmark) = %+v", got)
	}
	for in, want := range map[string]string{
		"Hedmark": "Hedmark was merged with Oppland into Innlandet in 2020",
		"Oppland": "Oppland was merged with Hedmark into Innlandet in 2020 (Jevnaker and Lunner went to Viken, and are in Akershus since 2024)",
		"Viken":   "Viken was split into Østfold, Akershus and Buskerud in 2024",
	} {
		if c, _ := w.FormerCounty(in); c.String() != want {
			t.Errorf("%s: %q, want %q", in, c.String(), want)
		}
	}
	// Jevnaker and Lunner: the note is true of the data.
	for _, name := range []string{"Jevnaker", "Lunner"} {
		if r := &w.Regions[mustLookup(t, w, name)]; r.County != "Akershus" {
			t.Errorf("%s is in %s", name, r.County)
		}
	}
}
