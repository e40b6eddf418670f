package world

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// loadErr loads regions (and travel, unless "") written to a folder and
// returns the error with the folder left out of it.
func loadErr(t *testing.T, regions, travel string) string {
	t.Helper()
	dir := t.TempDir()
	r := writeFile(t, dir, "regions.csv", regions)
	tr := ""
	if travel != "" {
		tr = writeFile(t, dir, "travel.csv", travel)
	}
	_, err := Load(r, tr)
	if err == nil {
		return ""
	}
	return strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
}

// A file without its header: the first row is data, not "unknown
// column(s) "f01", "f02", "30"" (a user's travel file).
func TestLoadWithoutHeader(t *testing.T) {
	for _, c := range []struct{ name, regions, travel, want string }{
		{"travel by codes", goodRegions, "A1,B2,30\nA1,C3,40\n",
			"travel.csv:1: the first line, A1,B2,30, is a travel time, not the header that names the columns: A1 and B2 are regions of this world and 30 a number of minutes; add the header from,to,minutes above it as the first line"},
		{"travel by names", goodRegions, "# minutes by road\nAlpha,Gamma,95.5\n", "travel.csv:2: the first line, Alpha,Gamma,95.5, is a travel time"},
		{"travel, minutes not a number", goodRegions, "A1,B2,1h\n", "A1 and B2 are regions of this world; add the header from,to,minutes"},
		{"regions", "A1,Alpha,60.0,10.0,50000\nB2,Beta,60.2,10.3,8000\n", "",
			"regions.csv:1: the first line, A1,Alpha,60.0,10.0,50000, is a region, not the header that names the columns: 60.0, 10.0, 50000 are numbers, which no column is named; add a line above it that names the columns in the order of its values, e.g. code,name,lat,lon,population"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := loadErr(t, c.regions, c.travel); !strings.Contains(got, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", got, c.want)
			}
		})
	}
	// A header with a number in it is still a header with an unknown column,
	// and so is one with two (a review's code,…,2023,2024 was called a
	// region).
	for _, h := range []string{"code,name,lat,lon,2024", "code,name,lat,lon,population,2023,2024"} {
		if got := loadErr(t, h+"\nA1,Alpha,60,10,5,1,2\n", ""); !strings.Contains(got, `unknown column(s) "2024"`) && !strings.Contains(got, `unknown column(s) "2023", "2024"`) {
			t.Errorf("a header %s: %s", h, got)
		}
	}
}

// Common other names of the columns get the column meant and the header to
// write ("origin" is no edit away from "from").
func TestLoadColumnSynonyms(t *testing.T) {
	for _, c := range []struct{ name, regions, travel, want string }{
		{"origin, destination", goodRegions, "origin,destination,minutes\nA1,B2,30\n",
			`travel.csv:1: unknown column(s) "origin", "destination"; the columns are from, to, minutes (required); did you mean "from" for "origin", "to" for "destination"? Write the header as from,to,minutes`},
		{"time", goodRegions, "from,to,time\nA1,B2,30\n", `did you mean "minutes" for "time"? Write the header as from,to,minutes`},
		{"travel_time", goodRegions, "From,To,Travel_Time\nA1,B2,30\n", `did you mean "minutes" for "travel_time"? Write the header as from,to,minutes`},
		{"min", goodRegions, "from,to,min\nA1,B2,30\n", `Write the header as from,to,minutes`},
		{"columns in another order", goodRegions, "minutes,origin,dest\n30,A1,B2\n", `Write the header as minutes,from,to`},
		{"Norwegian regions", "kommunenummer,navn,latitude,longitude,folketall\nA1,Alpha,60,10,5\n", "",
			`Write the header as code,name,lat,lon,population`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := loadErr(t, c.regions, c.travel); !strings.Contains(got, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", got, c.want)
			}
		})
	}
	// No header is offered when a name has no meaning, or two mean one column.
	for _, travel := range []string{"from,to,xyzzy\nA1,B2,30\n", "origin,from,minutes\nA1,B2,30\n"} {
		if got := loadErr(t, goodRegions, travel); got == "" || strings.Contains(got, "Write the header") {
			t.Errorf("%q: %s", travel, got)
		}
	}
}

