package output

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

func testWorld() *world.World {
	return &world.World{
		Name:      "test",
		StartYear: 2024,
		Regions: []world.Region{
			{Index: 0, Code: "0301", Name: "Oslo", Centrality: 1},
			{Index: 1, Code: "4601", Name: "Bergen", Centrality: 1},
			{Index: 2, Code: "1508", Name: "Ålesund, by", Centrality: 3},
			{Index: 3, Code: "5444", Name: `Sør-"Varanger"`, Centrality: 6},
			{Index: 4, Code: "9999", Name: "Nowhere"},
		},
	}
}

// fakeRecords simulates a sampled population crudely but with an exact
// accounting identity in sampled counts.
func fakeRecords(w *world.World, years int, scale float64, seed uint64) []*record.Year {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := w.N()
	pop := make([]int64, n)
	for i := range pop {
		pop[i] = int64(float64(1000+rng.IntN(5000)) * scale)
	}
	var out []*record.Year
	for y := 0; y <= years; y++ {
		rec := &record.Year{Year: w.StartYear + y, Regions: make([]record.Region, n), Structure: make([]record.Structure, n), Living: make([]record.Living, n), Weight: 1 / scale}
		for s := range 2 {
			rec.Population[s] = make([]int64, world.MaxAge+1)
			rec.Moves[s] = make([]int64, world.MaxAge+1)
		}
		if y > 0 {
			for i := range n {
				r := &rec.Regions[i]
				r.Births = int64(rng.IntN(int(pop[i]/50 + 1)))
				r.Deaths = int64(rng.IntN(int(pop[i]/60 + 1)))
				r.Immigrants = int64(rng.IntN(int(pop[i]/80 + 1)))
				r.Emigrants = int64(rng.IntN(int(pop[i]/120 + 1)))
				for k := range record.NumGrewUpAges {
					r.GrewUp[k] = int64(rng.IntN(int(pop[i]/70 + 1)))
					r.LivingThere[k] = int64(rng.IntN(int(r.GrewUp[k] + 1)))
				}
			}
			for i := range n {
				for j := range n {
					if i == j || rng.IntN(3) == 0 {
						continue
					}
					m := int64(rng.IntN(int(pop[i]/100 + 2)))
					if m == 0 {
						continue
					}
					rec.Regions[i].OutDomestic += m
					rec.Regions[j].InDomestic += m
					rec.Flows = append(rec.Flows, record.Flow{
						FlowKey: record.FlowKey{Origin: uint16(i), Destination: uint16(j), AgeGroup: uint8(rng.IntN(record.NumAgeGroups)), Motive: uint8(rng.IntN(record.NumMotives))},
						Moves:   m,
					})
					a := 18 + rng.IntN(15)
					rec.Moves[rng.IntN(2)][a] += m
				}
			}
		}
		for i := range n {
			r := &rec.Regions[i]
			pop[i] += r.Births - r.Deaths + r.InDomestic - r.OutDomestic + r.Immigrants - r.Emigrants
			r.Population = pop[i]
			r.Age0to19 = pop[i] / 4
			r.Employed = pop[i] / 2
			r.Dwellings = pop[i] / 2
			r.Households = pop[i]*2/5 + int64(i)
			if i == 0 {
				r.Households = pop[i] * 3 / 5 // more households than dwellings
			}
			r.VacantDwellings = max(0, r.Dwellings-r.Households)
			r.Crowded = max(0, r.Households-r.Dwellings)
			r.PriceIndex = 0.5 + float64(i)/7
			r.StudyPlaces = float64(100*i) * scale
			r.StudyPlaceStudents = int64(50*i) + int64(y)
			// The residents spread over the cells of the structure, the
			// rest in the last.
			left := pop[i]
			for ag := range record.NumAgeGroups {
				for sex := range 2 {
					for e := range record.NumEducation {
						v := min(left, pop[i]/int64(2*record.NumAgeGroups*record.NumEducation+1)*int64(1+e))
						rec.Structure[i][sex][ag][e] = v
						left -= v
					}
				}
			}
			rec.Structure[i][1][record.NumAgeGroups-1][record.NumEducation-1] += left
			for sex := range 2 {
				for ag := range record.NumLivingAges {
					for k := range record.NumLiving {
						rec.Living[i][sex][ag][k] = int64(rng.IntN(int(pop[i]/100 + 1)))
					}
				}
			}
			for a := range world.MaxAge + 1 {
				rec.Population[a%2][a] += pop[i] / (world.MaxAge + 1)
			}
		}
		out = append(out, rec)
	}
	return out
}

