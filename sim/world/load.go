package world

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/norway-2024/municipalities-2024.csv data/norway-2024/campuses.csv data/norway-2024/municipalities-2024.geojson
//go:embed data/teaching/regions.csv data/teaching/travel.csv
var dataFS embed.FS

// Columns of a regions CSV (the columns of municipalities-2024.csv, plus
// study_places). Any order; names are case-insensitive.
var (
	// RequiredColumns must be present in a regions CSV.
	RequiredColumns = []string{"code", "name", "lat", "lon", "population"}
	// OptionalColumns may be present; a missing or empty value is
	// synthesised (centrality) or left at zero (the rest).
	OptionalColumns = []string{"county_code", "county", "admin_centre", "area_km2",
		"centrality_class", "centrality_index", "study_places"}
	// TravelColumns are the columns of a travel-time CSV.
	TravelColumns = []string{"from", "to", "minutes"}
)

// Other names users give the columns (in lower case), for the fix of an
// unknown column: English synonyms no edit distance finds ("origin" for
// from), and the Norwegian names of SSB's and Kartverket's tables.
var (
	travelSynonyms = map[string]string{
		"origin": "from", "orig": "from", "source": "from", "src": "from", "start": "from", "fra": "from",
		"from_code": "from", "from_region": "from", "origin_code": "from", "o": "from",
		"destination": "to", "dest": "to", "target": "to", "end": "to", "til": "to",
		"to_code": "to", "to_region": "to", "destination_code": "to", "d": "to",
		"time": "minutes", "travel_time": "minutes", "traveltime": "minutes", "travel_minutes": "minutes",
		"min": "minutes", "mins": "minutes", "minute": "minutes", "duration": "minutes", "time_min": "minutes",
		"travel_time_min": "minutes", "minutter": "minutes", "tid": "minutes", "reisetid": "minutes",
	}
	regionSynonyms = map[string]string{
		"id": "code", "kode": "code", "nr": "code", "region_code": "code", "municipality_code": "code",
		"kommunenummer": "code", "kommunenr": "code", "knr": "code",
		"region": "name", "region_name": "name", "municipality": "name", "navn": "name", "kommune": "name", "kommunenavn": "name",
		"latitude": "lat", "breddegrad": "lat",
		"longitude": "lon", "long": "lon", "lng": "lon", "lengdegrad": "lon",
		"pop": "population", "inhabitants": "population", "residents": "population",
		"folketall": "population", "befolkning": "population", "innbyggere": "population",
		"area": "area_km2", "areal": "area_km2", "km2": "area_km2",
		"fylke": "county", "fylkesnavn": "county", "fylkesnummer": "county_code", "fylkesnr": "county_code",
		"centrality": "centrality_class", "sentralitet": "centrality_class", "sentralitetsklasse": "centrality_class",
		"sentralitetsindeks": "centrality_index", "students": "study_places", "studieplasser": "study_places",
	}
)

// MaxRegionPopulation is the most residents a region of a regions CSV may
// have: 10 billion, more than the world's population, so a larger number
// is a typo. Whether a run can hold a world at a scale is checked
// separately (synth.CheckScale: at most 2^30 simulated persons), so a world
// of very large regions runs at a small scale.
const MaxRegionPopulation = 10_000_000_000

// Info describes a world for `settle worlds`.
type Info struct {
	Name        string
	Description string
	Regions     int
	Population  int // total at the start year
}

// embeddedWorld is a world shipped in the binary. Paths are inside dataFS.
type embeddedWorld struct {
	name, description string
	regions           string // regions CSV
	travel            string // optional travel-time CSV
	campuses          string // optional campuses CSV (code, students_approx)
	sources           []string
}

