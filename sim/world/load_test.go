package world

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodRegions = `code,name,lat,lon,population
A1,Alpha,60.0,10.0,50000
B2,Beta,60.2,10.3,8000
C3,Gamma,61.5,8.0,900
`

func TestLoadUserWorld(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "regions.csv", goodRegions)
	w, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if w.N() != 3 || w.Population() != 58900 || w.Name != path {
		t.Fatalf("got %d regions, %d people, name %q", w.N(), w.Population(), w.Name)
	}
	// Centrality is derived: the larger, better-connected region is more central.
	a, c := w.Regions[0], w.Regions[2]
	if a.Centrality < 1 || a.Centrality > 6 || a.CentralityIndex <= c.CentralityIndex || a.Centrality > c.Centrality {
		t.Errorf("derived centrality: Alpha %d/%g, Gamma %d/%g", a.Centrality, a.CentralityIndex, c.Centrality, c.CentralityIndex)
	}
	if w.Rates.TotalFertility() == 0 {
		t.Error("user world has no rates")
	}

	// Columns in any order, case-insensitive, with optional ones, comments and CRLF.
	path2 := writeFile(t, dir, "regions2.csv", "# a comment\r\nPopulation,LON,lat,Name,code,centrality_class,area_km2,study_places\r\n"+
		"50000,10.0,60.0,Alpha,A1,2,300,1200\r\n800,10.5,60.1,Beta,B2,,,\r\n")
	w2, err := Load(path2, "")
	if err != nil {
		t.Fatal(err)
	}
	if r := w2.Regions[0]; r.Centrality != 2 || r.CentralityIndex < 870 || r.CentralityIndex > 939 || r.AreaKm2 != 300 || r.StudyPlaces != 1200 {
		t.Errorf("Alpha = %+v; want class 2 with an index in its band, area 300, 1200 study places", r)
	}

	// A single region works too.
	path3 := writeFile(t, dir, "one.csv", "code,name,lat,lon,population\nX,Solo,0,0,10\n")
	w3, err := Load(path3, "")
	if err != nil {
		t.Fatal(err)
	}
	if w3.TravelMinutes(0, 0) != MinInternalMinutes || w3.Regions[0].JobsPerWorker != 1 {
		t.Errorf("single region: %+v, internal %g", w3.Regions[0], w3.TravelMinutes(0, 0))
	}
}

func TestLoadTravel(t *testing.T) {
	dir := t.TempDir()
	regions := writeFile(t, dir, "regions.csv", goodRegions)
	travel := writeFile(t, dir, "travel.csv", "from,to,minutes\nA1,B2,33\nB2,A1,35\nAlpha,Gamma,200.5\nC3,C3,12\n")
	w, err := Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		i, j int
		want float32
	}{{0, 1, 33}, {1, 0, 35}, {0, 2, 200.5}, {2, 0, 200.5}, {2, 2, 12}} {
		if got := w.TravelMinutes(c.i, c.j); got != c.want {
			t.Errorf("minutes %d→%d = %g, want %g", c.i, c.j, got, c.want)
		}
	}
	// Pairs not given keep the estimate.
	r1, r2 := w.Regions[1], w.Regions[2]
	if got, want := w.TravelMinutes(1, 2), float32(EstimateMinutes(GreatCircleKm(r1.Lat, r1.Lon, r2.Lat, r2.Lon))); got != want {
		t.Errorf("B2→C3 = %g, want the estimate %g", got, want)
	}
	// A travel file on an embedded world.
	tr := writeFile(t, dir, "oslo.csv", "from,to,minutes\nOslo,Bergen,400\n")
	nw, err := Load("norway-2024", tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := nw.TravelMinutes(mustLookup(t, nw, "Bergen"), mustLookup(t, nw, "Oslo")); got != 400 {
		t.Errorf("Bergen→Oslo = %g, want 400", got)
	}
}

// manyRows returns n valid region lines with codes R0, R1, ….
func manyRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "R%d,Region %d,60,10,100\n", i, i)
	}
	return b.String()
}

