package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/calibrate"
	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// calibrationFile writes Norway's targets with a [calibration] table for a
// tiny fit on the teaching world into dir: three parameters, 15
// evaluations, scale 0.2, 3 years, seeds 1 and 2.
func calibrationFile(t testing.TB, dir string) string {
	t.Helper()
	targets, err := os.ReadFile(filepath.Join("..", "..", "targets", "norway.toml"))
	if err != nil {
		t.Fatal(err)
	}
	spec := `
[calibration]
world = "teaching"
params = ["base_a2", "base_c", "young_women_factor"]
scale = 0.2
years = 3
max_evals = 15
step = 0.2

[calibration.bounds]
base_c = [0.005, 0.1]
`
	path := filepath.Join(dir, "teaching-targets.toml")
	if err := os.WriteFile(path, append(targets, spec...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// behaviourTable returns the [behaviour] table of a fitted.toml.
func behaviourTable(t testing.TB, fitted string) string {
	t.Helper()
	_, table, ok := strings.Cut(fitted, "[behaviour]\n")
	if !ok {
		t.Fatalf("no [behaviour] table in\n%s", fitted)
	}
	return table
}

func TestCalibrate(t *testing.T) {
	tmp := t.TempDir()
	file := calibrationFile(t, tmp)
	var tables []string
	for _, workers := range []int{1, 2} {
		out := filepath.Join(tmp, "out"+strconv.Itoa(workers))
		var stdout, stderr bytes.Buffer
		opts := calibrateOptions{File: file, Out: out, Workers: workers, Quiet: true,
			Cmdline: []string{"settle", "calibrate", file, "--out", out}}
		if err := runCalibrate(context.Background(), opts, &stdout, &stderr); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		if got := strings.TrimSpace(stdout.String()); got != out {
			t.Errorf("--quiet printed %q, want the folder %s", got, out)
		}
		for _, name := range []string{"fitted.toml", "report.txt", "report.csv", "trace.csv"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Error(err)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "INCOMPLETE")); err == nil {
			t.Error("INCOMPLETE left in a finished calibration")
		}

		// The trace has the 15 evaluations at different points, and the
		// fit reports the best of them. (Whether the optimiser improves on
		// the start depends on how close the defaults already are;
		// sim/calibrate's TestFitFindsKnownOptimum checks that it finds an
		// optimum.)
		trace := readCSV(t, filepath.Join(out, "trace.csv"))
		if len(trace) != 16 || trace[0][0] != "evaluation" || trace[0][1] != "loss" {
			t.Fatalf("trace: %d rows, header %v", len(trace), trace[0])
		}
		first, _ := strconv.ParseFloat(trace[1][1], 64)
		best, bestEval, points := first, "1", map[string]bool{}
		for _, row := range trace[1:] {
			l, _ := strconv.ParseFloat(row[1], 64)
			if l < best {
				best, bestEval = l, row[0]
			}
			points[strings.Join(row[3:6], ",")] = true
		}
		if len(points) < 10 {
			t.Errorf("the trace visits %d different points in 15 evaluations", len(points))
		}

		// fitted.toml is a [behaviour] table that a scenario accepts.
		b, err := os.ReadFile(filepath.Join(out, "fitted.toml"))
		if err != nil {
			t.Fatal(err)
		}
		fitted := string(b)
		if want := fmt.Sprintf("%.6g fitted (evaluation %s)", best, bestEval); !strings.Contains(fitted, want) {
			t.Errorf("fitted.toml does not report the trace's best, %q:\n%s", want, fitted)
		}
		for _, want := range []string{"# command:     settle calibrate " + file, "sha256 ", "seeds 1, 2", "# engine:", "# evaluations: 15 of at most 15,", "# rerun:", "# validation:", "base_a2 "} {
			if !strings.Contains(fitted, want) {
				t.Errorf("fitted.toml lacks %q:\n%s", want, fitted)
			}
		}
		s, err := scenario.Parse("with-fitted.toml", []byte("[scenario]\nname = \"fitted\"\nworld = \"teaching\"\nyears = 1\n\n"+fitted))
		if err != nil {
			t.Fatalf("a scenario with fitted.toml: %v", err)
		}
		if len(s.Overrides) != 3 || s.Overrides["young_women_factor"] == 0 {
			t.Errorf("overrides %v", s.Overrides)
		}
		tables = append(tables, behaviourTable(t, fitted))

		report, err := os.ReadFile(filepath.Join(out, "report.txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"moves per 1000, ages 20–24", "distance exponent", "validation", "scale 0.4"} {
			if !strings.Contains(string(report), want) {
				t.Errorf("report.txt lacks %q:\n%s", want, report)
			}
		}

	}
	if tables[0] != tables[1] {
		t.Errorf("1 worker fitted\n%s\n2 workers\n%s", tables[0], tables[1])
	}
}

// TestCalibrateTargetsFile: a targets file without a [calibration] table
// is fitted with the defaults (docs/calibration.md's example; it used to be
// refused as "not a calibration file"), and a reference without a target
// (Norway's same-county share) reads – in report.txt and an empty cell in
// report.csv, not NaN.
func TestCalibrateTargetsFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, errs := settle(t, "calibrate", "../../targets/norway.toml", "--max-evals", "11", "--scale", "0.004", "--years", "1", "--seeds", "1", "--quiet", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	reportCSV, err := os.ReadFile(filepath.Join(out, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "same-county share of moves") {
		t.Fatalf("report.txt has no same-county row:\n%s", report)
	}
	if strings.Contains(string(report), "NaN") || strings.Contains(string(reportCSV), "NaN") {
		t.Errorf("NaN in report.txt or report.csv:\n%s", report)
	}
	// The header docs/calibration.md documents (error_is_relative as in fit.csv).
	const header = "column,scale,years,seed,id,statistic,unit,target,min,max,simulated,error,error_is_relative,checked,ok,run_loss,detail\n"
	if !strings.HasPrefix(string(reportCSV), header) {
		t.Errorf("report.csv starts %q, want %q", strings.SplitAfter(string(reportCSV), "\n")[0], header)
	}
}

// TestCalibrateValidateScaleTooSmall: a validation scale the engine would
// refuse is an error naming the key before anything runs (the whole fit
// ran, then the report failed and took fitted.toml with it).
func TestCalibrateValidateScaleTooSmall(t *testing.T) {
	tmp := t.TempDir()
	file := calibrationFile(t, tmp)
	b, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(b), "step = 0.2\n", "step = 0.2\nvalidate_scale = 0.0002\n", 1)), 0o644)
	out := filepath.Join(tmp, "out")
	code, _, errs := settle(t, "calibrate", file, "--out", out)
	if want := fmt.Sprintf("teaching-targets.toml:%d: calibration.validate_scale: scale 0.0002 is too small for world teaching", lineOf(t, file, "validate_scale =")); code != exitError || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q; want %q", code, errs, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the refused calibration made %s", out)
	}
}

