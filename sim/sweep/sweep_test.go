package sweep

import (
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/world"
)

// baseScenario is a small teaching-world scenario with an intervention.
const baseScenario = `[scenario]
name = "base"
world = "teaching"
years = 2
seed = 3
scale = 0.05

[[intervention]]
kind = "region_enlargement"
name = "Holmøy bridge"
regions = ["Sjøvik", "Holmøy"]
from_year = 2025
travel_time_factor = 0.5
`

// write puts the base scenario and a sweep file with body into a new
// folder and returns the sweep file's path.
func write(t testing.TB, body string) string {
	t.Helper()
	return writeWith(t, baseScenario, body)
}

// writeWith is write with another base scenario.
func writeWith(t testing.TB, base, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.toml"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sweep.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func load(t testing.TB, body string) *Sweep {
	t.Helper()
	sw, err := Load(write(t, body))
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// smallGrid is 2 × 2 points, 2 replicates: 8 runs of 2 years at scale 0.05.
const smallGrid = `[sweep]
scenario = "base.toml"
replicates = 2

[[parameter]]
path = "behaviour.move_scale"
values = [0.8, 1.2]

[[parameter]]
path = "intervention.Holmøy bridge.travel_time_factor"
range = { min = 0.3, max = 0.9 }
steps = 2

[[parameter]]
path = "years"
values = 2

[metrics]
pop = "population"
island = "population(region=Holmøy, year=2026)"
classes = "population(by=centrality)"
moves = "moves_per_1000"
net = "net_domestic(region=Sjøvik|Holmøy)"
young = "share_20_39(centrality=4..6, year=2025..2026)"
change = "population_change(region=Storhavn)"
vacant = "dwelling_vacancy_rate(centrality=4..6)"
homes = "households(region=Holmøy)"
`

// Lists expand, scalars stay fixed, a range expands by its steps in a
// grid, the first parameter varying slowest.
func TestGridExpansion(t *testing.T) {
	sw := load(t, smallGrid)
	want := [][]float64{{0.8, 0.3, 2}, {0.8, 0.9, 2}, {1.2, 0.3, 2}, {1.2, 0.9, 2}}
	if len(sw.Points) != len(want) {
		t.Fatalf("%d points, want %d", len(sw.Points), len(want))
	}
	for i, pt := range sw.Points {
		if !slices.Equal(pt.Values, want[i]) || pt.Index != i {
			t.Errorf("point %d = %v, want %v", i, pt.Values, want[i])
		}
	}
	if sw.Runs() != 8 || sw.Name != "sweep" || sw.Seed != 3 {
		t.Errorf("runs %d, name %q, seed %d; want 8, \"sweep\", the scenario's 3", sw.Runs(), sw.Name, sw.Seed)
	}
	if got := sw.VaryingParams(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("varying %v, want [0 1]", got)
	}
	var names []string
	for _, m := range sw.Metrics {
		names = append(names, m.Name)
	}
	wantNames := "pop island classes_c1 classes_c2 classes_c3 classes_c4 classes_c5 classes_c6 moves net young change vacant homes"
	if strings.Join(names, " ") != wantNames {
		t.Errorf("metrics %v,\nwant %s", names, wantNames)
	}
	// Seeds: replicate r of every point runs with the sweep's seed + r.
	for id := range sw.Runs() {
		j := sw.Job(id)
		if j.Point != id/2 || j.Replicate != id%2 || j.Seed != 3+uint64(id%2) || j.Years != 2 {
			t.Errorf("job %d = point %d replicate %d seed %d years %d", id, j.Point, j.Replicate, j.Seed, j.Years)
		}
	}
	j := sw.Job(7)
	if j.Config.Behaviour.MoveScale != 1.2 || j.Config.Interventions[0].Num("travel_time_factor") != 0.9 {
		t.Errorf("job 7 config: move_scale %g, factor %g", j.Config.Behaviour.MoveScale, j.Config.Interventions[0].Num("travel_time_factor"))
	}
	if sw.Scenario.Interventions[0].Params["travel_time_factor"].Num != 0.5 {
		t.Error("a job changed the base scenario's intervention")
	}
}

// A list of one value stays fixed, like a single value; scenario.scale is
// scale.
func TestListOfOne(t *testing.T) {
	sw := load(t, `[sweep]
scenario = "base.toml"
[[parameter]]
path = "behaviour.move_scale"
values = [0.9]
[[parameter]]
path = "scenario.scale"
values = 0.02
[[parameter]]
path = "intervention[1].from_year"
values = [2024, 2025]
`)
	if sw.Params[0].Varies() || sw.Params[1].Varies() || !sw.Params[2].Varies() || len(sw.Points) != 2 {
		t.Fatalf("varies %v %v %v, %d points", sw.Params[0].Varies(), sw.Params[1].Varies(), sw.Params[2].Varies(), len(sw.Points))
	}
	j := sw.Job(0)
	if j.Config.Scale != 0.02 || j.Config.Behaviour.MoveScale != 0.9 || j.Config.Interventions[0].FromYear != 2024 || sw.Scenario.Interventions[0].FromYear != 2025 {
		t.Errorf("job 0: %+v (the base scenario's from_year: %d)", j.Config, sw.Scenario.Interventions[0].FromYear)
	}
}

func TestSampledDesigns(t *testing.T) {
	lhs := load(t, `[sweep]
scenario = "base.toml"
design = "latin_hypercube"
samples = 10
seed = 7
[[parameter]]
path = "behaviour.move_scale"
range = { min = 0.5, max = 1.5 }
[[parameter]]
path = "years"
range = { min = 1, max = 2 }
[[parameter]]
path = "behaviour.commute_minutes"
values = [45, 60, 75]
[[parameter]]
path = "scale"
values = 0.02
`)
	if len(lhs.Points) != 10 {
		t.Fatalf("%d points, want 10", len(lhs.Points))
	}
	seen := map[float64]bool{}
	for _, pt := range lhs.Points {
		v := pt.Values
		if v[0] < 0.5 || v[0] >= 1.5 || (v[1] != 1 && v[1] != 2) || !slices.Contains([]float64{45, 60, 75}, v[2]) || v[3] != 0.02 {
			t.Errorf("point %d = %v outside the ranges", pt.Index, v)
		}
		seen[v[2]] = true
	}
	if len(seen) != 3 {
		t.Errorf("the list's values %v: want all three in 10 stratified points", seen)
	}
	sob := load(t, `[sweep]
scenario = "base.toml"
design = "sobol"
samples = 4
[[parameter]]
path = "behaviour.move_scale"
range = { min = 0.5, max = 1.5 }
[[parameter]]
path = "intervention.1.travel_time_factor"
range = { min = 0.2, max = 0.8 }
`)
	if len(sob.Points) != 4*(2+2) {
		t.Fatalf("%d points, want 16", len(sob.Points))
	}
	for j := range 4 {
		a, b, ab1, ab2 := sob.Points[4*j], sob.Points[4*j+1], sob.Points[4*j+2], sob.Points[4*j+3]
		if a.Block != "A" || b.Block != "B" || ab1.Block != "AB1" || ab2.Block != "AB2" {
			t.Fatalf("blocks %s %s %s %s", a.Block, b.Block, ab1.Block, ab2.Block)
		}
		if ab1.Values[0] != b.Values[0] || ab1.Values[1] != a.Values[1] || ab2.Values[0] != a.Values[0] || ab2.Values[1] != b.Values[1] {
			t.Errorf("sample %d: AB_i is not A with column i from B", j)
		}
	}
}

// Every problem names the file, the line, the key and the fix.
func TestParseErrors(t *testing.T) {
	head := "[sweep]\nscenario = \"base.toml\"\n"
	param := "[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = [0.9, 1.1]\n"
	cases := []struct{ body, want string }{
		{head + "desing = \"grid\"\n" + param, `sweep.toml:3: sweep.desing: unknown key "desing" in [sweep]; did you mean "design"?`},
		{"[sweep\nscenario = \"base.toml\"\n", "sweep.toml:1: toml: invalid TOML: expected '.' or ']' to end table name"},
		// Syntax errors get the scenario's fixes, with the line and a caret.
		{head + "design = latin_hypercube\n" + param, "sweep.toml:3: sweep.design: invalid TOML: expected value but found \"latin\" instead; put text in quotes: design = \"latin_hypercube\"\n\t    3 | design = latin_hypercube\n\t                 ^^^^^"},
		{head + "samples = 24,\n" + param, "sweep.toml:3: sweep.samples: invalid TOML: expected a top-level item to end with a newline, comment, or EOF, but got ',' instead; remove the comma at the end: samples = 24 (TOML separates keys by lines, not commas)"},
		{head + "[[parameter]]\npath = \"behaviour.move_scale\"\nrange = { min = 1,6, max = 2,4 }\n", "sweep.toml:5: parameter[1].range.min: invalid TOML: expected '.' or '=', but got ',' instead; write min = 1.6: TOML uses a decimal point, not a comma (a comma ends an entry of { })"},
		{head + "replicates = 2\nreplicates = 3\n" + param, "sweep.toml:4: sweep.replicates: the key is set twice in its table; remove one of them"},
		{head + param + param[:len(param)-1] + "\nvalues = [1]\n", "sweep.toml:9: parameter[2].values: the key is set twice in its table; remove one of them"},
		{head + "[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = []\n", "sweep.toml:5: parameter[1].values: the list is empty; give at least one value"},
		{head + "[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = [\n  1.0,\n  20,\n]\n", "sweep.toml:7: parameter[1].values: move_scale = 20 is out of range; use a value between 0 and 10"},
		{head + "[[parameter]]\npath = \"behaviour.move_scal\"\nvalues = 1\n", `sweep.toml:4: parameter[1].path: unknown behaviour parameter "move_scal"; did you mean "move_scale"?`},
		{head + "[[parameter]]\npath = \"behaviour.move_scale\"\nrange = { min = 0.5, max = 1.5 }\n", "sweep.toml:5: parameter[1].range: a grid needs the number of values of a range; add steps = N"},
		{head + "design = \"sobol\"\nsamples = 100\n" + param, "sweep.toml:4: sweep.samples: samples = 100 is not a power of two; Sobol' points are balanced in blocks of 2^m: use 64 or 128"},
		{head + param + "[metrics]\nx = \"populaton\"\n", `sweep.toml:7: metrics.x: unknown quantity "populaton"; did you mean "population"?`},
		{head + param + "[metrics]\nx = \"population(year=2040)\"\n", "sweep.toml:7: metrics.x: year 2040 is after the last year of the results, 2026 (1 January, after 2 years from 2024)"},
		{head + param + "[metrics]\nx = \"births(year=2024)\"\n", "sweep.toml:7: metrics.x: births is a flow during the year before each 1 January, and the start year 2024 has none; ask for 2025 or later"},
		{head + param + "[metrics]\nx = \"population(region=Storhamn)\"\n", `sweep.toml:7: metrics.x: region=Storhamn: unknown region "Storhamn"`},
		{head + param + "[metrics]\nx = \"population(sex=f)\"\n", `sweep.toml:7: metrics.x: unknown argument "sex"`},
		{head + param + "[metric]\nx = \"population\"\n", `sweep.toml:6: metric: unknown key "metric"; did you mean "metrics"?`},
		// An unknown array of tables is on the line of its first entry.
		{head + param + "\n[[parameters]]\npath = \"scale\"\nvalues = 0.1\n", `sweep.toml:7: parameters: unknown key "parameters"; did you mean "parameter"?`},
		{head + param + "[[metrics]]\nx = \"population\"\n", `sweep.toml:6: metrics: expected a [metrics] table`},
		{"[sweep]\ndesign = \"grid\"\n" + param, `sweep.toml:1: sweep: missing scenario; add scenario = "../baseline.toml"`},
		{head + "[[parameter]]\npath = \"intervention.Holmoy.travel_time_factor\"\nvalues = 0.5\n", `sweep.toml:4: parameter[1].path: the base scenario has no intervention "Holmoy"; its interventions are "Holmøy bridge" (1)`},
		{head + "[[parameter]]\npath = \"intervention.1.travel_time_factr\"\nvalues = 0.5\n", `did you mean "travel_time_factor"?`},
		{head + "design = \"latin_hypercube\"\nsamples = 4\n[[parameter]]\npath = \"scale\"\nrange = { min = 0.01, max = 0.05 }\nsteps = 3\n", "sweep.toml:8: parameter[1].steps: steps is for a grid; a latin_hypercube design samples the range itself: remove steps"},
		{head + "[[parameter]]\npath = \"years\"\nvalues = [2, 2.5]\n", "sweep.toml:5: parameter[1].values: years takes whole numbers, got 2.5; write 3"},
		{head + "[[parameter]]\npath = \"behaviour.study_choices\"\nvalues = [2, 2.5]\n", "sweep.toml:5: parameter[1].values: behaviour.study_choices takes whole numbers, got 2.5; write 3"},
		// The suggested whole number is one the parameter accepts.
		{head + "[[parameter]]\npath = \"years\"\nvalues = 0.2\n", "sweep.toml:5: parameter[1].values: years takes whole numbers, got 0.2; write 1"},
		{head + "[[parameter]]\npath = \"years\"\nrange = { min = -1.5, max = 3.5 }\nsteps = 2\n", "sweep.toml:5: parameter[1].range: years takes whole numbers; give whole min and max, e.g. range = { min = 1, max = 3 }"},
		// A phased parameter is swept one phase at a time, by the sweep's path.
		{head + "[[parameter]]\npath = \"behaviour.util_jobs\"\nvalues = [0.9, 1.1]\n", `sweep.toml:4: parameter[1].path: behaviour.util_jobs is set per life phase, and a sweep sets one phase a [[parameter]] entry: write path = "behaviour.util_jobs.early_career", with the phase one of child, student, early_career`},
		{head + "[[parameter]]\npath = \"util_jobs\"\nvalues = [0.9, 1.1]\n", `sweep.toml:4: parameter[1].path: unknown parameter path "util_jobs"; behaviour parameters are written behaviour.NAME, and util_jobs one phase at a time: behaviour.util_jobs.early_career, with the phase one of child`},
		{head + "[[parameter]]\npath = \"intervention.1.travel_time_factor\"\nvalues = [0.5, 1.5]\n", "sweep.toml:5: parameter[1].values: travel_time_factor = 1.5 is out of range"},
		{head + "[[parameter]]\npath = \"move_scale\"\nvalues = 1\n", `sweep.toml:4: parameter[1].path: unknown parameter path "move_scale"; behaviour parameters are written behaviour.move_scale`},
		{head + "[[parameter]]\npath = \"year\"\nvalues = 5\n", `sweep.toml:4: parameter[1].path: unknown parameter path "year"; did you mean "years"? Use behaviour.<parameter>, intervention.<name or number>.<key>, scale or years`},
		// The seed is no parameter: runs.csv had two seed columns, points
		// shared seeds (identical runs), and sensitivity regressed on it.
		{head + "replicates = 2\n[[parameter]]\npath = \"seed\"\nvalues = [1, 2, 3]\n", "sweep.toml:5: parameter[1].path: the seed cannot be swept: replicate r of every point runs with seed s + r, where s is seed in [sweep] (else the base scenario's seed), so every point runs the same seeds; remove this [[parameter]], and for more seeds per point raise replicates in [sweep] (or --replicates), for other seeds set seed = N in [sweep]"},
		{head + "seed = 7\n[[parameter]]\npath = \"scenario.seed\"\nvalues = 1\n", "sweep.toml:5: parameter[1].path: the seed cannot be swept: replicate r of every point runs with seed s + r, where s is seed in [sweep] (else the base scenario's seed), so every point runs the same seeds;"},
		// A sampled design needs a varying parameter; a replication study
		// is a grid.
		{head + "design = \"latin_hypercube\"\nsamples = 4\nreplicates = 3\n", "sweep.toml:3: sweep.design: a latin_hypercube design samples the parameters that vary, and none does; give a parameter a list of values or a range, or for a replication study of the base scenario leave out design"},
		{head + "[[parameter]]\npath = \"behaviour.move_scale\"\nvalue = 1\n", `sweep.toml:5: parameter[1].value: unknown key "value" in [[parameter]]; did you mean "values"?`},
		{head + param + param, "sweep.toml:7: parameter[2].path: behaviour.move_scale addresses the same value as parameter[1]"},
		{head + "[[parameter]]\npath = \"scale\"\nvalues = [0.5, 2]\n", "sweep.toml:5: parameter[1].values: scale = 2 is out of range; use a share above 0 and at most 1; for 2 % write 0.02 (point 1: scale = 2)"},
		// Refused before any run (engine.New refused it when its point came).
		{head + "[[parameter]]\npath = \"scale\"\nvalues = [0.1, 0.0001]\n", "sweep.toml:5: parameter[1].values: scale = 0.0001 is too small for world teaching: 5 of its 14 regions (the smallest) would each keep one simulated person, which overstates the population by 9.1 %; use 0.0005 or more (point 1: scale = 0.0001)"},
		{head + "[[parameter]]\npath = \"years\"\nvalues = [1, 2]\n[metrics]\nx = \"population(year=2026)\"\n", "sweep.toml:7: metrics.x: year 2026 is after the last year of the results, 2025 (1 January, after 1 year from 2024); ask for years up to 2025, or simulate more years (point 0 simulates 1 year)"},
		{head + param + "[[parameter]]\npath = \"intervention.1.regions\"\nvalues = 1\n", "sweep.toml:7: parameter[2].path: regions of Holmøy bridge is not a number; a sweep varies numbers only"},
		{head + "[[parameter]]\npath = \"intervention[1].minutes_saved\"\nvalues = [10, 20]\n", "sweep.toml:5: parameter[1].values: region_enlargement takes either travel_time_factor or minutes_saved, not both; remove one of them (intervention \"Holmøy bridge\") (point 0: intervention[1].minutes_saved = 10)"},
		{head + "design = \"latin_hypercube\"\nsamples = 2\n[[parameter]]\npath = \"behaviour.move_scale\"\nrange = { min = 0.5, max = 40 }\n", "sweep.toml:7: parameter[1].range: move_scale = 40 is out of range; use a value between 0 and 10"},
		{head + "[[parameter]]\npath = \"intervention.1.from_year\"\nvalues = [2023, 2025]\n", "sweep.toml:5: parameter[1].values: from_year = 2023 is before the start year 2024 (intervention \"Holmøy bridge\"); use 2024 or later"},
		{head + "[[parameter]]\npath = \"intervention.1.from_year\"\nvalues = [2025, 2040]\n", "sweep.toml:5: parameter[1].values: from_year = 2040 is after the last year 2025 the base scenario simulates (intervention \"Holmøy bridge\"); use a year from 2024 to 2025, or add a [[parameter]] with path = \"years\" that simulates up to 2040 (point 1: intervention.1.from_year = 2040)"},
	}
	for _, c := range cases {
		path := write(t, c.body)
		_, err := Load(path)
		if err == nil {
			t.Errorf("no error for\n%s", c.body)
			continue
		}
		msg := strings.ReplaceAll(err.Error(), path, "sweep.toml")
		if !strings.Contains(msg, c.want) {
			t.Errorf("error\n  %s\nwant it to contain\n  %s", msg, c.want)
		}
	}
}

// The base scenario's own errors are shown, under the sweep's line.
func TestBadBaseScenario(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.toml"), []byte("[scenario]\nname = \"x\"\nworld = \"teaching\"\nyears = 2\nscael = 1\n"), 0o644)
	path := filepath.Join(dir, "sweep.toml")
	os.WriteFile(path, []byte("[sweep]\nscenario = \"bad.toml\"\n[[parameter]]\npath = \"scale\"\nvalues = 0.1\n"), 0o644)
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path+":2: sweep.scenario: the base scenario bad.toml cannot be used") ||
		!strings.Contains(err.Error(), `bad.toml:5: scenario.scael: unknown key "scael" in [scenario]; did you mean "scale"?`) {
		t.Fatalf("error %v", err)
	}
}

