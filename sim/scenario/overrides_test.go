package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

// TestParseWithOverrides: the overrides are applied before the checks that
// depend on them, in Parse (start_year given) and in LoadWorld (not given).
func TestParseWithOverrides(t *testing.T) {
	const iv = "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2040\ncoverage = 0.9\n"
	seed := uint64(42)
	cases := []struct {
		name    string
		src     string
		o       Overrides
		wantErr string // "" = valid
	}{
		{"years, start_year given", head + "start_year = 2024\n" + iv, Overrides{Years: 20}, ""},
		{"years, start_year from the world", head + iv, Overrides{Years: 20}, ""},
		{"too few years", head + "start_year = 2024\n" + iv, Overrides{Years: 16}, "after the last simulated year 2039; use a year from 2024 to 2039, or simulate more years (years = 10 in the file, 16 as overridden)"},
		{"shorter years do not narrow", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2030\ncoverage = 0.9\n", Overrides{Years: 2}, ""},
		{"no overrides", head + iv, Overrides{}, "after the last simulated year 2033; use a year from 2024 to 2033, or simulate more years"},
		{"seed and scale", head + "seed = 3\nscale = 0.5\n", Overrides{Seed: &seed, Scale: 0.1}, ""},
		// One simulated person in each small region, scaled back, would
		// inflate the population (the teaching world at 1e-9 read 14 billion).
		{"scale too small for the world", head + "scale = 0.5\n", Overrides{Scale: 1e-6},
			"test.toml:5: scenario.scale: scale = 1e-06 (as overridden; the file has scale = 0.5) is too small for world teaching: 14 of its 14 regions (the smallest) would each keep one simulated person, counted as 1,000,000 residents, which overstates the population by 3407 %; use scale = 0.0005 or more"},
		{"scale too small in the file", head + "scale = 0.0001\n", Overrides{}, "scale = 0.0001 is too small for world teaching"},
		{"the file's own values are still checked", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 0\n", Overrides{Years: 5}, "years = 0 is out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseWith("test.toml", []byte(c.src), c.o)
			if err == nil {
				_, err = s.LoadWorld()
			}
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.o.Years != 0 && s.Years != c.o.Years {
				t.Errorf("Years = %d, want %d", s.Years, c.o.Years)
			}
			if c.o.Seed != nil && s.Seed != *c.o.Seed {
				t.Errorf("Seed = %d, want %d", s.Seed, *c.o.Seed)
			}
			if c.o.Scale != 0 && s.Scale != c.o.Scale {
				t.Errorf("Scale = %g, want %g", s.Scale, c.o.Scale)
			}
		})
	}
}

// Overrides.World: a file whose world files are gone reads against the
// world given (a run's, from its folder's copies), with its problems
// checked against that world.
func TestOverridesWorld(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	text := "[scenario]\nname = \"s\"\nworld = \"gone/regions.csv\"\ntravel_times = \"gone/travel.csv\"\nyears = 2\n\n" +
		"[[intervention]]\nkind = \"broadband\"\nregions = [\"Holmøy\"]\nfrom_year = 2024\ncoverage = 0.95\n"
	file := filepath.Join(t.TempDir(), "s.toml")
	if _, err := ParseWith(file, []byte(text), Overrides{}); err == nil || !strings.Contains(err.Error(), "cannot read the world file") {
		t.Fatalf("without a world given: %v", err)
	}
	s, err := ParseWith(file, []byte(text), Overrides{World: w})
	if err != nil {
		t.Fatalf("with the world given: %v", err)
	}
	if err := s.Resolve(w); err != nil || len(s.Interventions) != 1 || len(s.Interventions[0].Regions) != 1 || w.Regions[s.Interventions[0].Regions[0]].Name != "Holmøy" {
		t.Fatalf("resolved against the world given: %v, %+v", err, s.Interventions)
	}
	// A mistake in a value (years = 0) does not hide a region unknown in
	// the world given.
	bad := strings.NewReplacer("Holmøy", "Holmøyy", "years = 2", "years = 0").Replace(text)
	_, err = ParseWith(file, []byte(bad), Overrides{World: w})
	if err == nil || !strings.Contains(err.Error(), "scenario.years") || !strings.Contains(err.Error(), `did you mean "Holmøy"`) || strings.Contains(err.Error(), "cannot read") {
		t.Errorf("problems against the world given: %v", err)
	}
}

// The copy of a scenario a run keeps (scenario.toml beside manifest.json)
// names its world files relative to the original's folder: an error about
// them says so, and where the run's copies are.
func TestRunCopyHint(t *testing.T) {
	run := t.TempDir()
	text := "[scenario]\nname = \"s\"\nworld = \"data/mine.csv\"\nyears = 2\n"
	for name, data := range map[string]string{
		"scenario.toml":     text,
		"manifest.json":     `{"scenario_file": "work/s.toml", "working_dir": "/home/me"}`,
		"world/regions.csv": "code,name,lat,lon,population\nA,Alpha,60,10,100\n",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(run, name)), 0o755)
		if err := os.WriteFile(filepath.Join(run, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(filepath.Join(run, "scenario.toml"))
	want := "(this is the copy of /home/me/work/s.toml a run keeps in its folder: its paths are relative to /home/me/work; the run's copies of its world files are in " + filepath.Join(run, "world") + "/)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("the run's copy: %v\nwant %q", err, want)
	}
	// Any other scenario file: no such note.
	other := filepath.Join(t.TempDir(), "scenario.toml")
	os.WriteFile(other, []byte(text), 0o644)
	if _, err := Load(other); err == nil || strings.Contains(err.Error(), "a run keeps") {
		t.Errorf("a scenario.toml outside a run's folder: %v", err)
	}
}