func TestCalibrateInterrupted(t *testing.T) {
	tmp := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(tmp, "out")
	var stdout, stderr bytes.Buffer
	file := calibrationFile(t, tmp)
	cmdline := []string{"settle", "calibrate", file, "--out", out, "--seeds", "1"}
	err := runCalibrate(ctx, calibrateOptions{File: file, Out: out, Quiet: true, Cmdline: cmdline}, &stdout, &stderr)
	if !errors.Is(err, context.Canceled) || exitCode(err) != exitInterrupted {
		t.Fatalf("err %v (exit %d), want an interruption", err, exitCode(err))
	}
	b, err := os.ReadFile(filepath.Join(out, "INCOMPLETE"))
	if err != nil {
		t.Fatal("no INCOMPLETE in an interrupted calibration's folder")
	}
	// Its advice works: the command it gave ran into the same folder,
	// which was refused; and from the folder it ran in, whatever the
	// reader's.
	wd, _ := os.Getwd()
	want := "\n  cd " + output.ShellQuote(wd) + " && settle calibrate " + output.ShellQuote(file) + " --seeds 1\n"
	if !strings.Contains(string(b), want) {
		t.Errorf("INCOMPLETE says %q, want the command without --out: %q", b, want)
	}
	// manifest.json, as a run's, says it did not finish and why.
	m, err := calibrate.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Complete || m.Evaluations != 0 || !strings.Contains(m.Stopped, "interrupted") || m.EndTime.IsZero() || !slices.Equal(m.CommandLine, cmdline) {
		t.Errorf("manifest of an interrupted calibration: %+v", m)
	}
	// The file as read is kept beside the manifest's SHA-256.
	if got := sha256Of(t, filepath.Join(out, calibrate.CalibrationCopy)); got != m.CalibrationSHA256 {
		t.Errorf("%s: SHA-256 %s, the file's %s", calibrate.CalibrationCopy, got, m.CalibrationSHA256)
	}
	assertNoTmp(t, out)
}

