package calibrate

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

func TestTransformRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, b := range [][2]float64{{0, 1}, {0, 2}, {10, 40}, {-10, 10}, {0.01, 2}, {55, 80}, {-0.2, 0.2}} {
		lo, hi := b[0], b[1]
		for range 1000 {
			// Values well inside the bounds come back (edge·width from a
			// bound they are moved inside, by design).
			x := lo + (hi-lo)*(edge+(1-2*edge)*rng.Float64())
			z := toUnbounded(x, lo, hi)
			if got := toBounded(z, lo, hi); math.Abs(got-x) > 1e-9*(hi-lo) {
				t.Fatalf("[%g, %g]: %g → z %g → %g", lo, hi, x, z, got)
			}
		}
	}
}

func TestTransformBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	zs := []float64{math.Inf(-1), math.Inf(1), -1e308, 1e308, -800, 800, -40, 40, 0}
	for range 1000 {
		zs = append(zs, rng.NormFloat64()*50)
	}
	for _, b := range [][2]float64{{0, 1}, {0.01, 2}, {-10, 10}, {55, 80}, {0.1, 0.3}} {
		lo, hi := b[0], b[1]
		for _, z := range zs {
			if x := toBounded(z, lo, hi); !(x >= lo && x <= hi) {
				t.Fatalf("[%g, %g]: z %g gives %g outside the bounds", lo, hi, z, x)
			}
		}
		// Monotone: the optimiser's order is the parameter's order.
		if !(toBounded(-1, lo, hi) < toBounded(0, lo, hi) && toBounded(0, lo, hi) < toBounded(1, lo, hi)) {
			t.Errorf("[%g, %g]: not increasing", lo, hi)
		}
		// Values on or past a bound map to finite z just inside it.
		for _, x := range []float64{lo, hi, lo - 1, hi + 1} {
			z := toUnbounded(x, lo, hi)
			if math.IsInf(z, 0) || math.IsNaN(z) {
				t.Errorf("[%g, %g]: %g → z %g", lo, hi, x, z)
			}
			if back := toBounded(z, lo, hi); back <= lo || back >= hi {
				t.Errorf("[%g, %g]: %g → %g is not strictly inside", lo, hi, x, back)
			}
		}
	}
}

