package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/settle-sim/settle/sim/compare"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/sweep"
)

// folderKind is what a folder given on the command line holds, so that a
// command given the wrong one (a sweep to settle fit, a run to settle
// sensitivity, a folder that does not exist) can say so and what to give.
type folderKind int

const (
	folderOther       folderKind = iota // none of the below (the commands' own checks speak)
	folderMissing                       // does not exist
	folderFile                          // a file, not a folder
	folderRun                           // settle run: manifest.json with scenario_name
	folderSweep                         // settle sweep or sweep merge: manifest.json with sweep_file
	folderShards                        // shard-I-of-N folders of a sweep
	folderCompare                       // settle compare: compare.json
	folderFit                           // settle fit: fit.csv
	folderSensitivity                   // settle sensitivity: sensitivity.csv
	folderCalibration                   // settle calibrate: trace.csv
	folderRuns                          // run folders (results/<scenario name>)
	folderSweeps                        // sweep folders (results/<sweep name>)
)

// folderInfo is what classify found.
type folderInfo struct {
	kind folderKind
	// example is, for folderRuns and folderSweeps, the last of the folders
	// by name (the latest run id); for folderCompare, a kept run; for a
	// file, fit or sensitivity folder, the run or sweep folder holding it;
	// else "".
	example string
}

// manifestKind tells a run's manifest.json from a sweep's by their keys.
func manifestKind(dir string) folderKind {
	b, err := os.ReadFile(filepath.Join(dir, output.ManifestFile))
	if err != nil {
		return folderOther
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) != nil {
		return folderOther
	}
	switch {
	case keys["sweep_file"] != nil:
		return folderSweep
	case keys["scenario_name"] != nil:
		return folderRun
	}
	return folderOther
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// classify looks at dir (and, for a folder of folders, one level down).
func classify(dir string) folderInfo {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return folderInfo{kind: folderMissing}
	case err != nil:
		return folderInfo{kind: folderOther}
	case !st.IsDir():
		info := folderInfo{kind: folderFile}
		if up := filepath.Dir(dir); manifestKind(up) != folderOther {
			info.example = up
		}
		return info
	}
	if k := manifestKind(dir); k != folderOther {
		return folderInfo{kind: k}
	}
	up := filepath.Dir(filepath.Clean(dir))
	switch {
	case exists(filepath.Join(dir, compare.ManifestFile)),
		// A comparison stopped with --keep-runs: its finished runs, no
		// compare.json yet.
		exists(filepath.Join(dir, output.IncompleteFile)) && isDir(filepath.Join(dir, "runs")):
		info := folderInfo{kind: folderCompare}
		if runs := childrenOf(filepath.Join(dir, "runs"), folderRun); len(runs) > 0 {
			info.example = runs[0]
		}
		return info
	case exists(filepath.Join(dir, fitCSV)):
		// fit writes into RUN/fit unless --out says otherwise: the run is
		// the example only when the parent is one.
		info := folderInfo{kind: folderFit}
		if manifestKind(up) == folderRun {
			info.example = up
		}
		return info
	case exists(filepath.Join(dir, calibrateTrace)):
		return folderInfo{kind: folderCalibration}
	case exists(filepath.Join(dir, sensitivityCSV)):
		info := folderInfo{kind: folderSensitivity}
		if manifestKind(up) == folderSweep {
			info.example = up
		}
		return info
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "shard-") && manifestKind(filepath.Join(dir, e.Name())) == folderSweep {
			return folderInfo{kind: folderShards}
		}
	}
	if runs := childrenOf(dir, folderRun); len(runs) > 0 {
		return folderInfo{kind: folderRuns, example: runs[len(runs)-1]}
	}
	if sweeps := childrenOf(dir, folderSweep); len(sweeps) > 0 {
		return folderInfo{kind: folderSweeps, example: sweeps[len(sweeps)-1]}
	}
	return folderInfo{kind: folderOther}
}

