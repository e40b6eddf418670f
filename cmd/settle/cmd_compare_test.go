package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/report"
)

// The example comparison of the teaching world, shortened: 3 years at
// scale 0.05, 2 replicates (well under a second of simulation).
func compareOpts(out string) compareOptions {
	return compareOptions{
		Files:      []string{"../../scenarios/teaching.toml", "../../scenarios/compare/holmoy-bridge.toml"},
		Replicates: 2, Years: 4, Scale: 0.05, Out: out, Quiet: false,
	}
}

func TestCompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	opts := compareOpts(dir)
	opts.KeepRuns = true
	var stdout, stderr bytes.Buffer
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"2 replicates (seeds 1–2), 4 runs", "Residents on 1 January 2028, holmoy-bridge against teaching",
		"Sjøvik", "Holmøy bridge (2 regions)", "By 2028 Holmøy has", "Report:  " + filepath.Join(dir, "report.html")} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{compare.DeltasFile, compare.AttractivenessFile, compare.AttractModelFile, compare.FlowsFile,
		compare.PyramidsFile, compare.ManifestFile, report.ReportFile, "charts/map-holmoy-bridge.png", "charts/difference-holmoy-bridge.svg",
		"runs/teaching-r1/regions.csv", "runs/holmoy-bridge-r2/flows.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, output.IncompleteFile)); err == nil {
		t.Error("a finished comparison still has its INCOMPLETE file")
	}
	assertNoTmp(t, dir)
	// compare.json holds each file's text, whose hash it gives.
	var cm compare.Manifest
	if b, err := os.ReadFile(filepath.Join(dir, compare.ManifestFile)); err != nil || json.Unmarshal(b, &cm) != nil {
		t.Fatalf("compare.json: %v", err)
	}
	// Relative paths in it are relative to the folder it ran in.
	wd, _ := os.Getwd()
	if cm.WorkingDir != wd {
		t.Errorf("compare.json: working_dir %q, want %q", cm.WorkingDir, wd)
	}
	for _, r := range cm.Runs {
		if r.Manifest.WorkingDir != wd {
			t.Errorf("compare.json: run %s-%d's working_dir %q, want %q", r.Scenario, r.Replicate, r.Manifest.WorkingDir, wd)
		}
	}
	for _, sc := range cm.Scenarios {
		if sum := sha256.Sum256([]byte(sc.Text)); sc.Text == "" || hex.EncodeToString(sum[:]) != sc.SHA256 {
			t.Errorf("compare.json: %s's text (%d bytes) does not hash to its sha256", sc.Name, len(sc.Text))
		}
	}
	m, err := output.ReadManifest(filepath.Join(dir, "runs", "holmoy-bridge-r2"))
	if err != nil || !m.Complete || m.Seed != 2 || m.Years != 4 || m.Scale != 0.05 {
		t.Errorf("kept run's manifest %+v, %v", m, err)
	}
	// A kept run can be explained.
	stdout.Reset()
	if err := runExplain(context.Background(), explainOptions{RunDir: filepath.Join(dir, "runs", "holmoy-bridge-r1"), Region: "Holmøy", Top: 3}, &stdout, &stderr); err != nil {
		t.Errorf("explain a kept run: %v", err)
	}

	// The same folder again is refused, and the comparison is left alone.
	before, _ := os.ReadFile(filepath.Join(dir, compare.DeltasFile))
	err = runCompare(context.Background(), compareOpts(dir), &stdout, &stderr)
	if !errors.Is(err, output.ErrNotEmpty) {
		t.Errorf("second comparison into %s: %v", dir, err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, compare.DeltasFile))
	if !bytes.Equal(before, after) {
		t.Error("the refused comparison changed deltas.csv")
	}
}