func TestLoadErrors(t *testing.T) {
	const h = "code,name,lat,lon,population\n"
	for _, c := range []struct {
		name, content, want string
	}{
		{"empty", "", "regions.csv: the file is empty; the first line must name the columns, e.g. code,name,lat,lon,population"},
		{"blank", "  \n\n", "the file is empty"},
		{"only comments", "# nothing\n", "the file has only comments"},
		{"header only", h, "regions.csv: no region lines after the header; add one line per region"},
		{"not a whole number", h + manyRows(12) + "Z,Zeta,60,10,12x4\n",
			`regions.csv:14: column population: "12x4" is not a whole number; write the number of residents, e.g. 1204`},
		{"decimal population", h + "A,Alpha,60,10,12.5\n", `regions.csv:2: column population: "12.5" is not a whole number`},
		{"negative population", h + "A,Alpha,60,10,-5\n", "regions.csv:2: column population: -5 is negative; write the number of residents"},
		{"empty population", h + "A,Alpha,60,10,\n", "regions.csv:2: column population: is empty; write the number of residents"},
		{"zero total", h + "A,Alpha,60,10,0\n", "every region has population 0"},
		{"duplicate code", h + "0301,Oslo,60,10,1\n0301,Oslo 2,60,10,1\n", `regions.csv:3: column code: "0301" is already used on line 2; codes must be unique`},
		{"duplicate code case", h + "ab,A,60,10,1\nAB,B,60,10,1\n", `"AB" is already used on line 2`},
		{"empty code", h + ",Oslo,60,10,1\n", "regions.csv:2: column code: is empty; give every region a unique code"},
		{"empty name", h + "A,,60,10,1\n", "regions.csv:2: column name: is empty; give region A a name"},
		{"lat out of range", h + "A,Alpha,95,10,1\n", "regions.csv:2: column lat: 95 is out of range [-90, 90]; write the latitude"},
		{"lon out of range", h + "A,Alpha,60,200,1\n", "regions.csv:2: column lon: 200 is out of range [-180, 180]"},
		{"lat not a number", h + "A,Alpha,north,10,1\n", `regions.csv:2: column lat: "north" is not a number`},
		{"decimal comma", h + "A,Alpha,\"59,9\",10,1\n", `column lat: "59,9" is not a number; use a decimal point, not a comma (59.9)`},
		{"NaN", h + "A,Alpha,NaN,10,1\n", `column lat: "NaN" is not a number`},
		{"class out of range", "code,name,lat,lon,population,centrality_class\nA,Alpha,60,10,1,7\n", "column centrality_class: 7 is out of range; write 1 (most central) to 6 (least)"},
		{"index out of range", "code,name,lat,lon,population,centrality_index\nA,Alpha,60,10,1,1200\n", "column centrality_index: 1200 is out of range [0, 1000]"},
		{"negative area", "code,name,lat,lon,population,area_km2\nA,Alpha,60,10,1,-3\n", "column area_km2: -3 is out of range"},
		{"unknown column", "code,name,lat,lon,popul,xyzzy\nA,Alpha,60,10,1,2\n",
			`regions.csv:1: unknown column(s) "popul", "xyzzy"; the columns are code, name, lat, lon, population (required) and county_code, county, admin_centre, area_km2, centrality_class, centrality_index, study_places (optional); did you mean "population" for "popul"?`},
		{"a column of one's own", "code,name,lat,lon,population,comment\nA,Alpha,60,10,1,big\n",
			`regions.csv:1: unknown column(s) "comment"; the columns are code, name, lat, lon, population (required) and county_code, county, admin_centre, area_km2, centrality_class, centrality_index, study_places (optional); settle reads no other columns: delete "comment" (keep notes in another file, or in lines starting with #)`},
		{"missing column", "code,name,lat,population\nA,Alpha,60,1\n", "regions.csv:1: missing required column(s) lon"},
		// A run's own regions.csv, which a scenario copied into the run's
		// folder names when its world is world = "regions.csv".
		{"a run's table", "year,code,name,population,births,deaths\n2024,A,Alpha,100,0,0\n",
			"regions.csv:1: this is a table of a run's results (columns year, code, name, population, births …), not the regions CSV of a world; give the world's own file: a run's folder keeps the files of a user world it read in world/"},
		{"a run's study.csv", "year,code,name,study_places,students_studying_here\n2024,A,Alpha,100,0\n",
			"regions.csv:1: this is a table of a run's results"},
		// A regions file of one's own with a year and households: its
		// unknown columns, not a run's table.
		{"a world with a year", "code,name,lat,lon,population,year,households\nA,Alpha,60,10,100,2024,40\n",
			`regions.csv:1: unknown column(s) "year", "households"`},
		{"a world starting with year, a column misspelt", "year,code,name,latitude,lon,population\n2024,A,Alpha,60,10,100\n",
			`did you mean "lat" for "latitude"`},
		{"duplicate column", "code,name,lat,lon,population,lat\nA,Alpha,60,10,1,60\n", "regions.csv:1: column lat appears twice"},
		// An empty column at the end is Excel's (TestLoadTrailingEmptyColumns);
		// one between named columns, or one with values, is a mistake.
		{"unnamed column", "code,name,,lat,lon,population\nA,Alpha,,60,10,1\n", "regions.csv:1: column 3 has no name"},
		{"unnamed column with a value", "code,name,lat,lon,population,\nA,Alpha,60,10,1,\nB,Beta,60,10,1,x\n",
			`regions.csv:3: column 6 has the value "x" but no name in the header on line 1; name the column in the header, or delete the value`},
		{"semicolons", "code;name;lat;lon;population\nA;Alpha;60;10;1\n", "regions.csv:1: the columns are separated by semicolons"},
		{"semicolons, quoted", "# exported\n\"code\";\"name\";\"lat\";\"lon\";\"population\"\n\"A\";\"Alpha\";\"60,5\";\"10\";\"1\"\n", "regions.csv:2: the columns are separated by semicolons"},
		{"thousands separator", h + "A,Alpha,60,10,\"130,997\"\n", `column population: "130,997" has a thousands separator; write the number without it (130997)`},
		{"thousands space", h + "A,Alpha,60,10,130 997\n", `"130 997" has a thousands separator; write the number without it (130997)`},
		{"too few values", h + "A,Alpha,60,10,1\nB,Beta,60\n", "regions.csv:3: 3 values but the header names 5 columns"},
		{"bare quote", h + "A,Al\"pha,60,10,1\n", "regions.csv:2: malformed CSV at character 5 of the line: a quote inside a value that does not start with one; check the quotes"},
		{"unterminated quote", h + "A,\"Alpha,60,10,1\n", "malformed CSV at character 17 of the line: a quoted value that does not end with its closing quote"},
		// Characters, not bytes: ø takes two.
		{"bare quote after ø", h + "B,Bø\"x,60,10,1\n", "regions.csv:2: malformed CSV at character 5 of the line"},
		{"binary", "PK\x03\x04\x00\x00zipfile", "regions.csv:1: the file contains binary data"},
		{"latin-1", h + "A,Alpha,60,10,1\nB,B\xe6rum,60,10,1\n", "regions.csv:3: the file is not UTF-8 text"},
		// A typo (a world x scale a run cannot hold is synth.CheckScale's).
		{"population too large", h + "A1,Alpha,60,10,99999999999\nB2,Beta,60.5,10.5,3000\n",
			"regions.csv:2: column population: 99999999999 residents is more than a region can have (at most 10,000,000,000, more than the world's population); write the number of residents of region A1"},
		{"population just too large", h + "A1,Alpha,60,10,10000000001\n", "column population: 10000000001 residents is more than a region can have"},
		// One county code, two county names: county = "Nord" and county = "01" would select different regions.
		{"county code with two names", "code,name,lat,lon,population,county_code,county\nA1,Alpha,60,10,100,01,Nord\nB2,Beta,60,10,100,02,Sør\nC3,Gamma,60,10,100,01,Sør\n",
			`regions.csv:4: column county: county code 01 is given the county "Sør" here but "Nord" on line 2 (region A1); a county code names one county: correct the code or the name on one of the lines`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "regions.csv", c.content)
			_, err := Load(path, "")
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			if !strings.Contains(msg, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", msg, c.want)
			}
		})
	}
}