// childrenOf returns the folders in dir of kind k, sorted by name.
func childrenOf(dir string, k folderKind) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); e.IsDir() && manifestKind(p) == k {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// folderWhat says what a folder of a kind is, in the errors that name one
// given to the wrong command.
var folderWhat = map[folderKind]string{
	folderRun:         "a run folder (written by settle run)",
	folderSweep:       "a sweep folder (written by settle sweep)",
	folderCompare:     "a comparison folder (written by settle compare)",
	folderFit:         "the output of settle fit",
	folderSensitivity: "the output of settle sensitivity",
	folderCalibration: "the output of settle calibrate",
}

// folderNoun names, in checkOut's refusal, what an earlier command left in
// a folder.
var folderNoun = map[folderKind]string{
	folderRun:         "run",
	folderSweep:       "sweep",
	folderCompare:     "comparison",
	folderFit:         "fit",
	folderSensitivity: "sensitivity analysis",
	folderCalibration: "calibration",
}

// checkOut is output.CheckDir for settle cmd's --out dir: a folder that
// is not empty is refused, with an error that names what an earlier
// command left there when classify knows it, and says when it did not
// finish (output.CheckDir's own calls any folder with a manifest or an
// INCOMPLETE marker an earlier run). settle sweep asks sim/sweep first,
// which knows whether --resume would continue an earlier sweep.
func checkOut(cmd, dir string) error {
	err := output.CheckDir(dir)
	var ne *output.NotEmptyError
	if !errors.As(err, &ne) {
		return err
	}
	noun, ok := folderNoun[classify(dir).kind]
	if !ok {
		return err
	}
	if ne.Holds(output.IncompleteFile) {
		noun += ", which did not finish,"
	}
	return output.Reworded(fmt.Sprintf("refusing to overwrite the earlier %s in %s; choose another --out or delete it", noun, dir), err)
}

// needRun checks that dir is a run folder (written by settle run) for
// settle cmd. It returns nil when dir is one, or when it is something
// classify does not know (the command's own error then says what is wrong).
func needRun(cmd, dir string) error {
	const give = "give the folder of a run written by settle run"
	info := classify(dir)
	switch info.kind {
	case folderMissing:
		msg := fmt.Sprintf("%s does not exist; %s, e.g. results/baseline/<date-time>-s1", dir, give)
		if up := classify(filepath.Dir(filepath.Clean(dir))); up.kind == folderRuns {
			msg = fmt.Sprintf("%s does not exist; %s, e.g. %s", dir, give, up.example)
		}
		return errors.New(msg)
	case folderFile:
		if info.example != "" && manifestKind(info.example) == folderRun {
			return fmt.Errorf("%s is a file, not a run folder; give the run's folder: settle %s %s", dir, cmd, info.example)
		}
		return fmt.Errorf("%s is a file, not a folder; %s (it holds manifest.json and regions.csv)", dir, give)
	case folderSweep:
		return fmt.Errorf("%s is %s, not a run folder; settle %s needs a run folder from settle run (to analyse the sweep: settle sensitivity %s)", dir, folderWhat[folderSweep], cmd, dir)
	case folderShards:
		return fmt.Errorf("%s holds the shards of a sweep, not a run; settle %s needs a run folder from settle run", dir, cmd)
	case folderCompare:
		if info.example != "" {
			return fmt.Errorf("%s is %s, not a run folder; give one of its runs, e.g. settle %s %s", dir, folderWhat[folderCompare], cmd, info.example)
		}
		return fmt.Errorf("%s is %s, not a run folder; %s, or compare again with --keep-runs to keep every run's folder under runs/", dir, folderWhat[folderCompare], give)
	case folderFit:
		if info.example == "" {
			return fmt.Errorf("%s is %s, not a run folder; %s", dir, folderWhat[folderFit], give)
		}
		return fmt.Errorf("%s is %s, not a run folder; give the run's folder: settle %s %s", dir, folderWhat[folderFit], cmd, info.example)
	case folderSensitivity, folderCalibration:
		return fmt.Errorf("%s is %s, not a run folder; %s", dir, folderWhat[info.kind], give)
	case folderRuns:
		return fmt.Errorf("%s holds run folders, not a run; give one of them, e.g. settle %s %s", dir, cmd, info.example)
	case folderSweeps:
		return fmt.Errorf("%s holds sweep folders, not a run; settle %s needs a run folder from settle run", dir, cmd)
	}
	return nil
}

// needSweep checks that dir is a sweep folder (written by settle sweep or
// settle sweep merge) for settle cmd, as needRun does for runs.
func needSweep(cmd, dir string) error {
	const give = "give the folder of a sweep written by settle sweep (or settle sweep merge)"
	info := classify(dir)
	switch info.kind {
	case folderMissing:
		msg := fmt.Sprintf("%s does not exist; %s, e.g. results/teaching-levers/<date-time>-s<seed>", dir, give)
		if up := classify(filepath.Dir(filepath.Clean(dir))); up.kind == folderSweeps {
			msg = fmt.Sprintf("%s does not exist; %s, e.g. %s", dir, give, up.example)
		}
		return errors.New(msg)
	case folderFile:
		if info.example != "" && manifestKind(info.example) == folderSweep {
			return fmt.Errorf("%s is a file, not a sweep folder; give the sweep's folder: settle %s %s", dir, cmd, info.example)
		}
		return fmt.Errorf("%s is a file, not a folder; %s", dir, give)
	case folderRun:
		return fmt.Errorf("%s is %s, not a sweep folder; settle %s needs a sweep folder from settle sweep, e.g. settle sweep scenarios/sweeps/teaching-levers.toml (for one run: settle fit or settle explain)", dir, folderWhat[folderRun], cmd)
	case folderShards:
		return fmt.Errorf("%s holds the shards of a sweep; merge them first: settle sweep merge %s", dir, dir)
	case folderCompare:
		return fmt.Errorf("%s is %s, not a sweep folder; settle %s needs a sweep folder from settle sweep", dir, folderWhat[folderCompare], cmd)
	case folderSensitivity:
		if info.example == "" {
			return fmt.Errorf("%s is %s, not a sweep folder; %s", dir, folderWhat[folderSensitivity], give)
		}
		return fmt.Errorf("%s is %s, not a sweep folder; give the sweep's folder: settle %s %s", dir, folderWhat[folderSensitivity], cmd, info.example)
	case folderFit, folderCalibration:
		return fmt.Errorf("%s is %s, not a sweep folder; %s", dir, folderWhat[info.kind], give)
	case folderRuns:
		return fmt.Errorf("%s holds run folders of settle run, not a sweep; settle %s needs a sweep folder from settle sweep", dir, cmd)
	case folderSweeps:
		return fmt.Errorf("%s holds sweep folders, not a sweep; give one of them, e.g. settle %s %s", dir, cmd, info.example)
	case folderOther:
		if !exists(filepath.Join(dir, sweep.ManifestFile)) {
			return fmt.Errorf("%s is not a sweep folder: it has no %s; %s", dir, sweep.ManifestFile, give)
		}
	}
	return nil
}
