package world

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

func mustLoad(t testing.TB, name string) *World {
	t.Helper()
	w, err := Load(name, "")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustLookup(t testing.TB, w *World, s string) int {
	t.Helper()
	i, err := w.Lookup(s)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestNorway(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	if w.N() != 357 {
		t.Errorf("regions = %d, want 357", w.N())
	}
	if got := w.Population(); got != 5550203 {
		t.Errorf("population = %d, want 5,550,203 (SSB 07459, 1 Jan 2024)", got)
	}
	if w.StartYear != 2024 {
		t.Errorf("start year = %d, want 2024", w.StartYear)
	}
	oslo := &w.Regions[mustLookup(t, w, "0301")]
	if oslo.Name != "Oslo" || oslo.Centrality != 1 || oslo.CentralityIndex != 1000 {
		t.Errorf("Oslo = %s class %d index %g, want Oslo class 1 index 1000", oslo.Name, oslo.Centrality, oslo.CentralityIndex)
	}
	if oslo.StudyPlaces != 60000 {
		t.Errorf("Oslo study places = %d, want 60000 (campuses.csv)", oslo.StudyPlaces)
	}
	places := 0
	for i := range w.Regions {
		r := &w.Regions[i]
		if r.Index != i {
			t.Fatalf("region %s has Index %d at position %d", r.Code, r.Index, i)
		}
		if r.Centrality < 1 || r.Centrality > 6 || r.CentralityIndex < 0 || r.CentralityIndex > 1000 {
			t.Errorf("%s: centrality %d / %g out of range", r.Name, r.Centrality, r.CentralityIndex)
		}
		places += r.StudyPlaces
	}
	if places < 250000 || places > 260000 {
		t.Errorf("study places = %d, want ≈ 256,000 (campuses.csv)", places)
	}
	// Leading zeros are kept.
	if w.Regions[0].Code != "0301" {
		t.Errorf("first code = %q, want 0301", w.Regions[0].Code)
	}
	if len(w.Sources) == 0 {
		t.Error("no sources recorded")
	}
}

func TestTravelTimes(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	n := w.N()
	if len(w.Minutes) != n*n {
		t.Fatalf("matrix has %d cells, want %d", len(w.Minutes), n*n)
	}
	for i := 0; i < n; i++ {
		if d := w.TravelMinutes(i, i); d < MinInternalMinutes || d > 120 {
			t.Errorf("%s: internal time %g min out of [%d, 120]", w.Regions[i].Name, d, MinInternalMinutes)
		}
		for j := 0; j < n; j++ {
			if w.TravelMinutes(i, j) != w.TravelMinutes(j, i) {
				t.Fatalf("matrix not symmetric at %s–%s", w.Regions[i].Name, w.Regions[j].Name)
			}
			if i != j && w.TravelMinutes(i, j) <= AccessMinutes {
				t.Fatalf("%s–%s: %g min, want more than the access time", w.Regions[i].Name, w.Regions[j].Name, w.TravelMinutes(i, j))
			}
		}
	}
	// Oslo–Bergen: 299 km between the centroids; by this formula about 6 h
	// (the road takes 6 h 40 min; the estimate is deliberately simple).
	ob := w.TravelMinutes(mustLookup(t, w, "Oslo"), mustLookup(t, w, "Bergen")) / 60
	if ob < 5.5 || ob > 8 {
		t.Errorf("Oslo–Bergen = %.2f h, want 5.5–8 h", ob)
	}
	// Neighbours: Oslo–Bærum a short commute.
	if ob := w.TravelMinutes(mustLookup(t, w, "Oslo"), mustLookup(t, w, "Bærum")); ob < 10 || ob > 40 {
		t.Errorf("Oslo–Bærum = %g min, want 10–40", ob)
	}
}

func TestGreatCircle(t *testing.T) {
	// One degree of latitude is 111.2 km on the mean sphere.
	if d := GreatCircleKm(60, 10, 61, 10); math.Abs(d-111.19) > 0.05 {
		t.Errorf("1° of latitude = %g km, want 111.19", d)
	}
	if d := GreatCircleKm(59.9, 10.7, 59.9, 10.7); d != 0 {
		t.Errorf("distance to itself = %g", d)
	}
	if got, want := EstimateMinutes(70/DetourFactor), float64(AccessMinutes+60); math.Abs(got-want) > 1e-9 {
		t.Errorf("EstimateMinutes = %g, want %g", got, want)
	}
	if InternalMinutes(0) != MinInternalMinutes {
		t.Errorf("InternalMinutes(0) = %g, want the minimum", InternalMinutes(0))
	}
}

func TestReach(t *testing.T) {
	w := mustLoad(t, "teaching")
	reach := w.Reach(45)
	if len(reach) != w.N() {
		t.Fatalf("len = %d", len(reach))
	}
	for i, r := range reach {
		if !slices.Contains(r, int32(i)) {
			t.Errorf("%s: does not reach itself", w.Regions[i].Name)
		}
		if !slices.IsSorted(r) {
			t.Errorf("%s: not sorted: %v", w.Regions[i].Name, r)
		}
		for j := range w.N() {
			want := j == i || w.TravelMinutes(i, j) <= 45
			if slices.Contains(r, int32(j)) != want {
				t.Errorf("%s → %s (%g min): in reach = %v, want %v", w.Regions[i].Name, w.Regions[j].Name, w.TravelMinutes(i, j), !want, want)
			}
		}
	}
	// Reach(0) is just the region itself.
	for i, r := range w.Reach(0) {
		if len(r) != 1 || r[0] != int32(i) {
			t.Errorf("Reach(0)[%d] = %v", i, r)
		}
	}
	city := mustLookup(t, w, "Storhavn")
	if p := w.ReachablePopulation(45)[city]; p < 270000 {
		t.Errorf("population within 45 min of Storhavn = %g, want the city and its suburbs (> 270,000)", p)
	}
	near := w.Nearest(city, 2)
	if len(near) != 2 || w.Regions[near[0]].Name != "Lindvik" && w.Regions[near[0]].Name != "Åsen" {
		t.Errorf("nearest to Storhavn = %v, want its suburbs", near)
	}
}

func TestTeaching(t *testing.T) {
	w := mustLoad(t, "teaching")
	if w.N() < 12 || w.N() > 14 {
		t.Errorf("regions = %d, want 12–14", w.N())
	}
	if p := w.Population(); p < 380000 || p > 420000 {
		t.Errorf("population = %d, want ≈ 400,000", p)
	}
	classes := map[int]bool{}
	for _, r := range w.Regions {
		classes[r.Centrality] = true
	}
	if len(classes) != 6 {
		t.Errorf("centrality classes present = %v, want all of 1–6", classes)
	}
	city := &w.Regions[mustLookup(t, w, "Storhavn")]
	if city.Centrality != 1 || city.StudyPlaces == 0 || city.Population < 150000 {
		t.Errorf("Storhavn: class %d, %d study places, %d residents; want a class-1 university city", city.Centrality, city.StudyPlaces, city.Population)
	}
	island, quay := mustLookup(t, w, "Holmøy"), mustLookup(t, w, "Sjøvik")
	if a, b := w.TravelMinutes(island, quay), w.TravelMinutes(quay, island); a != 75 || b != 75 {
		t.Errorf("Holmøy–Sjøvik = %g / %g min, want 75 both ways (travel.csv)", a, b)
	}
	// The ferry: 75 minutes to Sjøvik against a road estimate of about 50,
	// and 65 minutes plus the road time from Sjøvik to anywhere else
	// (travel.csv documents this).
	ri, rq := &w.Regions[island], &w.Regions[quay]
	if est := EstimateMinutes(GreatCircleKm(ri.Lat, ri.Lon, rq.Lat, rq.Lon)); est > 60 {
		t.Errorf("Holmøy–Sjøvik road estimate %g min; want the ferry (75) to be the slower way", est)
	}
	for j := range w.N() {
		if j == island || j == quay {
			continue
		}
		want := 65 + w.TravelMinutes(quay, j)
		if got := w.TravelMinutes(island, j); math.Abs(float64(got-want)) > 0.5 {
			t.Errorf("Holmøy → %s = %g min, want 65 + Sjøvik → %s = %g", w.Regions[j].Name, got, w.Regions[j].Name, want)
		}
	}
	for i := 0; i < w.N(); i++ {
		for j := 0; j < w.N(); j++ {
			if w.TravelMinutes(i, j) != w.TravelMinutes(j, i) {
				t.Errorf("teaching matrix not symmetric at %d,%d", i, j)
			}
		}
	}
}

func TestEmbedded(t *testing.T) {
	infos := Embedded()
	if len(infos) != 2 || infos[0].Name != "norway-2024" || infos[1].Name != "teaching" {
		t.Fatalf("Embedded() = %+v", infos)
	}
	if infos[0].Regions != 357 || infos[0].Population != 5550203 {
		t.Errorf("norway info = %+v", infos[0])
	}
	for _, in := range infos {
		if in.Description == "" {
			t.Errorf("%s has no description", in.Name)
		}
	}
}

func TestNorwayGeoJSON(t *testing.T) {
	var fc struct {
		Type     string
		Features []struct {
			Properties struct {
				Kommunenummer string `json:"kommunenummer"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(NorwayGeoJSON(), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 357 {
		t.Fatalf("type %q with %d features, want a FeatureCollection of 357", fc.Type, len(fc.Features))
	}
	w := mustLoad(t, "norway-2024")
	for _, f := range fc.Features {
		if _, err := w.Lookup(f.Properties.Kommunenummer); err != nil {
			t.Errorf("geojson feature: %v", err)
		}
	}
}

func TestLookup(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	for _, c := range []struct{ in, code string }{
		{"0301", "0301"},
		{"Oslo", "0301"},
		{"  oslo ", "0301"},
		{"Tromsø", "5501"},
		{"Tromso", "5501"},
		{"Tromsoe", "5501"}, // the keyboard spellings of ø and å
		{"Aas", "3218"},
		{"baerum", "3201"},
		{"Kautokeino", "5612"},
		{"Trondheim", "5001"},
		{"Trondheim - Tråante", "5001"},
		{"ÅS", "3218"},
	} {
		i, err := w.Lookup(c.in)
		if err != nil {
			t.Errorf("Lookup(%q): %v", c.in, err)
			continue
		}
		if w.Regions[i].Code != c.code {
			t.Errorf("Lookup(%q) = %s %s, want %s", c.in, w.Regions[i].Code, w.Regions[i].Name, c.code)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"Osloo", `unknown region "Osloo" in world norway-2024; did you mean "Oslo" (0301)?`},
		{"Bergn", `did you mean "Bergen" (4601, Vestland)?`},
		{"03010", `did you mean "0301" (Oslo)?`}, // a code suggested with its name
		{"Lillehamer", `did you mean "Lillehammer" (3405, Innlandet)?`},
		{"Herøy", `region name "Herøy" is shared by several regions in world norway-2024: 1515 (Herøy, Møre og Romsdal) or 1818 (Herøy, Nordland); use the code`},
		{"Xyzzyqwerty", `unknown region "Xyzzyqwerty" in world norway-2024; give a region code or name`},
		{"", "empty region name"},
	} {
		_, err := w.Lookup(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Lookup(%q) error = %v, want it to contain %q", c.in, err, c.want)
		}
	}
	tw := mustLoad(t, "teaching")
	if i := mustLookup(t, tw, "ovre dal"); tw.Regions[i].Code != "T11" {
		t.Errorf("ovre dal = %s", tw.Regions[i].Code)
	}
	if i := mustLookup(t, tw, "t14"); tw.Regions[i].Name != "Holmøy" {
		t.Errorf("t14 = %s", tw.Regions[i].Name)
	}
}

func TestSynthesis(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	var pop, price, edu, jobs, ageShift float64
	byClass := [7]struct{ pop, age, price, edu, vacancy float64 }{}
	for _, r := range w.Regions {
		p := float64(r.Population)
		pop += p
		price += p * r.PriceIndex
		edu += p * r.EducationBias
		jobs += p * r.JobsPerWorker
		ageShift += p * r.AgeShift
		c := &byClass[r.Centrality]
		c.pop += p
		c.age += p * r.AgeShift
		c.price += p * r.PriceIndex
		c.edu += p * r.EducationBias
		c.vacancy += p * (r.DwellingsPerHH - 1)
		a := r.Amenities
		for _, v := range []float64{a.Broadband, a.Services, a.Culture, a.Nature, a.Centre} {
			if v < 0 || v > 1 || math.IsNaN(v) {
				t.Errorf("%s: amenities %+v outside [0, 1]", r.Name, a)
			}
		}
		if a.Broadband < 0.85 || a.Broadband > 0.99 {
			t.Errorf("%s: broadband %g outside [0.85, 0.99]", r.Name, a.Broadband)
		}
		if r.DwellingsPerHH < 1.04-1e-9 || r.DwellingsPerHH > 1.10+1e-9 {
			t.Errorf("%s: dwellings per household %g outside [1.04, 1.10]", r.Name, r.DwellingsPerHH)
		}
		if r.JobsPerWorker <= 0 || r.PriceIndex <= 0 || r.EducationBias <= 0 {
			t.Errorf("%s: non-positive synthesised value %+v", r.Name, r)
		}
	}
	for name, v := range map[string]float64{"price index": price / pop, "education bias": edu / pop, "jobs per worker": jobs / pop} {
		if math.Abs(v-1) > 1e-9 {
			t.Errorf("population-weighted mean %s = %g, want 1", name, v)
		}
	}
	if math.Abs(ageShift/pop) > 1e-9 {
		t.Errorf("population-weighted mean age shift = %g, want 0", ageShift/pop)
	}
	for c := 2; c <= 6; c++ {
		lo, hi := &byClass[c-1], &byClass[c]
		if hi.age/hi.pop <= lo.age/lo.pop || hi.price/hi.pop >= lo.price/lo.pop ||
			hi.edu/hi.pop >= lo.edu/lo.pop || hi.vacancy/hi.pop <= lo.vacancy/lo.pop {
			t.Errorf("class %d vs %d: want older, cheaper, less educated and more vacant with each class", c, c-1)
		}
	}
	oslo := &w.Regions[mustLookup(t, w, "Oslo")]
	if oslo.PriceIndex < 2 || oslo.PriceIndex > 2.8 {
		t.Errorf("Oslo price index %g, want ≈ 2.4", oslo.PriceIndex)
	}
	if oslo.EducationBias < 1.35 || oslo.EducationBias > 1.65 {
		t.Errorf("Oslo education bias %g, want ≈ 1.5", oslo.EducationBias)
	}
	if oslo.JobsPerWorker < 1.15 || oslo.JobsPerWorker > 1.45 {
		t.Errorf("Oslo jobs per worker %g, want ≈ 1.3 (in-commuting)", oslo.JobsPerWorker)
	}
	if s := w.Regions[mustLookup(t, w, "Nittedal")].JobsPerWorker; s > 0.8 {
		t.Errorf("Nittedal (an Oslo suburb) jobs per worker %g, want < 0.8", s)
	}
	if e6 := byClass[6].edu / byClass[6].pop; e6 < 0.5 || e6 > 0.8 {
		t.Errorf("class-6 education bias %g, want ≈ 0.65", e6)
	}
	if p6 := byClass[6].price / byClass[6].pop; p6 < 0.35 || p6 > 0.55 {
		t.Errorf("class-6 price index %g, want ≈ 0.45", p6)
	}
	if s := w.CommuterShare(); s < 0.28 || s > 0.36 {
		t.Errorf("commuter share %g, want about a third (SSB)", s)
	}
	// The synthesis is deterministic.
	w2 := mustLoad(t, "norway-2024")
	if !slices.Equal(w.Minutes, w2.Minutes) || !slices.EqualFunc(w.Regions, w2.Regions, func(a, b Region) bool { return a == b }) {
		t.Error("two loads differ")
	}
}

// The centrality derived from reachable population agrees with SSB's
// classes for Norway well enough to stand in for them in user worlds.
func TestDerivedCentrality(t *testing.T) {
	w := mustLoad(t, "norway-2024")
	p60 := w.ReachablePopulation(centralityReachMinutes)
	same, within1 := 0, 0
	for i, r := range w.Regions {
		c := CentralityClass(CentralityIndexFromReach(p60[i]))
		if c == r.Centrality {
			same++
		}
		if c-r.Centrality <= 1 && r.Centrality-c <= 1 {
			within1++
		}
	}
	if same < 180 || within1 < 340 {
		t.Errorf("derived class equals SSB's for %d and is within one class for %d of 357; want ≥ 180 and ≥ 340", same, within1)
	}
	for _, c := range []struct {
		idx  float64
		want int
	}{{1000, 1}, {940, 1}, {939, 2}, {870, 2}, {775, 3}, {774, 4}, {670, 4}, {567, 5}, {566, 6}, {0, 6}} {
		if got := CentralityClass(c.idx); got != c.want {
			t.Errorf("CentralityClass(%g) = %d, want %d", c.idx, got, c.want)
		}
	}
}

func BenchmarkLoadNorway(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("norway-2024", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func TestClone(t *testing.T) {
	w := mustLoad(t, "teaching")
	c := w.Clone()
	c.Minutes[1] = 1
	c.Regions[0].Name = "Changed"
	c.Sources[0] = "changed"
	if w.Minutes[1] == 1 || w.Regions[0].Name == "Changed" || w.Sources[0] == "changed" {
		t.Error("Clone shares memory with the original")
	}
}