func TestCalibrateUsage(t *testing.T) {
	tmp := t.TempDir()
	file := calibrationFile(t, tmp)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "which targets?"},
		{[]string{file, file}, "give one targets file"},
		{[]string{file, "--seeds", "0"}, "--seeds 0"},
		// A flag given as 0 is refused, not taken for "not given".
		{[]string{file, "--max-evals", "0"}, "--max-evals 0: give a number of 1 or more, or leave the flag out for the default"},
		{[]string{file, "--max-evals=0"}, "--max-evals 0: give a number of 1 or more"},
		{[]string{file, "--years", "0"}, "--years 0: give a number of 1 or more"},
		{[]string{file, "--scale", "0"}, "--scale 0 is out of range"},
		{[]string{file, "--scale", "0.0"}, "--scale 0 is out of range"},
		{[]string{file, "--scale", "2"}, "--scale 2 is out of range"},
		{[]string{file, "--max-evals", "-1"}, "--max-evals -1"},
		{[]string{file, "--max-eval", "3"}, "did you mean --max-evals?"},
		// The flag is named, not the file's key (whose value is 15).
		{[]string{file, "--max-evals", "2"}, "settle calibrate: --max-evals 2: 3 parameters need at least 5 evaluations"},
		{[]string{file, "--years", "500"}, "--years 500: give a number of years from 1 to 200"},
		// Refused before the folder is made (engine.New refused it at
		// the first evaluation, leaving an INCOMPLETE folder).
		{[]string{file, "--scale", "0.0001"}, "settle calibrate: --scale 0.0001 is too small for world teaching: 5 of its 14 regions (the smallest) would each keep one simulated person, which overstates the population by 9.1 %; use 0.0005 or more"},
		// A targets file is fitted with the defaults (it was refused as
		// "not a calibration file", which docs/calibration.md's example is).
		{[]string{"../../targets/norway.toml", "--max-evals", "3"}, "--max-evals 3: 9 parameters need at least 11 evaluations"},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), append([]string{"calibrate"}, c.args...), nil, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr.String(), c.want)
		}
	}
	// One parameter needs three evaluations (it said "1 parameters need").
	one := userWorldCalibration(t, t.TempDir(), false)
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"calibrate", one, "--max-evals", "2"}, nil, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "--max-evals 2: 1 parameter needs at least 3 evaluations") {
		t.Errorf("--max-evals 2 for one parameter: exit %d, %s", code, stderr.String())
	}

	// A file with mistakes of its own and a --max-evals too small: all in
	// one run (the flag was reported alone, the file's mistakes after it
	// was mended).
	bad := filepath.Join(t.TempDir(), "bad.toml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(string(src), "step = 0.2", "step = -0.2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code := runMain(context.Background(), []string{"calibrate", bad, "--max-evals", "2"}, nil, &stdout, &stderr)
	if got := stderr.String(); code != exitError || !strings.Contains(got, fmt.Sprintf("bad.toml:%d: calibration.step: -0.2 is out of range", lineOf(t, bad, "step = -0.2"))) ||
		!strings.Contains(got, "\n--max-evals 2: 3 parameters need at least 5 evaluations") || strings.Contains(got, "max_evals") {
		t.Errorf("a bad file and a bad --max-evals: exit %d, stderr\n%s", code, got)
	}

	// --seeds extends the file's seeds with the next numbers.
	opts := calibrateOptions{Seeds: 4}
	s, err := calibrate.LoadSpec(file)
	if err != nil {
		t.Fatal(err)
	}
	opts.apply(s)
	if len(s.Seeds) != 4 || s.Seeds[2] != 3 || s.Seeds[3] != 4 {
		t.Errorf("--seeds 4: %v", s.Seeds)
	}
	// Flags not given leave the file's values.
	s, _ = calibrate.LoadSpec(file)
	before := *s
	(&calibrateOptions{}).apply(s)
	if s.MaxEvals != before.MaxEvals || s.Scale != before.Scale || s.Years != before.Years || !slices.Equal(s.Seeds, before.Seeds) {
		t.Errorf("no flags changed the spec: %+v, was %+v", s, before)
	}
}

// lineOf returns the line (from 1) of file where text first occurs.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	before, _, ok := strings.Cut(string(b), text)
	if !ok {
		t.Fatalf("%s has no %q", file, text)
	}
	return strings.Count(before, "\n") + 1
}

