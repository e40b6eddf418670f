package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/fit"
)

const norwayTargets = "../../targets/norway.toml"

// teachingRun simulates the teaching world for 5 years into a new folder.
func teachingRun(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "run")
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: scenarioFile(t, tmp, 5, 1), Out: dir, Quiet: true}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	return dir
}

func TestFitWritesTableAndCharts(t *testing.T) {
	dir := teachingRun(t)
	var stdout, stderr bytes.Buffer
	if err := runFit(context.Background(), fitOptions{RunDir: dir, Targets: norwayTargets}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"target statistic", "moves per 1000, ages 20–24", "distance exponent", "targets met", filepath.Join(dir, "fit")} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The window is 20 years; the run has 5.
	if !strings.Contains(stderr.String(), "the run has 5 of the 20 years") {
		t.Errorf("stderr: %q", stderr.String())
	}
	fitDir := filepath.Join(dir, "fit")
	rows := readCSV(t, filepath.Join(fitDir, "fit.csv"))
	if !slices.Equal(rows[0], fitCSVHeader) || len(rows) < 20 {
		t.Errorf("fit.csv: header %v, %d rows", rows[0], len(rows))
	}
	// Every statistic has its own id, of ASCII letters, digits and
	// ._-+ (a program's key; the statistic column has en dashes).
	ids := map[string]bool{}
	for _, row := range rows[1:] {
		if ids[row[0]] || !regexp.MustCompile(`^[a-z_]+(\.[a-z0-9_+-]+)*$`).MatchString(row[0]) {
			t.Errorf("fit.csv: id %q (statistic %q) repeated or not a key", row[0], row[1])
		}
		ids[row[0]] = true
	}
	for _, id := range []string{"age_rates.20-24", "age_rates.20-24.f", "age_rates.70+", "moves_per_thousand", "peak_age", "rogers_castro.peak_age", "centrality_share.5-6", "living_where_grew_up.35.all", "living_where_grew_up.35.5"} {
		if !ids[id] {
			t.Errorf("fit.csv has no %s: %v", id, slices.Sorted(maps.Keys(ids)))
		}
	}
	if ages := readCSV(t, filepath.Join(fitDir, "ages.csv")); len(ages) != 1+3*fit.Ages {
		t.Errorf("ages.csv has %d rows, want %d", len(ages), 1+3*fit.Ages)
	}
	for _, name := range []string{fit.ScheduleChart, fit.DistanceChart, fit.CentralityChart} {
		f, err := os.Open(filepath.Join(fitDir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		// 10 × 6 inches at 96 dpi.
		if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 576 {
			t.Errorf("%s.png is %v, want 960×576", name, b)
		}
		svg, err := os.ReadFile(filepath.Join(fitDir, name+".svg"))
		if err != nil || !bytes.Contains(svg, []byte("<svg")) || len(svg) < 1000 {
			t.Errorf("%s.svg: %d bytes, %v", name, len(svg), err)
		}
	}

	// A second fit refuses to overwrite the first, and says what to do.
	err := runFit(context.Background(), fitOptions{RunDir: dir, Targets: norwayTargets}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite the earlier fit") || !strings.Contains(err.Error(), "--out") {
		t.Errorf("second fit: %v", err)
	}
	// --out elsewhere works; --strict fails if a target is missed (the
	// teaching world is not Norway: some are).
	other := filepath.Join(t.TempDir(), "fit2")
	err = runFit(context.Background(), fitOptions{RunDir: dir, Targets: norwayTargets, Out: other, Strict: true}, &stdout, &stderr)
	var missed *missedError
	if !errors.As(err, &missed) || exitCode(err) != exitError {
		t.Errorf("--strict: %v (exit %d)", err, exitCode(err))
	}
	if _, err := os.Stat(filepath.Join(other, "fit.csv")); err != nil {
		t.Errorf("--strict still writes the table: %v", err)
	}
}

func TestFitCommandLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"fit"}, exitUsage, "which run?"},
		{[]string{"fit", "a", "b"}, exitUsage, "one run folder"},
		{[]string{"fit", "--targts", "x", "dir"}, exitUsage, "did you mean --targets?"},
		{[]string{"fit", "--targets", norwayTargets, t.TempDir()}, exitError, "is not a run folder"},
		{[]string{"fit", "--targets", "no/such.toml", t.TempDir()}, exitError, "check the path of the targets file"},
		{[]string{"fit", "--help"}, exitOK, "Usage: settle fit RUN_DIR"},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), c.args, c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String()+stderr.String(), c.want) {
			t.Errorf("settle %q: exit %d, want %d; output lacks %q:\n%s%s", c.args, code, c.code, c.want, stdout.String(), stderr.String())
		}
	}
}