// What spreadsheets write is read: decomposed letters (a Mac), lines ended
// by a carriage return alone (old Mac), empty rows below the data, and a
// full travel matrix with zeros on its diagonal; a pair from a region to
// itself sets its internal travel time, and pairs given both ways keep
// each.
func TestLoadSpreadsheetExports(t *testing.T) {
	dir := t.TempDir()
	nfd := "code,name,lat,lon,population\rA1,Ume\u0061\u030a,60.0,10.0,50000\rB2,Beta,60.2,10.3,8000\r,,,,\r"
	regions := writeFile(t, dir, "regions.csv", nfd)
	travel := writeFile(t, dir, "travel.csv", "from,to,minutes\nUme\u0061\u030a,A1,0\nB2,B2,12\nA1,B2,30\nB2,A1,45\n,,\n")
	w, err := Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	if w.N() != 2 || w.Regions[0].Name != "Ume\u00e5" {
		t.Fatalf("%d regions, first named %q: want 2, composed Umeå", w.N(), w.Regions[0].Name)
	}
	for _, name := range []string{"Ume\u00e5", "Ume\u0061\u030a", "umea"} {
		if i, err := w.Lookup(name); err != nil || i != 0 {
			t.Errorf("Lookup(%q) = %d, %v", name, i, err)
		}
	}
	if got := [3]float32{w.TravelMinutes(0, 1), w.TravelMinutes(1, 0), w.TravelMinutes(1, 1)}; got != [3]float32{30, 45, 12} {
		t.Errorf("A1→B2, B2→A1, B2 within: %v, want [30 45 12]", got)
	}
	// The pairs the file sets between two regions: both of them, the
	// region's own time and the skipped zero not counted.
	if w.GivenPairs != 2 {
		t.Errorf("given pairs %d, want 2", w.GivenPairs)
	}
}