func writeRun(t testing.TB, dir string, w *world.World, recs []*record.Year, stop error) *Run {
	t.Helper()
	r, err := Create(dir, w, Manifest{ScenarioName: "test", Years: len(recs) - 1, StartYear: recs[0].Year, CommandLine: []string{"settle", "run", "x y.toml"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range recs {
		if err := r.Write(y); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(stop); err != nil {
		t.Fatal(err)
	}
	return r
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// CheckIdentity checks the accounting identity of a regions.csv for every
// region and year, and that net_migration is its components' sum.
func checkIdentity(t testing.TB, path string) (rows int) {
	t.Helper()
	table := readCSV(t, path)
	if !slices.Equal(table[0], RegionsHeader) {
		t.Fatalf("header %v", table[0])
	}
	col := map[string]int{}
	for i, h := range table[0] {
		col[h] = i
	}
	num := func(row []string, name string) int64 {
		v, err := strconv.ParseInt(row[col[name]], 10, 64)
		if err != nil {
			t.Fatalf("%s: %s: %v", path, name, err)
		}
		return v
	}
	last := map[string]int64{}
	lastYear := map[string]int64{}
	for _, row := range table[1:] {
		code, year := row[col["code"]], num(row, "year")
		flow := num(row, "births") - num(row, "deaths") + num(row, "in_domestic") - num(row, "out_domestic") + num(row, "immigrants") - num(row, "emigrants")
		if net := num(row, "in_domestic") - num(row, "out_domestic") + num(row, "immigrants") - num(row, "emigrants"); net != num(row, "net_migration") {
			t.Errorf("%s %d: net_migration %d, components give %d", code, year, num(row, "net_migration"), net)
		}
		if p, ok := last[code]; ok {
			if lastYear[code] != year-1 {
				t.Errorf("%s: year %d follows %d", code, year, lastYear[code])
			}
			if got := p + flow; got != num(row, "population") {
				t.Errorf("%s %d: population %d, but %d + components = %d", code, year, num(row, "population"), p, got)
			}
		} else if flow != 0 {
			t.Errorf("%s %d: the start row has flows", code, year)
		}
		last[code], lastYear[code] = num(row, "population"), year
		rows++
	}
	return rows
}

func TestIdentity(t *testing.T) {
	w := testWorld()
	for _, scale := range []float64{1, 0.3, 0.07} {
		t.Run(strconv.FormatFloat(scale, 'g', -1, 64), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			recs := fakeRecords(w, 12, scale, 7)
			writeRun(t, dir, w, recs, nil)
			if n := checkIdentity(t, filepath.Join(dir, RegionsFile)); n != 13*w.N() {
				t.Errorf("%d rows, want %d", n, 13*w.N())
			}
			if scale == 1 {
				// Exact integers: the file's population is the record's.
				table := readCSV(t, filepath.Join(dir, RegionsFile))
				last := table[len(table)-1]
				if want := strconv.FormatInt(recs[12].Regions[w.N()-1].Population, 10); last[3] != want {
					t.Errorf("population %s, want %s", last[3], want)
				}
			}
		})
	}
}

func TestFiles(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 3, 0.5, 1)
	dir := filepath.Join(t.TempDir(), "a", "b")
	r := writeRun(t, dir, w, recs, nil)
	if r.YearsCompleted() != 3 {
		t.Errorf("YearsCompleted = %d", r.YearsCompleted())
	}

	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{FlowsFile, GrewUpFile, HousingFile, LivingFile, ManifestFile, AgesFile, PopulationFile, RegionsFile, StudyFile}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}

	flows := readCSV(t, filepath.Join(dir, FlowsFile))
	if !slices.Equal(flows[0], FlowsHeader) {
		t.Errorf("flows header %v", flows[0])
	}
	nflows := 0
	for _, y := range recs {
		nflows += len(y.Flows)
	}
	if len(flows)-1 != nflows {
		t.Errorf("%d flow rows, want %d", len(flows)-1, nflows)
	}
	f0 := recs[1].Flows[0]
	want := []string{"2025", w.Regions[f0.Origin].Code, w.Regions[f0.Destination].Code,
		record.AgeGroupNames[f0.AgeGroup], record.MotiveNames[f0.Motive], strconv.FormatInt(2*f0.Moves, 10)}
	if !slices.Equal(flows[1], want) {
		t.Errorf("first flow %v, want %v", flows[1], want)
	}

	ages := readCSV(t, filepath.Join(dir, AgesFile))
	if !slices.Equal(ages[0], AgesHeader) {
		t.Errorf("ages header %v", ages[0])
	}
	if n := len(ages) - 1; n != 4*2*(world.MaxAge+1) {
		t.Errorf("%d age rows", n)
	}
	for _, row := range ages[1 : 1+2*(world.MaxAge+1)] {
		if row[0] != "2024" || row[4] != "0" {
			t.Errorf("start year row %v: want zero moves", row)
		}
	}
	if got := ages[1][:3]; !slices.Equal(got, []string{"2024", "0", "f"}) {
		t.Errorf("first age row %v", got)
	}
	if got := ages[2][:3]; !slices.Equal(got, []string{"2024", "0", "m"}) {
		t.Errorf("second age row %v", got)
	}

	// grew_up.csv: a row per year, region and age, scaled like the others.
	grew := readCSV(t, filepath.Join(dir, GrewUpFile))
	if !slices.Equal(grew[0], GrewUpHeader) {
		t.Errorf("grew_up header %v", grew[0])
	}
	if n := len(grew) - 1; n != 4*w.N()*record.NumGrewUpAges {
		t.Errorf("%d grew_up rows, want %d", n, 4*w.N()*record.NumGrewUpAges)
	}
	g := recs[2].Regions[1]
	row := grew[1+(2*w.N()+1)*record.NumGrewUpAges+1] // 2026, the second region, the second age
	want = []string{"2026", w.Regions[1].Code, w.Regions[1].Name, strconv.Itoa(record.GrewUpAges[1]),
		strconv.FormatInt(2*g.GrewUp[1], 10), strconv.FormatInt(2*g.LivingThere[1], 10)}
	if !slices.Equal(row, want) {
		t.Errorf("grew_up row %v, want %v", row, want)
	}

	// population.csv: a row per year, region, age group, sex and
	// education level, scaled; a region's rows add up to its residents.
	popRows := readCSV(t, filepath.Join(dir, PopulationFile))
	if !slices.Equal(popRows[0], PopulationHeader) {
		t.Errorf("population header %v", popRows[0])
	}
	const cells = 2 * record.NumAgeGroups * record.NumEducation
	if n := len(popRows) - 1; n != 4*w.N()*cells {
		t.Errorf("%d population rows, want %d", n, 4*w.N()*cells)
	}
	st := &recs[2].Structure[1]
	base := 1 + (2*w.N()+1)*cells // 2026, the second region
	var sum int64
	for k, row := range popRows[base : base+cells] {
		ag, sex, e := k/(2*record.NumEducation), k/record.NumEducation%2, k%record.NumEducation
		want := []string{"2026", w.Regions[1].Code, w.Regions[1].Name, record.AgeGroupNames[ag], sexNames[sex],
			record.EducationNames[e], strconv.FormatInt(2*st[sex][ag][e], 10)}
		if !slices.Equal(row, want) {
			t.Errorf("population row %v, want %v", row, want)
		}
		v, _ := strconv.ParseInt(row[6], 10, 64)
		sum += v
	}
	if sum != 2*recs[2].Regions[1].Population {
		t.Errorf("the 2026 population rows of %s add up to %d, want %d", w.Regions[1].Name, sum, 2*recs[2].Regions[1].Population)
	}

	// living_arrangements.csv: a row per year, region, age group, sex
	// and living arrangement, scaled.
	livRows := readCSV(t, filepath.Join(dir, LivingFile))
	if !slices.Equal(livRows[0], LivingHeader) {
		t.Errorf("living arrangements header %v", livRows[0])
	}
	const livCells = 2 * record.NumLivingAges * record.NumLiving
	if n := len(livRows) - 1; n != 4*w.N()*livCells {
		t.Errorf("%d living arrangement rows, want %d", n, 4*w.N()*livCells)
	}
	lv := &recs[2].Living[1]
	base = 1 + (2*w.N()+1)*livCells // 2026, the second region
	for k, row := range livRows[base : base+livCells] {
		ag, sex, x := k/(2*record.NumLiving), k/record.NumLiving%2, k%record.NumLiving
		want := []string{"2026", w.Regions[1].Code, w.Regions[1].Name, record.LivingAgeNames[ag], sexNames[sex],
			record.LivingNames[x], strconv.FormatInt(2*lv[sex][ag][x], 10)}
		if !slices.Equal(row, want) {
			t.Errorf("living arrangements row %v, want %v", row, want)
		}
	}

	// housing.csv: a row per year and region, scaled.
	housing := readCSV(t, filepath.Join(dir, HousingFile))
	if !slices.Equal(housing[0], HousingHeader) {
		t.Errorf("housing header %v", housing[0])
	}
	if n := len(housing) - 1; n != 4*w.N() {
		t.Errorf("%d housing rows, want %d", n, 4*w.N())
	}
	h := recs[3].Regions[2]
	want = []string{"2027", w.Regions[2].Code, w.Regions[2].Name, strconv.FormatInt(2*h.Households, 10),
		strconv.FormatInt(2*h.Dwellings, 10), strconv.FormatInt(2*h.VacantDwellings, 10), "0"}
	if row := housing[1+3*w.N()+2]; !slices.Equal(row, want) {
		t.Errorf("housing row %v, want %v", row, want)
	}
	// In every row dwellings − households = vacant − without, one of the
	// two zero, and households beyond the stock show (region 0 has more
	// households than dwellings in the fake records).
	crowded := 0
	for _, row := range housing[1:] {
		var v [4]int64
		for k := range v {
			v[k], _ = strconv.ParseInt(row[3+k], 10, 64)
		}
		if v[1]-v[0] != v[2]-v[3] || v[2] != 0 && v[3] != 0 {
			t.Errorf("housing row %v: dwellings − households ≠ vacant − without", row)
		}
		if v[3] > 0 {
			crowded++
		}
	}
	if crowded == 0 {
		t.Error("no housing row has households beyond the dwellings")
	}

	// study.csv: a row per year and region, the places and the students
	// studying there scaled back to the real population.
	study := readCSV(t, filepath.Join(dir, StudyFile))
	if !slices.Equal(study[0], StudyHeader) {
		t.Errorf("study header %v", study[0])
	}
	if n := len(study) - 1; n != 4*w.N() {
		t.Errorf("%d study rows, want %d", n, 4*w.N())
	}
	sp := recs[3].Regions[2]
	want = []string{"2027", w.Regions[2].Code, w.Regions[2].Name, "200", strconv.FormatInt(2*sp.StudyPlaceStudents, 10)}
	if row := study[1+3*w.N()+2]; !slices.Equal(row, want) {
		t.Errorf("study row %v, want %v", row, want)
	}

	// Names with a comma or quotes survive a CSV round trip; price index has 4 decimals.
	regions := readCSV(t, filepath.Join(dir, RegionsFile))
	if regions[3][2] != "Ålesund, by" || regions[4][2] != `Sør-"Varanger"` {
		t.Errorf("names %q %q", regions[3][2], regions[4][2])
	}
	if got := regions[2][len(regions[2])-1]; got != "0.6429" {
		t.Errorf("price_index %s, want 0.6429", got)
	}

	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Complete || m.YearsCompleted != 3 || m.LastYear != 2027 || m.Stopped != "" || m.EndTime.Before(m.StartTime) {
		t.Errorf("manifest %+v", m)
	}
	// The scenario's path is relative to the folder the run was made in.
	if wd, _ := os.Getwd(); m.WorkingDir != wd || !filepath.IsAbs(m.WorkingDir) {
		t.Errorf("manifest working_dir %q, want %q", m.WorkingDir, wd)
	}
}

func TestDeterministic(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 5, 0.25, 3)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	writeRun(t, a, w, recs, nil)
	writeRun(t, b, w, recs, nil)
	for _, name := range TableFiles {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s differs between identical runs", name)
		}
	}
}

