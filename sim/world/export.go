package world

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// Names of the files Export gives besides the world's regions CSV
// (ExportRegions).
const (
	// ExportTravel is the travel-time CSV, as the teaching world's
	// sources and comments name it.
	ExportTravel   = "travel.csv"
	ExportScenario = "scenario.toml"
	ExportSources  = "SOURCES.txt"
)

// ExportRegions is the name Export gives the regions CSV of the world
// name: norway-2024.csv, teaching.csv. Not regions.csv, the name of a
// run's table: a scenario copied into a run's folder would read the
// table as its world.
func ExportRegions(name string) string { return name + ".csv" }

// exportYears are the years of the scenario Export writes: those of the
// world's scenario in scenarios/ (baseline.toml, teaching.toml), so that
// settle compare pairs the two.
var exportYears = map[string]int{"norway-2024": 30, "teaching": 20}

// ExportFile is a file of an embedded world written as a user's world
// (Export).
type ExportFile struct {
	Name string // ExportRegions, ExportTravel, ExportScenario or ExportSources
	Data []byte
}

// Export returns the embedded world name as the files of a user's world:
// its regions CSV (ExportRegions; Norway's study places, which the
// embedded world takes from campuses.csv, in a study_places column), the
// world's travel-time CSV if it has one, a scenario that runs them, and
// SOURCES.txt with the sources and their licences, which
// hold for any world made from the files. Load of the regions and travel
// files gives the embedded world's data exactly (regions, travel times,
// rates): a run of the copy is the run of the embedded world, and a
// comparison takes the two as one world. It is the start of a world of
// one's own: edit the copy.
func Export(name string) ([]ExportFile, error) {
	var e *embeddedWorld
	for _, w := range embeddedWorlds() {
		if w.name == name {
			e = &w
		}
	}
	if e == nil {
		names := EmbeddedNames()
		msg := fmt.Sprintf("no embedded world %q; the worlds are %s", name, strings.Join(names, ", "))
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	w, err := loadEmbedded(*e, "")
	if err != nil {
		return nil, err
	}
	regions, err := dataFS.ReadFile(e.regions)
	if err != nil {
		return nil, err
	}
	if e.campuses != "" {
		if regions, err = withStudyPlaces(regions, w); err != nil {
			return nil, fmt.Errorf("world %s: %w", name, err)
		}
	}
	files := []ExportFile{{ExportRegions(name), regions}}
	travel := ""
	if e.travel != "" {
		data, err := dataFS.ReadFile(e.travel)
		if err != nil {
			return nil, err
		}
		files = append(files, ExportFile{ExportTravel, data})
		travel = fmt.Sprintf("travel_times = %q\n", ExportTravel)
	}
	years := exportYears[name]
	if years == 0 {
		years = 20
	}
	scenario := fmt.Sprintf(`# A scenario on a copy of settle's embedded world %s (settle worlds
# --export): the same world, from files you may edit, with the years, seed
# and scale of the world's scenario in settle's scenarios folder. Paths are
# relative to this file.
[scenario]
name = "%s-copy"
description = "%s, from the files beside this scenario"
world = %q
%sstart_year = %d
years = %d
seed = 1
scale = 1.0
`, name, name, e.description, ExportRegions(name), travel, w.StartYear, years)
	files = append(files, ExportFile{ExportScenario, []byte(scenario)})

	var src strings.Builder
	fmt.Fprintf(&src, "settle's embedded world %s: %s.\n\n", name, e.description)
	fmt.Fprintf(&src, "Written by `settle worlds --export %s` as the files of a user world:\n", name)
	fmt.Fprintf(&src, "  %-17s the regions (the columns of a regions CSV: scenarios/README.md)\n", ExportRegions(name))
	if e.travel != "" {
		fmt.Fprintf(&src, "  %-17s travel times that replace the estimate from the centroids\n", ExportTravel)
	}
	fmt.Fprintf(&src, "  %-17s a scenario that runs them: settle run %s\n\n", ExportScenario, ExportScenario)
	src.WriteString("Unchanged, they are the embedded world: a run gives the same results, and\n" +
		"settle compare takes the two as one world. What the files do not give (age\n" +
		"structure, education, households, jobs, dwellings, prices, amenities) is\n" +
		"synthesised from them as for any world (docs/model.md).\n\n")
	src.WriteString("Sources and licences (keep them with any world made from these files):\n")
	for _, s := range e.sources {
		fmt.Fprintf(&src, "  - %s\n", s)
	}
	if e.campuses != "" {
		src.WriteString("  - the study_places column: those study places (campuses.csv's students_approx), summed by municipality\n")
	}
	files = append(files, ExportFile{ExportSources, []byte(src.String())})
	return files, nil
}

// withStudyPlaces returns the regions CSV data with a study_places column
// holding the study places of w's regions (the embedded world's, from its
// campuses), matched by code.
func withStudyPlaces(data []byte, w *World) ([]byte, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) != w.N()+1 {
		return nil, fmt.Errorf("the regions CSV has %d rows for %d regions", len(rows)-1, w.N())
	}
	code := -1
	for k, h := range rows[0] {
		switch strings.ToLower(h) {
		case "code":
			code = k
		case "study_places":
			return nil, fmt.Errorf("the regions CSV has a study_places column already")
		}
	}
	if code < 0 {
		return nil, fmt.Errorf("the regions CSV has no code column")
	}
	places := make(map[string]int, w.N())
	for i := range w.Regions {
		places[w.Regions[i].Code] = w.Regions[i].StudyPlaces
	}
	rows[0] = append(rows[0], "study_places")
	for k := 1; k < len(rows); k++ {
		n, ok := places[rows[k][code]]
		if !ok {
			return nil, fmt.Errorf("no region has code %q", rows[k][code])
		}
		rows[k] = append(rows[k], strconv.Itoa(n))
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
