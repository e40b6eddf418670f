package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

// A run of a user world records its files' hashes, and LoadWorld gives the
// world the run read (with its travel times) only while the files are
// unchanged; a changed or missing file is an error naming it and the fix.
func TestLoadWorldChecksFiles(t *testing.T) {
	dir := t.TempDir()
	regions := filepath.Join(dir, "regions.csv")
	travel := filepath.Join(dir, "travel.csv")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(regions, "code,name,lat,lon,population\nA1,Alpha,60.0,10.0,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61.0,11.0,3000\n")
	write(travel, "from,to,minutes\nA1,B2,33\n")
	w, err := world.Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Files) != 2 || w.Files[0].Role != world.RegionsFile || w.Files[1].Role != world.TravelFile || len(w.Files[1].SHA256) != 64 {
		t.Fatalf("world files %+v", w.Files)
	}
	m := &Manifest{World: regions, WorldFiles: w.Files}
	got, err := LoadWorld(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if min := got.TravelMinutes(0, 1); min != 33 {
		t.Errorf("Alpha–Beta %g minutes, want the travel file's 33", min)
	}
	// An embedded world records no files, and loads as before.
	if w, err := world.Load("teaching", ""); err != nil || len(w.Files) != 0 {
		t.Errorf("teaching: files %v, %v", w.Files, err)
	}

	write(travel, "from,to,minutes\nA1,B2,40\n")
	if _, err := LoadWorld(dir, m); err == nil || !strings.Contains(err.Error(), "travel_times file "+travel+" has changed since the run") || !strings.Contains(err.Error(), "restore the version the run read") {
		t.Errorf("changed travel file: %v", err)
	}
	os.Remove(regions)
	if _, err := LoadWorld(dir, m); err == nil || !strings.Contains(err.Error(), "regions file "+regions+", which cannot be read now") || !strings.Contains(err.Error(), "put the file back") {
		t.Errorf("missing regions file: %v", err)
	}
}
