package output

import (
	"os"
	"path/filepath"
	"slices"
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

// A run folder keeps copies of the user's world files (world/regions.csv,
// world/travel_times.csv), and LoadWorld reads them once the originals have
// moved or changed: a run stays readable on another machine, or after its
// world was edited. An edited copy is refused, and so is a file that
// changed between reading the world and creating the run.
func TestRunFolderKeepsWorldFiles(t *testing.T) {
	src := t.TempDir()
	regions := filepath.Join(src, "my-regions.csv")
	travel := filepath.Join(src, "ferries.csv")
	regionsText := "code,name,lat,lon,population\nA1,Alpha,60.0,10.0,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61.0,11.0,3000\n"
	travelText := "from,to,minutes\nA1,B2,33\n"
	for path, text := range map[string]string{regions: regionsText, travel: travelText} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := world.Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	r, err := Create(dir, w, Manifest{ScenarioName: "test", World: w.Name, WorldFiles: w.Files, Years: 1, StartYear: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(nil); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"world/regions.csv": regionsText, "world/travel_times.csv": travelText} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want a copy of the file the run read", name, got, err)
		}
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}

	// The originals are edited and then removed: the copies serve.
	if err := os.WriteFile(travel, []byte("from,to,minutes\nA1,B2,90\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(regions)
	got, err := LoadWorld(dir, m)
	if err != nil {
		t.Fatalf("originals gone, copies in the folder: %v", err)
	}
	if got.Name != regions || len(got.Files) != 2 || got.Files[0].Path != filepath.Join(dir, "world", "regions.csv") || got.Files[1].Path != filepath.Join(dir, "world", "travel_times.csv") {
		t.Errorf("loaded from the copies as %q, files %+v; want the run's name, and the copies' paths", got.Name, got.Files)
	}
	if !slices.Equal(got.Minutes, w.Minutes) || got.TravelMinutes(0, 1) != 33 {
		t.Errorf("the world loaded from the copies differs from the one the run read (Alpha–Beta %g minutes, want 33)", got.TravelMinutes(0, 1))
	}

	// An edited copy is not the run's world.
	copyPath := filepath.Join(dir, "world", "travel_times.csv")
	if err := os.WriteFile(copyPath, []byte("from,to,minutes\nA1,B2,34\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadWorld(dir, m)
	if err == nil || !strings.Contains(err.Error(), "its copy "+copyPath+" has changed since the run") || !strings.Contains(err.Error(), "restore the version the run read") {
		t.Errorf("edited copy: %v", err)
	}
	os.Remove(copyPath)
	_, err = LoadWorld(dir, m)
	if err == nil || !strings.Contains(err.Error(), "travel_times file "+travel+" has changed since the run") || !strings.Contains(err.Error(), "no copy of it (world/travel_times.csv)") {
		t.Errorf("changed original, no copy: %v", err)
	}

	// A file that changed after the world was read is not copied as the
	// run's: Create refuses before it makes the folder (it left one with a
	// manifest and an INCOMPLETE that did not say why).
	if err := os.WriteFile(regions, []byte(regionsText+"D4,Delta,62.0,12.0,100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir2 := filepath.Join(t.TempDir(), "run2")
	_, err = Create(dir2, w, Manifest{ScenarioName: "test", World: w.Name, WorldFiles: w.Files, Years: 1, StartYear: 2024})
	if err == nil || !strings.Contains(err.Error(), "regions file "+regions+" changed after settle read it") {
		t.Errorf("file changed before Create: %v", err)
	}
	if _, err := os.Stat(dir2); !os.IsNotExist(err) {
		t.Errorf("the refused run left its folder %s (%v)", dir2, err)
	}

	// An embedded world has no files to copy, and no world folder.
	tw, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	dir3 := filepath.Join(t.TempDir(), "run3")
	r3, err := Create(dir3, tw, Manifest{ScenarioName: "test", World: "teaching", Years: 1, StartYear: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if err := r3.Close(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir3, WorldCopyDir)); !os.IsNotExist(err) {
		t.Errorf("a run of an embedded world has a world folder (%v)", err)
	}
}