// Excel's empty columns right of the data (a header and rows ending in
// commas) are no columns, in both files; a value in one is an error.
func TestLoadTrailingEmptyColumns(t *testing.T) {
	dir := t.TempDir()
	regions := writeFile(t, dir, "regions.csv", "code,name,lat,lon,population,,\nA1,Alpha,60.0,10.0,50000,,\nB2,Beta,60.2,10.3,8000\nC3,Gamma,61.5,8.0,900,\n,,,,,,\n")
	travel := writeFile(t, dir, "travel.csv", "from,to,minutes,,\nA1,B2,30,,\nB2,C3,40,,\n")
	w, err := Load(regions, travel)
	if err != nil {
		t.Fatal(err)
	}
	if w.N() != 3 || w.Population() != 58900 || w.TravelMinutes(0, 1) != 30 || w.TravelMinutes(2, 1) != 40 || w.GivenPairs != 4 {
		t.Errorf("%d regions, %d people, A1→B2 %g, C3→B2 %g, %d pairs given", w.N(), w.Population(), w.TravelMinutes(0, 1), w.TravelMinutes(2, 1), w.GivenPairs)
	}
	if got := loadErr(t, goodRegions, "from,to,minutes,,\nA1,B2,30,,\nB2,C3,40,,note\n"); !strings.Contains(got,
		`travel.csv:3: column 5 has the value "note" but no name in the header on line 1; name the column in the header, or delete the value`) {
		t.Errorf("a value in an unnamed column: %s", got)
	}
	// Empty cells beyond the header are refused, saying so: they may be a
	// value split by a comma in a row whose last column is empty, which
	// would be read shifted (area 70,5 read as area 70 and population 5).
	if got := loadErr(t, goodRegions, "from,to,minutes\nA1,B2,30,,\nB2,C3,40\n"); !strings.Contains(got,
		"travel.csv:2: 5 cells but the header names 3 columns, and the 2 beyond it are empty; delete the commas at the end of the line") {
		t.Errorf("empty cells beyond the header: %s", got)
	}
	shifted := writeFile(t, dir, "shifted.csv", "code,name,lat,lon,area_km2,population,study_places\nA1,Alpha,60.0,10.0,120,50000,300\nB2,Beta,60.2,10.3,70,5,8000,\n")
	if _, err := Load(shifted, ""); err == nil || !strings.Contains(err.Error(), "shifted.csv:3: 8 values but the header names 7 columns: the area_km2 value 70,5 has a decimal comma") {
		t.Errorf("a decimal comma in a row whose last column is empty: %v", err)
	}
	// A decimal comma that splits a value into an unnamed column is the
	// decimal comma (it was "column 4 has the value \"5\" but no name").
	if got := loadErr(t, goodRegions, "from,to,minutes,,\nA1,B2,30,5,\nB2,C3,40,,\n"); !strings.Contains(got,
		`travel.csv:2: 4 values but the header names 3 columns: the minutes value 30,5 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 30.5`) {
		t.Errorf("a decimal comma beside empty columns: %s", got)
	}
}