// The metrics of a run are what the records say, computed here anew.
func TestMetricValues(t *testing.T) {
	sw := load(t, smallGrid)
	j := sw.Job(3)
	got, _, err := simulate(t.Context(), sw, j)
	if err != nil {
		t.Fatal(err)
	}
	cfg := j.Config
	cfg.Workers = 2 // any number of workers gives the same run
	sim, err := engine.New(sw.World, cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := sw.World
	idx := func(name string) int {
		i, err := w.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	var recs []record.Year
	copyRec := func(r *record.Year) {
		c := *r
		c.Regions = slices.Clone(r.Regions)
		recs = append(recs, c)
	}
	copyRec(sim.Observe())
	for range j.Years {
		copyRec(sim.Step())
	}
	last := recs[len(recs)-1]
	sum := func(r *record.Year, keep func(i int) bool, f func(*record.Region) float64) float64 {
		var s float64
		for i := range r.Regions {
			if keep(i) {
				s += f(&r.Regions[i])
			}
		}
		return s
	}
	all := func(int) bool { return true }
	pop := func(r *record.Region) float64 { return float64(r.Population) }
	want := map[string]float64{
		"pop":    sum(&last, all, pop) * last.Weight,
		"island": sum(&recs[2], func(i int) bool { return i == idx("Holmøy") }, pop) * last.Weight,
	}
	for c := 1; c <= 6; c++ {
		want[fmt.Sprintf("classes_c%d", c)] = sum(&last, func(i int) bool { return w.Regions[i].Centrality == c }, pop) * last.Weight
	}
	var moves, net float64
	for y := 1; y < len(recs); y++ {
		out := sum(&recs[y], all, func(r *record.Region) float64 { return float64(r.OutDomestic) })
		moves += 1000 * out / ((sum(&recs[y-1], all, pop) + sum(&recs[y], all, pop)) / 2)
		net += sum(&recs[y], func(i int) bool { return i == idx("Sjøvik") || i == idx("Holmøy") },
			func(r *record.Region) float64 { return float64(r.InDomestic - r.OutDomestic) }) * recs[y].Weight
	}
	want["moves"] = moves / float64(len(recs)-1)
	want["net"] = net
	periph := func(i int) bool { return w.Regions[i].Centrality >= 4 }
	young := func(r *record.Region) float64 { return float64(r.Age20to39) }
	want["young"] = (sum(&recs[1], periph, young)/sum(&recs[1], periph, pop) + sum(&recs[2], periph, young)/sum(&recs[2], periph, pop)) / 2
	st := func(i int) bool { return i == idx("Storhavn") }
	want["change"] = 100 * (sum(&last, st, pop) - sum(&recs[0], st, pop)) / sum(&recs[0], st, pop)
	want["vacant"] = sum(&last, periph, func(r *record.Region) float64 { return float64(r.VacantDwellings) }) /
		sum(&last, periph, func(r *record.Region) float64 { return float64(r.Dwellings) })
	want["homes"] = sum(&last, func(i int) bool { return i == idx("Holmøy") }, func(r *record.Region) float64 { return float64(r.Households) }) * last.Weight
	for i, m := range sw.Metrics {
		if w, ok := want[m.Name]; !ok || math.Abs(got[i]-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, want %v", m.Name, got[i], w)
		}
	}
	if want["pop"] < 350_000 || want["moves"] < 5 || want["moves"] > 100 || !(want["vacant"] > 0 && want["vacant"] < 0.3) || want["homes"] == 0 {
		t.Errorf("implausible: population %g, moves per 1000 %g, vacancy %g, households %g", want["pop"], want["moves"], want["vacant"], want["homes"])
	}
}

// docs/sweeps.md documents every quantity of the metric language, and
// every key of the file.
func TestDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range quantityNames() {
		if !strings.Contains(string(doc), "`"+q+"`") {
			t.Errorf("docs/sweeps.md does not document the quantity %s", q)
		}
	}
	for _, k := range append(append(slices.Clone(sweepKeys), paramKeys...), metricKeys...) {
		if !strings.Contains(string(doc), "| `"+k+"` |") {
			t.Errorf("docs/sweeps.md has no table row for the key %s", k)
		}
	}
}

// runs.csv's numbers read as plain decimals (a population is 6001234, not
// 6.001234e+06), and every one reads back as the same float64.
func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{6001234, "6001234"}, {41.61, "41.61"}, {-3.5e6, "-3500000"}, {0, "0"},
		{0.000125, "0.000125"}, {1e-7, "1e-07"}, {2e15, "2e+15"}, {1.0 / 3, "0.3333333333333333"},
	} {
		got := FormatValue(c.v)
		if got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
		if back, err := strconv.ParseFloat(got, 64); err != nil || back != c.v {
			t.Errorf("FormatValue(%v) = %q reads back as %v (%v)", c.v, got, back, err)
		}
	}
}

