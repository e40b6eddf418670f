package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
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
	for _, f := range []string{compare.DeltasFile, compare.KeyYearFile, compare.AttractivenessFile, compare.AttractModelFile, compare.FlowsFile,
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

// cancelOnFile is a context that reports Ctrl-C (context.Canceled) once
// the file path exists: a Ctrl-C at a known point of writing a
// comparison, after its runs.
type cancelOnFile struct {
	context.Context
	path string
}

func (c cancelOnFile) Err() error {
	if _, err := os.Stat(c.path); err == nil {
		return context.Canceled
	}
	return c.Context.Err()
}

// TestCompareInterruptedWhileWriting: Ctrl-C while the tables, charts
// and report are written stops the comparison as during the runs: exit
// 130, "interrupted", the folder removed (or, with --keep-runs, the runs
// kept and the folder marked INCOMPLETE, without the tables written so
// far). It was ignored: the comparison finished and exited 0.
func TestCompareInterruptedWhileWriting(t *testing.T) {
	for _, c := range []struct{ name, after string }{
		{"tables", compare.DeltasFile}, // after the first table
		{"charts", report.ChartsDir},   // as the charts begin
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cmp")
			ctx := cancelOnFile{context.Background(), filepath.Join(dir, c.after)}
			var stdout, stderr bytes.Buffer
			err := runCompare(ctx, compareOpts(dir), &stdout, &stderr)
			if !errors.Is(err, context.Canceled) || exitCode(err) != exitInterrupted {
				t.Fatalf("error %v, exit %d; want exit %d", err, exitCode(err), exitInterrupted)
			}
			if want := "interrupted while writing the tables, charts and report; nothing of the comparison was kept"; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("an interrupted comparison left %s", dir)
			}
			if strings.Contains(stdout.String(), "Report:") {
				t.Errorf("an interrupted comparison printed its summary:\n%s", stdout.String())
			}
		})
	}
	// With --keep-runs: every run kept, the folder marked INCOMPLETE, and
	// no table of the comparison left to be taken for a finished one.
	dir := filepath.Join(t.TempDir(), "cmp")
	opts := compareOpts(dir)
	opts.KeepRuns = true
	ctx := cancelOnFile{context.Background(), filepath.Join(dir, compare.DeltasFile)}
	var stdout, stderr bytes.Buffer
	err := runCompare(ctx, opts, &stdout, &stderr)
	if want := "interrupted while writing the tables, charts and report; every run finished and is kept in " + filepath.Join(dir, "runs"); !errors.Is(err, context.Canceled) || !strings.HasPrefix(fmt.Sprint(err), want) {
		t.Errorf("--keep-runs: error %v, want %q…", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, output.IncompleteFile)); err != nil {
		t.Errorf("--keep-runs: not marked INCOMPLETE: %v", err)
	}
	for _, f := range []string{compare.DeltasFile, report.ReportFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("--keep-runs: %s left beside INCOMPLETE", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "runs", "holmoy-bridge-r2", "regions.csv")); err != nil {
		t.Errorf("--keep-runs: the runs: %v", err)
	}
}

// TestCompareYearInReport: --year Y gives report.html's summary and key
// figures of Y, as the terminal's; they said the last year's.
func TestCompareYearInReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	opts := compareOpts(dir)
	opts.Year = 2026
	var stdout, stderr bytes.Buffer
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, report.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if !strings.Contains(stdout.String(), "Residents on 1 January 2026") || !strings.Contains(html, "Key figures, 2026") || strings.Contains(html, "Key figures, 2028") {
		t.Errorf("terminal and report of different years:\n%s", stdout.String())
	}
	sentences := 0
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, "By ") {
			sentences++
			if !strings.HasPrefix(l, "By 2026") || !strings.Contains(html, strings.ReplaceAll(template.HTMLEscapeString(l), "+", "&#43;")) {
				t.Errorf("report.html lacks the terminal's sentence %q", l)
			}
		}
	}
	if sentences == 0 {
		t.Errorf("no sentences:\n%s", stdout.String())
	}
	if !strings.Contains(compareHelp(), "report.html") {
		t.Errorf("--year's help does not say it sets report.html's year:\n%s", compareHelp())
	}
	// key_year.csv holds the rows of that year, not the last.
	years := map[string]int{}
	for _, row := range readCSV(t, filepath.Join(dir, compare.KeyYearFile))[1:] {
		years[row[4]]++
	}
	if len(years) != 1 || years["2026"] == 0 {
		t.Errorf("key_year.csv has the rows of the years %v, want 2026's", years)
	}
}