// A decimal comma (or a thousands separator) without quotes splits a
// number in two: the row has a value more than the header, and the error
// names the column and the number.
func TestLoadUnquotedDecimalComma(t *testing.T) {
	const h = "code,name,lat,lon,population\n"
	for _, c := range []struct{ name, regions, travel, want string }{
		{"lat", h + "A1,Alpha,60,4,10.5,50000\n", "",
			`regions.csv:2: 6 values but the header names 5 columns: the lat value 60,4 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 60.4 (in quotes, "60,4" is no number either: Settle reads decimal points)`},
		{"lat and lon", h + "A1,Alpha,60,4,10,5,50000\n", "",
			"regions.csv:2: 7 values but the header names 5 columns: the lat value 60,4 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 60.4; the lon value 10,5 has a decimal comma"},
		{"population", h + "A1,Alpha,60.4,10.5,130,997\n", "",
			"regions.csv:2: 6 values but the header names 5 columns: the population value 130,997 has a thousands separator and no quotes, so the comma splits it in two; write it without the separator, 130997"},
		{"the user's world", "code,name,county,lat,lon,area_km2,population,study_places\nF01,Havby,Sentrum,60.4,5.32,110,98000,9000\nF03,Sørvåg,Sentrum,60,25,5.25,150,17500,0\n", "",
			"regions.csv:3: 9 values but the header names 8 columns: the lat value 60,25 has a decimal comma"},
		{"either of two", h + "A1,Alpha,60,4,10,50000\n", "",
			"regions.csv:2: 6 values but the header names 5 columns: a comma without quotes splits a number in two, lon 4,10, or lat 60,4; write numbers with a decimal point"},
		{"every row", h + "A1,Alpha,60,4,10.5,50000\nB2,Beta,60.2,10,3,8000\n", "",
			"the lat value 60,4 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 60.4 (in quotes, \"60,4\" is no number either: Settle reads decimal points)\nregions.csv:3: 6 values but the header names 5 columns: the lon value 10,3"},
		{"minutes", goodRegions, "from,to,minutes\nA1,B2,30,5\n",
			"travel.csv:2: 4 values but the header names 3 columns: the minutes value 30,5 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 30.5"},
		// Not a number: the count alone.
		{"no number", h + "A1,Alpha,Beta,60,10,5\n", "", "regions.csv:2: 6 values but the header names 5 columns; give one value per column"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := loadErr(t, c.regions, c.travel); !strings.Contains(got, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", got, c.want)
			}
		})
	}
}