// An intervention that starts after the last year a point simulates (its
// from_year swept past the years, or years set by the sweep that end
// before it) changes nothing there: every such point is noted.
func TestLateInterventions(t *testing.T) {
	head := "[sweep]\nscenario = \"base.toml\"\n[[parameter]]\npath = \"intervention.1.from_year\"\n"
	for _, c := range []struct {
		body string
		want []string
	}{
		// The sweep's years replace the base scenario's: a point of 1 year
		// ends in 2024, and from_year 2026 is after 2 years too.
		{head + "values = [2025, 2026]\n[[parameter]]\npath = \"years\"\nvalues = [1, 2]\n", []string{
			"Holmøy bridge (base.toml:8) starts in 2025, after the last simulated year 2024 (1 year): it changes nothing at point 0 (1 of the 4 points)",
			"Holmøy bridge (base.toml:8) starts in 2026, after the last simulated year 2024 (1 year): it changes nothing at point 2 (1 of the 4 points)",
			"Holmøy bridge (base.toml:8) starts in 2026, after the last simulated year 2025 (2 years): it changes nothing at point 3 (1 of the 4 points)",
		}},
		// The trial of the researcher: years fixed at 5, from_year swept.
		{head + "values = [2025, 2030, 2040]\n[[parameter]]\npath = \"years\"\nvalues = 5\n", []string{
			"Holmøy bridge (base.toml:8) starts in 2030, after the last simulated year 2028 (5 years): it changes nothing at point 1 (1 of the 3 points)",
			"Holmøy bridge (base.toml:8) starts in 2040, after the last simulated year 2028 (5 years): it changes nothing at point 2 (1 of the 3 points)",
		}},
		{head + "values = 2040\n[[parameter]]\npath = \"years\"\nvalues = 3\n", []string{
			"Holmøy bridge (base.toml:8) starts in 2040, after the last simulated year 2026 (3 years): it changes nothing in this sweep",
		}},
		// Points in the base scenario's years: nothing to note.
		{head + "values = [2024, 2025]\n", nil},
	} {
		sw := load(t, c.body)
		if got := lateNotes(sw); !slices.Equal(got, c.want) {
			t.Errorf("notes\n  %s\nwant\n  %s\nfor\n%s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "), c.body)
		}
	}
	// --years, as a fixed years parameter.
	sw, err := LoadWith(write(t, head+"values = [2024, 2025]\n"), Overrides{Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Holmøy bridge (base.toml:8) starts in 2025, after the last simulated year 2024 (1 year): it changes nothing at point 1 (1 of the 2 points)"}
	if got := lateNotes(sw); !slices.Equal(got, want) {
		t.Errorf("with --years 1: %q, want %q", got, want)
	}
	if got := pointList([]int{1, 3, 5, 7, 9, 11, 13, 99}); got != "points 1, 3, 5, 7, 9, 11 … 99" {
		t.Errorf("pointList: %q", got)
	}
}

// lateNotes returns sw's LateInterventions with the base scenario's folder
// left out of its path.
func lateNotes(sw *Sweep) []string {
	var out []string
	for _, n := range sw.LateInterventions() {
		out = append(out, strings.ReplaceAll(n, filepath.Dir(sw.File)+string(filepath.Separator), ""))
	}
	return out
}

// Counts scaled back by 1/scale, and a grid's levels of a range, are
// written without floating-point artefacts: 12 significant digits, the
// same whichever worker computed them; exact values stay exact.
func TestFormatMetric(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{13 * (1 / 0.03), "433.333333333"}, {6306 * (1 / 0.03), "210200"}, {-5 * (1 / 0.03), "-166.666666667"},
		{6001234, "6001234"}, {24000, "24000"}, {0, "0"}, {41.61, "41.61"}, {0.2709416522241479, "0.270941652224"},
		{0.1 + 0.2, "0.3"}, {2.5000000000000004, "2.5"}, {1e-7, "1e-07"}, {123456789012345, "123456789012000"},
	} {
		if got := FormatMetric(c.v); got != c.want {
			t.Errorf("FormatMetric(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	// A journal line of an older settle, with all 17 digits, reads as the
	// bytes a new one writes.
	old := "4\t1\t210200.00000000003\t433.33333333333337"
	old += fmt.Sprintf("\t%08x", crc32.ChecksumIEEE([]byte(old)))
	id, e, msg := parseJournalLine(old, 2)
	if msg != "" || id != 4 || !slices.Equal(e.values, []string{"210200", "433.333333333"}) {
		t.Errorf("old journal line: %d %v %q", id, e.values, msg)
	}
	if line := string(journalLine(4, 1, []float64{6306 * (1 / 0.03), 13 * (1 / 0.03)})); !strings.HasPrefix(line, "4\t1\t210200\t433.333333333\t") {
		t.Errorf("journal line %q", line)
	}
	// A grid's levels of a range are the decimals meant.
	sw := load(t, "[sweep]\nscenario = \"base.toml\"\n[[parameter]]\npath = \"behaviour.move_scale\"\nrange = { min = 0.1, max = 0.7 }\nsteps = 5\n")
	var got []string
	for _, pt := range sw.Points {
		got = append(got, FormatValue(pt.Values[0]))
	}
	if want := []string{"0.1", "0.25", "0.4", "0.55", "0.7"}; !slices.Equal(got, want) {
		t.Errorf("levels %v, want %v", got, want)
	}
}

// TestMetricFormerCounty: a metric's county= answers a former county with
// the counties it became (Hedmark got "did you mean Telemark?"), and a
// far-off name gets no suggestion.
func TestMetricFormerCounty(t *testing.T) {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"population(county=Hedmark)":           `county=Hedmark: no region of world norway-2024 is in county "Hedmark"; Hedmark was merged with Oppland into Innlandet in 2020: write county=Innlandet (all of Innlandet: it includes the former Oppland`,
		"population(county=Troms og Finnmark)": "Troms og Finnmark was split into Troms and Finnmark in 2024: write county=Troms|Finnmark",
		"population(county=Nordlnd)":           `did you mean county=Nordland?`,
		// The fix keeps the other counties of the value.
		"population(county=Troms|Hedmark)": "write county=Troms|Innlandet",
	} {
		_, msg := parseMetric("x", in, 1, w, w.StartYear)
		if !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", in, msg, want)
		}
	}
}

// TestMetricNoCounties: in a world without counties a metric's county=
// and by=county say so and what to use instead (they said "no region is in
// county" and "selects no region; loosen the filters").
func TestMetricNoCounties(t *testing.T) {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	nc := *w
	nc.Name = "plain"
	nc.Regions = slices.Clone(w.Regions)
	for i := range nc.Regions {
		nc.Regions[i].County, nc.Regions[i].CountyCode = "", ""
	}
	for in, want := range map[string]string{
		"population(county=Dal)":   "county=Dal: the world plain has no counties (its regions file has no county column); select regions with region= or centrality= instead",
		"population(by=county)":    "by=county: the world plain has no counties (its regions file has neither a county nor a county_code column); group by=centrality or by=region instead",
		"population(by=region)":    "",
		"population(county=Agder)": "county=Agder: the world plain has no counties",
	} {
		_, msg := parseMetric("x", in, 1, &nc, nc.StartYear)
		if want == "" && msg != "" || !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", in, msg, want)
		}
	}
}

