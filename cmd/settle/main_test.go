package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/scenario"
)

// scenarioFile writes a scenario on the teaching world into dir.
func scenarioFile(t testing.TB, dir string, years int, scale float64) string {
	t.Helper()
	path := filepath.Join(dir, "test.toml")
	text := fmt.Sprintf("[scenario]\nname = \"test\"\nworld = \"teaching\"\nyears = %d\nseed = 3\nscale = %g\n", years, scale)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
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

// checkIdentity parses regions.csv back and checks, for every region and
// year, population(t+1) = population(t) + births − deaths + in − out +
// immigrants − emigrants, and net_migration. It returns the years found.
func checkIdentity(t testing.TB, path string) []int {
	t.Helper()
	table := readCSV(t, path)
	if !slices.Equal(table[0], output.RegionsHeader) {
		t.Fatalf("%s: header %v", path, table[0])
	}
	col := map[string]int{}
	for i, h := range table[0] {
		col[h] = i
	}
	get := func(row []string, name string) int64 {
		v, err := strconv.ParseInt(row[col[name]], 10, 64)
		if err != nil {
			t.Fatalf("%s: column %s: %v", path, name, err)
		}
		return v
	}
	type state struct{ year, pop int64 }
	last := map[string]state{}
	var years []int
	for _, row := range table[1:] {
		code, year, pop := row[col["code"]], get(row, "year"), get(row, "population")
		if len(years) == 0 || years[len(years)-1] != int(year) {
			years = append(years, int(year))
		}
		net := get(row, "in_domestic") - get(row, "out_domestic") + get(row, "immigrants") - get(row, "emigrants")
		if net != get(row, "net_migration") {
			t.Errorf("%s %d: net_migration %d ≠ %d", code, year, get(row, "net_migration"), net)
		}
		prev, ok := last[code]
		switch {
		case !ok && get(row, "births")+get(row, "deaths")+get(row, "in_domestic")+get(row, "out_domestic")+get(row, "immigrants")+get(row, "emigrants") != 0:
			t.Errorf("%s %d: the start row has flows", code, year)
		case ok && prev.year != year-1:
			t.Errorf("%s: year %d follows %d", code, year, prev.year)
		case ok && prev.pop+get(row, "births")-get(row, "deaths")+net != pop:
			t.Errorf("%s %d: population %d ≠ %d + births − deaths + net migration", code, year, pop, prev.pop)
		}
		last[code] = state{year, pop}
	}
	return years
}

func assertNoTmp(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if strings.HasSuffix(path, ".tmp") {
			t.Errorf("%s left behind", path)
		}
		return nil
	})
}

func TestRun(t *testing.T) {
	for _, scale := range []float64{1, 0.3} {
		t.Run(strconv.FormatFloat(scale, 'g', -1, 64), func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(tmp, "out")
			var stdout, stderr bytes.Buffer
			opts := runOptions{File: scenarioFile(t, tmp, 4, scale), Out: out, Workers: 2, newSim: newFake(nil)}
			if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			if years := checkIdentity(t, filepath.Join(out, output.RegionsFile)); !slices.Equal(years, []int{2024, 2025, 2026, 2027, 2028}) {
				t.Errorf("years %v", years)
			}
			m, err := output.ReadManifest(out)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Complete || m.YearsCompleted != 4 || m.Scale != scale || m.Seed != 3 || m.Workers != 2 ||
				m.ScenarioName != "test" || m.World != "teaching" || m.EngineVersion != engine.Version || len(m.ScenarioSHA256) != 64 {
				t.Errorf("manifest %+v", m)
			}
			// The binary that ran, by its bytes (this test binary here).
			exe, _ := os.Executable()
			if b, err := os.ReadFile(exe); err != nil || m.EngineBinarySHA256 != fmt.Sprintf("%x", sha256.Sum256(b)) {
				t.Errorf("engine_binary_sha256 %q, not the running binary's (%v)", m.EngineBinarySHA256, err)
			}
			if _, err := os.Stat(filepath.Join(out, output.IncompleteFile)); err == nil {
				t.Error("a complete run has an INCOMPLETE file")
			}
			assertNoTmp(t, out)
			for _, want := range []string{"test: teaching, scale " + strconv.FormatFloat(scale, 'g', -1, 64), "centrality class", "Largest gainers", "Largest losers", "per 1000 residents", "Peak migration age", out} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr without a terminal: %q", stderr.String())
			}
		})
	}
}

