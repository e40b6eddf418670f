package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/sweep"
)

// sweepFiles writes a teaching-world base scenario and a sweep of 3 points
// × 2 replicates (6 runs of one year at scale 0.02) into a new folder and
// returns the sweep file.
func sweepFiles(t testing.TB, design string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[scenario]\nname = \"base\"\nworld = \"teaching\"\nyears = 1\nseed = 2\nscale = 0.02\n"), 0o644)
	body := "[sweep]\nname = \"cmdtest\"\nscenario = \"base.toml\"\nreplicates = 2\n[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = [0.8, 1.0, 1.2]\n[metrics]\npop = \"population(centrality=1..2)\"\nmoves = \"moves_per_1000\"\n"
	if design == "sobol" {
		body = "[sweep]\nname = \"cmdsobol\"\nscenario = \"base.toml\"\ndesign = \"sobol\"\nsamples = 4\n[[parameter]]\npath = \"behaviour.move_scale\"\nrange = { min = 0.5, max = 1.5 }\n[[parameter]]\npath = \"behaviour.util_jobs.early_career\"\nrange = { min = 0.5, max = 2 }\n[metrics]\nmoves = \"moves_per_1000\"\n"
	}
	path := filepath.Join(dir, "sweep.toml")
	os.WriteFile(path, []byte(body), 0o644)
	return path
}

