package calibrate

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/scenario"
)

// TestParseSpecWrittenZero: a key written in the file is checked as
// written, so a 0 out of the key's range is refused with the key, the
// range and the fix (it was taken for "use the default": max_evals = 0 ran
// 200 evaluations, scale = 0 ran at 0.05, validate_scale = 0 became twice
// the scale), and only a key left out takes the default.
func TestParseSpecWrittenZero(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"max_evals = 0", "t.toml:2: calibration.max_evals: 0 evaluations cannot fit 9 parameters; allow at least 11 (the start and a first simplex), or leave the key out for 200"},
		{"scale = 0", "t.toml:2: calibration.scale: 0 is out of range; the scale is the simulated share of the population, 0 < scale ≤ 1: give e.g. scale = 0.1, or leave the key out for 0.05"},
		{"scale = 0.0", "t.toml:2: calibration.scale: 0 is out of range"},
		{"years = 0", "t.toml:2: calibration.years: 0 is out of range; give 1 to 200 simulated years per evaluation, or leave the key out for 10"},
		{"step = 0", "t.toml:2: calibration.step: 0 is out of range; give an initial step in logit units with 0 < step ≤ 10, or leave the key out for 0.3"},
		{"validate_scale = 0", "t.toml:2: calibration.validate_scale: 0 is out of range; give 0 < validate_scale ≤ 1, or leave the key out for twice the calibration scale (at most 1)"},
		{"patience = 0", "t.toml:2: calibration.patience: 0 is out of range; give 1 or more iterations, or leave the key out for 10 + 4 per parameter"},
		{`world = ""`, `t.toml:2: calibration.world: empty; name an embedded world or give the path of a regions CSV (relative to this file), or leave the key out for "norway-2024"`},
		{`method = ""`, `t.toml:2: calibration.method: unknown method ""; use one of nelder-mead, or leave the key out for nelder-mead`},
		{"seeds = []", "t.toml:2: calibration.seeds: the list is empty; give at least one seed, e.g. seeds = [1, 2], or leave the key out for seeds 1 and 2"},
		{"validate_seeds = []", "t.toml:2: calibration.validate_seeds: the list is empty; give at least one seed, e.g. validate_seeds = [101, 102], or leave the key out for two seeds from 101 that seeds does not use"},
	} {
		_, err := ParseSpec("t.toml", []byte("[calibration]\n"+c.body+"\n"))
		if err == nil || err.Error() != c.want && !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.body, err, c.want)
		}
	}

	// A 0 that is in the key's range is that value, not the default.
	s, err := ParseSpec("t.toml", []byte("[calibration]\nrestarts = 0\ntolerance = 0\ntravel_times = \"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Restarts != 0 || s.Tolerance != 0 || s.TravelTimes != "" {
		t.Errorf("restarts %d, tolerance %g, travel_times %q; want the zeros written", s.Restarts, s.Tolerance, s.TravelTimes)
	}
	// Keys left out beside others that are written take their defaults.
	s, err = ParseSpec("t.toml", []byte("[calibration]\nparams = [\"base_a2\"]\nseeds = [5]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxEvals != DefaultMaxEvals || s.Scale != DefaultScale || s.Years != DefaultYears || s.Step != DefaultStep ||
		s.Tolerance != DefaultTolerance || s.Restarts != DefaultRestarts || s.Patience != 0 || s.patience() != 14 || s.World != DefaultWorld {
		t.Errorf("defaults: %+v", s)
	}
	if scale, seeds := s.validation(); scale != 0.1 || !slices.Equal(seeds, []uint64{101, 102}) {
		t.Errorf("validation scale %g, seeds %v", scale, seeds)
	}
	// A Spec built by hand keeps 0 for "the default" of patience and
	// validate_scale (their fields say so).
	s.given = nil
	if err := s.Check(); err != nil {
		t.Errorf("a spec built by hand with patience and validate_scale 0: %v", err)
	}
}

// TestParseSpecMessages: the messages say what is wrong with the value
// written and how to write it.
func TestParseSpecMessages(t *testing.T) {
	for _, c := range []struct {
		body, want, not string
	}{
		// An empty list is a list.
		{"seeds = []", "calibration.seeds: the list is empty; give at least one seed", "expected a list"},
		{"seeds = 3", "calibration.seeds: expected a list of seeds, e.g. seeds = [1, 2]; got 3", ""},
		{"seeds = [1, -2]", "calibration.seeds: seed -2 is not a whole number of 0 or more", ""},
		// 0 restarts (none) is allowed, so the message of a negative
		// number says so, not "1 or more".
		{"restarts = -1", "t.toml:2: calibration.restarts: -1 is negative; give a number of restarts, 0 for none, or leave the key out for 2", "1 or more"},
		{"years = 1.5", "t.toml:2: calibration.years: expected a whole number, got 1.5", ""},
		{"years = 10.0", "t.toml:2: calibration.years: expected a whole number, got 10.0", ""},
		// The fix for the params list, not the syntax of a scenario.
		{`params = ["util_jobs"]`, `t.toml:2: calibration.params: util_jobs is set per life phase; list each phase to fit, e.g. params = ["util_jobs.early_career"], with phase one of `, "= value"},
		{"params = [\"base_a2\"]\n[calibration.bounds]\nutil_jobs = [0, 1]", "t.toml:4: calibration.bounds.util_jobs: util_jobs is set per life phase; give each phase's bounds in [calibration.bounds], e.g. util_jobs.early_career = [min, max]", ""},
		// One of each.
		{"params = [\"base_a2\"]\nmax_evals = 2", "t.toml:3: calibration.max_evals: 2 evaluations cannot fit 1 parameter; allow at least 3", "parameters"},
		{"params = [\"base_a2\"]\nmax_evals = 1", "t.toml:3: calibration.max_evals: 1 evaluation cannot fit 1 parameter; allow at least 3", "evaluations"},
	} {
		_, err := ParseSpec("t.toml", []byte("[calibration]\n"+c.body+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) || c.not != "" && strings.Contains(err.Error(), c.not) {
			t.Errorf("%s:\n got %v\nwant %s (and not %q)", c.body, err, c.want, c.not)
		}
	}
	if _, err := ParseSpec("t.toml", []byte("[calibration]\nrestarts = 0\n")); err != nil {
		t.Errorf("restarts = 0: %v", err)
	}
}

// TestParseSpecEveryProblem: every problem of the table at once, each with
// its line, in line order (a spec with 8 mistakes took 9 runs, each naming
// one, with no line, in the order of the keys' names), and no follow-on
// problems from a value that could not be read.
func TestParseSpecEveryProblem(t *testing.T) {
	body := `# Targets come first in a targets file.
[moves_per_thousand]
min = 40

[calibration]
years = 0
scale = "0.1"
params = [
  "base_a2",
  "base_a3",
  "util_jobs", "base_a2",
]
seeds = [3, 3]
max_evals = 2
stpe = 0.3

[calibration.bounds]
base_a2 = [0.5, 0.1]
phase_factor = { student = [0.1, 3] }
`
	_, err := ParseSpec("t.toml", []byte(body))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`t.toml:6: calibration.years: 0 is out of range`,
		`t.toml:7: calibration.scale: expected a number, got "0.1"`,
		`t.toml:10: calibration.params: unknown behaviour parameter "base_a3"; did you mean "base_a2"?`,
		`t.toml:11: calibration.params: util_jobs is set per life phase`,
		`t.toml:11: calibration.params: base_a2 is listed twice`,
		`t.toml:13: calibration.seeds: seed 3 is listed twice`,
		// The one known parameter, counted once (it said 4 parameters).
		`t.toml:14: calibration.max_evals: 2 evaluations cannot fit 1 parameter; allow at least 3`,
		`t.toml:15: calibration.stpe: unknown key "stpe" in [calibration]; did you mean "step"?`,
		`t.toml:18: calibration.bounds.base_a2: [0.5, 0.1] is not an interval`,
		`t.toml:19: calibration.bounds.phase_factor.student: phase_factor.student has bounds but is not in calibration.params`,
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(got), len(want), err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i+1, got[i], want[i])
		}
	}

	// No follow-ons: a params that is no list gives no "bounds but not
	// in params"; a seeds list that cannot be read no "no seeds".
	for _, c := range []struct{ body, want string }{
		{"params = \"base_a2\"\n[calibration.bounds]\nbase_a2 = [0.1, 1]\n", `t.toml:2: calibration.params: expected a list of parameter names, e.g. params = ["base_a2", "phase_factor.student"]; got "base_a2"`},
		{"params = [\"base_a2\", 3]\n[calibration.bounds]\nbase_a2 = [0.1, 1]\n", `t.toml:2: calibration.params: expected the name of a parameter in quotes, e.g. "base_a2"; got 3`},
		{"seeds = [\"one\"]\n", `t.toml:2: calibration.seeds: seed "one" is not a whole number of 0 or more`},
		{"bounds = 3\n", `t.toml:2: calibration.bounds: expected a table of name = [min, max]`},
		{"params = [\"base_a2\"]\n[calibration.bounds]\nbase_a2 = [\"0\", 1]\n", `t.toml:4: calibration.bounds.base_a2: expected a number, got "0"`},
		// An element with text in it may be the bounded parameter.
		{"params = [\"base_a2\", [\"base_c\"]]\n[calibration.bounds]\nbase_c = [0.01, 0.1]\n", `t.toml:2: calibration.params: expected the name of a parameter in quotes, e.g. "base_a2"; got ["base_c"]`},
		// Numbers alone: no "no parameters to fit" either.
		{"params = [3]\n", `t.toml:2: calibration.params: expected the name of a parameter in quotes, e.g. "base_a2"; got 3`},
	} {
		_, err := ParseSpec("t.toml", []byte("[calibration]\n"+c.body))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q:\n got %v\nwant only %s…", c.body, err, c.want)
		}
	}
}

