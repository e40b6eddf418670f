package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/world"
)

// fakeRunOf writes a 1-year run of world (the fake simulator) and returns
// its folder.
func fakeRunOf(t *testing.T, world string) string {
	t.Helper()
	tmp := t.TempDir()
	file := filepath.Join(tmp, "s.toml")
	os.WriteFile(file, []byte("[scenario]\nname = \"s\"\nworld = \""+world+"\"\nyears = 1\nscale = 0.01\n"), 0o644)
	dir := filepath.Join(tmp, "run")
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: file, Out: dir, Quiet: true, newSim: newFake(nil)}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	return dir
}

// TestFitOtherWorld: settle fit refuses to check a run of another world
// against the default (Norway's) targets, and warns when such targets are
// given explicitly.
func TestFitOtherWorld(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	norway := filepath.Join(root, "targets", "norway.toml")
	teaching, oslo := fakeRunOf(t, "teaching"), fakeRunOf(t, "norway-2024")
	// The same targets under a name that names no world.
	data, _ := os.ReadFile(norway)
	mine := filepath.Join(t.TempDir(), "mine.toml")
	os.WriteFile(mine, bytes.Replace(data, []byte(`name = "norway"`), []byte(`name = "my-check"`), 1), 0o644)

	t.Chdir(root) // the default targets are relative to the repository root
	for _, c := range []struct {
		name    string
		args    []string
		code    int
		stderr  string // "" = nothing about the world on stderr
		stdout  string
		written bool // RUN/fit or --out was written
	}{
		{"teaching, default targets", []string{"fit", teaching}, exitError,
			"settle fit: " + teaching + " is a run of the world teaching, but the default targets targets/norway.toml are for the world norway-2024: the comparison would say little about the fit; give targets for teaching with --targets FILE, or --targets targets/norway.toml to compare anyway", "", false},
		{"teaching, Norway's targets given", []string{"fit", teaching, "--targets", norway}, exitOK,
			"warning: " + teaching + " is a run of the world teaching, but the targets " + norway + " (name = \"norway\") are for the world norway-2024: targets missed say little about the fit",
			"These are targets for the world norway-2024; the run is of the world teaching.", true},
		{"teaching, targets of no world", []string{"fit", teaching, "--targets", mine}, exitOK, "", "", true},
		{"norway, default targets", []string{"fit", oslo}, exitOK, "", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "fit")
			code, stdout, stderr := settle(t, append(c.args, "--out", out)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, stderr)
			}
			if c.stderr != "" && !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr %q\nlacks %q", stderr, c.stderr)
			}
			if c.stderr == "" && strings.Contains(stderr, "for the world") {
				t.Errorf("unexpected warning: %s", stderr)
			}
			if c.stdout != "" && !strings.Contains(stdout, c.stdout) {
				t.Errorf("stdout lacks %q:\n%s", c.stdout, stdout)
			}
			if _, err := os.Stat(out); (err == nil) != c.written {
				t.Errorf("%s written: %v, want %v", out, err == nil, c.written)
			}
		})
	}
}

// TestFitBuiltInTargets: outside the repository, where targets/norway.toml
// is not at hand, settle fit uses the copy built into the binary, says so,
// and gives the same table as with the file.
func TestFitBuiltInTargets(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	oslo := fakeRunOf(t, "norway-2024")
	withFile := filepath.Join(t.TempDir(), "fit")
	if code, _, stderr := settle(t, "fit", oslo, "--targets", filepath.Join(root, "targets", "norway.toml"), "--out", withFile); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Chdir(t.TempDir())
	builtIn := filepath.Join(t.TempDir(), "fit")
	code, stdout, stderr := settle(t, "fit", oslo, "--out", builtIn)
	if code != exitOK || !strings.Contains(stdout, "against targets/norway.toml (built in)") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(withFile, "fit.csv"))
	b, _ := os.ReadFile(filepath.Join(builtIn, "fit.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("fit.csv with the built-in targets differs from that with the file (%d and %d bytes)", len(a), len(b))
	}
}