// TestCalibrateEveryProblem: settle calibrate reports every problem of the
// [calibration] table in one run, each with its line, in line order (it
// took one run per mistake, and a written 0 ran as the default: max_evals
// = 0 ran 200 evaluations); nothing runs, and no folder is made.
func TestCalibrateEveryProblem(t *testing.T) {
	tmp := t.TempDir()
	file := calibrationFile(t, tmp)
	b, _ := os.ReadFile(file)
	b = bytes.Replace(b, []byte("scale = 0.2\nyears = 3\nmax_evals = 15\n"), []byte("scale = 0\nyears = 0\nmax_evals = 0\nrestarts = -1\nseeds = []\n"), 1)
	b = bytes.Replace(b, []byte("base_c = [0.005, 0.1]"), []byte("base_c = [0.1, 0.005]\nbase_mu2 = [15, 30]"), 1)
	b = bytes.Replace(b, []byte("step = 0.2\n"), []byte("step = 0.2\nvalidate_scale = 0\n"), 1)
	os.WriteFile(file, b, 0o644)
	out := filepath.Join(tmp, "out")
	code, _, errs := settle(t, "calibrate", file, "--quiet", "--out", out)
	at := func(text string) string { return fmt.Sprintf("%s:%d: ", file, lineOf(t, file, text)) }
	want := []string{
		at("scale = 0") + "calibration.scale: 0 is out of range",
		at("years = 0") + "calibration.years: 0 is out of range",
		at("max_evals = 0") + "calibration.max_evals: 0 evaluations cannot fit 3 parameters; allow at least 5",
		at("restarts = -1") + "calibration.restarts: -1 is negative",
		at("seeds = []") + "calibration.seeds: the list is empty",
		at("validate_scale = 0") + "calibration.validate_scale: 0 is out of range",
		at("base_c = [0.1") + "calibration.bounds.base_c: [0.1, 0.005] is not an interval",
		at("base_mu2 = [") + "calibration.bounds.base_mu2: base_mu2 has bounds but is not in calibration.params",
	}
	got := strings.Split(strings.TrimSpace(errs), "\n")
	if code != exitError || len(got) != len(want) {
		t.Fatalf("exit %d, %d lines; want exit 1 and %d problems:\n%s", code, len(got), len(want), errs)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("line %d:\n got %s\nwant …%s…", i+1, got[i], want[i])
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused calibration made its folder")
	}
}

