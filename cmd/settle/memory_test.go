package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

// TestMemoryWarning: a world twice as large as this machine's memory
// holds is refused by settle run's check, one that fits is not warned of.
func TestMemoryWarning(t *testing.T) {
	total := machineMemory()
	if total <= 0 {
		t.Skip("this machine's memory is not known (/proc/meminfo)")
	}
	persons := 2 * total / bytesPerPerson
	big := &world.World{Name: "big", Regions: []world.Region{{Population: int(persons)}}}
	msg, tooMuch := memoryWarning(big, 1)
	if !tooMuch || !strings.Contains(msg, "of memory, more than this machine's") || !strings.Contains(msg, "use scale = 0.4 or less") {
		t.Errorf("twice the memory: %q, refused %v", msg, tooMuch)
	}
	// Between four fifths and all of it: a warning, not refused.
	msg, tooMuch = memoryWarning(big, 0.45)
	if tooMuch || !strings.Contains(msg, "more than four fifths of this machine's") {
		t.Errorf("0.9 of the memory: %q, refused %v; want a warning that says four fifths", msg, tooMuch)
	}
	small := &world.World{Name: "small", Regions: []world.Region{{Population: 100000}}}
	if msg, tooMuch := memoryWarning(small, 1); msg != "" || tooMuch {
		t.Errorf("a small world: %q, refused %v", msg, tooMuch)
	}
}

// TestValidateRefusesTooLarge: a scenario settle run would refuse for
// memory is an error of validate too, not "valid" with a warning.
func TestValidateRefusesTooLarge(t *testing.T) {
	total := machineMemory()
	if total <= 0 {
		t.Skip("this machine's memory is not known (/proc/meminfo)")
	}
	dir := t.TempDir()
	per := 2 * total / bytesPerPerson / 2 // two regions, together twice the memory
	csv := fmt.Sprintf("code,name,lat,lon,population\nA1,Alfa,60,10,%d\nB2,Beta,61,11,%d\n", per, per)
	if err := os.WriteFile(filepath.Join(dir, "regions.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(file, []byte("[scenario]\nname = \"big\"\nworld = \"regions.csv\"\nyears = 1\nscale = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := settle(t, "validate", file)
	if code == 0 || strings.Contains(stdout, "valid") || !strings.Contains(stderr, "so settle run refuses it") {
		t.Errorf("exit %d, stdout %q, stderr %q; want an error that settle run refuses it", code, stdout, stderr)
	}
}