func TestIncomplete(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 10, 1, 5)
	dir := filepath.Join(t.TempDir(), "run")
	r, err := Create(dir, w, Manifest{ScenarioName: "test", Years: 10, StartYear: 2024, ScenarioFile: "s.toml", WorkingDir: "/home/a b/work", CommandLine: []string{"settle", "run", "s.toml", "--out", "my dir"}})
	if err != nil {
		t.Fatal(err)
	}
	// While running, the folder says it is incomplete and nothing has a
	// final name; the INCOMPLETE file does not claim that no year was
	// written (it stays if the run dies, after any number of years).
	if b, err := os.ReadFile(filepath.Join(dir, IncompleteFile)); err != nil {
		t.Error("no INCOMPLETE while running")
	} else if s := string(b); !strings.Contains(s, "still running, or it stopped without finishing") || strings.Contains(s, "No year was written") || !strings.Contains(s, "settle run s.toml --out 'my dir'") {
		t.Errorf("INCOMPLETE while running:\n%s", s)
	}
	if m, err := ReadManifest(dir); err != nil || m.Complete {
		t.Errorf("manifest while running: %+v, %v", m, err)
	}
	if _, err := os.Stat(filepath.Join(dir, RegionsFile)); err == nil {
		t.Error("regions.csv has its final name before Close")
	}
	for _, y := range recs[:3] {
		if err := r.Write(y); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(errors.New("interrupted")); err != nil {
		t.Fatal(err)
	}
	checkIdentity(t, filepath.Join(dir, RegionsFile))
	if rows := readCSV(t, filepath.Join(dir, RegionsFile)); len(rows) != 1+3*w.N() || rows[len(rows)-1][0] != "2026" {
		t.Errorf("%d rows, last year %s", len(rows), rows[len(rows)-1][0])
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Complete || m.YearsCompleted != 2 || m.Stopped != "interrupted" || m.LastYear != 2026 {
		t.Errorf("manifest %+v", m)
	}
	b, err := os.ReadFile(filepath.Join(dir, IncompleteFile))
	if err != nil {
		t.Fatal(err)
	}
	// The command from the folder it ran in (its paths are relative to
	// it), and every table named.
	for _, want := range []string{"interrupted", "2 of 10 years", "up to 2026", "cd '/home/a b/work' && settle run s.toml --out 'my dir'", StudyFile} {
		if !strings.Contains(string(b), want) {
			t.Errorf("INCOMPLETE lacks %q:\n%s", want, b)
		}
	}
	assertNoTmp(t, dir)
}

func assertNoTmp(t testing.TB, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), tmpSuffix) {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

// A write error keeps the whole years written before it and nothing of the
// year being written.
func TestWriteError(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 4, 1, 5)
	dir := filepath.Join(t.TempDir(), "run")
	r, err := Create(dir, w, Manifest{Years: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range recs[:2] {
		if err := r.Write(y); err != nil {
			t.Fatal(err)
		}
	}
	// Make the next flush of flows.csv fail, then let Close recover it.
	f := r.flowsCSV.f
	ro, err := os.Open(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	r.flowsCSV.f = ro
	r.flowsCSV.w.Reset(ro)
	if err := r.Write(recs[2]); err == nil {
		t.Fatal("no error from a failing write")
	}
	ro.Close()
	r.flowsCSV.f = f
	if err := r.Close(nil); err == nil {
		t.Error("Close reports no error after a failed write")
	}
	for _, name := range TableFiles {
		rows := readCSV(t, filepath.Join(dir, name))
		if last := rows[len(rows)-1][0]; last != "2025" {
			t.Errorf("%s ends with year %s, want 2025", name, last)
		}
	}
	checkIdentity(t, filepath.Join(dir, RegionsFile))
	if m, _ := ReadManifest(dir); m == nil || m.Complete {
		t.Errorf("manifest %+v", m)
	}
	if _, err := os.Stat(filepath.Join(dir, IncompleteFile)); err != nil {
		t.Error("no INCOMPLETE after a write error")
	}
	assertNoTmp(t, dir)
}

// TestNoOverwriteUnfinished: a run that did not finish (its INCOMPLETE
// marker left) is refused as such.
func TestNoOverwriteUnfinished(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{IncompleteFile, ManifestFile, RegionsFile} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := "refusing to overwrite the earlier run in " + dir + ", which did not finish; choose another --out or delete it"
	if err := CheckDir(dir); !errors.Is(err, ErrNotEmpty) || err.Error() != want {
		t.Errorf("CheckDir = %v, want %q", err, want)
	}
}

func TestNoOverwrite(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 1, 1, 5)
	dir := filepath.Join(t.TempDir(), "run")
	writeRun(t, dir, w, recs, nil)
	before, _ := os.ReadFile(filepath.Join(dir, RegionsFile))
	for _, d := range []string{dir, filepath.Dir(dir)} {
		want := "refusing to overwrite the earlier run in " + d + "; choose another --out or delete it"
		if d != dir { // it holds a run's folder, not a run
			want = d + " is not empty (run/); choose a new folder or an empty one"
		}
		if err := CheckDir(d); !errors.Is(err, ErrNotEmpty) || err.Error() != want {
			t.Errorf("CheckDir(%s) = %v", d, err)
		}
		if _, err := Create(d, w, Manifest{}); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("Create(%s) = %v", d, err)
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, RegionsFile))
	if !bytes.Equal(before, after) {
		t.Error("the earlier run changed")
	}
	file := filepath.Join(dir, RegionsFile)
	if err := CheckDir(file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("CheckDir(file) = %v", err)
	}
	empty := t.TempDir()
	if err := CheckDir(empty); err != nil {
		t.Errorf("CheckDir(empty) = %v", err)
	}
	if _, err := Create(empty, w, Manifest{}); err != nil {
		t.Errorf("Create(empty) = %v", err)
	}
}

func TestNewRunDir(t *testing.T) {
	base := t.TempDir()
	start := time.Date(2025, 3, 4, 5, 6, 7, 0, time.Local)
	var dirs []string
	for range 3 {
		d, err := NewRunDir(base, "my scenario/ø", 42, start)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	parent := filepath.Join(base, "my-scenario-ø")
	want := []string{
		filepath.Join(parent, "20250304-050607-s42"),
		filepath.Join(parent, "20250304-050607-s42-2"),
		filepath.Join(parent, "20250304-050607-s42-3"),
	}
	if !slices.Equal(dirs, want) {
		t.Errorf("dirs %v, want %v", dirs, want)
	}
	for _, c := range []struct{ in, want string }{{"", "unnamed"}, {"..", "unnamed"}, {"baseline", "baseline"}, {"a b", "a-b"}} {
		if got := SafeName(c.in); got != c.want {
			t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 4, 1, 9)
	dir := filepath.Join(t.TempDir(), "run")
	r := writeRun(t, dir, w, recs, nil)
	s := r.Summary()
	if s.FirstYear != 2024 || s.LastYear != 2028 || s.Years != 4 || s.Dir != dir {
		t.Errorf("summary %+v", s)
	}
	var classes []int
	var start, end int64
	for _, c := range s.Classes {
		classes = append(classes, c.Class)
		start += c.Start
		end += c.End
	}
	if !slices.Equal(classes, []int{1, 3, 6, 0}) {
		t.Errorf("classes %v", classes)
	}
	var wantStart, wantEnd int64
	for i := range w.Regions {
		wantStart += recs[0].Regions[i].Population
		wantEnd += recs[4].Regions[i].Population
	}
	if start != wantStart || end != wantEnd {
		t.Errorf("classes sum to %d → %d, want %d → %d", start, end, wantStart, wantEnd)
	}
	if len(s.Gainers) != 2 || len(s.Losers) != 2 || s.Gainers[0].Change() < s.Gainers[1].Change() || s.Losers[0].Change() > s.Losers[1].Change() {
		t.Errorf("gainers %v losers %v", s.Gainers, s.Losers)
	}
	if s.PeakAge < 18 || s.PeakAge > 32 || !(s.MovesPer1000 > 0) {
		t.Errorf("peak age %.1f, moves per 1000 %g", s.PeakAge, s.MovesPer1000)
	}
	// The country's components are those of the records, and add up to
	// the change.
	var births, deaths, imm, emi, firstNet, lastNet int64
	for k, rec := range recs[1:] {
		var net int64
		for i := range rec.Regions {
			x := &rec.Regions[i]
			births, deaths, imm, emi = births+x.Births, deaths+x.Deaths, imm+x.Immigrants, emi+x.Emigrants
			net += x.Immigrants - x.Emigrants
		}
		if k == 0 {
			firstNet = net
		}
		lastNet = net
	}
	if s.Births != births || s.Deaths != deaths || s.Immigrants != imm || s.Emigrants != emi || s.FirstNet != firstNet || s.LastNet != lastNet {
		t.Errorf("components %d %d %d %d, net %d … %d; want %d %d %d %d, net %d … %d", s.Births, s.Deaths, s.Immigrants, s.Emigrants,
			s.FirstNet, s.LastNet, births, deaths, imm, emi, firstNet, lastNet)
	}
	var b strings.Builder
	s.Projection = "SSB 2024, main alternative (MMM)"
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	components := fmt.Sprintf("Over 2024–2027: births %s, deaths %s, immigrants %s, emigrants %s",
		Group(births), Group(deaths), Group(imm), Group(emi))
	for _, want := range []string{"class", "Largest gainers", "Largest losers", "per 1000", "Peak migration age", dir,
		components, "National rates: SSB 2024, main alternative (MMM)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, b.String())
		}
	}
	t.Logf("\n%s", b.String())
}

// TestSummaryNetDomesticSumsToZero: the country's net domestic migration
// is 0. Rounding each region's scaled in and out moves apart gave the
// summary's "all" row −12 at scale 0.03; the classes are rounded once each.
func TestSummaryNetDomesticSumsToZero(t *testing.T) {
	w := testWorld()
	for _, scale := range []float64{1, 0.3, 0.03} {
		recs := fakeRecords(w, 6, scale, 3)
		r := writeRun(t, filepath.Join(t.TempDir(), "run"), w, recs, nil)
		s := r.Summary()
		var b strings.Builder
		if err := s.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		all := regexp.MustCompile(`(?m)^\s*all\s.*$`).FindString(b.String())
		if f := strings.Fields(all); len(f) < 6 || f[len(f)-1] != "0" {
			t.Errorf("scale %g: the all row %q, want net domestic 0:\n%s", scale, all, b.String())
		}
		// Where 1/scale is not whole, regions.csv's sums differ by rounding
		// units (a user found its classes 2 off and its country −2): the
		// summary says so, and only then.
		note := strings.Contains(b.String(), "regions.csv rounds each region's, so its sums may differ by a few persons")
		if whole := 1/scale == math.Trunc(1/scale); note == whole {
			t.Errorf("scale %g: rounding note %v, want %v:\n%s", scale, note, !whole, b.String())
		}
	}
}

func TestGroup(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {-5550203, "-5,550,203"}, {123456, "123,456"}} {
		if got := Group(c.n); got != c.want {
			t.Errorf("Group(%d) = %s, want %s", c.n, got, c.want)
		}
	}
}

// BenchmarkWriteFlows writes a year of 200,000 flows (about the size of a
// full-scale Norwegian year).
func BenchmarkWriteFlows(b *testing.B) {
	w := &world.World{StartYear: 2024}
	for i := range 357 {
		w.Regions = append(w.Regions, world.Region{Index: i, Code: strconv.Itoa(1000 + i), Name: "R" + strconv.Itoa(i)})
	}
	rec := &record.Year{Year: 2024, Regions: make([]record.Region, 357), Structure: make([]record.Structure, 357), Living: make([]record.Living, 357), Weight: 1}
	// 200,000 flows in the engine's order: by origin, destination, age
	// group and motive.
	for i := range 200_000 {
		rec.Flows = append(rec.Flows, record.Flow{FlowKey: record.FlowKey{Origin: uint16(i / 588), Destination: uint16(i / 42 % 14 * 25), AgeGroup: uint8(i / 6 % 7), Motive: uint8(i % 6)}, Moves: int64(i%13 + 1)})
	}
	r, err := Create(filepath.Join(b.TempDir(), "run"), w, Manifest{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec.Year = 2024 + i
		if err := r.Write(rec); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	r.Close(nil)
}

// TestSummarySmallRegions: in a sample, regions of fewer than MinListed
// simulated persons at the start are left out of the gainers and losers,
// and the text says how many.
func TestSummarySmallRegions(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 4, 0.05, 9) // 50–300 simulated persons a region
	small := 0
	for i := range w.Regions {
		if recs[0].Regions[i].Population < MinListed {
			small++
		}
	}
	if small == 0 || small == w.N() {
		t.Fatalf("%d of %d regions small: the test needs some of each", small, w.N())
	}
	s := writeRun(t, filepath.Join(t.TempDir(), "run"), w, recs, nil).Summary()
	if s.LeftOut != small {
		t.Errorf("%d regions left out, want %d", s.LeftOut, small)
	}
	for _, r := range append(slices.Clone(s.Gainers), s.Losers...) {
		if math.Round(float64(r.Start)/recs[0].Weight) < MinListed {
			t.Errorf("%s (%d residents, %.0f simulated) is listed", r.Name, r.Start, float64(r.Start)/recs[0].Weight)
		}
	}
	var b strings.Builder
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("(%d regions of fewer than %d simulated persons at the start left out", small, MinListed); !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}
	// At scale 1 every region is listed.
	if s := writeRun(t, filepath.Join(t.TempDir(), "run"), w, fakeRecords(w, 4, 1, 9), nil).Summary(); s.LeftOut != 0 {
		t.Errorf("scale 1: %d regions left out", s.LeftOut)
	}
}

// Where every region grew, the losers' list is titled as what it is.
func TestSummaryTitlesWhenNoneShrank(t *testing.T) {
	for _, c := range []struct {
		changes         [][2]int64 // start, end
		gainers, losers string
	}{
		{[][2]int64{{100, 110}, {100, 90}, {100, 101}, {100, 95}}, "Largest gainers", "Largest losers"},
		{[][2]int64{{100, 110}, {100, 101}, {100, 103}, {100, 120}}, "Largest gainers", "Smallest growth (no region shrank)"},
		{[][2]int64{{100, 90}, {100, 99}, {100, 97}, {100, 80}}, "Smallest losses (no region grew)", "Largest losers"},
		// One region grew, one shrank: each list holds its own (the
		// shrinking one was listed among the gainers, −0.6 %).
		{[][2]int64{{100, 110}, {100, 99}, {100, 100}, {100, 100}}, "Largest gainers", "Largest losers"},
	} {
		var s Summary
		for i, x := range c.changes {
			rc := RegionChange{Code: strconv.Itoa(i), Name: "r" + strconv.Itoa(i), Start: x[0], End: x[1]}
			s.Gainers = append(s.Gainers, rc)
			s.Losers = append(s.Losers, rc)
		}
		slices.SortFunc(s.Gainers, func(a, b RegionChange) int { return cmp.Compare(b.Change(), a.Change()) })
		slices.SortFunc(s.Losers, func(a, b RegionChange) int { return cmp.Compare(a.Change(), b.Change()) })
		s.Gainers, s.Losers = s.Gainers[:2], s.Losers[:2]
		var b strings.Builder
		if err := s.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{c.gainers + ":", c.losers + ":"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, b.String())
			}
		}
		// No list shows a region that changed the other way (or not at all).
		_, g, _ := strings.Cut(b.String(), c.gainers+":")
		g, l, _ := strings.Cut(g, c.losers+":")
		changes := func(list string) (out []float64) { // the change column
			for _, line := range strings.Split(list, "\n") {
				if f := strings.Fields(line); len(f) > 0 && strings.HasSuffix(f[0], "%") {
					x, err := strconv.ParseFloat(strings.TrimSuffix(f[0], "%"), 64)
					if err != nil {
						t.Fatalf("%q: %v", line, err)
					}
					out = append(out, x)
				}
			}
			return out
		}
		if gs := changes(g); len(gs) == 0 || strings.HasPrefix(c.gainers, "Largest") && slices.ContainsFunc(gs, func(x float64) bool { return x <= 0 }) {
			t.Errorf("gainers %v:\n%s", gs, g)
		}
		if ls := changes(l); len(ls) == 0 || strings.HasPrefix(c.losers, "Largest") && slices.ContainsFunc(ls, func(x float64) bool { return x >= 0 }) {
			t.Errorf("losers %v:\n%s", ls, l)
		}
	}
}