func embeddedWorlds() []embeddedWorld {
	return []embeddedWorld{
		{
			name:        "norway-2024",
			description: "Norway's 357 municipalities on 1 January 2024 (SSB population and centrality, Kartverket borders)",
			regions:     "data/norway-2024/municipalities-2024.csv",
			campuses:    "data/norway-2024/campuses.csv",
			sources: []string{
				"population 1 January 2024, names, counties, areas: Statistics Norway (SSB) table 07459 and SSB/Kartverket, NLOD 2.0 / CC BY 4.0",
				"centrality class and index: SSB classification KLASS 128 (index of the 2018 edition mapped to 2024 codes)",
				"centroids and borders: derived from Kartverket's administrative borders, © Kartverket, CC BY 4.0",
				"study places: approximate, rounded campus enrolment compiled by hand (campuses.csv, total ≈ 256,000)",
			},
		},
		{
			name:        "teaching",
			description: "an invented country of 14 regions: a university city, towns, rural valleys and a ferry island (for classrooms and fast tests)",
			regions:     "data/teaching/regions.csv",
			travel:      "data/teaching/travel.csv",
			sources: []string{
				"invented regions for teaching (sim/world/data/teaching/regions.csv); the island's ferry times in travel.csv",
			},
		},
	}
}

// EmbeddedNames are the names of the worlds built into the binary, in the
// order of Embedded, without loading them.
func EmbeddedNames() []string {
	var names []string
	for _, e := range embeddedWorlds() {
		names = append(names, e.name)
	}
	return names
}

// EmbeddedNamed is the embedded world that name names: itself, or the one
// it begins before a dash ("norway" for norway-2024, as a targets file
// names its world); "" for none.
func EmbeddedNamed(name string) string {
	for _, n := range EmbeddedNames() {
		if name != "" && (n == name || strings.HasPrefix(n, name+"-")) {
			return n
		}
	}
	return ""
}

// Embedded lists the worlds built into the binary, in a fixed order.
// It loads each one (a few milliseconds).
func Embedded() []Info {
	var out []Info
	for _, e := range embeddedWorlds() {
		w, err := loadEmbedded(e, "")
		if err != nil {
			panic("world: embedded world " + e.name + ": " + err.Error())
		}
		out = append(out, Info{Name: e.name, Description: e.description, Regions: w.N(), Population: w.Population()})
	}
	return out
}

// NorwayGeoJSON returns the simplified municipal borders of Norway 2024 as a
// GeoJSON FeatureCollection (357 features with properties kommunenummer and
// kommunenavn; WGS84). Derived from Kartverket's administrative borders,
// © Kartverket, CC BY 4.0. The caller must not modify the returned slice.
func NorwayGeoJSON() []byte {
	b, err := dataFS.ReadFile("data/norway-2024/municipalities-2024.geojson")
	if err != nil {
		panic("world: embedded geojson missing: " + err.Error())
	}
	return b
}

// Load returns a world. nameOrPath is the name of an embedded world
// ("norway-2024", "teaching"; see Embedded) or the path of a regions CSV
// with the columns RequiredColumns and optionally OptionalColumns. travelPath,
// if not empty, is a CSV with columns from,to,minutes (region codes or names
// and one-way minutes) whose pairs replace the estimated travel times; a pair
// given in one direction only is used for both. The national rates of a user
// world are those of Norway 2024 (NorwayRates).
//
// Errors name the file, the line, the column and the fix. Relative paths
// are relative to the current folder; LoadIn takes them relative to another.
func Load(nameOrPath, travelPath string) (*World, error) {
	return LoadIn("", nameOrPath, travelPath)
}