// TestParseSpecNumberInParams: an element that is a number names no
// parameter, so the bounds of a parameter not listed are still a problem
// (every such problem was left out after any unreadable element).
func TestParseSpecNumberInParams(t *testing.T) {
	_, err := ParseSpec("t.toml", []byte("[calibration]\nparams = [\"base_a2\", 3]\n[calibration.bounds]\nbase_c = [0.01, 0.1]\n"))
	want := "t.toml:2: calibration.params: expected the name of a parameter in quotes, e.g. \"base_a2\"; got 3\n" +
		"t.toml:4: calibration.bounds.base_c: base_c has bounds but is not in calibration.params; add it to params or remove its bounds"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	// A number instead of the list names none either.
	_, err = ParseSpec("t.toml", []byte("[calibration]\nparams = 3\n[calibration.bounds]\nbase_c = [0.01, 0.1]\n"))
	if err == nil || !strings.Contains(err.Error(), "t.toml:4: calibration.bounds.base_c: base_c has bounds but is not in calibration.params") {
		t.Errorf("params = 3: %v", err)
	}
}

// TestReadSpecKeepsProblems: ReadSpec (settle calibrate's, before its
// flags override the file) keeps the table's problems for Check, which
// reports them with its own.
func TestReadSpecKeepsProblems(t *testing.T) {
	s, err := parseSpec("t.toml", []byte("[calibration]\nscael = 0.1\nmax_evals = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Check()
	want := "t.toml:2: calibration.scael: unknown key \"scael\" in [calibration]; did you mean \"scale\"?\n" +
		"t.toml:3: calibration.max_evals: 0 evaluations cannot fit 9 parameters; allow at least 11 (the start and a first simplex), or leave the key out for 200"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	// A flag's value replaces the file's 0; the file's other problem
	// stays, and Check does not change the spec.
	s.MaxEvals = 50
	if err := s.Check(); err == nil || strings.Contains(err.Error(), "max_evals") || !strings.Contains(err.Error(), "scael") {
		t.Errorf("after the override: %v", err)
	}
	if len(s.read) != 1 {
		t.Errorf("Check changed the problems read: %v", s.read)
	}
}

// TestCheckByHand: a Spec built by hand has no lines; every problem is
// FILE: KEY: message.
func TestCheckByHand(t *testing.T) {
	s := &Spec{File: "hand", Params: []Param{{"base_a2", 0, 2}}, Scale: 2, Years: 5, Seeds: []uint64{1}, Method: DefaultMethod, MaxEvals: 2, Step: 0.3}
	err := s.Check()
	want := "hand: calibration.scale: 2 is out of range; the scale is the simulated share of the population, 0 < scale ≤ 1: give e.g. scale = 0.1, or leave the key out for 0.05\n" +
		"hand: calibration.max_evals: 2 evaluations cannot fit 1 parameter; allow at least 3 (the start and a first simplex), or leave the key out for 200"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// TestProblem: Spec.Problem (settle calibrate's for a scale the world
// refuses) names the line of the key, or of its table when the key was
// left out.
func TestProblem(t *testing.T) {
	s, err := ParseSpec("t.toml", []byte("[moves]\nper_1000 = 3\n\n[calibration]\nparams = [\"base_a2\"]\nvalidate_scale = 0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"validate_scale": "t.toml:6: calibration.validate_scale: too small",
		"scale":          "t.toml:4: calibration.scale: too small",
	} {
		if got := s.Problem(key, "too small").Error(); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}

// FuzzParseSpec: any file gives a spec or problems that each name the
// file, never a panic.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"[calibration]\nscale = 0\nseeds = [1, 1]\nparams = [\"util_jobs\", 3]\n",
		"[calibration.bounds]\nphase_factor = { student = [1, \"x\"] }\n", "calibration = [1]\n", "[calibration]\nvalidate_seeds = []\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := ParseSpec("t.toml", []byte(src))
		if err == nil {
			return
		}
		if es, ok := err.(scenario.Errors); ok {
			for _, e := range es {
				if e.File != "t.toml" || e.Line < 0 || e.Line > strings.Count(src, "\n")+1 {
					t.Fatalf("%q: %v", src, e)
				}
			}
		}
	})
}

// Example of the problems of a [calibration] table, all at once.
func ExampleParseSpec() {
	_, err := ParseSpec("calibration.toml", []byte(`[calibration]
max_evals = 0
scale = 0
seeds = []
`))
	fmt.Println(err)
	// Output:
	// calibration.toml:2: calibration.max_evals: 0 evaluations cannot fit 9 parameters; allow at least 11 (the start and a first simplex), or leave the key out for 200
	// calibration.toml:3: calibration.scale: 0 is out of range; the scale is the simulated share of the population, 0 < scale ≤ 1: give e.g. scale = 0.1, or leave the key out for 0.05
	// calibration.toml:4: calibration.seeds: the list is empty; give at least one seed, e.g. seeds = [1, 2], or leave the key out for seeds 1 and 2
}
