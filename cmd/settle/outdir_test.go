package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeRun writes a run of the teaching world (the fake simulator, 2 years)
// into a new folder and returns it.
func fakeRun(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "run")
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: scenarioFile(t, tmp, 2, 1), Out: dir, Quiet: true, newSim: newFake(nil)}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	return dir
}

// folderWith makes a folder holding the files names (a name ending in /
// is a folder).
func folderWith(t *testing.T, names ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	os.Mkdir(dir, 0o755)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if strings.HasSuffix(n, "/") {
			os.Mkdir(p, 0o755)
		} else if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fakeSweep writes a finished sweep of the "grid" sweep file (see
// sweepFiles) into a new folder and returns the file and the folder.
func fakeSweep(t *testing.T) (file, dir string) {
	t.Helper()
	file = sweepFiles(t, "grid")
	dir = filepath.Join(t.TempDir(), "sweep")
	if code, _, errs := settle(t, "sweep", file, "--out", dir, "--quiet"); code != 0 {
		t.Fatal(errs)
	}
	return file, dir
}

// unfinished copies the manifest of the finished run or sweep in dir to a
// new folder, marked unfinished (complete false, an INCOMPLETE file), with
// the keys of set replaced.
func unfinished(t *testing.T, dir string, set map[string]any) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["complete"] = false
	maps.Copy(m, set)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	out := folderWith(t, "INCOMPLETE")
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantRefused runs settle with args, which name dir as --out, and checks
// that it fails with an error containing want (DIR standing for dir) and
// leaves dir as it was.
func wantRefused(t *testing.T, dir string, args []string, want string) {
	t.Helper()
	before := listDir(dir)
	code, _, errs := settle(t, args...)
	want = strings.ReplaceAll(want, "DIR", dir)
	if code != exitError || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q\nwant %q", code, errs, want)
	}
	if after := listDir(dir); !slices.Equal(before, after) {
		t.Errorf("the folder changed: %v → %v", before, after)
	}
}

func listDir(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestOutNotEmpty: --out naming a folder that holds unrelated files says
// what is there, not that an earlier run would be overwritten; the folder
// is left as it was.
func TestOutNotEmpty(t *testing.T) {
	run := fakeRun(t)
	scen := scenarioFile(t, t.TempDir(), 2, 0.02)
	sweepFile, sweepDir := fakeSweep(t)
	cases := []struct {
		name  string
		args  func(out string) []string
		files []string // in the --out folder
		want  string   // DIR stands for the folder
	}{
		{"run, one file", func(o string) []string { return []string{"run", scen, "--out", o} }, []string{"keep.txt"},
			"settle run: DIR is not empty (keep.txt); choose a new folder or an empty one"},
		{"run, many", func(o string) []string { return []string{"run", scen, "--out", o} }, []string{"keep.txt", "a.txt", "notes/", "b.txt", "c.txt"},
			"settle run: DIR is not empty (a.txt, b.txt, c.txt and 2 more); choose a new folder or an empty one"},
		{"run, earlier run", func(o string) []string { return []string{"run", scen, "--out", o} }, []string{"manifest.json", "regions.csv"},
			"settle run: refusing to overwrite the earlier run in DIR; choose another --out or delete it"},
		{"fit", func(o string) []string { return []string{"fit", run, "--targets", norwayTargets, "--out", o} }, []string{"keep.txt"},
			"settle fit: DIR is not empty (keep.txt); choose a new folder or an empty one"},
		{"fit, earlier fit", func(o string) []string { return []string{"fit", run, "--targets", norwayTargets, "--out", o} }, []string{"fit.csv"},
			"settle fit: refusing to overwrite the earlier fit in DIR"},
		{"sensitivity", func(o string) []string { return []string{"sensitivity", sweepDir, "--out", o} }, []string{"keep.txt"},
			"settle sensitivity: DIR is not empty (keep.txt); choose a new folder or an empty one"},
		{"sensitivity, earlier analysis", func(o string) []string { return []string{"sensitivity", sweepDir, "--out", o} }, []string{"sensitivity.csv"},
			"settle sensitivity: refusing to overwrite the earlier analysis in DIR"},
		{"sweep", func(o string) []string { return []string{"sweep", sweepFile, "--out", o} }, []string{"keep.txt"},
			"settle sweep: DIR is not empty (keep.txt); choose a new folder or an empty one"},
		{"compare", func(o string) []string {
			return []string{"compare", "../../scenarios/teaching.toml", "../../scenarios/compare/holmoy-bridge.toml", "--out", o}
		}, []string{"keep.txt"},
			"settle compare: DIR is not empty (keep.txt); choose a new folder or an empty one"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := folderWith(t, c.files...)
			wantRefused(t, dir, c.args(dir), c.want)
		})
	}
}

// TestOutNamesEarlierResults: --out naming the folder of an earlier sweep,
// comparison, fit or sensitivity analysis says which it is (it used to call
// anything with a manifest an earlier run), and a sweep's own command says
// how to continue it; the folder is left as it was.
func TestOutNamesEarlierResults(t *testing.T) {
	scen := scenarioFile(t, t.TempDir(), 2, 0.02)
	sweepFile, sweepDir := fakeSweep(t)
	cases := []struct {
		name string
		dir  string
		args []string // --out DIR is added
		want string   // DIR stands for the folder
	}{
		{"finished sweep given to sweep", sweepDir, []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the finished sweep in DIR; choose another --out or delete it"},
		{"unfinished sweep given to sweep", unfinished(t, sweepDir, nil), []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the earlier sweep in DIR, which did not finish; add --resume to continue it, or choose another --out"},
		{"unfinished sweep of another file", unfinished(t, sweepDir, map[string]any{"sweep_file": "other.toml", "sweep_sha256": "00"}), []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the earlier sweep in DIR; --resume cannot continue it here: it holds a sweep of other.toml, and " + sweepFile + " is not that file as it was then; start this sweep in another folder"},
		{"unfinished shard given to the whole sweep", unfinished(t, sweepDir, map[string]any{"shard": map[string]int{"index": 1, "count": 2}}), []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the earlier sweep in DIR; --resume cannot continue it here: it holds shard 1/2, not 0/1"},
		{"interrupted run given to sweep", unfinished(t, fakeRun(t), nil), []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the earlier run, which did not finish, in DIR; choose another --out or delete it"},
		{"interrupted comparison given to run", folderWith(t, "INCOMPLETE", "runs/"), []string{"run", scen},
			"settle run: refusing to overwrite the earlier comparison, which did not finish, in DIR; choose another --out or delete it"},
		{"calibration given to compare", folderWith(t, "trace.csv", "fitted.toml", "report.csv"),
			[]string{"compare", "../../scenarios/teaching.toml", "../../scenarios/compare/holmoy-bridge.toml"},
			"settle compare: refusing to overwrite the earlier calibration in DIR; choose another --out or delete it"},
		{"interrupted calibration given to calibrate", folderWith(t, "trace.csv", "fitted.toml", "INCOMPLETE"), []string{"calibrate", "../../targets/fitted/calibration.toml"},
			"settle calibrate: refusing to overwrite the earlier calibration, which did not finish, in DIR; choose another --out or delete it"},
		{"sweep given to run", sweepDir, []string{"run", scen},
			"settle run: refusing to overwrite the earlier sweep in DIR; choose another --out or delete it"},
		{"comparison given to run", folderWith(t, "compare.json", "regions.csv"), []string{"run", scen},
			"settle run: refusing to overwrite the earlier comparison in DIR; choose another --out or delete it"},
		{"fit given to compare", folderWith(t, "fit.csv"),
			[]string{"compare", "../../scenarios/teaching.toml", "../../scenarios/compare/holmoy-bridge.toml"},
			"settle compare: refusing to overwrite the earlier fit in DIR; choose another --out or delete it"},
		{"sensitivity analysis given to sweep", folderWith(t, "sensitivity.csv"), []string{"sweep", sweepFile},
			"settle sweep: refusing to overwrite the earlier sensitivity analysis in DIR; choose another --out or delete it"},
		{"sweep given to fit", sweepDir, []string{"fit", fakeRun(t), "--targets", norwayTargets},
			"settle fit: refusing to overwrite the earlier sweep in DIR; choose another --out or delete it"},
		{"comparison given to sensitivity", folderWith(t, "compare.json"), []string{"sensitivity", sweepDir},
			"settle sensitivity: refusing to overwrite the earlier comparison in DIR; choose another --out or delete it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantRefused(t, c.dir, append(c.args, "--out", c.dir), c.want)
		})
	}
	// A shard's folder holding something else than a sweep (it used to be
	// called an earlier sweep, with --resume to continue it).
	t.Run("run in a shard's folder", func(t *testing.T) {
		out := t.TempDir()
		shard := filepath.Join(out, "shard-0-of-2")
		if err := os.Rename(unfinished(t, fakeRun(t), nil), shard); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, shard, []string{"sweep", sweepFile, "--shard", "0/2", "--out", out},
			"settle sweep: refusing to overwrite the earlier run in DIR, which did not finish; choose another --out or delete it")
	})
}

// closedPipe stands for a terminal reader who stopped reading (settle fit
// … | head): the process dies at its first write, here a panic.
type closedPipe struct{}

func (closedPipe) Write([]byte) (int, error) { panic("write to a closed pipe") }

// TestFilesBeforeTable: fit and sensitivity write their files before they
// print their tables, so that stopping the table does not lose them.
func TestFilesBeforeTable(t *testing.T) {
	_, sweepDir := fakeSweep(t)
	for _, c := range []struct {
		name string
		args func(out string) []string
		file string
	}{
		{"fit", func(o string) []string { return []string{"fit", fakeRun(t), "--targets", norwayTargets, "--out", o} }, "fit.csv"},
		{"sensitivity", func(o string) []string { return []string{"sensitivity", sweepDir, "--out", o} }, "sensitivity.csv"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			func() {
				defer func() { recover() }()
				runMain(context.Background(), c.args(out), nil, closedPipe{}, io.Discard)
			}()
			if _, err := os.Stat(filepath.Join(out, c.file)); err != nil {
				t.Errorf("settle %s stopped at its first line of output: %v", c.name, err)
			}
		})
	}
}