func TestCompareDefaultFolder(t *testing.T) {
	base := t.TempDir()
	opts := compareOpts("")
	opts.Results = base
	opts.Quiet = true
	opts.Replicates = 1
	var stdout, stderr bytes.Buffer
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	// Quiet: only the folder.
	dir := strings.TrimSpace(stdout.String())
	if filepath.Dir(dir) != filepath.Join(base, "compare") || !strings.HasSuffix(dir, "-s1") {
		t.Errorf("quiet output %q, want a folder under %s", stdout.String(), filepath.Join(base, "compare"))
	}
	if !strings.Contains(stderr.String(), "one replicate gives no intervals") {
		t.Errorf("stderr %q", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, report.ReportFile)); err != nil {
		t.Error(err)
	}
}

func TestCompareRefusesDifferentYears(t *testing.T) {
	tmp := t.TempDir()
	other := scenarioFile(t, tmp, 5, 0.05) // teaching, 5 years, scale 0.05
	dir := filepath.Join(tmp, "cmp")
	opts := compareOptions{Files: []string{"../../scenarios/teaching.toml", other}, Replicates: 2, Out: dir}
	var stdout, stderr bytes.Buffer
	err := runCompare(context.Background(), opts, &stdout, &stderr)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{other, "../../scenarios/teaching.toml", "scenario.years", "--years"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if exitCode(err) != exitError {
		t.Errorf("exit code %d", exitCode(err))
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a refused comparison created its folder")
	}
	// --years alone is not enough: the scales differ too.
	opts.Years = 3
	err = runCompare(context.Background(), opts, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "scenario.scale") {
		t.Errorf("with --years: %v", err)
	}
	opts.Scale = 0.05
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Errorf("with --years and --scale: %v", err)
	}
}

// Ctrl-C during the runs leaves nothing behind.
func TestCompareInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	err := runCompare(ctx, compareOpts(dir), &stdout, &stderr)
	if !errors.Is(err, context.Canceled) || exitCode(err) != exitInterrupted {
		t.Fatalf("error %v, exit %d", err, exitCode(err))
	}
	if want := "interrupted; nothing of the comparison was kept"; err.Error() != want { // no "context canceled"
		t.Errorf("error %q, want %q", err, want)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("an interrupted comparison left %s", dir)
	}
	// An empty folder the user made for the results stays, empty.
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	runCompare(ctx, compareOpts(dir), &stdout, &stderr)
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("the user's empty --out folder: %v, %v; want it kept and empty", entries, err)
	}
	// With --keep-runs the finished runs stay, and the error says where.
	opts := compareOpts(dir)
	opts.KeepRuns = true
	opts.Cmdline = []string{"settle", "compare", "base.toml", "my bridge.toml", "--keep-runs", "--out", dir}
	err = runCompare(ctx, opts, &stdout, &stderr)
	if want := "interrupted; the runs that finished are kept in " + filepath.Join(dir, "runs"); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("--keep-runs: error %q, want %q…", err, want)
	}
	// Its INCOMPLETE file says why, and how to make the comparison again.
	b, err := os.ReadFile(filepath.Join(dir, output.IncompleteFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"did not finish: interrupted", "Delete " + dir + " first, or give the new comparison another --out",
		"    settle compare base.toml 'my bridge.toml' --keep-runs --out " + dir + "\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("INCOMPLETE:\n%s\nlacks %q", b, want)
		}
	}
}

func TestCompareUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "Give the baseline and at least one scenario"},
		{[]string{"a.toml"}, "give a scenario to compare with the baseline a.toml"},
		{[]string{"a.toml", "b.toml", "--replicates", "0"}, "--replicates 0"},
		{[]string{"a.toml", "b.toml", "--scale", "2"}, "--scale 2 is out of range"},
		{[]string{"a.toml", "b.toml", "--replicate", "2"}, "did you mean --replicates?"},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), append([]string{"compare"}, c.args...), nil, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("settle compare %v: exit %d, %q; want %q", c.args, code, stderr.String(), c.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"compare", "--help"}, nil, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "deltas.csv") {
		t.Errorf("help: exit %d\n%s", code, stdout.String())
	}
}
