package calibrate

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

// Copies of the files a calibration read, kept in its folder as a run
// keeps its scenario.toml and a sweep its sweep.toml: the folder says what
// was fitted to even when the files have since changed or moved. Their
// bytes are those whose SHA-256 the manifest records; relative paths in
// them (targets, world) are still relative to the originals' folder.
const (
	CalibrationCopy = "calibration.toml"
	TargetsCopy     = "targets.toml" // only when the targets are a file of their own
)

// WriteCopies writes the calibration file s.File into dir as
// CalibrationCopy and, when the targets are in a file of their own, t.File
// as TargetsCopy. A file whose bytes are no longer those read (its
// SHA-256 differs from s.SHA256 or t.SHA256) is an error: the copy would
// not be what was fitted.
func WriteCopies(dir string, s *Spec, t *Targets) error {
	type file struct{ path, sum, name string }
	files := []file{{s.File, s.SHA256, CalibrationCopy}}
	if t != nil && filepath.Clean(t.File) != filepath.Clean(s.File) {
		files = append(files, file{t.File, t.SHA256, TargetsCopy})
	}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			return fmt.Errorf("copying %s into %s: %w", f.path, dir, err)
		}
		if world.SHA256Hex(data) != f.sum {
			return fmt.Errorf("%s changed while settle calibrate read it; run the calibration again", f.path)
		}
		if err := output.WriteData(filepath.Join(dir, f.name), data); err != nil {
			return err
		}
	}
	return nil
}
