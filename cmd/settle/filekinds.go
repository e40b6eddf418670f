package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	"github.com/settle-sim/settle/sim/output"
)

// fileKind is which of settle's TOML files a file is, by its tables.
type fileKind int

const (
	fileUnknown     fileKind = iota // not readable, not TOML, or none of these
	fileScenario                    // [scenario]: settle run, validate, compare
	fileSweep                       // [sweep]: settle sweep
	fileCalibration                 // [calibration]: settle calibrate
	fileTargets                     // [age_rates], [moves_per_thousand] …: settle fit --targets
)

// kindOfFile reads the top-level tables of the TOML file path. It also
// returns, for a sweep file, the path of its base scenario (or "").
// Errors give fileUnknown: the command's own loader reports them.
func kindOfFile(path string) (fileKind, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return fileUnknown, ""
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return fileUnknown, ""
	}
	table := func(key string) (map[string]any, bool) {
		m, ok := doc[key].(map[string]any)
		return m, ok
	}
	// Only one of the kinds' own tables: a file with two is left to the
	// loader, which says which table does not belong.
	var kinds []fileKind
	base := ""
	if _, ok := table("scenario"); ok {
		kinds = append(kinds, fileScenario)
	}
	if sw, ok := table("sweep"); ok {
		kinds = append(kinds, fileSweep)
		if s, ok := sw["scenario"].(string); ok && s != "" {
			base = s
			if !filepath.IsAbs(base) {
				base = filepath.Join(filepath.Dir(path), base)
			}
		}
	}
	if _, ok := table("calibration"); ok {
		kinds = append(kinds, fileCalibration)
	}
	for _, key := range []string{"age_rates", "moves_per_thousand", "peak_age", "distance_exponent", "centrality_share"} {
		if _, ok := doc[key]; ok {
			kinds = append(kinds, fileTargets)
			break
		}
	}
	if len(kinds) != 1 {
		return fileUnknown, ""
	}
	return kinds[0], base
}

// needFile checks that path is a file of kind want for settle cmd, and
// says what it is and how to use it when it is another of settle's files.
// A file of unknown kind passes: the command's loader reports its errors.
func needFile(cmd, path string, want fileKind) error {
	got, base := kindOfFile(path)
	if got == fileUnknown || got == want {
		return nil
	}
	var what, not string
	switch want {
	case fileScenario:
		not = "a scenario"
	case fileSweep:
		not = "a sweep file"
	case fileCalibration:
		not = "a calibration file"
	case fileTargets:
		not = "a targets file"
	}
	var use string
	switch got {
	case fileScenario:
		what = "a scenario"
		use = "run it with settle run " + output.ShellQuote(path)
		if want == fileSweep {
			use += fmt.Sprintf(", or sweep it with a sweep file whose [sweep] table names it (scenario = %q; see docs/sweeps.md)", filepath.Base(path))
		}
	case fileSweep:
		what = "a sweep file"
		use = "run it with settle sweep " + output.ShellQuote(path)
		if cmd == "validate" {
			use = "check it with settle sweep " + output.ShellQuote(path) + " --dry-run"
		}
		if base != "" && want == fileScenario {
			use += " (its base scenario is " + base + ")"
		}
	case fileCalibration:
		what = "a calibration file"
		use = "run it with settle calibrate " + output.ShellQuote(path)
	case fileTargets:
		what = "a targets file"
		use = "compare a run with it: settle fit RUN_DIR --targets " + output.ShellQuote(path)
	}
	return fmt.Errorf("%s is %s, not %s: %s", path, what, not, use)
}