// A CSV saved as UTF-16 (Excel's "Unicode Text", Notepad's "Unicode") is
// named so, with the fix, not "binary data (a NUL byte)"; Latin-1 names
// the letter.
func TestLoadUTF16(t *testing.T) {
	le := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	const want = `the file is UTF-16 text (Excel's "Unicode Text", Windows Notepad's "Unicode"), not UTF-8; save it from the spreadsheet as "CSV UTF-8 (Comma delimited)"`
	for _, c := range []struct{ name, regions, travel, want string }{
		{"regions with a mark", "\xff\xfe" + le(goodRegions), "", "regions.csv: " + want},
		{"regions without a mark", le("code,name,lat,lon,population\nA1,Bø,60,10,5\n"), "", "regions.csv: " + want},
		{"travel", goodRegions, "\xff\xfe" + le("from,to,minutes\r\nA1,B2,30\r\n"), "travel.csv: " + want},
		{"binary", "PK\x03\x04\x00\x00zipfile", "", "regions.csv:1: the file contains binary data"},
		{"latin-1", "code,name,lat,lon,population\nA1,Alpha,60,10,1\nB2,B\xe6rum,60,10,1\n", "",
			`regions.csv:3: the file is not UTF-8 text: the byte 0xE6 is "æ" in Latin-1/Windows-1252, which the file was probably saved in; save it from the spreadsheet as "CSV UTF-8 (Comma delimited)"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := loadErr(t, c.regions, c.travel); !strings.Contains(got, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", got, c.want)
			}
		})
	}
}

// world = "ok" beside ok.csv: the fix is world = "ok.csv", for a folder
// given (a scenario's) or the current one.
func TestLoadWorldNamedLikeFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ok.csv", goodRegions)
	writeFile(t, dir, "t.csv", "from,to,minutes\nA1,B2,30\n")
	_, err := LoadIn(dir, "ok", "")
	if want := `unknown world "ok"; name an embedded world (norway-2024, teaching) or give the path of a regions CSV; ` + dir + ` has the file ok.csv: for it, write world = "ok.csv" (a file is named with its extension)`; err == nil || err.Error() != want {
		t.Errorf("LoadIn = %v\nwant %s", err, want)
	}
	// Paths relative to the folder.
	w, err := LoadIn(dir, "ok.csv", "t.csv")
	if err != nil || w.TravelMinutes(0, 1) != 30 || w.Name != filepath.Join(dir, "ok.csv") {
		t.Fatalf("LoadIn(ok.csv, t.csv) = %v, %v", w, err)
	}
	// No such file: the nearest embedded world, as before.
	if _, err := LoadIn(dir, "teching", ""); err == nil || !strings.HasSuffix(err.Error(), `did you mean "teaching"?`) {
		t.Errorf("teching: %v", err)
	}
	t.Chdir(dir)
	if _, err := Load("ok", ""); err == nil || !strings.Contains(err.Error(), `; the current folder has the file ok.csv: for it, write world = "ok.csv"`) {
		t.Errorf("Load in the folder: %v", err)
	}
}

// centrality_class and centrality_index given together must agree (SSB's
// class is the band of its index): class 6 with index 950 was accepted.
func TestLoadCentralityMismatch(t *testing.T) {
	got := loadErr(t, "code,name,lat,lon,population,centrality_class,centrality_index\n"+
		"A1,Alpha,60,10,100,6,950\nB2,Beta,60,10,100,2,900\nC3,Gamma,60,10,100,1,939\nD4,Delta,60,10,100,,300\nE5,Eps,60,10,100,5,\nF6,Phi,60,10,100,2,939.4\n"+
		"G7,Gam,60,10,100,2,939.5\n", "") // 939.5 is class 2, as the class derived from it (not rounded to 940)
	want := []string{
		"regions.csv:2: column centrality_class: class 6 does not match centrality_index 950 of region A1: SSB's class 6 is index 0–566, and 950 is class 1 (940–1000); correct one of them, or leave one of them empty to derive it from the other",
		"regions.csv:4: column centrality_class: class 1 does not match centrality_index 939 of region C3: SSB's class 1 is index 940–1000, and 939 is class 2 (870–939)",
	}
	if lines := strings.Split(got, "\n"); len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(lines), len(want), got)
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("error lacks\n  %s\nin\n  %s", w, got)
		}
	}
	// The embedded worlds agree with the thresholds.
	for _, name := range []string{"norway-2024", "teaching"} {
		if _, err := Load(name, ""); err != nil {
			t.Error(err)
		}
	}
}

// What the user's travel file set: pairs between regions, the internal
// times of regions (pairs from a region to itself), the zeros skipped.
func TestLoadTravelDiagonal(t *testing.T) {
	dir := t.TempDir()
	regions := writeFile(t, dir, "regions.csv", goodRegions)
	for _, c := range []struct {
		travel                   string
		pairs, internal, skipped int
	}{
		{"from,to,minutes\nA1,A1,15\nB2,B2,12\nC3,C3,9\n", 0, 3, 0},
		{"from,to,minutes\nA1,A1,0\nA1,B2,30\nB2,B2,0\nB2,A1,31\nC3,C3,7\n", 2, 1, 2},
	} {
		w, err := Load(regions, writeFile(t, dir, "travel.csv", c.travel))
		if err != nil {
			t.Fatal(err)
		}
		if w.GivenPairs != c.pairs || w.GivenInternal != c.internal || w.SkippedZeros != c.skipped || w.EstimatedPairs != 6-c.pairs {
			t.Errorf("%q: pairs %d, internal %d, zeros %d, estimated %d; want %d, %d, %d", c.travel, w.GivenPairs, w.GivenInternal, w.SkippedZeros, w.EstimatedPairs, c.pairs, c.internal, c.skipped)
		}
	}
	if w, err := Load("teaching", ""); err != nil || w.GivenInternal != 0 || w.SkippedZeros != 0 {
		t.Errorf("an embedded world's own travel file is not the user's: %v", err)
	}
}