// TestMetricCountyCodes: a world with county_code and no county column
// has counties for by=county, as for county= (it had none).
func TestMetricCountyCodes(t *testing.T) {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	cw := *w
	cw.Name = "codes"
	cw.Regions = slices.Clone(w.Regions)
	for i := range cw.Regions {
		cw.Regions[i].County = ""
	}
	ms, msg := parseMetric("x", "population(by=county)", 1, &cw, cw.StartYear)
	if msg != "" || len(ms) != 15 {
		t.Errorf("by=county with codes only: %d metrics, %q; want Norway's 15 counties", len(ms), msg)
	}
}

// TestParseLatin1: a sweep file saved as Latin-1 is named as such, with
// the fix, not as the decoder's "invalid UTF-8 byte".
func TestParseLatin1(t *testing.T) {
	_, err := Parse("sweep.toml", []byte("# M\xf8re\n[sweep]\nscenario = \"base.toml\"\n"))
	if want := `sweep.toml:1: toml: the file is not UTF-8 text: line 1 has the byte 0xF8, which is "ø"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// A name that two interventions share (two of one kind without a name both
// take the kind's) is refused: a sweep would change only the first.
func TestAmbiguousInterventionName(t *testing.T) {
	base := baseScenario + `
[[intervention]]
kind = "broadband"
regions = ["Holmøy"]
from_year = 2024
coverage = 0.99

[[intervention]]
kind = "broadband"
regions = ["Sjøvik"]
from_year = 2024
coverage = 0.98
`
	body := "[sweep]\nscenario = \"base.toml\"\n[[parameter]]\npath = \"intervention.broadband.coverage\"\nvalues = [0.5, 0.9]\n"
	path := writeWith(t, base, body)
	_, err := Load(path)
	want := `sweep.toml:4: parameter[1].path: 2 interventions of the base scenario are named "broadband" (numbers 2, 3); give each its own name = "…" in the scenario, or write intervention.2.coverage for the first`
	if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), path, "sweep.toml"), want) {
		t.Errorf("error %v\nwant %s", err, want)
	}
	// By number it is clear which one.
	path = writeWith(t, base, strings.Replace(body, "intervention.broadband.coverage", "intervention.3.coverage", 1))
	if _, err := Load(path); err != nil {
		t.Errorf("by number: %v", err)
	}
}

// TestMetricNamesByCounty: by=county names a metric after a county
// without a code in the letters a metric name has, æ, ø and å written ae,
// o and a as in a sweep's name, accents dropped ("Øst Land" was c__st_Land);
// counties whose names still read alike (Øst and Ost; Åst and Ast) get
// _2 in the world's order instead of an error the user cannot fix (they
// come from one entry). Real Norwegian county names, some in several
// languages, as a world without county codes gives them.
func TestMetricNamesByCounty(t *testing.T) {
	counties := []string{"Øst Land", "Østfold", "Trøndelag - Trööndelage", "Møre og Romsdal", "Troms", "Finnmark - Finnmárku - Finmarkku",
		"Øst", "Ost", "Åst", "Ast", "Ærø", "Čáhcesuolu", "Ost_2", "北"}
	var b strings.Builder
	b.WriteString("code,name,lat,lon,population,county\n")
	for i, c := range counties {
		fmt.Fprintf(&b, "R%d,Region %d,%g,10,5000,%s\n", i, i, 60+0.1*float64(i), c)
	}
	path := filepath.Join(t.TempDir(), "regions.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := world.Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	ms, msg := parseMetric("c", "population(by=county)", 1, w, w.StartYear)
	if msg != "" {
		t.Fatal(msg)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
		if !metricName.MatchString(m.Name) {
			t.Errorf("%s is not a metric name", m.Name)
		}
	}
	want := []string{"c_Ost_Land", "c_Ostfold", "c_Trondelag_Troondelage", "c_More_og_Romsdal", "c_Troms", "c_Finnmark_Finnmarku_Finmarkku",
		"c_Ost", "c_Ost_3", "c_Ast", "c_Ast_2", "c_Aero", "c_Cahcesuolu", "c_Ost_2", "c_county14"}
	if !slices.Equal(names, want) {
		t.Errorf("metrics\n%v\nwant\n%v", names, want)
	}
	// The same world's regions by code: codes are names too.
	if _, msg := parseMetric("r", "population(by=region)", 1, w, w.StartYear); msg != "" {
		t.Error(msg)
	}
	// A sweep of the world loads, with no "two metrics are named".
	dir := filepath.Dir(path)
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[scenario]\nname = \"b\"\nworld = \"regions.csv\"\nyears = 1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sweep.toml"), []byte("[sweep]\nscenario = \"base.toml\"\n[[parameter]]\npath = \"scale\"\nvalues = 0.5\n[metrics]\nc = \"population(by=county)\"\n"), 0o644)
	if _, err := Load(filepath.Join(dir, "sweep.toml")); err != nil {
		t.Error(err)
	}
	// Norway's counties have codes, which name them as before.
	no, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	ms, msg = parseMetric("c", "population(by=county)", 1, no, no.StartYear)
	if msg != "" || len(ms) != 15 || ms[0].Name != "c_03" {
		t.Errorf("Norway by county: %v %q", ms, msg)
	}
}

// A sweep without [[parameter]] entries is a replication study: one point,
// the base scenario, run replicates times with seeds s, s+1, … (it was
// refused: "no [[parameter]] entries").
func TestReplicationStudy(t *testing.T) {
	sw := load(t, "[sweep]\nscenario = \"base.toml\"\nreplicates = 3\nseed = 10\n[metrics]\npop = \"population\"\n")
	if len(sw.Points) != 1 || len(sw.Params) != 0 || sw.Runs() != 3 {
		t.Fatalf("%d points, %d parameters, %d runs; want 1, 0, 3", len(sw.Points), len(sw.Params), sw.Runs())
	}
	for r := range 3 {
		if j := sw.Job(r); j.Seed != uint64(10+r) || j.Years != 2 || j.Config.Scale != 0.05 {
			t.Errorf("run %d: seed %d, %d years, scale %g; want seed %d and the base scenario's 2 years at 0.05", r, j.Seed, j.Years, j.Config.Scale, 10+r)
		}
	}
	if got := sw.Seeds(Shard{}); got != "seeds 10 … 12" {
		t.Errorf("Seeds = %q", got)
	}
	dir := filepath.Join(t.TempDir(), "rep")
	if _, err := Run(t.Context(), sw, Options{Dir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	res, err := ReadResults(dir)
	if err != nil || len(res.Values) != 3 || len(res.Points) != 1 {
		t.Fatalf("results: %v", err)
	}
	runs, _ := os.ReadFile(filepath.Join(dir, RunsFile))
	if !strings.HasPrefix(string(runs), "run_id,point,replicate,seed,metric,value\n0,0,0,10,pop,") {
		t.Errorf("runs.csv:\n%s", runs)
	}
	if m, _ := ReadManifest(dir); m.Parameters == nil {
		t.Error("the manifest's parameters are null, not []")
	}
}

// Seeds names the seeds a sweep or shard runs: replicate r of every point
// runs with seed s + r, whatever the point.
func TestSeeds(t *testing.T) {
	sw := load(t, smallGrid) // 4 points × 2 replicates, seed 3 (the scenario's)
	for _, c := range []struct {
		s    Shard
		want string
	}{{Shard{}, "seeds 3 and 4"}, {Shard{0, 2}, "seed 3"}, {Shard{1, 2}, "seed 4"}, {Shard{1, 3}, "seeds 3 and 4"}} {
		if got := sw.Seeds(c.s); got != c.want {
			t.Errorf("Seeds(%s) = %q, want %q", c.s, got, c.want)
		}
		seen := map[uint64]bool{}
		for _, id := range sw.shardIDs(c.s) {
			seen[sw.Job(id).Seed] = true
		}
		if n := strings.Count(c.want, " ") - strings.Count(c.want, "and"); len(seen) != max(n, 1) {
			t.Errorf("shard %s runs %d seeds, the text says %q", c.s, len(seen), c.want)
		}
	}
	many := load(t, strings.Replace(smallGrid, "replicates = 2", "replicates = 40\nseed = 1", 1))
	for _, c := range []struct {
		s    Shard
		want string
	}{{Shard{}, "seeds 1 … 40"}, {Shard{1, 2}, "seeds 2, 4, 6, 8, 10, 12 … 40"}, {Shard{3, 80}, "seed 4"}, {Shard{5, 6}, "seeds 2, 4, 6, 8, 10, 12 … 40"}} {
		if got := many.Seeds(c.s); got != c.want {
			t.Errorf("40 replicates: Seeds(%s) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := SeedRange(5, 1); got != "seed 5" {
		t.Errorf("SeedRange(5, 1) = %q", got)
	}
}

// A latin_hypercube's parameters hardly correlate over its points, a
// list's levels included (the random orders of norway-lhs.toml's design
// correlated at r = −0.51; rearranged on the unit cube, a list of three
// levels still correlated at 0.13), and each keeps its strata: every
// level of a list of three is drawn at a third of the points.
func TestLatinHypercubeCorrelation(t *testing.T) {
	body := `[sweep]
scenario = "base.toml"
design = "latin_hypercube"
samples = 24
seed = 1

[[parameter]]
path = "behaviour.move_scale"
range = { min = 1.6, max = 2.4 }

[[parameter]]
path = "behaviour.util_jobs.early_career"
range = { min = 0.5, max = 2.0 }

[[parameter]]
path = "behaviour.util_price.family"
range = { min = -2.0, max = -0.5 }

[[parameter]]
path = "behaviour.util_home.family"
range = { min = 1.0, max = 3.0 }

[[parameter]]
path = "behaviour.commute_minutes"
values = [45, 60, 75]
`
	sw := load(t, body)
	r, a, b := sw.Correlation()
	if math.Abs(r) > 0.1 || a == "" || b == "" {
		t.Errorf("largest correlation %.3f (%s, %s), want |r| ≤ 0.1", r, a, b)
	}
	levels := map[float64]int{}
	for _, pt := range sw.Points {
		levels[pt.Values[4]]++
	}
	if levels[45] != 8 || levels[60] != 8 || levels[75] != 8 {
		t.Errorf("the list's levels are drawn %v times, want 8 each", levels)
	}
	for i := range 4 {
		strata := make([]bool, 24)
		pr := &sw.Params[i]
		for _, pt := range sw.Points {
			strata[min(int((pt.Values[i]-pr.Min)/(pr.Max-pr.Min)*24), 23)] = true
		}
		if slices.Contains(strata, false) {
			t.Errorf("%s leaves a stratum empty", pr.Path)
		}
	}
	// A grid's parameters do not correlate; one varying parameter has
	// nothing to correlate with.
	if r, _, _ := load(t, smallGrid).Correlation(); math.Abs(r) > 1e-12 {
		t.Errorf("a grid correlates at %g", r)
	}
	if _, a, _ := load(t, strings.Replace(body, "[45, 60, 75]", "60", 1)[:strings.Index(body, "[[parameter]]\npath = \"behaviour.util_jobs")]).Correlation(); a != "" {
		t.Errorf("one varying parameter: correlation of %q", a)
	}
}
