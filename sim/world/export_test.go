package world

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestExport: the files Export gives load as the embedded world exactly
// (regions with every attribute synthesised from them, travel times,
// rates), for every embedded world; Norway's study places come along in a
// study_places column.
func TestExport(t *testing.T) {
	for _, info := range Embedded() {
		t.Run(info.Name, func(t *testing.T) {
			files, err := Export(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
				if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := Load(info.Name, "")
			if err != nil {
				t.Fatal(err)
			}
			travel := ""
			if slices.Contains(names, ExportTravel) {
				travel = filepath.Join(dir, ExportTravel)
			}
			got, err := Load(filepath.Join(dir, ExportRegions(info.Name)), travel)
			if err != nil {
				t.Fatalf("the exported files do not load: %v", err)
			}
			if got.StartYear != want.StartYear || !reflect.DeepEqual(got.Regions, want.Regions) || !slices.Equal(got.Minutes, want.Minutes) || !reflect.DeepEqual(got.Rates, want.Rates) {
				for i := range want.Regions {
					if !reflect.DeepEqual(got.Regions[i], want.Regions[i]) {
						t.Fatalf("region %d differs:\n got %+v\nwant %+v", i, got.Regions[i], want.Regions[i])
					}
				}
				t.Fatalf("the exported world differs from the embedded one (start year, travel times or rates)")
			}
			places := 0
			for i := range got.Regions {
				places += got.Regions[i].StudyPlaces
			}
			if places == 0 {
				t.Errorf("no study places in the exported world")
			}
			// The embedded world's sources (its first ones) are attributed.
			src := string(files[len(files)-1].Data)
			if names[len(names)-1] != ExportSources || !strings.Contains(src, "Sources and licences") || !strings.Contains(src, "  - "+want.Sources[0]+"\n") {
				t.Errorf("files %v; SOURCES.txt:\n%s", names, src)
			}
		})
	}
	if _, err := Export("norway"); err == nil || !strings.Contains(err.Error(), `no embedded world "norway"; the worlds are norway-2024, teaching; did you mean "norway-2024"?`) {
		t.Errorf("unknown world: %v", err)
	}
}