// A run without moves between regions (a world of one region) has no peak
// migration age to report; one with moves does.
func TestSummaryNoMoves(t *testing.T) {
	for _, c := range []struct {
		rate float64
		peak bool
	}{{0, false}, {0.12, true}} {
		s := Summary{Years: 3, MovesPer1000: 1000 * c.rate / 3, PeakAge: 10, PeakRate: c.rate, TopAge: 0, TopRate: c.rate}
		var b strings.Builder
		if err := s.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "Peak migration age") && strings.Contains(b.String(), "the single year of age moving most"); got != c.peak {
			t.Errorf("rate %g: peak lines %v, want %v:\n%s", c.rate, got, c.peak, b.String())
		}
	}
}

// TestDanglingLink: --out naming a symbolic link to nothing says so (it
// said "mkdir …: file exists").
func TestDanglingLink(t *testing.T) {
	tmp := t.TempDir()
	link := filepath.Join(tmp, "out")
	if err := os.Symlink(filepath.Join(tmp, "gone"), link); err != nil {
		t.Skip(err)
	}
	_, err := Create(link, testWorld(), Manifest{ScenarioName: "test"})
	want := "cannot use " + link + " for the results: it is a symbolic link to " + filepath.Join(tmp, "gone") + ", which does not exist; create that folder, or choose another --out"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// TestFlowsAddUpToOutDomestic: where 1/scale is not whole (3.33 at scale
// 0.3), an origin's flows still add up to its out_domestic exactly, and the
// country's flows to its moves. Rounded cell by cell, the many cells of one
// simulated move each lost a third: 1 % fewer moves in flows.csv than in
// regions.csv in a user's run at scale 0.3.
func TestFlowsAddUpToOutDomestic(t *testing.T) {
	w := testWorld()
	recs := fakeRecords(w, 3, 0.3, 4)
	for _, rec := range recs[1:] { // one simulated move a cell, as most cells are
		var flows []record.Flow
		for _, f := range rec.Flows {
			for k := int64(0); k < min(f.Moves, record.NumMotives); k++ {
				g := f
				g.Motive, g.Moves = uint8(k), 1
				flows = append(flows, g)
			}
			rec.Regions[f.Origin].OutDomestic -= f.Moves - min(f.Moves, record.NumMotives)
			rec.Regions[f.Destination].InDomestic -= f.Moves - min(f.Moves, record.NumMotives)
		}
		rec.Flows = flows
	}
	dir := filepath.Join(t.TempDir(), "run")
	writeRun(t, dir, w, recs, nil)
	out := map[string]int64{} // year/origin → out_domestic
	var regionsTotal, flowsTotal int64
	regions := readCSV(t, filepath.Join(dir, "regions.csv"))
	col := slices.Index(regions[0], "out_domestic")
	for _, row := range regions[1:] {
		n, _ := strconv.ParseInt(row[col], 10, 64)
		out[row[0]+"/"+row[1]] = n
		regionsTotal += n
	}
	sums := map[string]int64{}
	for _, row := range readCSV(t, filepath.Join(dir, "flows.csv"))[1:] {
		n, _ := strconv.ParseInt(row[5], 10, 64)
		if n <= 0 {
			t.Fatalf("a flow of %d: %v", n, row)
		}
		sums[row[0]+"/"+row[1]] += n
		flowsTotal += n
	}
	for k, n := range out {
		if sums[k] != n {
			t.Errorf("%s: flows add up to %d, out_domestic is %d", k, sums[k], n)
		}
	}
	if flowsTotal != regionsTotal || flowsTotal == 0 {
		t.Errorf("the country: flows %d, out_domestic %d", flowsTotal, regionsTotal)
	}
}
