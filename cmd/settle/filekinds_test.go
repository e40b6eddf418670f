package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrongKindOfFile: a scenario given to settle sweep, a sweep file to
// settle run and so on is named for what it is, with the command that
// takes it, instead of the loader's complaint about its tables.
func TestWrongKindOfFile(t *testing.T) {
	sweepFile := sweepFiles(t, "grid")
	base := filepath.Join(filepath.Dir(sweepFile), "base.toml")
	calib := filepath.Join(t.TempDir(), "calibration.toml")
	os.WriteFile(calib, []byte("[calibration]\ntargets = \"norway.toml\"\nworld = \"teaching\"\n"), 0o644)
	const targetsFile = "../../targets/norway.toml"
	run := fakeRun(t)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", base}, "settle sweep: " + base + " is a scenario, not a sweep file: run it with settle run " + base + ", or sweep it with a sweep file whose [sweep] table names it"},
		{[]string{"sweep", base, "--dry-run"}, base + " is a scenario, not a sweep file"},
		{[]string{"sweep", "slurm", base, "--tasks", "2"}, base + " is a scenario, not a sweep file"},
		{[]string{"run", sweepFile}, "settle run: " + sweepFile + " is a sweep file, not a scenario: run it with settle sweep " + sweepFile + " (its base scenario is " + base + ")"},
		{[]string{"validate", sweepFile}, "settle validate: " + sweepFile + " is a sweep file, not a scenario: check it with settle sweep " + sweepFile + " --dry-run"},
		{[]string{"compare", base, sweepFile}, "settle compare: " + sweepFile + " is a sweep file, not a scenario"},
		{[]string{"run", calib}, calib + " is a calibration file, not a scenario: run it with settle calibrate " + calib},
		{[]string{"run", targetsFile}, targetsFile + " is a targets file, not a scenario: compare a run with it: settle fit RUN_DIR --targets " + targetsFile},
		{[]string{"calibrate", base}, base + " is a scenario, not a calibration file: run it with settle run " + base},
		{[]string{"fit", run, "--targets", base}, "settle fit: --targets " + base + " is a scenario, not a targets file"},
	} {
		code, _, errs := settle(t, c.args...)
		if code != exitError || !strings.Contains(errs, c.want) {
			t.Errorf("settle %s: exit %d, stderr %q\nwant %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}