func TestParseSpecDefaults(t *testing.T) {
	s, err := ParseSpec("targets.toml", []byte("[moves]\nper_1000 = 43\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.World != DefaultWorld || s.Scale != DefaultScale || s.Years != DefaultYears || len(s.Seeds) != 2 || s.Method != DefaultMethod {
		t.Errorf("defaults: %+v", s)
	}
	if len(s.Params) != len(DefaultParams) || s.Params[1].Name != "base_mu2" || s.Params[1].Min != 10 || s.Params[1].Max != 40 {
		t.Errorf("params: %+v", s.Params)
	}
	if len(s.SHA256) != 64 {
		t.Errorf("sha256 %q", s.SHA256)
	}
	scale, seeds := s.validation()
	if scale != 0.1 || len(seeds) != 2 || seeds[0] == 1 || seeds[0] == 2 {
		t.Errorf("validation: scale %g seeds %v", scale, seeds)
	}
}

func TestParseSpec(t *testing.T) {
	s, err := ParseSpec("dir/t.toml", []byte(`
[calibration]
world = "regions.csv"
scale = 0.1
years = 5
seeds = [7, 8, 9]
params = ["base_mu2", "phase_factor.student", "util_distance.family"]
max_evals = 50

[calibration.bounds]
base_mu2 = [15, 30]
phase_factor.student = [0.1, 3]
util_distance = { family = [-3, -0.5] }
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{{"base_mu2", 15, 30}, {"phase_factor.student", 0.1, 3}, {"util_distance.family", -3, -0.5}}
	for i, p := range want {
		if s.Params[i] != p {
			t.Errorf("param %d = %+v, want %+v", i, s.Params[i], p)
		}
	}
	if s.World != "dir/regions.csv" || s.Scale != 0.1 || s.Years != 5 || len(s.Seeds) != 3 || s.MaxEvals != 50 {
		t.Errorf("spec %+v", s)
	}
	// travel_times is a path relative to the file, as world is (it was an
	// unknown key).
	s, err = ParseSpec("dir/t.toml", []byte("[calibration]\nworld = \"../w/regions.csv\"\ntravel_times = \"../w/travel.csv\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.World != "w/regions.csv" || s.TravelTimes != "w/travel.csv" {
		t.Errorf("world %q, travel_times %q; want both relative to dir/", s.World, s.TravelTimes)
	}
	if s, err := ParseSpec("dir/t.toml", []byte("[calibration]\ntravel_times = \"/abs/travel.csv\"\n")); err != nil || s.TravelTimes != "/abs/travel.csv" {
		t.Errorf("an absolute travel_times: %q, %v", s.TravelTimes, err)
	}
}

// TestParseSpecErrors: each mistake is reported as FILE:LINE: KEY:
// message, at the line that writes the key.
func TestParseSpecErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"[calibration]\nscael = 0.1\n", `t.toml:2: calibration.scael: unknown key "scael" in [calibration]; did you mean "scale"?`},
		{"[calibration]\ntravel_time = \"t.csv\"\n", `t.toml:2: calibration.travel_time: unknown key "travel_time" in [calibration]; did you mean "travel_times"?`},
		{"[calibration]\ntravel_times = 3\n", `t.toml:2: calibration.travel_times: expected a quoted text, got 3`},
		{"[calibration]\nparams = [\"base_a3\"]\n", `t.toml:2: calibration.params: unknown behaviour parameter "base_a3"; did you mean "base_a2"?`},
		{"[calibration]\nparams = [\"base_a2\"]\n[calibration.bounds]\nbase_a2 = [0, 3]\n", "t.toml:4: calibration.bounds.base_a2: [0, 3] reaches outside the parameter's range [0, 2]"},
		{"[calibration]\nparams = [\"base_a2\"]\n[calibration.bounds]\nbase_a2 = [1, 0.5]\n", "t.toml:4: calibration.bounds.base_a2: [1, 0.5] is not an interval"},
		{"[calibration]\nparams = [\"study_choices\"]\n", "t.toml:2: calibration.params: study_choices takes whole numbers"},
		{"[calibration]\nparams = [\"base_a2\"]\n[calibration.bounds]\nbase_mu2 = [15, 30]\n", "t.toml:4: calibration.bounds.base_mu2: base_mu2 has bounds but is not in calibration.params"},
		{"[calibration]\nparams = []\n", "t.toml:2: calibration.params: no parameters to fit"},
		{"[calibration]\nscale = 2\n", "t.toml:2: calibration.scale: 2 is out of range"},
		{"[calibration]\nmethod = \"bfgs\"\n", `t.toml:2: calibration.method: unknown method "bfgs"; use one of nelder-mead`},
		{"[calibration]\nseeds = [1, 1]\n", "t.toml:2: calibration.seeds: seed 1 is listed twice"},
		{"[calibration]\nparams = [\"util_jobs\"]\n", "t.toml:2: calibration.params: util_jobs is set per life phase"},
		{"[calibration]\nmax_evals = 3\n", "t.toml:2: calibration.max_evals: 3 evaluations cannot fit 9 parameters"},
		{"calibration = 3\n", "t.toml:1: calibration: expected a table, got 3"},
		// Syntax errors: the line, the key and the fix, as for a scenario.
		{"[calibration]\nmax_evals = 40,\n", "t.toml:2: calibration.max_evals: invalid TOML: expected a top-level item to end with a newline, comment, or EOF, but got ',' instead; remove the comma at the end: max_evals = 40"},
		{"[calibration]\nmethod = nelder-mead\n", `t.toml:2: calibration.method: invalid TOML: expected value but found "nelder" instead; put text in quotes: method = "nelder-mead"`},
	} {
		_, err := ParseSpec("t.toml", []byte(c.body))
		// One problem, starting with its file, line and key.
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Count(err.Error(), "t.toml:") != 1 {
			t.Errorf("%q:\n got %v\nwant %s…", c.body, err, c.want)
		}
	}
}

// quadratic is an analytic stand-in loss with its minimum at want.
func quadratic(s *Spec, want []float64) func(context.Context, params.Params) ([]float64, error) {
	return func(_ context.Context, p params.Params) ([]float64, error) {
		var l float64
		for i, pr := range s.Params {
			v, _ := p.Get(pr.Name)
			d := (v - want[i]) / (pr.Max - pr.Min)
			l += d * d
		}
		return []float64{l}, nil
	}
}

func TestFitFindsKnownOptimum(t *testing.T) {
	for _, method := range Methods {
		t.Run(method, func(t *testing.T) {
			s, err := ParseSpec("t.toml", []byte(`[calibration]
params = ["base_a2", "base_mu2", "young_women_factor", "util_distance.early_career"]
method = "`+method+`"
max_evals = 2000
tolerance = 1e-12
seeds = [1]
`))
			if err != nil {
				t.Fatal(err)
			}
			want := []float64{0.41, 23.5, 1.6, -1.9}
			var n int
			res, err := minimise(context.Background(), s, nil, quadratic(s, want), func(e Eval) {
				n++
				if e.N != n {
					t.Fatalf("evaluation %d reported as %d", n, e.N)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, pr := range s.Params {
				got, _ := res.Params.Get(pr.Name)
				if math.Abs(got-want[i]) > 1e-3*(pr.Max-pr.Min) {
					t.Errorf("%s = %g, want %g", pr.Name, got, want[i])
				}
			}
			if res.Start.N != 1 || res.Start.Values[0] != params.Default().BaseA2 || !res.Complete || res.Evals != n || res.Evals > s.MaxEvals+1 {
				t.Errorf("start %+v, complete %v, evals %d (reported %d)", res.Start, res.Complete, res.Evals, n)
			}
			t.Logf("%s: %d evaluations, loss %.3g → %.3g (%s)", method, res.Evals, res.Start.Loss, res.Best.Loss, res.Status)
		})
	}
}

func TestFitInterrupted(t *testing.T) {
	s, err := ParseSpec("t.toml", []byte("[calibration]\nparams = [\"base_a2\", \"base_c\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := quadratic(s, []float64{0.5, 0.1})
	calls := 0
	eval := func(ctx context.Context, p params.Params) ([]float64, error) {
		calls++
		if calls == 6 {
			cancel() // Ctrl-C during the sixth evaluation
			return nil, ctx.Err()
		}
		return q(ctx, p)
	}
	res, err := minimise(ctx, s, nil, eval, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res == nil || res.Complete || res.Evals != 5 || res.Status != "interrupted" || calls != 6 {
		t.Fatalf("result %+v after %d calls", res, calls)
	}
	if v, _ := res.Params.Get("base_a2"); v != Round(res.Best.Values[0], 0, 2) {
		t.Errorf("params hold %g, best %g", v, res.Best.Values[0])
	}
	var b bytes.Buffer
	if err := WriteFitted(&b, s, res, Provenance{CommandLine: []string{"settle", "calibrate", "t.toml"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "# INCOMPLETE: the fit was interrupted after 5 evaluations") {
		t.Errorf("fitted file:\n%s", b.String())
	}
}

// movesScorer is a stand-in for sim/fit: squared relative errors of moves
// per 1000 residents in three age bands against targets.
type movesScorer struct{ target [3]float64 }

var bands = [3][2]int{{0, 105}, {20, 29}, {50, 59}}

type movesRun struct {
	target     [3]float64
	moves, pop [3]float64
}

func (m movesScorer) NewRun(*world.World) RunScorer { return &movesRun{target: m.target} }

func (r *movesRun) Add(y *record.Year) {
	for sx := range 2 {
		for b, band := range bands {
			for a := band[0]; a <= band[1] && a < len(y.Population[sx]); a++ {
				r.pop[b] += float64(y.Population[sx][a])
				if a < len(y.Moves[sx]) {
					r.moves[b] += float64(y.Moves[sx][a])
				}
			}
		}
	}
}

func (r *movesRun) rates() [3]float64 {
	var out [3]float64
	for b := range out {
		out[b] = 1000 * r.moves[b] / r.pop[b]
	}
	return out
}

func (r *movesRun) Loss() float64 {
	var l float64
	for b, x := range r.rates() {
		d := x/r.target[b] - 1
		l += d * d
	}
	return l
}

// TestFitTeaching calibrates two parameters of the engine on the teaching
// world against targets from a run with known values, and checks that the
// loss falls and that 1 and 2 workers give the same fit.
func TestFitTeaching(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	truth := params.Default()
	truth.BaseA2, truth.BaseC = 0.4, 0.045
	ref, err := Simulate(context.Background(), w, truth, 0.2, 3, []uint64{11}, 2, movesScorer{}.NewRun)
	if err != nil {
		t.Fatal(err)
	}
	sc := movesScorer{target: ref[0].(*movesRun).rates()}
	s, err := ParseSpec("t.toml", []byte(`[calibration]
world = "teaching"
params = ["base_a2", "base_c"]
scale = 0.2
years = 3
max_evals = 15
step = 0.5
`))
	if err != nil {
		t.Fatal(err)
	}
	var results []*Result
	for _, workers := range []int{1, 2} {
		res, err := Fit(context.Background(), Problem{Spec: s, World: w, Scorer: sc, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
		t.Logf("%d workers: loss %.4g → %.4g in %d evaluations, %v: %v", workers, res.Start.Loss, res.Best.Loss, res.Evals, res.Elapsed, res.Best.Values)
	}
	r := results[0]
	if !(r.Best.Loss < r.Start.Loss/2) {
		t.Errorf("loss %.4g → %.4g: want at least halved", r.Start.Loss, r.Best.Loss)
	}
	if r.Evals < 15 {
		t.Errorf("%d evaluations, want 15 (%s)", r.Evals, r.Status)
	}
	for i := range r.Best.Values {
		if r.Best.Values[i] != results[1].Best.Values[i] || r.Best.Loss != results[1].Best.Loss {
			t.Errorf("1 worker: %v (loss %g), 2 workers: %v (loss %g)", r.Best.Values, r.Best.Loss, results[1].Best.Values, results[1].Best.Loss)
			break
		}
	}

	// The fitted table reads back as a scenario's [behaviour].
	var b bytes.Buffer
	if err := WriteFitted(&b, s, r, Provenance{CommandLine: []string{"settle", "calibrate", "t.toml"}}); err != nil {
		t.Fatal(err)
	}
	sn, err := scenario.Parse("fitted-scenario.toml", []byte("[scenario]\nname = \"fitted\"\nworld = \"teaching\"\nyears = 1\n\n"+b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if sn.Behaviour != r.Params {
		t.Errorf("scenario behaviour differs from the fit:\n%s", b.String())
	}
}

func TestLoadTargets(t *testing.T) {
	dir := t.TempDir()
	norway, err := os.ReadFile(filepath.Join("..", "..", "targets", "norway.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// The targets and the spec in one file: package targets never sees the
	// [calibration] tables, and its errors keep their line numbers.
	spec := "\n[calibration]\nparams = [\"base_a2\"]\n[calibration.bounds]\nbase_a2 = [0.1, 1]\n"
	one := filepath.Join(dir, "one.toml")
	os.WriteFile(one, append(append([]byte(nil), norway...), spec...), 0o644)
	s, err := LoadSpec(one)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := LoadTargets(s)
	if err != nil {
		t.Fatal(err)
	}
	if tg.File != one || len(tg.AgeRates) == 0 || tg.MovesPerThousand == nil || s.Params[0] != (Param{"base_a2", 0.1, 1}) {
		t.Errorf("targets %+v, spec %+v", tg, s)
	}
	lines := strings.Count(string(norway), "\n")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte(strings.Replace(string(norway), "[moves_per_thousand]\n", "[moves_per_thousand]\nmni = 3\n", 1)+spec), 0o644)
	s, err = LoadSpec(bad)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadTargets(s)
	want := strings.Count(strings.Split(string(norway), "[moves_per_thousand]\n")[0], "\n") + 2
	if err == nil || !strings.Contains(err.Error(), "bad.toml:"+strconv.Itoa(want)+":") {
		t.Errorf("error %v, want one at line %d of %d", err, want, lines)
	}

	// A spec of its own that names the targets, relative to itself.
	os.Mkdir(filepath.Join(dir, "t"), 0o755)
	os.WriteFile(filepath.Join(dir, "t", "norway.toml"), norway, 0o644)
	own := filepath.Join(dir, "calibration.toml")
	os.WriteFile(own, []byte("[calibration]\ntargets = \"t/norway.toml\"\nparams = [\"base_c\"]\n"), 0o644)
	if s, err = LoadSpec(own); err != nil {
		t.Fatal(err)
	}
	if tg, err = LoadTargets(s); err != nil || tg.File != filepath.Join(dir, "t", "norway.toml") {
		t.Fatalf("targets %v, %v", tg, err)
	}
	var b bytes.Buffer
	res := &Result{Start: Eval{N: 1, Values: []float64{0.027}}, Best: Eval{N: 1, Values: []float64{0.027}}, Evals: 1, Complete: true, Status: "done", Params: params.Default()}
	if err := WriteFitted(&b, s, res, Provenance{TargetsFile: tg.File, TargetsSHA256: tg.SHA256}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "# calibration: "+own) || !strings.Contains(b.String(), "# targets:     "+tg.File+" (sha256 "+tg.SHA256) {
		t.Errorf("provenance of a separate spec:\n%s", b.String())
	}
}

func TestFitRestarts(t *testing.T) {
	var runs []*Result
	for _, restarts := range []int{0, 2} {
		s, err := ParseSpec("t.toml", []byte(`[calibration]
params = ["base_a2", "base_mu2"]
max_evals = 500
tolerance = 0.5
patience = 2
restarts = `+strconv.Itoa(restarts)+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := minimise(context.Background(), s, nil, quadratic(s, []float64{0.6, 30}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Restarts != restarts {
			t.Errorf("restarts = %d, want %d (%s after %d evaluations)", res.Restarts, restarts, res.Status, res.Evals)
		}
		runs = append(runs, res)
	}
	if !(runs[1].Evals > runs[0].Evals && runs[1].Best.Loss < runs[0].Best.Loss) {
		t.Errorf("without restarts %d evaluations, loss %g; with 2: %d, %g", runs[0].Evals, runs[0].Best.Loss, runs[1].Evals, runs[1].Best.Loss)
	}
}

// TestLoadWorld: the spec's world is loaded with its travel_times, and an
// error names the key; fitted.toml pins the files by their SHA-256.
func TestLoadWorld(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "regions.csv"), []byte("code,name,lat,lon,population\nA,Alpha,60,10,5000\nB,Beta,60.5,10.5,800\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "travel.csv"), []byte("from,to,minutes\nA,B,300\n"), 0o644)
	file := filepath.Join(dir, "cal.toml")
	spec := func(body string) *Spec {
		t.Helper()
		s, err := ParseSpec(file, []byte("[calibration]\nparams = [\"base_c\"]\n"+body))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := spec("world = \"regions.csv\"\ntravel_times = \"travel.csv\"\n")
	w, err := s.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	if w.TravelMinutes(0, 1) != 300 || w.GivenPairs != 2 || len(w.Files) != 2 || w.Files[1].Role != world.TravelFile {
		t.Errorf("the travel file was not used: %g minutes, %d pairs given, files %+v", w.TravelMinutes(0, 1), w.GivenPairs, w.Files)
	}
	var b bytes.Buffer
	res := &Result{Start: Eval{N: 1, Values: []float64{0.027}}, Best: Eval{N: 1, Values: []float64{0.027}}, Evals: 1, Complete: true, Status: "done", Params: params.Default()}
	if err := WriteFitted(&b, s, res, Provenance{WorldFiles: w.Files}); err != nil {
		t.Fatal(err)
	}
	for _, f := range w.Files {
		if len(f.SHA256) != 64 || !strings.Contains(b.String(), f.Path+" (sha256 "+f.SHA256+")\n") {
			t.Errorf("fitted.toml does not pin %s:\n%s", f.Path, b.String())
		}
	}
	if got := WorldText(s.World, w.Files); got != s.World+" (sha256 "+w.Files[0].SHA256[:12]+"), travel times "+s.TravelTimes+" (sha256 "+w.Files[1].SHA256[:12]+")" {
		t.Errorf("WorldText %q", got)
	}
	if got := WorldText("teaching", nil); got != "teaching" {
		t.Errorf("WorldText of an embedded world: %q", got)
	}

	for _, c := range []struct{ body, want string }{
		{"world = \"regions.csv\"\ntravel_times = \"travle.csv\"\n", "cal.toml:4: calibration.travel_times: travel-time file " + filepath.Join(dir, "travle.csv") + " does not exist"},
		// Relative to the calibration file, not "to the scenario file"
		// (world.Load's words).
		{"world = \"regoins.csv\"\ntravel_times = \"travel.csv\"\n", "cal.toml:3: calibration.world: regions file " + filepath.Join(dir, "regoins.csv") + " does not exist; give the path of a regions CSV relative to the folder of " + file + ", or an embedded world"},
		{"world = \"regions.csv\"\ntravel_times = \"regions.csv\"\n", "cal.toml:4: calibration.travel_times: "},
		// A file named without its extension, beside this file (whichever
		// folder settle runs in).
		{"world = \"regions\"\n", "cal.toml:3: calibration.world: unknown world \"regions\"; name an embedded world (norway-2024, teaching) or give the path of a regions CSV; " + dir + " has the file regions.csv: for it, write world = \"regions.csv\""},
	} {
		_, err := spec(c.body).LoadWorld()
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "scenario") {
			t.Errorf("%q: %v, want %q", c.body, err, c.want)
		}
	}

}