func settle(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runMain(context.Background(), args, append([]string{"settle"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSweepCommand(t *testing.T) {
	file := sweepFiles(t, "grid")
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := settle(t, "sweep", file, "--out", dir, "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"cmdtest: grid design on base.toml, 3 points × 2 replicates = 6 runs, 2 at a time",
		"6 runs in", "Metrics over the 6 runs:", "moves", "Results:   " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{sweep.RunsFile, sweep.ParquetFile, sweep.PointsFile, sweep.ManifestFile, sweep.JournalFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// Never over an earlier sweep.
	if code, _, errs := settle(t, "sweep", file, "--out", dir); code != 1 || !strings.Contains(errs, "refusing to overwrite") {
		t.Errorf("second sweep into %s: exit %d, %s", dir, code, errs)
	}
	// Quiet prints the folder only.
	dir2 := filepath.Join(t.TempDir(), "q")
	if code, out, _ := settle(t, "sweep", file, "--out", dir2, "--quiet"); code != 0 || out != dir2+"\n" {
		t.Errorf("quiet: exit %d, %q", code, out)
	}
}

func TestSweepUsage(t *testing.T) {
	file := sweepFiles(t, "grid")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sweep"}, 2, "which sweep? Give its file"},
		{[]string{"sweep", file, "--resume"}, 2, "--resume needs --out DIR"},
		{[]string{"sweep", file, "--shard", "3/3", "--out", "x"}, 2, "--shard: shard \"3/3\": the index must be from 0 to 2"},
		{[]string{"sweep", file, "--workers", "0"}, 2, "--workers 0: give a number of simulations to run side by side, 1 or more"},
		{[]string{"sweep", file, "--worker", "2"}, 2, "unknown flag --worker; did you mean --workers?"},
		{[]string{"sweep", file, "--shard", "1/2"}, 2, "shard 1/2 needs --out DIR"},
		{[]string{"sweep", file, "--shards", "4"}, 2, "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"},
		{[]string{"sweep", "merge"}, 2, "which shards?"},
		{[]string{"sweep", "slurm", file}, 2, "--tasks N"},
		{[]string{"sweep", "slurm", file, "--tasks", "7"}, 2, "--tasks 7 is more than the 6 runs"},
		{[]string{"sweep", file, "--scale", "2"}, 2, "--scale 2: give a share above 0 and at most 1"},
		{[]string{"sweep", file, "--scale", "30"}, 2, "; for 30 % write --scale 0.3"},
		{[]string{"sweep", file, "--years", "0"}, 2, "--years 0: give 1 to 200 years"},
		{[]string{"sweep", "slurm", file, "--tasks", "2", "--replicates", "0"}, 2, "--replicates 0: give 1 to 10000 runs a point"},
		{[]string{"sweep", filepath.Join(t.TempDir(), "nope.toml")}, 1, "nope.toml: open"},
		{[]string{"sensitivity"}, 2, "which sweep? Give its folder"},
	}
	for _, c := range cases {
		code, _, errs := settle(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("settle %s: exit %d, %q; want exit %d and %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
	code, out, _ := settle(t, "sweep", "--help")
	if code != 0 || !strings.Contains(out, "Usage: settle sweep FILE [flags]") || !strings.Contains(out, "--shard I/N") {
		t.Errorf("sweep --help: exit %d\n%s", code, out)
	}
	// What Ctrl-C does, as runSweep does it (TestSweepInterruptResume).
	if !strings.Contains(out, "Ctrl-C (or SIGTERM) stops the runs in progress at their next simulated year\nand drops them; every run that finished, even while stopping, stays in\nruns.journal") {
		t.Errorf("sweep --help on Ctrl-C:\n%s", out)
	}
	if code, out, _ := settle(t, "--help"); code != 0 || !strings.Contains(out, "sweep ") || !strings.Contains(out, "sensitivity ") {
		t.Errorf("settle --help lists no sweep or sensitivity:\n%s", out)
	}
}

// A mistake in a sweep file names the file, the line and the fix.
func TestSweepBadFile(t *testing.T) {
	file := sweepFiles(t, "grid")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(data, []byte("[0.8, 1.0, 1.2]"), []byte("[0.8, 12]"), 1), 0o644)
	code, _, errs := settle(t, "sweep", file)
	want := file + ":7: parameter[1].values: move_scale = 12 is out of range; use a value between 0 and 10"
	if code != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, "(point 1: behaviour.move_scale = 12)") {
		t.Errorf("exit %d\n%s\nwant %s", code, errs, want)
	}
}

func TestSweepDryRun(t *testing.T) {
	file := sweepFiles(t, "sobol")
	code, out, errs := settle(t, "sweep", file, "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{file + ": valid", "sobol: N = 4 samples × (2 parameters + 2) matrices A, B, AB_i", "16 points × 1 replicate = 16 runs (seed ", "block", "AB2"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat("results/cmdsobol"); err == nil {
		t.Error("a dry run created a results folder")
	}
	// The base scenario's scale and years, unless the sweep sets them:
	// then the parameters say what runs ("scale 0.02" beside --scale 0.01
	// read as a contradiction).
	if !strings.Contains(out, "(teaching, from 2024, 1 year, scale 0.02)") {
		t.Errorf("dry run's scenario line:\n%s", out)
	}
	if _, out, _ := settle(t, "sweep", file, "--dry-run", "--scale", "0.01"); !strings.Contains(out, "(teaching, from 2024, 1 year, scale set by the sweep)") {
		t.Errorf("dry run with --scale, scenario line:\n%s", out)
	}
}

// Ctrl-C keeps the finished runs (exit 130); --resume finishes the sweep
// with the bytes of an uninterrupted one.
func TestSweepInterruptResume(t *testing.T) {
	file := sweepFiles(t, "grid")
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, errs := settle(t, "sweep", file, "--out", whole); code != 0 {
		t.Fatal(errs)
	}
	dir := filepath.Join(t.TempDir(), "cut")
	err := interruptedSweep(t, file, dir, 2)
	// The run in progress when Ctrl-C came may still finish (and is kept).
	var ie *sweep.InterruptedError
	if code := exitCode(err); code != exitInterrupted || !errors.As(err, &ie) || ie.Done < 2 || ie.Done > 3 ||
		!strings.Contains(err.Error(), fmt.Sprintf("interrupted: %d of 6 runs are done and kept in %s; to finish the others, run settle sweep %s --out %s --workers 1 --resume", ie.Done, dir, file, dir)) {
		t.Fatalf("exit %d: %v", code, err)
	}
	code, stdout, errs := settle(t, "sweep", file, "--out", dir, "--resume")
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("resumed: %d runs were done already, %d run now", ie.Done, 6-ie.Done)) {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, errs)
	}
	for _, f := range []string{sweep.RunsFile, sweep.ParquetFile} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after an interruption and --resume", f)
		}
	}
}

// Shards found in the environment (Slurm, Kubernetes), merged, are the
// bytes of the whole sweep.
func TestSweepShardsFromEnv(t *testing.T) {
	file := sweepFiles(t, "grid")
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, errs := settle(t, "sweep", file, "--out", whole); code != 0 {
		t.Fatal(errs)
	}
	base := filepath.Join(t.TempDir(), "shards")
	envs := []map[string]string{
		{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "3"}, // shard 0/3
		{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"},
		{"JOB_COMPLETION_INDEX": "2"},
	}
	for i, env := range envs {
		args := []string{file, "--out", base}
		if _, k8s := env["JOB_COMPLETION_INDEX"]; k8s {
			args = append(args, "--shards", "3")
		}
		opts, err := parseSweep(args, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		opts.getenv = func(k string) string { return env[k] }
		var out, errb bytes.Buffer
		if err := runSweep(context.Background(), opts, &out, &errb); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		if !strings.Contains(out.String(), "shard "+string(rune('0'+i))+"/3: 2 runs") {
			t.Errorf("shard %d output:\n%s", i, out.String())
		}
	}
	// A shard resumed with other flags is refused before its plan is
	// printed, as a whole sweep is.
	if code, out, errs := settle(t, "sweep", file, "--out", base, "--shard", "1/3", "--replicates", "3", "--resume"); code == 0 ||
		!strings.Contains(errs, "cannot resume in "+filepath.Join(base, "shard-1-of-3")) || strings.Contains(out, "replicate") {
		t.Errorf("shard resumed with other replicates: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	code, out, errs := settle(t, "sweep", "merge", base)
	if code != 0 || !strings.Contains(out, "cmdtest: merged 3 shards, 6 runs") {
		t.Fatalf("merge: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{sweep.RunsFile, sweep.ParquetFile, sweep.PointsFile} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(base, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: merged shards differ from the whole sweep", f)
		}
	}
}

func TestSweepSlurmScript(t *testing.T) {
	file := sweepFiles(t, "grid")
	dir := filepath.Join(t.TempDir(), "cluster")
	code, out, errs := settle(t, "sweep", "slurm", file, "--tasks", "3", "--out", dir, "--cpus-per-task", "2", "--partition", "normal")
	if code != 0 || !strings.Contains(out, "cmdtest: 6 runs in 3 tasks (2 runs each, 2 at a time)") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	script, err := os.ReadFile(filepath.Join(dir, "submit.sbatch"))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(file)
	for _, want := range []string{"#SBATCH --array=0-2", "#SBATCH --partition=normal", "sweep " + abs + " --out " + dir + " --shard \"${SLURM_ARRAY_TASK_ID}/3\" --workers 2 --resume"} {
		if !strings.Contains(string(script), want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "logs")); err != nil || !st.IsDir() {
		t.Error("no logs folder for Slurm's output")
	}
	if code, _, errs := settle(t, "sweep", "slurm", file, "--tasks", "3", "--out", dir); code != 1 || !strings.Contains(errs, "refusing to overwrite") {
		t.Errorf("second script: exit %d, %s", code, errs)
	}
	// A folder every task would refuse (it holds a whole sweep, run
	// without shards) is refused now, before the script is written.
	whole := filepath.Join(t.TempDir(), "whole")
	if err := os.MkdirAll(whole, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(whole, sweep.ManifestFile), []byte(`{"sweep_file": "grid.toml", "runs": 6, "runs_done": 6, "complete": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := settle(t, "sweep", "slurm", file, "--tasks", "3", "--out", whole); code != 1 ||
		!strings.Contains(errs, "the array's tasks could not run there: "+whole+" holds a whole sweep of grid.toml run without shards (complete)") {
		t.Errorf("a folder with a whole sweep: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(whole, "submit.sbatch")); err == nil {
		t.Error("the script was written into a folder its tasks refuse")
	}
	if _, err := os.Stat(filepath.Join(whole, "logs")); err == nil {
		t.Error("logs/ was made in a folder its tasks refuse")
	}
	// The overrides go to every task's command.
	dir2 := filepath.Join(t.TempDir(), "cluster")
	if code, out, errs := settle(t, "sweep", "slurm", file, "--tasks", "2", "--out", dir2, "--scale", "0.02", "--replicates", "1"); code != 0 {
		t.Fatalf("with overrides: exit %d\n%s%s", code, out, errs)
	}
	if script, err := os.ReadFile(filepath.Join(dir2, "submit.sbatch")); err != nil || !strings.Contains(string(script), "--resume --quiet --scale 0.02 --replicates 1\n") {
		t.Errorf("the script's command lacks the overrides (%v):\n%s", err, script)
	}
	// Runs that do not divide evenly are counted in whole runs, and the
	// example of a partial resubmission names tasks of the array.
	dir3 := filepath.Join(t.TempDir(), "cluster")
	if code, out, errs := settle(t, "sweep", "slurm", file, "--tasks", "4", "--out", dir3, "--time", "20", "--mem", "2G"); code != 0 || !strings.Contains(out, "cmdtest: 6 runs in 4 tasks (1 or 2 runs each, 1 at a time)") {
		t.Errorf("4 tasks: exit %d\n%s%s", code, out, errs)
	}
	if script, err := os.ReadFile(filepath.Join(dir3, "submit.sbatch")); err != nil || !strings.Contains(string(script), "sbatch --array=2,3 ") ||
		!strings.Contains(string(script), "#SBATCH --time=20\n#SBATCH --mem=2G\n") {
		t.Errorf("4 tasks' script (%v):\n%s", err, script)
	}
	// Limits Slurm would not read, or would read as something else, are
	// refused before anything is written.
	for _, c := range [][2]string{
		{"--time=20min", "--time 20min is not a time limit Slurm reads; write --time 20"},
		{"--mem=2", "--mem 2 is 2 megabytes to Slurm (a number without a unit is MB), too little for a run; write --mem 2G"},
	} {
		dir4 := filepath.Join(t.TempDir(), "cluster")
		if code, _, errs := settle(t, "sweep", "slurm", file, "--tasks", "3", "--out", dir4, c[0]); code != 2 || !strings.Contains(errs, c[1]) {
			t.Errorf("%s: exit %d, %s; want exit 2 and %q", c[0], code, errs, c[1])
		}
		if _, err := os.Stat(dir4); err == nil {
			t.Errorf("%s: the folder was made", c[0])
		}
	}
}

// TestSweepOverridesResume: an interrupted sweep run with overrides says
// to resume it with them, and that command finishes it.
func TestSweepOverridesResume(t *testing.T) {
	file := sweepFiles(t, "grid")
	dir := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	opts, err := parseSweep([]string{file, "--out", dir, "--workers", "1", "--replicates", "1", "--scale", "0.04"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.progress = func(done, total int) {
		if done == 1 {
			cancel()
		}
	}
	var out, errb bytes.Buffer
	err = runSweep(ctx, opts, &out, &errb)
	want := fmt.Sprintf("settle sweep %s --out %s --workers 1 --scale 0.04 --replicates 1 --resume", file, dir)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("interrupted: %v; want %q", err, want)
	}
	// Resuming with other flags is refused before the plan is printed.
	if code, stdout, errs := settle(t, "sweep", file, "--out", dir, "--workers", "1", "--scale", "0.04", "--resume"); code == 0 ||
		!strings.Contains(errs, "cannot resume in "+dir) || strings.Contains(stdout, "replicate") {
		t.Errorf("resume with other replicates: exit %d\nstdout: %s\nstderr: %s", code, stdout, errs)
	}
	if code, stdout, errs := settle(t, "sweep", file, "--out", dir, "--workers", "1", "--scale", "0.04", "--replicates", "1", "--resume"); code != 0 || !strings.Contains(stdout, "resumed:") {
		t.Errorf("the suggested resume: exit %d\n%s%s", code, stdout, errs)
	}
	// A value a flag gave is blamed on the flag, not on the file's line.
	if code, _, errs := settle(t, "sweep", file, "--scale", "0.00001", "--dry-run"); code != 1 || !strings.Contains(errs, ".toml: --scale: scale = 1e-05 is too small") || regexp.MustCompile(`\.toml:\d`).MatchString(errs) {
		t.Errorf("--scale too small: exit %d, %s", code, errs)
	}
}

// An intervention that a point's years end before is noted, whether its
// from_year or the years are swept; settle sweep slurm notes it too.
func TestSweepLateIntervention(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[scenario]\nname = \"base\"\nworld = \"teaching\"\nyears = 20\nseed = 2\nscale = 0.02\n\n[[intervention]]\nkind = \"region_enlargement\"\nname = \"Holmøy bridge\"\nregions = [\"Sjøvik\", \"Holmøy\"]\nfrom_year = 2026\nminutes_saved = 45\n"), 0o644)
	file := filepath.Join(dir, "late.toml")
	os.WriteFile(file, []byte("[sweep]\nscenario = \"base.toml\"\n[[parameter]]\npath = \"intervention.1.from_year\"\nvalues = [2025, 2040]\n[[parameter]]\npath = \"years\"\nvalues = 5\n"), 0o644)
	want := "note: Holmøy bridge (" + filepath.Join(dir, "base.toml") + ":8) starts in 2040, after the last simulated year 2028 (5 years): it changes nothing at point 1 (1 of the 2 points)\n"
	if code, _, errs := settle(t, "sweep", file, "--dry-run"); code != 0 || errs != want {
		t.Errorf("dry run: exit %d, stderr\n%s\nwant\n%s", code, errs, want)
	}
	if code, _, errs := settle(t, "sweep", "slurm", file, "--tasks", "2", "--out", filepath.Join(dir, "cluster")); code != 0 || errs != want {
		t.Errorf("slurm: exit %d, stderr\n%s\nwant\n%s", code, errs, want)
	}
}

// A shard does not start in the folder of a whole sweep (finished or not),
// nor a whole sweep among shards: neither would ever be merged.
func TestSweepShardBesideWhole(t *testing.T) {
	file := sweepFiles(t, "grid")
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, errs := settle(t, "sweep", file, "--out", whole, "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	for _, resume := range []bool{false, true} {
		args := []string{"sweep", file, "--out", whole, "--shard", "1/2"}
		if resume {
			args = append(args, "--resume")
		}
		code, _, errs := settle(t, args...)
		if want := "holds a whole sweep of " + file + " run without shards (complete): shard 1/2 would write shard-1-of-2 beside it"; code != 1 || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d, %s; want %q", args, code, errs, want)
		}
		if _, err := os.Stat(filepath.Join(whole, "shard-1-of-2")); err == nil {
			t.Fatalf("%v left a shard folder beside the whole sweep", args)
		}
	}
	// An unfinished whole sweep (interrupted, or running now) too.
	cut := filepath.Join(t.TempDir(), "cut")
	if err := interruptedSweep(t, file, cut, 1); err == nil {
		t.Fatal("not interrupted")
	}
	if code, _, errs := settle(t, "sweep", file, "--out", cut, "--shard", "0/2"); code != 1 || !strings.Contains(errs, "runs done, or running now): shard 0/2 would write shard-0-of-2 beside it") ||
		!strings.Contains(errs, "finish the whole sweep there with settle sweep "+file+" --out "+cut+" --resume") {
		t.Errorf("shard beside an unfinished sweep: exit %d, %s", code, errs)
	}
	// And the other way round: a whole sweep among shards, or a shard of
	// another split.
	shards := filepath.Join(t.TempDir(), "shards")
	if code, _, errs := settle(t, "sweep", file, "--out", shards, "--shard", "1/2", "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{{"--out", shards}, {"--out", shards, "--resume"}} {
		code, _, errs := settle(t, append([]string{"sweep", file}, args...)...)
		if want := "holds shards of a sweep (shard-1-of-2), not merged: a whole sweep there would stand beside them; merge them with settle sweep merge " + shards; code != 1 || !strings.Contains(errs, want) {
			t.Errorf("whole sweep %v among shards: exit %d, %s; want %q", args, code, errs, want)
		}
	}
	if code, _, errs := settle(t, "sweep", file, "--out", shards, "--shard", "0/3"); code != 1 || !strings.Contains(errs, "holds shard 1/2 of a split into 2 (shard-1-of-2): shard 0/3 of a split into 3 would mix two splits") {
		t.Errorf("shard of another split: exit %d, %s", code, errs)
	}
	// The other shard of the same split runs, and the merge is whole.
	if code, _, errs := settle(t, "sweep", file, "--out", shards, "--shard", "0/2", "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := settle(t, "sweep", "merge", shards, "--quiet"); code != 0 {
		t.Fatal(errs)
	}
}

// A sweep of one run says "1 run", not "1 runs".
func TestSweepOneRun(t *testing.T) {
	file := sweepFiles(t, "grid")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(data, []byte("[0.8, 1.0, 1.2]"), []byte("[0.8]"), 1), 0o644)
	code, out, errs := settle(t, "sweep", file, "--out", filepath.Join(t.TempDir(), "one"), "--replicates", "1")
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"1 point × 1 replicate = 1 run, 1 at a time", "\n1 run in ", "Metrics over the 1 run:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := settle(t, "sweep", file, "--dry-run"); code != 0 || !strings.Contains(out, "grid: no parameter varies, so one point, run once per replicate") {
		t.Errorf("dry run: %s", out)
	}
}

// interruptedSweep runs the sweep file into dir with one worker and
// cancels it (Ctrl-C) once after runs are done, returning runSweep's error.
func interruptedSweep(t *testing.T, file, dir string, after int) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts, err := parseSweep([]string{file, "--out", dir, "--workers", "1"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.progress = func(done, total int) {
		if done == after {
			cancel()
		}
	}
	var out, errb bytes.Buffer
	return runSweep(ctx, opts, &out, &errb)
}

// The seed is no parameter of a sweep: refused with FILE:LINE: KEY and
// how seeds work (runs.csv had two seed columns, and points shared seeds).
// The dry run names the seeds the runs use, of a shard too.
func TestSweepSeeds(t *testing.T) {
	file := sweepFiles(t, "grid") // 3 points × 2 replicates, the scenario's seed 2
	data, _ := os.ReadFile(file)
	bad := filepath.Join(filepath.Dir(file), "seed.toml")
	os.WriteFile(bad, bytes.Replace(data, []byte("[metrics]"), []byte("[[parameter]]\npath = \"seed\"\nvalues = [1, 2, 3]\n[metrics]"), 1), 0o644)
	code, _, errs := settle(t, "sweep", bad, "--dry-run")
	if want := bad + ":9: parameter[2].path: the seed cannot be swept: replicate r of every point runs with seed s + r, where s is seed in [sweep] (else the base scenario's seed), so every point runs the same seeds; remove this [[parameter]], and for more seeds per point raise replicates in [sweep] (or --replicates)"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("seed as a parameter: exit %d, %s\nwant %s", code, errs, want)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "3 points × 2 replicates = 6 runs (seeds 2 and 3)"},
		{[]string{"--replicates", "5"}, "3 points × 5 replicates = 15 runs (seeds 2 … 6)"},
		{[]string{"--shard", "1/2"}, "shard      1/2: 3 runs (seed 3)"},
		{[]string{"--shard", "1/4", "--replicates", "4"}, "shard      1/4: 3 runs (seed 3)"},
	} {
		code, out, errs := settle(t, append([]string{"sweep", file, "--dry-run"}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("dry run %v: exit %d, lacks %q:\n%s%s", c.args, code, c.want, out, errs)
		}
	}
}

// A replication study: no [[parameter]], one point, replicates runs
// (refused before: "no [[parameter]] entries"); settle sensitivity says
// there is nothing to analyse.
func TestSweepReplication(t *testing.T) {
	file := sweepFiles(t, "grid")
	data, _ := os.ReadFile(file)
	rep := filepath.Join(filepath.Dir(file), "rep.toml")
	os.WriteFile(rep, bytes.Replace(data, []byte("[[parameter]]\npath = \"behaviour.move_scale\"\nvalues = [0.8, 1.0, 1.2]\n"), nil, 1), 0o644)
	code, out, errs := settle(t, "sweep", rep, "--dry-run", "--replicates", "4")
	if code != 0 || !strings.Contains(out, "grid: no parameter varies, so one point, run once per replicate") || !strings.Contains(out, "1 point × 4 replicates = 4 runs (seeds 2 … 5)") {
		t.Errorf("dry run: exit %d\n%s%s", code, out, errs)
	}
	dir := filepath.Join(t.TempDir(), "rep")
	if code, out, errs := settle(t, "sweep", rep, "--out", dir, "--replicates", "4"); code != 0 || !strings.Contains(out, "1 point × 4 replicates = 4 runs") || !strings.Contains(out, "Metrics over the 4 runs:") {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = settle(t, "sensitivity", dir)
	if code != 1 || !strings.Contains(errs, "the sweep varies no parameter (1 point × 4 replicates), so there is no sensitivity to analyse") {
		t.Errorf("sensitivity: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "sensitivity")); err == nil {
		t.Error("the refused analysis made its folder")
	}
}

// The sweep folder keeps the sweep file and base scenario (sweep.toml,
// scenario.toml), and an interrupted sweep's INCOMPLETE says where to run
// its command from.
func TestSweepFolderCopies(t *testing.T) {
	file := sweepFiles(t, "grid")
	dir := filepath.Join(t.TempDir(), "cut")
	if err := interruptedSweep(t, file, dir, 1); err == nil {
		t.Fatal("not interrupted")
	}
	for name, orig := range map[string]string{sweep.SweepCopy: file, sweep.ScenarioCopy: filepath.Join(filepath.Dir(file), "base.toml")} {
		a, _ := os.ReadFile(orig)
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: %v, or not %s's bytes", name, err, orig)
		}
	}
	wd, _ := os.Getwd()
	inc, _ := os.ReadFile(filepath.Join(dir, sweep.IncompleteFile))
	if want := "cd " + output.ShellQuote(wd) + " && settle sweep " + file + " --out " + dir + " --workers 1 --resume"; !strings.Contains(string(inc), want) {
		t.Errorf("INCOMPLETE lacks %q:\n%s", want, inc)
	}
}

// userWorldSweep is sweepFiles' grid sweep on a user's copy of the
// teaching world (my-regions.csv, my-travel.csv beside the files). It
// returns the sweep file and the bytes of the world files by the names of
// their copies in a folder (world/regions.csv, world/travel_times.csv).
func userWorldSweep(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	file := sweepFiles(t, "grid")
	src := filepath.Dir(file)
	want := map[string][]byte{}
	for copyName, f := range map[string]string{"world/regions.csv": "regions.csv", "world/travel_times.csv": "travel.csv"} {
		data := mustRead(t, filepath.Join("..", "..", "sim", "world", "data", "teaching", f))
		os.WriteFile(filepath.Join(src, "my-"+f), data, 0o644)
		want[copyName] = data
	}
	os.WriteFile(filepath.Join(src, "base.toml"), []byte("[scenario]\nname = \"base\"\nworld = \"my-regions.csv\"\ntravel_times = \"my-travel.csv\"\nyears = 1\nseed = 2\nscale = 0.02\n"), 0o644)
	return file, want
}

// shardAndMerge runs the sweep file in two shards into one folder and
// merges them there, and returns the folder.
func shardAndMerge(t *testing.T, file string) string {
	t.Helper()
	base := filepath.Join(t.TempDir(), "shards")
	for _, s := range []string{"0/2", "1/2"} {
		if code, _, errs := settle(t, "sweep", file, "--out", base, "--shard", s, "--quiet"); code != 0 {
			t.Fatal(errs)
		}
	}
	if code, _, errs := settle(t, "sweep", "merge", base, "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	return base
}

// The folders of a sweep of a user world keep copies of its world files
// (world/regions.csv, world/travel_times.csv), each shard's and the
// merge's.
func TestSweepFolderWorldCopies(t *testing.T) {
	file, want := userWorldSweep(t)
	base := shardAndMerge(t, file)
	for _, dir := range []string{filepath.Join(base, "shard-0-of-2"), filepath.Join(base, "shard-1-of-2"), base} {
		for name, data := range want {
			if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s: %v, or not the bytes of the world file the sweep read", filepath.Join(dir, name), err)
			}
		}
	}
}

// A sweep of a user world resumes after its folder, sweep file, scenario
// and world files and all, was moved: the same bytes at another path are
// the same world (resume refused: "the world's regions file was … then").
func TestSweepResumeMovedWorld(t *testing.T) {
	file, want := userWorldSweep(t)
	src := filepath.Dir(file)
	dir := filepath.Join(t.TempDir(), "cut")
	if err := interruptedSweep(t, file, dir, 1); err == nil {
		t.Fatal("not interrupted")
	}
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(src, moved); err != nil {
		t.Fatal(err)
	}
	code, _, errs := settle(t, "sweep", filepath.Join(moved, "sweep.toml"), "--out", dir, "--workers", "1", "--resume", "--quiet")
	if code != exitOK {
		t.Fatalf("resume after the files moved: exit %d, %s", code, errs)
	}
	// Other bytes are another world still.
	os.WriteFile(filepath.Join(moved, "my-travel.csv"), []byte("from,to,minutes\nT01,T14,200\n"), 0o644)
	dir2 := filepath.Join(t.TempDir(), "cut2")
	os.WriteFile(filepath.Join(moved, "my-travel.csv"), want["world/travel_times.csv"], 0o644)
	if err := interruptedSweep(t, filepath.Join(moved, "sweep.toml"), dir2, 1); err == nil {
		t.Fatal("not interrupted")
	}
	os.WriteFile(filepath.Join(moved, "my-travel.csv"), []byte("from,to,minutes\nT01,T14,200\n"), 0o644)
	code, _, errs = settle(t, "sweep", filepath.Join(moved, "sweep.toml"), "--out", dir2, "--workers", "1", "--resume", "--quiet")
	if code != exitError || !strings.Contains(errs, "the travel_times file "+filepath.Join(moved, "my-travel.csv")+" changed since then") {
		t.Errorf("resume with a changed world file: exit %d, %s", code, errs)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// settle sweep merge says the same thing however a merged folder is given:
// merged again into itself it has nothing to do and says where its tables
// are (it said "refusing to overwrite manifest.json …; choose another
// --out"); with --out NEWDIR its shards are merged again (it said "DIR is
// merged already").
func TestSweepMergeMerged(t *testing.T) {
	file := sweepFiles(t, "grid")
	base := shardAndMerge(t, file)
	code, out, errs := settle(t, "sweep", "merge", base)
	if code != 0 || !strings.Contains(out, base+" is merged already: the 6 runs of its 2 shards were merged") ||
		!strings.Contains(out, "To merge the shards again, into a new folder: settle sweep merge --out NEWDIR "+base) || !strings.Contains(out, "Results:   "+base) {
		t.Errorf("merge of a merged folder: exit %d\n%s%s", code, out, errs)
	}
	other := filepath.Join(t.TempDir(), "other")
	if code, out, errs := settle(t, "sweep", "merge", "--out", other, base); code != 0 || !strings.Contains(out, "merged 2 shards, 6 runs") {
		t.Fatalf("merge --out NEWDIR of a merged folder: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{sweep.RunsFile, sweep.ParquetFile, sweep.PointsFile, sweep.SweepCopy, sweep.ScenarioCopy} {
		a, _ := os.ReadFile(filepath.Join(base, f))
		b, err := os.ReadFile(filepath.Join(other, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s of the merge again differs: %v", f, err)
		}
	}
	if code, _, errs := settle(t, "sweep", "merge", "--out", other, base); code != 1 || !strings.Contains(errs, "refusing to overwrite "+other+": it holds the merge of 2 shards already") {
		t.Errorf("merge into a merged folder: exit %d, %s", code, errs)
	}
	// A merge made elsewhere (--out): the advice names its shards, which
	// are not inside it, and works (it gave the merged folder, refused).
	code, out, errs = settle(t, "sweep", "merge", other)
	_, advice, ok := strings.Cut(out, "settle sweep merge --out NEWDIR ")
	advice, _, _ = strings.Cut(advice, "\n")
	if code != 0 || !ok || strings.Contains(advice, other) {
		t.Fatalf("merge of a merge made elsewhere: exit %d\n%s%s", code, out, errs)
	}
	again := filepath.Join(t.TempDir(), "again")
	args := append([]string{"sweep", "merge", "--out", again, "--quiet"}, strings.Fields(advice)...)
	if code, _, errs := settle(t, args...); code != 0 {
		t.Errorf("the advice %q: exit %d, %s", advice, code, errs)
	}
}

// A shard whose overrides differ from those of the shards beside it is
// refused before it runs (only settle sweep merge refused it, after its
// runs were spent), in words ("without overrides", not "the overrides
// none").
func TestSweepShardOverrides(t *testing.T) {
	file := sweepFiles(t, "grid")
	base := filepath.Join(t.TempDir(), "shards")
	if code, _, errs := settle(t, "sweep", file, "--out", base, "--shard", "0/2", "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := settle(t, "sweep", file, "--out", base, "--shard", "1/2", "--replicates", "1")
	want := "cannot run shard 1/2 in " + base + " beside shard-0-of-2 (shard 0/2): it ran without overrides, and this command runs with --replicates 1; give the flags the other shards ran with (no --scale, --years or --replicates), or run this sweep with another --out"
	if code != 1 || !strings.Contains(errs, want) || strings.Contains(out, "replicate") {
		t.Errorf("exit %d\nstdout %s\nstderr %s\nwant %s", code, out, errs, want)
	}
	if _, err := os.Stat(filepath.Join(base, "shard-1-of-2")); err == nil {
		t.Error("the refused shard made its folder")
	}
	if code, _, errs := settle(t, "sweep", file, "--out", base, "--shard", "1/2", "--quiet"); code != 0 {
		t.Errorf("the shard with the same flags: %s", errs)
	}
}

// A latin_hypercube's dry run gives the largest correlation between its
// parameters, and a note when it is large (few points).
func TestSweepDesignCorrelation(t *testing.T) {
	file := sweepFiles(t, "sobol")
	data, _ := os.ReadFile(file)
	lhs := filepath.Join(filepath.Dir(file), "lhs.toml")
	body := strings.Replace(strings.Replace(string(data), "\"sobol\"", "\"latin_hypercube\"", 1), "samples = 4", "samples = 12", 1)
	os.WriteFile(lhs, []byte(body), 0o644)
	code, out, errs := settle(t, "sweep", lhs, "--dry-run")
	if code != 0 || !regexp.MustCompile(`correlation  \|r\| ≤ 0\.0\d between any two parameters \(the largest: behaviour.move_scale and behaviour.util_jobs.early_career\)`).MatchString(out) || strings.Contains(out, "Note:") {
		t.Errorf("12 points: exit %d\n%s%s", code, out, errs)
	}
	// Three points of two parameters cannot be rearranged.
	os.WriteFile(lhs, []byte(strings.Replace(body, "samples = 12", "samples = 3", 1)), 0o644)
	if code, out, errs := settle(t, "sweep", lhs, "--dry-run"); code != 0 || !strings.Contains(out, "Note: the design's parameters behaviour.move_scale and behaviour.util_jobs.early_career correlate at r = ") {
		t.Errorf("3 points: exit %d\n%s%s", code, out, errs)
	}
}

// A sweep of a world whose files are probably wrong says so, as settle
// validate and run do.
func TestSweepWorldWarnings(t *testing.T) {
	file := sweepFiles(t, "grid")
	src := filepath.Dir(file)
	os.WriteFile(filepath.Join(src, "r.csv"), []byte("code,name,lat,lon,population,centrality_class\n301,Oslo,59.91,10.75,70000,1\n1101,Eigersund,58.45,5.99,15000,4\n4601,Bergen,60.39,5.32,29000,2\n"), 0o644)
	os.WriteFile(filepath.Join(src, "base.toml"), []byte("[scenario]\nname = \"base\"\nworld = \"r.csv\"\nyears = 1\nseed = 2\nscale = 0.02\n"), 0o644)
	code, _, errs := settle(t, "sweep", file, "--dry-run")
	if code != exitOK || !strings.Contains(errs, "warning: "+filepath.Join(src, "r.csv")+": 1 code value (301) has one digit fewer than the others") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
}
