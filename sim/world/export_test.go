package world

import (
	"fmt"
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

// TestWarnings: a user's files that load but probably hold a mistake get a
// warning naming the file, examples and the fix: codes that lost their
// leading zero, a region far from all others, travel times too fast or too
// slow to be real. Good files (the exported worlds) get none.
func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	regions := filepath.Join(dir, "r.csv")
	os.WriteFile(regions, []byte("code,name,county_code,lat,lon,population\n"+
		"301,Oslo,3,59.91,10.75,700000\n1101,Eigersund,11,58.45,5.99,15000\n4601,Bergen,46,60.39,5.32,290000\n"+
		"4614,Stord,46,5.7,59.78,19000\n"), 0o644)
	travel := filepath.Join(dir, "t.csv")
	os.WriteFile(travel, []byte("from,to,minutes\nBergen,Oslo,5.1\nBergen,Eigersund,4000\nOslo,Eigersund,300\n"), 0o644)
	w, err := Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(w.Warnings, "\n")
	for _, want := range []string{
		regions + ": 1 code value (301) has one digit fewer than the others (1101): a spreadsheet may have dropped its leading zero (0301 for 301)",
		regions + ": 1 county_code value (3) has one digit fewer than the others (11)",
		regions + ": Stord (lat 5.7, lon 59.78) is 7,295 km from the nearest other region, more than 1,000 km: check that lat and lon are not swapped",
		travel + ": 1 travel time faster than 400 km/h in a straight line between the centres (Bergen to Oslo 5.1 minutes for 305 km (3,590 km/h)): check the minutes",
		travel + ": 1 travel time longer than a day, and than twice the estimate by road (Bergen to Eigersund 4,000 minutes for 219 km): check the minutes",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Oslo to Eigersund") {
		t.Errorf("a plausible time warned about:\n%s", all)
	}
	// County codes repeat, one a region: Norway's 357 municipalities in
	// counties coded up to 56, Oslo's 03 saved as 3, are warned about.
	files, _ := Export("norway-2024")
	nor := strings.Replace(string(files[0].Data), "0301,Oslo,03,", "301,Oslo,3,", 1)
	os.WriteFile(regions, []byte(nor), 0o644)
	if w, err := Load(regions, ""); err != nil || !strings.Contains(strings.Join(w.Warnings, "\n"), "1 county_code value (3) has one digit fewer than the others") ||
		!strings.Contains(strings.Join(w.Warnings, "\n"), "1 code value (301) has one digit fewer") {
		t.Errorf("Norway with 0301 and 03 saved as numbers: %v, warnings %q", err, w.Warnings)
	}
	// Regions numbered 1 to 12 have lost no zeros.
	var b strings.Builder
	b.WriteString("code,name,county_code,lat,lon,population\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "%d,R%d,%d,%g,10,1000\n", i, i, (i+1)/2, 60+0.1*float64(i))
	}
	os.WriteFile(regions, []byte(b.String()), 0o644)
	if w, err := Load(regions, ""); err != nil || len(w.Warnings) > 0 {
		t.Errorf("regions numbered 1–12: %v, warnings %q", err, w.Warnings)
	}
	for _, info := range Embedded() {
		files, _ := Export(info.Name)
		d := t.TempDir()
		travel := ""
		for _, f := range files {
			os.WriteFile(filepath.Join(d, f.Name), f.Data, 0o644)
			if f.Name == ExportTravel {
				travel = filepath.Join(d, f.Name)
			}
		}
		w, err := Load(filepath.Join(d, ExportRegions(info.Name)), travel)
		if err != nil || len(w.Warnings) > 0 {
			t.Errorf("%s exported: %v, warnings %q", info.Name, err, w.Warnings)
		}
	}
}
