package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderArguments: a command given a folder that does not exist, a
// file, or the folder of another command (a run to settle sensitivity, a
// sweep to settle fit …) says what it was given and what it needs, instead
// of "it has no manifest.json" or a raw "open …/points.csv" error.
func TestFolderArguments(t *testing.T) {
	tmp := t.TempDir()
	run := fakeRun(t)
	sweepFile, sweepDir := fakeSweep(t)
	// results/base/<two runs>, a comparison without kept runs, a file.
	runs := filepath.Join(tmp, "results", "base")
	for _, id := range []string{"20250101-120000-s1", "20250102-120000-s1"} {
		if err := os.CopyFS(filepath.Join(runs, id), os.DirFS(run)); err != nil {
			t.Fatal(err)
		}
	}
	latest := filepath.Join(runs, "20250102-120000-s1")
	cmp := folderWith(t, "compare.json", "deltas.csv")
	file := filepath.Join(run, "regions.csv")
	missing := filepath.Join(tmp, "nope")
	other := folderWith(t, "keep.txt")
	// A fit's output inside its run, and one written elsewhere (--out).
	fitIn := filepath.Join(run, "fit")
	if err := os.MkdirAll(fitIn, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fitIn, "fit.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fitOut := filepath.Join(tmp, "fits", "a")
	if err := os.MkdirAll(fitOut, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fitOut, "fit.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		args []string
		want string // D stands for the folder given
	}{
		{"explain, missing", []string{"explain", missing, "--region", "Storhavn"}, "settle explain: D does not exist; give the folder of a run written by settle run"},
		{"explain, missing next to runs", []string{"explain", filepath.Join(runs, "nope"), "--region", "Storhavn"}, "does not exist; give the folder of a run written by settle run, e.g. " + latest},
		{"fit, missing", []string{"fit", missing}, "settle fit: D does not exist; give the folder of a run written by settle run"},
		{"sensitivity, missing", []string{"sensitivity", missing}, "settle sensitivity: D does not exist; give the folder of a sweep written by settle sweep"},
		{"sweep merge, missing", []string{"sweep", "merge", missing}, "settle sweep merge: D does not exist; give the sweep's folder (the --out of the shards) or a shard's folder"},

		{"sensitivity, run", []string{"sensitivity", run}, "settle sensitivity: D is a run folder (written by settle run), not a sweep folder; settle sensitivity needs a sweep folder from settle sweep"},
		{"fit, sweep", []string{"fit", sweepDir}, "settle fit: D is a sweep folder (written by settle sweep), not a run folder; settle fit needs a run folder from settle run (to analyse the sweep: settle sensitivity D)"},
		{"explain, sweep", []string{"explain", sweepDir, "--region", "Storhavn"}, "settle explain: D is a sweep folder (written by settle sweep), not a run folder"},
		{"sweep merge, run", []string{"sweep", "merge", run}, "settle sweep merge: D is a run folder (written by settle run), not the shards of a sweep"},
		{"sweep --resume, run", []string{"sweep", sweepFile, "--out", run, "--resume"}, "settle sweep: cannot resume in D: it is a run folder (written by settle run), not a sweep"},

		{"fit, a file of a run", []string{"fit", file}, "settle fit: D is a file, not a run folder; give the run's folder: settle fit " + run},
		{"sensitivity, a file", []string{"sensitivity", file}, "settle sensitivity: D is a file, not a folder"},
		{"fit, folder of runs", []string{"fit", runs}, "settle fit: D holds run folders, not a run; give one of them, e.g. settle fit " + latest},
		{"explain, comparison", []string{"explain", cmp, "--region", "Storhavn"}, "settle explain: D is a comparison folder (written by settle compare), not a run folder; give the folder of a run written by settle run, or compare again with --keep-runs"},
		{"explain, a fit in its run", []string{"explain", fitIn, "--region", "Storhavn"}, "settle explain: D is the output of settle fit, not a run folder; give the run's folder: settle explain " + run},
		{"explain, a fit elsewhere", []string{"explain", fitOut, "--region", "Storhavn"}, "settle explain: D is the output of settle fit, not a run folder; give the folder of a run written by settle run"},
		{"sensitivity, other folder", []string{"sensitivity", other}, "settle sensitivity: D is not a sweep folder: it has no manifest.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := settle(t, c.args...)
			d := c.args[1]
			if c.args[0] == "sweep" {
				d = c.args[2]
				if c.args[1] != "merge" {
					d = c.args[3]
				}
			}
			want := strings.ReplaceAll(c.want, "D", d)
			if code != exitError || !strings.Contains(errs, want) {
				t.Errorf("exit %d, stderr %q\nwant %q", code, errs, want)
			}
			if _, err := os.Stat(missing); err == nil {
				t.Fatalf("%s was created", missing)
			}
		})
	}
}

// TestDamagedRunFolder: a run folder whose files were cut short or
// emptied is named as damaged, with the file, the line and the fix,
// instead of the decoders' "unexpected end of JSON input" or "EOF".
func TestDamagedRunFolder(t *testing.T) {
	run := fakeRun(t)
	cases := []struct {
		name, file string
		damage     func([]byte) []byte
		want       string
	}{
		{"manifest cut short", "manifest.json", func(b []byte) []byte { return b[:len(b)/2] },
			"manifest.json is damaged at line"},
		{"regions cut short", "regions.csv", func(b []byte) []byte {
			return append(bytes.Clone(b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+10]), '\n')
		},
			"regions.csv:%d: the row does not have the 27 fields of the header: the file is damaged (cut short or edited?); rerun the scenario into a new folder"},
		{"flows empty", "flows.csv", func([]byte) []byte { return nil },
			"flows.csv is empty: the run folder is damaged"},
		// The last row may still parse, a digit short.
		{"regions cut at its end", "regions.csv", func(b []byte) []byte { return b[:len(b)-3] },
			"regions.csv does not end with a line break: the file was cut short"},
		// No damage function: the file is removed.
		{"flows missing", "flows.csv", nil,
			"flows.csv is missing; is the run complete? (a run still writing has flows.csv.tmp)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if err := os.CopyFS(dir, os.DirFS(run)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, c.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.damage == nil {
				err = os.Remove(path)
			} else {
				err = os.WriteFile(path, c.damage(b), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if strings.Contains(want, "%d") {
				want = fmt.Sprintf(want, bytes.Count(b, []byte("\n")))
			}
			code, _, errs := settle(t, "fit", dir, "--targets", "../../targets/norway.toml")
			if code == 0 || !strings.Contains(errs, want) {
				t.Errorf("fit: exit %d, stderr %q; want it to contain %q", code, errs, want)
			}
			// explain reads the tables with its own reader, and says the same.
			if c.file != "manifest.json" {
				code, _, errs = settle(t, "explain", dir, "--region", "Storhavn")
				if code == 0 || !strings.Contains(errs, want) {
					t.Errorf("explain: exit %d, stderr %q; want it to contain %q", code, errs, want)
				}
			}
		})
	}
}
