package calibrate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A calibration's folder keeps the calibration and targets files as read
// (it kept only their SHA-256); targets beside the [calibration] table
// are in the one copy.
func TestWriteCopies(t *testing.T) {
	dir := t.TempDir()
	norway, err := os.ReadFile(filepath.Join("..", "..", "targets", "norway.toml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "norway.toml"), norway, 0o644)
	own := filepath.Join(dir, "cal.toml")
	spec := []byte("[calibration]\ntargets = \"norway.toml\"\nparams = [\"base_c\"]\n")
	os.WriteFile(own, spec, 0o644)
	s, err := LoadSpec(own)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := LoadTargets(s)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	if err := WriteCopies(out, s, tg); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{CalibrationCopy: spec, TargetsCopy: norway} {
		if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, or not the file's bytes", name, err)
		}
	}
	// One file: one copy.
	one := filepath.Join(dir, "one.toml")
	os.WriteFile(one, append(append([]byte(nil), norway...), "\n[calibration]\nparams = [\"base_c\"]\n"...), 0o644)
	s1, err := LoadSpec(one)
	if err != nil {
		t.Fatal(err)
	}
	tg1, err := LoadTargets(s1)
	if err != nil {
		t.Fatal(err)
	}
	out1 := filepath.Join(dir, "out1")
	os.Mkdir(out1, 0o755)
	if err := WriteCopies(out1, s1, tg1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out1, TargetsCopy)); err == nil {
		t.Error("targets in the calibration file were copied twice")
	}
	// A file changed since it was read is not copied as if it were read.
	os.WriteFile(own, append(spec, '\n'), 0o644)
	if err := WriteCopies(t.TempDir(), s, tg); err == nil || !strings.Contains(err.Error(), "changed while settle calibrate read it") {
		t.Errorf("changed file: %v", err)
	}
}