// TestCalibrateFlagMendsFile: --max-evals overrides the file before it is
// checked, so it mends a max_evals too small for the parameters (the
// file's check refused it first); without the flag the file's own mistake
// is an error (exit 1) that names the key.
func TestCalibrateFlagMendsFile(t *testing.T) {
	tmp := t.TempDir()
	file := calibrationFile(t, tmp)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.Replace(b, []byte("max_evals = 15"), []byte("max_evals = 3"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	code, _, errs := settle(t, "calibrate", file, "--quiet", "--out", out)
	if code != 1 || !strings.Contains(errs, "calibration.max_evals: 3 evaluations cannot fit 3 parameters; allow at least 5") {
		t.Errorf("the file alone: exit %d, %s; want exit 1 and the key", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused calibration made its folder")
	}
	code, _, errs = settle(t, "calibrate", file, "--max-evals", "5", "--scale", "0.05", "--years", "1", "--seeds", "1", "--quiet", "--out", out)
	if code != 0 {
		t.Errorf("--max-evals 5: exit %d, %s; want the flag to override the file's 3", code, errs)
	}
}

// userWorldCalibration writes the teaching world as a user's files (w/regions.csv
// and, unless travel is false, w/travel.csv with the island's ferry times)
// and a calibration file c/cal.toml naming them relative to itself: one
// parameter, 3 evaluations, scale 0.05, 2 years, seed 1.
func userWorldCalibration(t *testing.T, dir string, travel bool) string {
	t.Helper()
	for _, d := range []string{"w", "c"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"regions.csv", "travel.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "sim", "world", "data", "teaching", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "w", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	targets, err := os.ReadFile(filepath.Join("..", "..", "targets", "norway.toml"))
	if err != nil {
		t.Fatal(err)
	}
	spec := "\n[calibration]\nworld = \"../w/regions.csv\"\n"
	if travel {
		spec += "travel_times = \"../w/travel.csv\"\n"
	}
	spec += "params = [\"base_a2\"]\nscale = 0.05\nyears = 2\nseeds = [1]\nmax_evals = 3\n"
	path := filepath.Join(dir, "c", "cal.toml")
	if err := os.WriteFile(path, append(targets, spec...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sha256Of(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestCalibrateTravelTimes: [calibration] takes travel_times, relative to
// the file as world is, and every evaluation simulates the world with them
// (it was "unknown key", so a user world was fitted on centroid-estimated
// times and run with the real ones). The world's files are pinned by their
// SHA-256 in fitted.toml, report.txt and manifest.json.
func TestCalibrateTravelTimes(t *testing.T) {
	tmp := t.TempDir()
	file := userWorldCalibration(t, tmp, true)
	out := filepath.Join(tmp, "out")
	code, stdout, errs := settle(t, "calibrate", file, "--out", out, "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	regions, travel := filepath.Join(tmp, "w", "regions.csv"), filepath.Join(tmp, "w", "travel.csv")
	rsum, tsum := sha256Of(t, regions), sha256Of(t, travel)
	fitted, err := os.ReadFile(filepath.Join(out, "fitted.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# world file:  " + regions + " (sha256 " + rsum + ")\n", "# travel file: " + travel + " (sha256 " + tsum + ")\n"} {
		if !strings.Contains(string(fitted), want) {
			t.Errorf("fitted.toml lacks %q:\n%s", want, fitted)
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	used := "world " + regions + " (sha256 " + rsum[:12] + "), travel times " + travel + " (sha256 " + tsum[:12] + ")"
	if !strings.Contains(string(report), used) || !strings.Contains(stdout, "calibrating 1 parameter of "+regions+" (sha256 "+rsum[:12]+"), travel times "+travel) {
		t.Errorf("report.txt or the output does not name the files with their hashes (%q):\n%s\n%s", used, report, stdout)
	}

	m, err := calibrate.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []world.File{{Role: world.RegionsFile, Path: regions, SHA256: rsum}, {Role: world.TravelFile, Path: travel, SHA256: tsum}}
	if !slices.Equal(m.WorldFiles, wantFiles) || m.World != regions {
		t.Errorf("manifest world %q, files %+v; want %+v", m.World, m.WorldFiles, wantFiles)
	}
	if !m.Complete || m.Stopped != "" || m.CalibrationFile != file || m.CalibrationSHA256 != sha256Of(t, file) ||
		m.TargetsFile != file || m.TargetsSHA256 != m.CalibrationSHA256 || m.EngineVersion != engine.Version ||
		m.Scale != 0.05 || m.Years != 2 || !slices.Equal(m.Seeds, []uint64{1}) || m.Workers != 2 || m.Evaluations != 3 ||
		m.MaxEvals != 3 || m.ValidateScale != 0.1 || len(m.ValidateSeeds) != 2 || len(m.Params) != 1 || m.Params[0].Name != "base_a2" ||
		m.StartTime.IsZero() || m.EndTime.Before(m.StartTime) || m.WorkingDir == "" || len(m.CommandLine) == 0 {
		t.Errorf("manifest %+v", m)
	}
	// The folder keeps copies of the world files (world/).
	for _, f := range m.WorldFiles {
		if got := sha256Of(t, filepath.Join(out, output.WorldCopy(f))); got != f.SHA256 {
			t.Errorf("%s: SHA-256 %s, the file's %s", output.WorldCopy(f), got, f.SHA256)
		}
	}
	assertNoTmp(t, out)

	// The times are used: without the file (the island's ferry estimated
	// as a road) the same start point scores differently.
	other := t.TempDir()
	out2 := filepath.Join(other, "out")
	if code, _, errs := settle(t, "calibrate", userWorldCalibration(t, other, false), "--out", out2, "--quiet"); code != 0 {
		t.Fatalf("without travel_times: exit %d: %s", code, errs)
	}
	with, without := readCSV(t, filepath.Join(out, "trace.csv")), readCSV(t, filepath.Join(out2, "trace.csv"))
	if with[1][1] == without[1][1] {
		t.Errorf("the start point's loss is %s with and without travel_times", with[1][1])
	}

	// A travel file that is not there is an error naming the key.
	b, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(b, []byte(`"../w/travel.csv"`), []byte(`"../w/travle.csv"`), 1), 0o644)
	out3 := filepath.Join(tmp, "out3")
	code, _, errs = settle(t, "calibrate", file, "--out", out3)
	if code != exitError || !strings.Contains(errs, fmt.Sprintf("cal.toml:%d: calibration.travel_times: travel-time file ", lineOf(t, file, "travel_times ="))+filepath.Join(tmp, "w", "travle.csv")+" does not exist") {
		t.Errorf("a missing travel file: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(out3); err == nil {
		t.Error("the refused calibration made its folder")
	}
}
