package main

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"slices"
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