func TestLoadTravelErrors(t *testing.T) {
	for _, c := range []struct {
		name, content, want string
	}{
		{"unknown code", "from,to,minutes\nA1,B2,30\nA1,C4,30\n", `travel.csv:3: column to: unknown region "C4" in world `},
		{"did you mean", "from,to,minutes\nAlpah,B2,30\n", `did you mean "Alpha" (A1)?`},
		{"zero minutes", "from,to,minutes\nA1,B2,0\n", "travel.csv:2: column minutes: 0 minutes between two regions; write the one-way travel time, more than 0"},
		{"negative minutes", "from,to,minutes\nA1,B2,-4\n", "column minutes: -4 is negative; write the one-way travel time in minutes"},
		{"tabs", "from\tto\tminutes\nA1\tB2\t4\n", "travel.csv:1: the columns are separated by tabs"},
		{"bad minutes", "from,to,minutes\nA1,B2,1h\n", `column minutes: "1h" is not a number; write the one-way travel time in minutes, e.g. 45`},
		{"duplicate pair", "from,to,minutes\nA1,B2,30\nB2,C3,40\nA1,B2,31\n", "travel.csv:4: the pair A1 → B2 is already given on line 2; keep one"},
		{"missing column", "from,to\nA1,B2\n", "travel.csv:1: missing required column(s) minutes"},
		{"empty", "", "travel.csv: the file is empty; the first line must name the columns, e.g. from,to,minutes"},
		{"empty from", "from,to,minutes\n,B2,3\n", "travel.csv:2: column from: is empty; write a region code, e.g. A1"},
		// Not "out of range [-Inf, 1000000]".
		{"minutes too long", "from,to,minutes\nA1,B2,1e300\n", "travel.csv:2: column minutes: 1e300 minutes is too long; write the one-way travel time in minutes, from more than 0 to at most 1000000 (about two years), e.g. 45"},
		{"minutes inf", "from,to,minutes\nA1,B2,inf\n", `travel.csv:2: column minutes: "inf" is not a number; write the one-way travel time in minutes`},
		// A short row does not hide the other rows' problems.
		{"short row and more", "from,to,minutes\nA1,B2,abc\nA1,Z9,30\nB2,C3\n",
			"travel.csv:4: 2 values but the header names 3 columns; give one value per column (quote values that contain commas)\n" +
				`travel.csv:2: column minutes: "abc" is not a number; write the one-way travel time in minutes, e.g. 45` + "\n" +
				`travel.csv:3: column to: unknown region "Z9"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			regions := writeFile(t, dir, "regions.csv", goodRegions)
			travel := writeFile(t, dir, "travel.csv", c.content)
			_, err := Load(regions, travel)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			if !strings.Contains(msg, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", msg, c.want)
			}
		})
	}
}

// A folder given as a regions or travel-time file: say it is a folder, and
// which CSV files it has (not "read /etc: is a directory").
func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	regions := writeFile(t, dir, "regions.csv", goodRegions)
	for _, c := range []struct{ world, travel, want string }{
		{dir, "", "regions file " + dir + " is a folder, not a file; give the path of the regions CSV itself (the folder has regions.csv), or an embedded world (norway-2024, teaching)"},
		{regions, dir, "travel-time file " + dir + " is a folder, not a file; give the path of the travel-time CSV itself, with columns from,to,minutes (the folder has regions.csv), or leave it out to use estimated times"},
		{"teaching", dir, "travel-time file " + dir + " is a folder, not a file"},
	} {
		if _, err := Load(c.world, c.travel); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Load(%q, %q) = %v\nwant %s", c.world, c.travel, err, c.want)
		}
	}
}

// A county code given the same name in another case is one county.
func TestCountyCodeSameName(t *testing.T) {
	path := writeFile(t, t.TempDir(), "regions.csv", "code,name,lat,lon,population,county_code,county\nA1,Alpha,60,10,100,01,Nord\nB2,Beta,60,10,100,01,NORD\nC3,Gamma,60,10,100,02,\nD4,Delta,60,10,100,02,Sør\n")
	if _, err := Load(path, ""); err != nil {
		t.Error(err)
	}
}

func TestLoadWorldNames(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"norway", `unknown world "norway"; name an embedded world (norway-2024, teaching) or give the path of a regions CSV; did you mean "norway-2024"?`},
		{"teching", `did you mean "teaching"?`},
		{"", "no world given"},
		{"no/such/regions.csv", "regions file no/such/regions.csv does not exist"},
	} {
		_, err := Load(c.name, "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q) = %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Load("teaching", "no/such/travel.csv"); err == nil || !strings.Contains(err.Error(), "travel-time file no/such/travel.csv does not exist") {
		t.Errorf("missing travel file: %v", err)
	}
}

// TestLoadReportsEveryBadCell: a regions or travel-time CSV with several
// mistakes gets them all in one error, one a line (only the first used to
// be reported), at most MaxCellErrors and a count of the rest.
func TestLoadReportsEveryBadCell(t *testing.T) {
	dir := t.TempDir()
	regions := writeFile(t, dir, "regions.csv", "code,name,lat,lon,population\nA1,Alpha,60.1,10.2,1000\nA2,,60.2,x,2000\nA3,Gamma,95,10.4,-5\nA1,Delta,60.4,10.5,4000\n")
	_, err := Load(regions, "")
	if err == nil {
		t.Fatal("no error")
	}
	msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	want := []string{
		"regions.csv:3: column name: is empty; give region A2 a name",
		`regions.csv:3: column lon: "x" is not a number`,
		"regions.csv:4: column lat: 95 is out of range [-90, 90]",
		"regions.csv:4: column population: -5 is negative",
		`regions.csv:5: column code: "A1" is already used on line 2; codes must be unique`,
	}
	if got := strings.Split(msg, "\n"); len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(got), len(want), msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	regions = writeFile(t, dir, "regions.csv", goodRegions)
	var b strings.Builder
	b.WriteString("from,to,minutes\nA1,B2,30\nA1,ZZ,40\nB2,C3,-4\n")
	for range MaxCellErrors + 3 {
		b.WriteString("A1,C3,x\n")
	}
	_, err = Load(regions, writeFile(t, dir, "travel.csv", b.String()))
	if err == nil {
		t.Fatal("travel: no error")
	}
	msg = strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	lines := strings.Split(msg, "\n")
	if len(lines) != MaxCellErrors+1 || !strings.Contains(lines[0], `travel.csv:3: column to: unknown region "ZZ"`) ||
		!strings.Contains(lines[1], "travel.csv:4: column minutes: -4 is negative") || lines[MaxCellErrors] != "… and 5 more problems in the same file" {
		t.Errorf("travel: %d lines:\n%s", len(lines), msg)
	}
}