// TestKeyTableRoundingNote: a row whose rounded means do not give its
// rounded difference (102,898, 104,800 and +1,903: the difference is the
// mean of the paired differences, rounded on its own) gets a note under
// the table; a table whose rows add up does not.
func TestKeyTableRoundingNote(t *testing.T) {
	var b bytes.Buffer
	off := compare.Delta{Baseline: 102897.6, Scenario: 104800.4, Difference: 1902.8, Lo: 1800, Hi: 2000, Replicates: 5}
	if err := writeKeyTable(&b, "link", []keyRow{{"Hadsel", off}}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "102,898") || !strings.Contains(out, "104,800") || !strings.Contains(out, "+1,903") ||
		!strings.Contains(out, "each figure is rounded on its own") {
		t.Errorf("table:\n%s", out)
	}
	b.Reset()
	even := compare.Delta{Baseline: 102898, Scenario: 104801, Difference: 1903, Lo: 1800, Hi: 2000, Replicates: 5}
	if err := writeKeyTable(&b, "link", []keyRow{{"Hadsel", even}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "rounded on its own") {
		t.Errorf("a table that adds up has the note:\n%s", b.String())
	}
}

// TestCompareEveryFilesProblems: the problems of every scenario file are
// reported, not only the first bad file's.
func TestCompareEveryFilesProblems(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.toml"), filepath.Join(dir, "b.toml")
	os.WriteFile(a, []byte("[scenario]\nname = \"a\"\nworld = \"teaching\"\nyears = 2\nscael = 0.1\n"), 0o644)
	os.WriteFile(b, []byte("[scenario]\nname = \"b\"\nworld = \"teaching\"\nyeras = 2\n"), 0o644)
	opts := compareOptions{Files: []string{"../../scenarios/teaching.toml", a, b}, Replicates: 2, Out: filepath.Join(dir, "cmp")}
	var stdout, stderr bytes.Buffer
	err := runCompare(context.Background(), opts, &stdout, &stderr)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{a + ":5: scenario.scael", b + ":4: scenario.yeras"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestCompareGroupedNote: the terminal says, under its table, why an
// intervention of five regions has one row, as report.html's key figures
// do.
func TestCompareGroupedNote(t *testing.T) {
	dir := t.TempDir()
	link := "../../sim/compare/testdata/link.toml" // five regions
	opts := compareOpts(filepath.Join(dir, "cmp"))
	opts.Files[1] = link
	opts.Years = 1
	var stdout, stderr bytes.Buffer
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	note := "Fixed link targets 5 regions, more than 4: they are shown together only, in the row Fixed link (5 regions) (T1 in deltas.csv), not one by one"
	if !strings.Contains(stdout.String(), "  ("+note) {
		t.Errorf("terminal lacks %q:\n%s", note, stdout.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "cmp", report.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), note) {
		t.Errorf("report.html lacks %q", note)
	}
}

// What settle validate warns about is a warning in a comparison too, on
// the terminal and in report.html (it was a note).
func TestCompareWarnings(t *testing.T) {
	tmp := t.TempDir()
	closure := filepath.Join(tmp, "closure.toml")
	os.WriteFile(closure, []byte("[scenario]\nname = \"closure\"\nworld = \"teaching\"\nyears = 20\n\n[[intervention]]\nkind = \"business_development\"\nregions = [\"Holmøy\"]\nfrom_year = 2025\njobs = -50000\nskill_level = \"low\"\n"), 0o644)
	dir := filepath.Join(tmp, "cmp")
	opts := compareOpts(dir)
	opts.Files = []string{"../../scenarios/teaching.toml", closure}
	opts.Replicates = 1
	var stdout, stderr bytes.Buffer
	if err := runCompare(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	want := "removes 50,000 low-skill jobs in Holmøy"
	if errs := stderr.String(); !strings.Contains(errs, "warning: business_development ("+closure+":6) "+want) || strings.Contains(errs, "note: business_development") {
		t.Errorf("stderr lacks the warning %q:\n%s", want, errs)
	}
	page, _ := os.ReadFile(filepath.Join(dir, report.ReportFile))
	if !strings.Contains(string(page), "<p class=\"note\">Warning: business_development") {
		t.Errorf("report.html lacks the warning")
	}
}