// Flags override the scenario.
func TestRunOverrides(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	seed := uint64(99)
	var stdout, stderr bytes.Buffer
	opts := runOptions{File: scenarioFile(t, tmp, 10, 1), Out: out, Seed: &seed, Years: 2, Scale: 0.5, Quiet: true, newSim: newFake(nil)}
	if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	m, err := output.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Seed != 99 || m.Years != 2 || m.YearsCompleted != 2 || m.Scale != 0.5 {
		t.Errorf("manifest %+v", m)
	}
	// Quiet prints only where the results are.
	if got := stdout.String(); got != out+"\n" {
		t.Errorf("quiet stdout %q", got)
	}
}

func TestRunNoOverwrite(t *testing.T) {
	tmp := t.TempDir()
	file := scenarioFile(t, tmp, 1, 1)
	results := filepath.Join(tmp, "results")
	run := func(out string) error {
		var stdout, stderr bytes.Buffer
		return runRun(context.Background(), runOptions{File: file, Out: out, Results: results, newSim: newFake(nil)}, &stdout, &stderr)
	}
	// Default folders: results/<name>/<run id>, a new one each time.
	for range 2 {
		if err := run(""); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(results, "test"))
	// Two runs within the same second share the run id and the second gets
	// the suffix -2; on a slow machine they may fall in different seconds.
	if err != nil || len(entries) != 2 || !strings.HasSuffix(entries[0].Name(), "-s3") ||
		entries[1].Name() != entries[0].Name()+"-2" && !strings.HasSuffix(entries[1].Name(), "-s3") {
		t.Errorf("run folders %v, %v", entries, err)
	}

	out := filepath.Join(tmp, "out")
	if err := run(out); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(out, output.RegionsFile))
	err = run(out)
	want := "refusing to overwrite the earlier run in " + out + "; choose another --out or delete it"
	if err == nil || err.Error() != want || exitCode(err) != exitError {
		t.Errorf("second run into %s: %v, want %q", out, err, want)
	}
	after, _ := os.ReadFile(filepath.Join(out, output.RegionsFile))
	if !bytes.Equal(before, after) {
		t.Error("the earlier run was changed")
	}

	// Any non-empty folder is refused, and left as it was.
	other := filepath.Join(tmp, "other")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if err := run(other); !errors.Is(err, output.ErrNotEmpty) {
		t.Errorf("run into a non-empty folder: %v", err)
	}
	if entries, _ := os.ReadDir(other); len(entries) != 1 {
		t.Errorf("the non-empty folder changed: %v", entries)
	}
}

func TestBadFlags(t *testing.T) {
	file := scenarioFile(t, t.TempDir(), 1, 1)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", file, "--scale", "2"}, "--scale 2 is out of range"},
		{[]string{"run", file, "--scale", "5"}, "for 5 % write --scale 0.05"},
		{[]string{"run", file, "--scale", "-0.5"}, "--scale -0.5 is out of range"},
		{[]string{"run", file, "--scale", "0"}, "--scale 0 is out of range"},
		{[]string{"run", file, "--scale", "x"}, "--scale x: the scale is the share of the population simulated, a number with 0 < scale ≤ 1"},
		{[]string{"run", "--workers", "0", file}, "--workers 0: give a number of goroutines from 1 to 1024"},
		{[]string{"run", file, "--workers=-2"}, "--workers -2: give a number of goroutines from 1 to 1024"},
		{[]string{"run", file, "--years", "0"}, "--years 0: give a number of years from 1 to"},
		{[]string{"run", file, "--years", "100000"}, "--years 100000: give a number of years from 1 to"},
		{[]string{"run", file, "--wrokers", "2"}, "unknown flag --wrokers; did you mean --workers?"},
		{[]string{"run", file, "--frobnicate"}, "unknown flag --frobnicate\n"},
		{[]string{"run", file, "--out"}, "flag --out needs a value"},
		{[]string{"run", file, "--out", ""}, "--out needs a folder name"},
		{[]string{"run"}, "which scenario?"},
		{[]string{"run", file, "other.toml"}, "give one scenario file, not 2 arguments"},
		{[]string{"validate"}, "which scenario?"},
		{[]string{"worlds", "x"}, "no arguments expected"},
		{[]string{"rnu", file}, `unknown command "rnu"; did you mean "run"?`},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), c.args, nil, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("settle %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, stderr.String(), c.want)
		}
	}

	// runRun checks options given in code too.
	for _, opts := range []runOptions{{File: file, Workers: -1}, {File: file, Scale: 1.5}, {File: file, Years: -1}} {
		if err := runRun(context.Background(), opts, new(bytes.Buffer), new(bytes.Buffer)); exitCode(err) != exitUsage {
			t.Errorf("runRun(%+v) = %v, want a usage error", opts, err)
		}
	}
}