// TestFitCalibrationTable: a targets file may carry settle calibrate's
// [calibration] table (docs/calibration.md); settle fit ignores it (it
// printed an error for the table and one for each of its keys, six of them
// ending in an empty "the keys here are " list).
func TestFitCalibrationTable(t *testing.T) {
	tmp := t.TempDir()
	run := filepath.Join(tmp, "run")
	if code, _, errs := settle(t, "run", scenarioFile(t, tmp, 2, 0.2), "--out", run, "--quiet"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	file := calibrationFile(t, tmp)
	code, out, errs := settle(t, "fit", run, "--targets", file)
	if code != 0 || strings.Contains(errs, "unknown key") || !strings.Contains(out, "targets met") {
		t.Errorf("settle fit --targets with a [calibration] table: exit %d\n%s%s", code, out, errs)
	}
}

// TestFitUserWorld: in a user world whose regions file has county names and
// no county_code, settle fit measures the same-county share (it said "not
// measurable in this run"); a target of centrality classes no region of the
// world is in says so on each of its rows, naming the classes the world
// has, and is missed but left out of the loss (it said "the window is
// empty", showed a measured +0.00 pp and added 100 a row to the loss).
func TestFitUserWorld(t *testing.T) {
	tmp := t.TempDir()
	regions := filepath.Join(tmp, "regions.csv")
	os.WriteFile(regions, []byte("code,name,county,centrality_class,lat,lon,population\n"+
		"R1,Havby,Sentrum,4,60.4,5.3,90000\nR2,Nordvik,Sentrum,5,60.5,5.4,20000\nR3,Lia,Sentrum,6,60.4,5.6,12000\n"+
		"R4,Elvebu,Dal,5,60.6,6.1,8000\nR5,Fosså,Dal,6,60.7,6.6,4000\nR6,Kaupang,Sør,4,59.8,5.5,36000\n"), 0o644)
	run := fakeRunOf(t, regions)
	file := filepath.Join(tmp, "targets.toml")
	os.WriteFile(file, []byte("[same_county_share]\nmin = 0\nmax = 1\n\n"+
		"[[centrality_share]]\nclasses = [1, 2, 3]\nchange = \"gain\"\nper_thousand = 2\nwithin = 1.5\n\n"+
		"[[living_where_grew_up]]\nclasses = [1]\nage = 35\nshare = 0.5\nwithin = 0.1\n"), 0o644)
	out := filepath.Join(tmp, "fit")
	code, stdout, stderr := settle(t, "fit", run, "--targets", file, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(out, fitCSV))
	byName := map[string][]string{}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	simulated, checked, ok, detail := col["simulated"], col["checked"], col["ok"], col["detail"]
	for _, r := range rows[1:] {
		byName[r[col["statistic"]]] = r
	}
	if r := byName["same-county share of moves"]; r == nil || r[simulated] == "" || r[ok] != "true" {
		t.Errorf("same-county row %q, want a measured share, met\n%s", r, stdout)
	}
	why := "not measurable: no region of the world is in classes 1-3 (its regions are in classes 4-6)"
	for name, want := range map[string]string{
		"share of classes 1-3 (domestic migration)": why,
		"net domestic per 1000 a year, classes 1-3": why,
		"living where they grew up at 35, class 1":  strings.Replace(why, "classes 1-3", "class 1", 1),
	} {
		r := byName[name]
		if r == nil || r[simulated] != "" || r[checked] != "true" || r[ok] != "false" || !strings.HasPrefix(r[detail], want) {
			t.Errorf("row %q\nwant not measurable, missed: %q", r, want)
		}
		if !strings.Contains(stdout, name+": "+want) {
			t.Errorf("stdout lacks the reason of %q:\n%s", name, stdout)
		}
	}
	// The loss is the same-county share's term alone: ((share − 0.5)/0.5)².
	share, err := strconv.ParseFloat(byName["same-county share of moves"][simulated], 64)
	if err != nil {
		t.Fatal(err)
	}
	loss := fmt.Sprintf("1 of 4 targets met (loss %.3g;", math.Pow((share-0.5)/0.5, 2))
	if !strings.Contains(stdout, loss) || !strings.Contains(stdout, "3 of the missed targets cannot be measured in this world") {
		t.Errorf("stdout lacks %q and the 3 the world cannot measure:\n%s", loss, stdout)
	}
}