// TestRunOfUserWorldMoved: a run of a user world keeps copies of its world
// files, so settle explain (with the run's interventions) and settle fit
// read the run after the scenario's folder, world files and all, has gone
// (a run folder copied to another machine).
func TestRunOfUserWorldMoved(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for _, f := range []string{"regions.csv", "travel.csv"} {
		data, err := os.ReadFile(filepath.Join(root, "sim", "world", "data", "teaching", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, f), data, 0o644)
	}
	file := filepath.Join(src, "s.toml")
	os.WriteFile(file, []byte("[scenario]\nname = \"s\"\nworld = \"regions.csv\"\ntravel_times = \"travel.csv\"\nyears = 1\nscale = 0.01\n\n"+
		"[[intervention]]\nkind = \"region_enlargement\"\nname = \"Holmøy bridge\"\nregions = [\"Sjøvik\", \"Holmøy\"]\nfrom_year = 2024\nminutes_saved = 45\n"), 0o644)
	dir := filepath.Join(t.TempDir(), "run")
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: file, Out: dir, Quiet: true, newSim: newFake(nil)}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	code, out, errs := settle(t, "explain", dir, "--region", "Holmøy")
	// The interventions are read from the run's scenario.toml against the
	// world from the copies (the scenario's world paths are gone).
	if code != exitOK || !strings.Contains(out, "Holmøy (T14)") || !strings.Contains(out, "Interventions that reach Holmøy:\n  Holmøy bridge") {
		t.Errorf("explain after the world files were removed: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = settle(t, "fit", dir, "--targets", filepath.Join(root, "targets", "norway.toml"), "--out", filepath.Join(t.TempDir(), "fit"))
	if code != exitOK || !strings.Contains(out, "targets") {
		t.Errorf("fit after the world files were removed: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestFitExportedWorld: a run of norway-2024's exported files is checked
// against Norway's default targets (the same data, with a note); a run of
// an edited copy is another world, named by its path.
func TestFitExportedWorld(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	exp := filepath.Join(tmp, "my-norway")
	if code, _, errs := settle(t, "worlds", "--export", "norway-2024", "--out", exp, "--quiet"); code != exitOK {
		t.Fatalf("export: %s", errs)
	}
	regions := filepath.Join(exp, "norway-2024.csv")
	runOf := func(name string) string {
		t.Helper()
		file := filepath.Join(exp, name+".toml")
		os.WriteFile(file, []byte("[scenario]\nname = \""+name+"\"\nworld = \"norway-2024.csv\"\nyears = 1\nscale = 0.01\n"), 0o644)
		dir := filepath.Join(tmp, name)
		var stdout, stderr bytes.Buffer
		if err := runRun(context.Background(), runOptions{File: file, Out: dir, Quiet: true, newSim: newFake(nil)}, &stdout, &stderr); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		return dir
	}
	same := runOf("same")
	data, _ := os.ReadFile(regions)
	os.WriteFile(regions, bytes.Replace(data, []byte(",717710,"), []byte(",717711,"), 1), 0o644)
	edited := runOf("edited")

	t.Chdir(root) // the default targets are relative to the repository root
	code, _, errs := settle(t, "fit", same, "--out", filepath.Join(tmp, "fit1"))
	if code != exitOK || !strings.Contains(errs, "note: the world of "+same+", "+regions+", loads the same data as norway-2024: its targets apply") {
		t.Errorf("fit of the exported world: exit %d, %s", code, errs)
	}
	code, _, errs = settle(t, "fit", edited, "--out", filepath.Join(tmp, "fit2"))
	if code != exitError || !strings.Contains(errs, edited+" is a run of the world "+regions+", but the default targets") {
		t.Errorf("fit of an edited copy: exit %d, %s", code, errs)
	}
}

// A world file edited while the population is synthesised (a run's slow
// part) is not copied as the run's world: the run keeps the bytes it read,
// and its default folder under results/ is made only for a run that goes
// ahead (the check after synthesis left an empty folder when it refused).
func TestRunWorldEditedDuringSynthesis(t *testing.T) {
	src := t.TempDir()
	regions := filepath.Join(src, "r.csv")
	original := "code,name,lat,lon,population\nA1,Alpha,60.0,10.0,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61.0,11.0,3000\n"
	os.WriteFile(regions, []byte(original), 0o644)
	file := filepath.Join(src, "s.toml")
	os.WriteFile(file, []byte("[scenario]\nname = \"s\"\nworld = \"r.csv\"\nyears = 1\nscale = 0.1\n"), 0o644)
	results := filepath.Join(t.TempDir(), "results")
	editing := func(w *world.World, cfg engine.Config) (simulator, error) {
		os.WriteFile(regions, []byte(original+"D4,Delta,62.0,12.0,100\n"), 0o644)
		return newFake(nil)(w, cfg)
	}
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: file, Results: results, Quiet: true, newSim: editing}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	dirs, _ := filepath.Glob(filepath.Join(results, "s", "*"))
	if len(dirs) != 1 {
		t.Fatalf("run folders %q, want one", dirs)
	}
	if got, _ := os.ReadFile(filepath.Join(dirs[0], "world", "regions.csv")); string(got) != original {
		t.Errorf("the run's copy is %q, want the file as the run read it", got)
	}
}