// Flags may follow FILE, and parse into the options.
func TestParseRun(t *testing.T) {
	opts, err := parseRun([]string{"--quiet", "s.toml", "--seed", "0", "--years=3", "--scale", "0.25", "--out", "o", "--workers", "8"}, []string{"settle"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if opts.File != "s.toml" || opts.Seed == nil || *opts.Seed != 0 || opts.Years != 3 || opts.Scale != 0.25 || opts.Out != "o" || opts.Workers != 8 || !opts.Quiet {
		t.Errorf("options %+v", opts)
	}
	opts, err = parseRun([]string{"--", "-odd.toml"}, nil, new(bytes.Buffer))
	if err != nil || opts.File != "-odd.toml" || opts.Seed != nil {
		t.Errorf("-- FILE: %+v, %v", opts, err)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"run", "--help"}, {"help", "run"}, {"validate", "-h"}, {"worlds", "--help"}, {"version", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), args, nil, &stdout, &stderr); code != exitOK {
			t.Errorf("settle %v: exit %d", args, code)
		}
		// The commands that write no run folder leave out what Ctrl-C
		// does to one.
		want := exitCodesHelp
		if args[0] == "validate" || args[0] == "worlds" || args[0] == "version" {
			want = exitCodesNoRun
		}
		if !strings.HasSuffix(stdout.String(), want) {
			t.Errorf("settle %v: help does not end with the exit codes:\n%s", args, stdout.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), nil, nil, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "Commands:") {
		t.Errorf("settle without a command: exit %d, %q", code, stderr.String())
	}
}

// A run interrupted after a year keeps the years done, complete, and says
// that it is incomplete.
func TestRunInterrupted(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	opts := runOptions{File: scenarioFile(t, tmp, 10, 0.5), Out: out, Cmdline: []string{"settle", "run", "test.toml"},
		newSim: newFake(func(year int) { cancel() })}
	err := runRun(ctx, opts, &stdout, &stderr)
	if exitCode(err) != exitInterrupted || !strings.Contains(err.Error(), "interrupted after 1 of 10 years") || !strings.Contains(err.Error(), out) {
		t.Fatalf("err = %v (exit %d)", err, exitCode(err))
	}
	if years := checkIdentity(t, filepath.Join(out, output.RegionsFile)); !slices.Equal(years, []int{2024, 2025}) {
		t.Errorf("regions.csv years %v, want 2024 and 2025", years)
	}
	for _, name := range output.TableFiles[1:] { // regions.csv: above
		rows := readCSV(t, filepath.Join(out, name))
		if rows[len(rows)-1][0] != "2025" {
			t.Errorf("%s ends with %v", name, rows[len(rows)-1])
		}
	}
	m, err := output.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Complete || m.YearsCompleted != 1 || m.LastYear != 2025 || !strings.Contains(m.Stopped, "interrupted") {
		t.Errorf("manifest %+v", m)
	}
	b, err := os.ReadFile(filepath.Join(out, output.IncompleteFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"interrupted", "1 of 10 years", "settle run test.toml"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("INCOMPLETE lacks %q:\n%s", want, b)
		}
	}
	assertNoTmp(t, out)

	// Through runMain: the exit code is 130 and stderr says where the results are.
	out2 := filepath.Join(tmp, "out2")
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	stderr.Reset()
	if code := runMain(ctx2, []string{"run", opts.File, "--out", out2}, nil, &stdout, &stderr); code != exitInterrupted {
		t.Errorf("exit %d, want 130; stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out2); err == nil {
		t.Errorf("a run interrupted before it started created %s", out2)
	}
}

func TestValidate(t *testing.T) {
	// The summary (runValidate also refuses kinds the engine cannot simulate yet).
	var stdout, stderr bytes.Buffer
	s, err := scenario.Load("../../scenarios/rogfast.toml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	if err := writeScenario(&stdout, s, w); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"valid", "norway-2024", "357", "5,550,203", "years", "Rogfast (region_enlargement)", "Stavanger (1103, Rogaland)", "Haugesund", "travel_time_factor = 0.6"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("validate output lacks %q:\n%s", want, stdout.String())
		}
	}

	if !strings.Contains(stdout.String(), "30 (2024–2053; the results describe 1 January 2024 to 2054)") || strings.Contains(stdout.String(), "centrality") {
		t.Errorf("years, or a centrality line for a world whose classes are given:\n%s", stdout.String())
	}

	// A user world without classes: how many pairs the travel file gave,
	// and the classes derived.
	tmp := t.TempDir()
	os.WriteFile(filepath.Join(tmp, "r.csv"), []byte("code,name,lat,lon,population\nA1,Alpha,60,10,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61,11,1200\nD4,Delta,61.2,11.1,0\n"), 0o644)
	os.WriteFile(filepath.Join(tmp, "t.csv"), []byte("from,to,minutes\nA1,B2,35\n"), 0o644)
	os.WriteFile(filepath.Join(tmp, "u.toml"), []byte("[scenario]\nname = \"u\"\nworld = \"r.csv\"\ntravel_times = \"t.csv\"\nyears = 3\n"), 0o644)
	stdout.Reset()
	if err := runValidate(context.Background(), validateOptions{File: filepath.Join(tmp, "u.toml")}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"t.csv (2 of the 12 ordered pairs; the others estimated from the centroids)", "(4 derived from the population within 60 minutes; give centrality_class to set it)",
		"empty regions  Delta: no residents; they stay empty unless an intervention builds dwellings and jobs there"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("validate output lacks %q:\n%s", want, stdout.String())
		}
	}

	// Overridden parameters are listed with their defaults.
	path := filepath.Join(tmp, "b.toml")
	os.WriteFile(path, []byte("[scenario]\nname = \"b\"\nworld = \"teaching\"\nyears = 3\n\n[behaviour]\nmove_scale = 1.5\n"), 0o644)
	stdout.Reset()
	if err := runValidate(context.Background(), validateOptions{File: path}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "move_scale") || !strings.Contains(stdout.String(), fmt.Sprintf("1.5 (default %g)", params.Default().MoveScale)) {
		t.Errorf("validate output lacks the override:\n%s", stdout.String())
	}

	// With --params, the list has the file's values beside the defaults
	// (it showed the defaults alone).
	stdout.Reset()
	if err := runValidate(context.Background(), validateOptions{File: path, Params: true}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^parameter +default +b\.toml +range`).MatchString(stdout.String()) ||
		!regexp.MustCompile(fmt.Sprintf(`(?m)^move_scale +%g +1\.5 +0…10`, params.Default().MoveScale)).MatchString(stdout.String()) {
		t.Errorf("validate --params FILE lacks the file's column:\n%s", stdout.String())
	}

	// A bad scenario is an error (exit 1) naming the file.
	os.WriteFile(path, []byte("[scenario]\nname = \"b\"\nworld = \"teaching\"\nyears = 3\n\n[behaviour]\nmove_scael = 1.5\n"), 0o644)
	stderr.Reset()
	if code := runMain(context.Background(), []string{"validate", path}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "b.toml:7") {
		t.Errorf("bad scenario: exit %d, stderr %q", code, stderr.String())
	}

	stdout.Reset()
	if err := runValidate(context.Background(), validateOptions{Params: true}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"parameter", "default", "move_scale", "util_home.family", "0…10"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--params lacks %q", want)
		}
	}
}

func TestWorlds(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := runWorlds(context.Background(), worldsOptions{}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "world") {
		t.Fatalf("worlds:\n%s", stdout.String())
	}
	for _, want := range []string{"norway-2024", "357", "5,550,203", "teaching"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("worlds lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"version"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got := stdout.String(); !strings.HasPrefix(got, "settle "+engine.Version+" (go") || !strings.HasSuffix(got, ")\n") {
		t.Errorf("version %q", got)
	}
}

// TestWorldsExport: settle worlds --export writes an embedded world as a
// user world's files, whose scenario validates and names the files; it
// never writes into a folder that holds something, and a wrong name gets
// the names there are.
func TestWorldsExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my world")
	code, out, errs := settle(t, "worlds", "--export", "teaching", "--out", dir)
	if code != exitOK || !strings.Contains(out, "Wrote the world teaching as files into "+dir) || !strings.Contains(out, "settle run '"+filepath.Join(dir, "scenario.toml")+"'") {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{"teaching.csv", "travel.csv", "scenario.toml", "SOURCES.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	code, out, errs = settle(t, "validate", filepath.Join(dir, "scenario.toml"))
	if code != exitOK || !strings.Contains(out, filepath.Join(dir, "teaching.csv")) || !strings.Contains(out, "14 regions") {
		t.Errorf("validate the exported scenario: exit %d\n%s%s", code, out, errs)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "teaching.csv"))
	if code, _, errs := settle(t, "worlds", "--export", "norway-2024", "--out", dir); code != exitError || !strings.Contains(errs, dir+" is not empty") {
		t.Errorf("export into a folder with files: exit %d, %s", code, errs)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "teaching.csv")); !bytes.Equal(before, after) {
		t.Error("the refused export changed the folder")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"worlds", "--export", "norway"}, `--export norway: no embedded world "norway"; the worlds are norway-2024, teaching; did you mean "norway-2024"?`},
		{[]string{"worlds", "--out", dir}, "--out is the folder of --export NAME"},
		{[]string{"worlds", "teaching"}, "give --export teaching"},
		{[]string{"worlds", "norway"}, `got ["norway"]; to write the world's files, give --export norway-2024`},
	} {
		if code, _, errs := settle(t, c.args...); code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, %s; want %q", c.args, code, errs, c.want)
		}
	}
	if code, _, errs := settle(t, "worlds", "extra"); code != exitUsage || strings.Contains(errs, "--export") {
		t.Errorf("worlds extra: exit %d, %s; want no advice to export a world named extra", code, errs)
	}
	afile := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(afile, nil, 0o644)
	if code, _, errs := settle(t, "worlds", "--export", "teaching", "--out", afile); code != exitError || !strings.Contains(errs, "cannot write the world into "+afile+": it is a file, not a folder") {
		t.Errorf("--out a file: exit %d, %s", code, errs)
	}
	// Without --out: a new folder named after the world, here.
	t.Chdir(t.TempDir())
	if code, _, errs := settle(t, "worlds", "--export", "teaching"); code != exitOK {
		t.Fatalf("export without --out: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join("teaching", "scenario.toml")); err != nil {
		t.Error(err)
	}
}

// The scenario settle worlds --export writes has the years, seed and scale
// of the world's scenario in scenarios/ (the help and README say so), so
// that settle compare pairs the two.
func TestWorldsExportScenarioLikeShipped(t *testing.T) {
	for name, shipped := range map[string]string{"norway-2024": "baseline.toml", "teaching": "teaching.toml"} {
		dir := filepath.Join(t.TempDir(), name)
		if code, _, errs := settle(t, "worlds", "--export", name, "--out", dir, "--quiet"); code != exitOK {
			t.Fatalf("%s: %s", name, errs)
		}
		got, err := scenario.Load(filepath.Join(dir, "scenario.toml"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := scenario.Load(filepath.Join("..", "..", "scenarios", shipped))
		if err != nil {
			t.Fatal(err)
		}
		if want.World != name || got.Years != want.Years || got.Seed != want.Seed || got.Scale != want.Scale {
			t.Errorf("%s: exported years %d, seed %d, scale %g; scenarios/%s (world %s) has %d, %d, %g",
				name, got.Years, got.Seed, got.Scale, shipped, want.World, want.Years, want.Seed, want.Scale)
		}
	}
}