// LoadIn is Load for the world named in a file in the folder dir (a
// scenario's): relative paths are relative to dir, and a name that is no
// embedded world but the name of a CSV file in dir without its extension
// (world = "ok" beside ok.csv) gets the fix world = "ok.csv". dir "" is
// the current folder.
func LoadIn(dir, nameOrPath, travelPath string) (*World, error) {
	if dir != "" {
		if isPath(nameOrPath) && !filepath.IsAbs(nameOrPath) {
			nameOrPath = filepath.Join(dir, nameOrPath)
		}
		if travelPath != "" && !filepath.IsAbs(travelPath) {
			travelPath = filepath.Join(dir, travelPath)
		}
	}
	var names []string
	for _, e := range embeddedWorlds() {
		if e.name == nameOrPath {
			return loadEmbedded(e, travelPath)
		}
		names = append(names, e.name)
	}
	if nameOrPath == "" {
		return nil, fmt.Errorf("no world given; name an embedded world (%s) or give the path of a regions CSV", strings.Join(names, ", "))
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		looksLikeName := !strings.ContainsAny(nameOrPath, `/\.`)
		if errors.Is(err, fs.ErrNotExist) && looksLikeName {
			msg := fmt.Sprintf("unknown world %q; name an embedded world (%s) or give the path of a regions CSV", nameOrPath, strings.Join(names, ", "))
			if f := fileNamed(dir, nameOrPath); f != "" {
				where := "the current folder"
				if dir != "" && filepath.Clean(dir) != "." {
					where = dir
				}
				msg += fmt.Sprintf("; %s has the file %s: for it, write world = %q (a file is named with its extension)", where, f, f)
			} else if s := suggest(nameOrPath, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, errors.New(msg)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("regions file %s does not exist; give the path of a regions CSV (relative to the scenario file) or an embedded world (%s)", nameOrPath, strings.Join(names, ", "))
		}
		if fi, serr := os.Stat(nameOrPath); serr == nil && fi.IsDir() {
			return nil, fmt.Errorf("regions file %s is a folder, not a file; give the path of the regions CSV itself%s, or an embedded world (%s)", nameOrPath, csvIn(nameOrPath), strings.Join(names, ", "))
		}
		return nil, fmt.Errorf("regions file %s cannot be read (%w); check the file and its permissions, or give an embedded world (%s)", nameOrPath, unwrapPath(err), strings.Join(names, ", "))
	}
	regions, err := parseRegions(nameOrPath, data)
	if err != nil {
		return nil, err
	}
	w := &World{Name: nameOrPath, StartYear: 2024, Regions: regions, Files: []File{newFile(RegionsFile, nameOrPath, data)}}
	w.checkRegions(nameOrPath)
	w.Sources = append(w.Sources, "regions: "+nameOrPath)
	if err := w.finish(nil, travelPath); err != nil {
		return nil, err
	}
	return w, nil
}

func loadEmbedded(e embeddedWorld, travelPath string) (*World, error) {
	file := strings.TrimPrefix(e.regions, "data/")
	data, err := dataFS.ReadFile(e.regions)
	if err != nil {
		return nil, err
	}
	regions, err := parseRegions(file, data)
	if err != nil {
		return nil, err
	}
	w := &World{Name: e.name, StartYear: 2024, Regions: regions}
	w.Sources = append(w.Sources, e.sources...)
	if e.campuses != "" {
		data, err := dataFS.ReadFile(e.campuses)
		if err != nil {
			return nil, err
		}
		if err := w.applyCampuses(strings.TrimPrefix(e.campuses, "data/"), data); err != nil {
			return nil, err
		}
	}
	var travel []travelFile
	if e.travel != "" {
		data, err := dataFS.ReadFile(e.travel)
		if err != nil {
			return nil, err
		}
		travel = append(travel, travelFile{strings.TrimPrefix(e.travel, "data/"), data})
	}
	if err := w.finish(travel, travelPath); err != nil {
		return nil, err
	}
	return w, nil
}

// isPath reports whether nameOrPath is a file's path, not an embedded
// world's name: it has a folder or an extension (as the scenario reads it).
func isPath(nameOrPath string) bool {
	return nameOrPath != "" && (strings.ContainsAny(nameOrPath, `/\`) || filepath.Ext(nameOrPath) != "")
}

// fileNamed returns the name of the file in dir ("" the current folder)
// that is name with the extension of a regions CSV (ok.csv for ok), or "".
func fileNamed(dir, name string) string {
	for _, ext := range []string{".csv", ".CSV", ".txt"} {
		if fi, err := os.Stat(filepath.Join(dir, name+ext)); err == nil && fi.Mode().IsRegular() {
			return name + ext
		}
	}
	return ""
}

// csvIn names the CSV files in the folder dir, for the fix of a folder
// given as a file: " (the folder has regions.csv and travel.csv)", or "".
func csvIn(dir string) string {
	m, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(m) == 0 {
		return ""
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	if len(m) > 5 {
		m = append(m[:5], "…")
	}
	return " (the folder has " + strings.Join(m, ", ") + ")"
}

// unwrapPath returns the reason of a *fs.PathError (the path is named by
// the message already), or err.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxMinutes is the longest travel time a travel-time CSV may give.
const maxMinutes = 1_000_000

type travelFile struct {
	name string
	data []byte
}

// finish builds the travel matrix (estimate, then the given files in order,
// then the user's travelPath), synthesises what the data lacks and sets the
// national rates.
func (w *World) finish(travel []travelFile, travelPath string) error {
	var nearest []float64
	w.Minutes, nearest = estimateMatrix(w.Regions)
	if len(w.Files) > 0 && w.Files[0].Role == RegionsFile { // a user's regions file
		w.checkAlone(w.Files[0].Path, nearest)
	}
	if travelPath != "" {
		data, err := os.ReadFile(travelPath)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("travel-time file %s does not exist; give the path of a CSV with columns from,to,minutes, or leave it out to use estimated times", travelPath)
			}
			if fi, serr := os.Stat(travelPath); serr == nil && fi.IsDir() {
				return fmt.Errorf("travel-time file %s is a folder, not a file; give the path of the travel-time CSV itself, with columns from,to,minutes%s, or leave it out to use estimated times", travelPath, csvIn(travelPath))
			}
			return fmt.Errorf("travel-time file %s cannot be read (%w); check the file and its permissions, or leave it out to use estimated times", travelPath, unwrapPath(err))
		}
		travel = append(travel, travelFile{travelPath, data})
		w.Files = append(w.Files, newFile(TravelFile, travelPath, data))
	}
	n := w.N()
	set := make([]bool, n*n) // the ordered pairs between two regions any file set
	for k, f := range travel {
		got, err := w.applyTravel(f.name, f.data)
		if err != nil {
			return err
		}
		for _, c := range got.cells {
			set[c] = true
		}
		w.Sources = append(w.Sources, fmt.Sprintf("travel times: %s (%d ordered pairs)", f.name, len(got.cells)))
		if travelPath != "" && k == len(travel)-1 { // the user's file
			w.GivenPairs, w.GivenInternal, w.SkippedZeros = len(got.cells), got.internal, got.zeros
			w.checkTravel(f.name, got.cells[:got.given])
		}
	}
	measured := 0
	for _, s := range set {
		if s {
			measured++
		}
	}
	w.EstimatedPairs = n*(n-1) - measured
	w.Sources = append(w.Sources, fmt.Sprintf("travel times: %d of %d ordered pairs estimated from centroids (great-circle × %.2f ÷ %d km/h + %d min)",
		w.EstimatedPairs, n*(n-1), DetourFactor, RoadSpeedKmh, AccessMinutes))
	synthesise(w)
	w.Rates = NorwayRates()
	w.Sources = append(w.Sources,
		"synthesised: centrality where missing, age shift, education bias, price index, dwellings per household, jobs per worker, amenities (sim/world/synth.go)",
		"national rates: Norway 2024, approximated from SSB statistics (sim/world/rates.go)")
	return nil
}

// parseRegions parses a regions CSV. Centrality left empty is marked with
// class 0 and index NaN for synthesise to fill.
func parseRegions(file string, data []byte) ([]Region, error) {
	t, err := readTable(file, data, tableSpec{
		required: RequiredColumns, optional: OptionalColumns, what: "region", example: "code,name,lat,lon,population",
		decimals: []string{"lat", "lon", "area_km2", "centrality_index"},
		wholes:   []string{"population", "study_places"},
		synonyms: regionSynonyms,
	})
	if err != nil {
		return nil, err
	}
	regions := make([]Region, len(t.rows))
	codeLine := make(map[string]int, len(t.rows))
	// Every bad cell is reported, not only the first (MaxCellErrors).
	bad := t.bad // the rows of a wrong length, then the values' problems
	for k := range t.rows {
		r := &regions[k]
		r.Index = k
		r.Code = t.cell(k, "code")
		key := strings.ToLower(r.Code)
		if r.Code == "" {
			bad.add(t.errf(k, "code", "is empty; give every region a unique code, e.g. 0301"))
		} else if first, dup := codeLine[key]; dup {
			bad.add(t.errf(k, "code", "%q is already used on line %d; codes must be unique", r.Code, first))
		} else {
			codeLine[key] = t.lines[k]
		}
		r.Name = t.cell(k, "name")
		if r.Name == "" {
			bad.add(t.errf(k, "name", "is empty; give region %s a name", r.Code))
		}
		r.CountyCode = t.cell(k, "county_code")
		r.County = t.cell(k, "county")
		r.AdminCentre = t.cell(k, "admin_centre")
		r.Lat, err = t.number(k, "lat", -90, 90, "write the latitude of the region's centre in decimal degrees (WGS84), e.g. 59.91")
		bad.add(err)
		r.Lon, err = t.number(k, "lon", -180, 180, "write the longitude of the region's centre in decimal degrees (WGS84, east positive), e.g. 10.75")
		bad.add(err)
		r.Population, err = t.whole(k, "population", "write the number of residents, e.g. 1204")
		bad.add(err)
		if r.Population > MaxRegionPopulation {
			bad.add(t.errf(k, "population", "%s residents is more than a region can have (at most 10,000,000,000, more than the world's population); write the number of residents of region %s",
				t.cell(k, "population"), r.Code))
		}
		if t.cell(k, "area_km2") != "" {
			r.AreaKm2, err = t.number(k, "area_km2", 0, 1e7, "write the land area in square kilometres, e.g. 454.1, or leave it empty")
			bad.add(err)
		}
		r.CentralityIndex = math.NaN()
		if t.cell(k, "centrality_class") != "" {
			c, err := t.whole(k, "centrality_class", "write an SSB centrality class from 1 (most central) to 6 (least), or leave it empty to derive it")
			switch {
			case err != nil:
				bad.add(err)
			case c < 1 || c > 6:
				bad.add(t.errf(k, "centrality_class", "%d is out of range; write 1 (most central) to 6 (least), or leave it empty to derive it", c))
			default:
				r.Centrality = c
			}
		}
		if t.cell(k, "centrality_index") != "" {
			r.CentralityIndex, err = t.number(k, "centrality_index", 0, 1000, "write an SSB centrality index from 0 to 1000, or leave it empty to derive it")
			bad.add(err)
			// Both given: SSB's class is the band of the index
			// (centralityThresholds), and the model uses both (the class
			// for selections and targets, the index for what is
			// synthesised), so they must tell one story.
			if err == nil && r.Centrality != 0 {
				if c := CentralityClass(r.CentralityIndex); c != r.Centrality { // as fillCentrality derives it
					lo, hi := classBand(r.Centrality)
					clo, chi := classBand(c)
					bad.add(t.errf(k, "centrality_class", "class %d does not match centrality_index %s of region %s: SSB's class %d is index %g–%g, and %s is class %d (%g–%g); correct one of them, or leave one of them empty to derive it from the other",
						r.Centrality, t.cell(k, "centrality_index"), r.Code, r.Centrality, lo, hi, t.cell(k, "centrality_index"), c, clo, chi))
				}
			}
		}
		if t.cell(k, "study_places") != "" {
			r.StudyPlaces, err = t.whole(k, "study_places", "write the number of higher-education study places, e.g. 2500, or 0")
			bad.add(err)
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if err := checkCounties(t, regions); err != nil {
		return nil, err
	}
	total := 0
	for i := range regions {
		total += regions[i].Population
	}
	if total == 0 {
		return nil, fmt.Errorf("%s: every region has population 0; write the number of residents of each region", file)
	}
	return regions, nil
}

// checkCounties refuses a county code given two county names (the same
// name in another case or composition is the same name): scenarios select
// a county by its name or its code, and the two would select different
// regions.
func checkCounties(t *table, regions []Region) error {
	type first struct {
		name string
		k    int
	}
	byCode := map[string]first{}
	for k := range regions {
		r := &regions[k]
		if r.CountyCode == "" || r.County == "" {
			continue
		}
		f, seen := byCode[r.CountyCode]
		if !seen {
			byCode[r.CountyCode] = first{r.County, k}
			continue
		}
		if !strings.EqualFold(norm.NFC.String(f.name), norm.NFC.String(r.County)) {
			return t.errf(k, "county", "county code %s is given the county %q here but %q on line %d (region %s); a county code names one county: correct the code or the name on one of the lines",
				r.CountyCode, r.County, f.name, t.lines[f.k], regions[f.k].Code)
		}
	}
	return nil
}

// applyCampuses adds the students_approx of each campus to its region's
// StudyPlaces (several campuses in a municipality are summed).
func (w *World) applyCampuses(file string, data []byte) error {
	t, err := readTable(file, data, tableSpec{
		required: []string{"code", "students_approx"}, optional: []string{"municipality", "campus", "institutions"},
		what: "campus", example: "code,students_approx", wholes: []string{"students_approx"},
	})
	if err != nil {
		return err
	}
	if err := t.bad.err(); err != nil {
		return err
	}
	byCode := make(map[string]int, w.N())
	for i := range w.Regions {
		byCode[w.Regions[i].Code] = i
	}
	for k := range t.rows {
		code := t.cell(k, "code")
		i, ok := byCode[code]
		if !ok {
			return t.errf(k, "code", "no region has code %q", code)
		}
		n, err := t.whole(k, "students_approx", "write the approximate number of students, e.g. 2500")
		if err != nil {
			return err
		}
		w.Regions[i].StudyPlaces += n
	}
	return nil
}

// travelGiven is what a travel-time file set.
type travelGiven struct {
	cells    []int // the matrix cells between two regions (a pair given in one direction sets both)
	given    int   // the first cells, those the lines give (the others their reverses)
	internal int   // the regions whose internal travel time it set (a pair from a region to itself)
	zeros    int   // the zeros on the diagonal it had (a full matrix's), skipped
}

// applyTravel sets the travel times listed in a from,to,minutes CSV and
// says what it set.
func (w *World) applyTravel(file string, data []byte) (travelGiven, error) {
	n := w.N()
	byCode := make(map[string]int, n) // exact codes first: a full matrix has n² lines
	for i := range w.Regions {
		byCode[w.Regions[i].Code] = i
	}
	isRegion := func(s string) bool {
		if _, ok := byCode[s]; ok {
			return true
		}
		_, err := w.Lookup(s)
		return err == nil
	}
	t, err := readTable(file, data, tableSpec{
		required: TravelColumns, what: "travel time", example: "from,to,minutes",
		decimals: []string{"minutes"}, synonyms: travelSynonyms,
		// A file without its header starts with a pair of regions.
		isData: func(cells []string) string {
			var regions []string
			for _, c := range cells {
				if c = strings.TrimSpace(c); c != "" && isRegion(c) {
					regions = append(regions, c)
				}
			}
			if len(regions) < 2 {
				return ""
			}
			why := fmt.Sprintf("%s and %s are regions of this world", regions[0], regions[1])
			if len(cells) == 3 {
				if _, err := strconv.ParseFloat(strings.TrimSpace(cells[2]), 64); err == nil {
					why += fmt.Sprintf(" and %s a number of minutes", strings.TrimSpace(cells[2]))
				}
			}
			return why
		},
	})
	if err != nil {
		return travelGiven{}, err
	}
	var got travelGiven
	given := make([]int32, n*n) // line that set each cell, 0 = not given
	// Every bad line is reported, not only the first (MaxCellErrors).
	bad := t.bad // the rows of a wrong length, then the values' problems
	for k := range t.rows {
		var ij [2]int
		ok := true
		for c, col := range []string{"from", "to"} {
			s := t.cell(k, col)
			if s == "" {
				bad.add(t.errf(k, col, "is empty; write a region code, e.g. %s", w.Regions[0].Code))
				ok = false
				continue
			}
			i, found := byCode[s]
			if !found {
				var err error
				if i, err = w.Lookup(s); err != nil {
					bad.add(t.errf(k, col, "%v", err))
					ok = false
					continue
				}
			}
			ij[c] = i
		}
		m, err := t.number(k, "minutes", math.Inf(-1), math.Inf(1), "write the one-way travel time in minutes, e.g. 45")
		switch {
		case err != nil:
			bad.add(err)
			continue
		case m > maxMinutes:
			bad.add(t.errf(k, "minutes", "%s minutes is too long; write the one-way travel time in minutes, from more than 0 to at most %d (about two years), e.g. 45", t.cell(k, "minutes"), maxMinutes))
			continue
		case m < 0:
			bad.add(t.errf(k, "minutes", "%s is negative; write the one-way travel time in minutes, e.g. 45", t.cell(k, "minutes")))
			continue
		case !ok:
			continue
		case m == 0 && ij[0] == ij[1]:
			got.zeros++
			continue // the diagonal of a full matrix: the region's internal time is kept
		case m == 0:
			bad.add(t.errf(k, "minutes", "0 minutes between two regions; write the one-way travel time, more than 0, e.g. 45"))
			continue
		}
		// A pair from a region to itself sets its internal travel time
		// (the typical trip within it); pairs given both ways keep each.
		cell := ij[0]*n + ij[1]
		if first := given[cell]; first != 0 {
			bad.add(fmt.Errorf("%s:%d: the pair %s → %s is already given on line %d; keep one",
				t.file, t.lines[k], w.Regions[ij[0]].Code, w.Regions[ij[1]].Code, first))
			continue
		}
		given[cell] = int32(t.lines[k])
		w.Minutes[cell] = float32(m)
		if ij[0] != ij[1] {
			got.cells = append(got.cells, cell)
		} else {
			got.internal++
		}
	}
	if err := bad.err(); err != nil {
		return travelGiven{}, err
	}
	// A pair given in one direction only is used for both.
	got.given = len(got.cells)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j && given[i*n+j] != 0 && given[j*n+i] == 0 {
				w.Minutes[j*n+i] = w.Minutes[i*n+j]
				got.cells = append(got.cells, j*n+i)
			}
		}
	}
	return got, nil
}

// Clone returns a deep copy of w that can be changed (an intervention
// shortening travel times, say) without affecting w. Cost O(n²).
func (w *World) Clone() *World {
	c := *w
	c.Regions = append([]Region(nil), w.Regions...)
	c.Minutes = append([]float32(nil), w.Minutes...)
	c.Sources = append([]string(nil), w.Sources...)
	return &c
}

// MaxCellErrors is the most problems of a world's CSV reported at once; a
// file with more has a systematic one that the first show.
const MaxCellErrors = 20

// cellErrors gathers the problems of a CSV's cells, so that a file with
// several mistakes is mended in one round.
type cellErrors struct {
	list []error
	more int
}

// add records err unless it is nil.
func (c *cellErrors) add(err error) {
	switch {
	case err == nil:
	case len(c.list) < MaxCellErrors:
		c.list = append(c.list, err)
	default:
		c.more++
	}
}

// err returns the problems, one a line, or nil.
func (c *cellErrors) err() error {
	if len(c.list) == 0 {
		return nil
	}
	if c.more > 0 {
		return errors.Join(append(c.list, fmt.Errorf("… and %d more problems in the same file", c.more))...)
	}
	return errors.Join(c.list...)
}
