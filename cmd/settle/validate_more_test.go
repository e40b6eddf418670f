package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

// validateIn writes files (name → content) to a new folder, validates the
// scenario s.toml there and returns its output and error, the folder left
// out of both.
func validateIn(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	err := runValidate(context.Background(), validateOptions{File: filepath.Join(dir, "s.toml")}, &stdout, &stderr)
	msg := ""
	if err != nil {
		msg = strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	}
	return strings.ReplaceAll(stdout.String(), dir+string(filepath.Separator), ""), msg
}

const threeRegions = "code,name,lat,lon,population\nA1,Alpha,60,10,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61,11,1200\n"

// userScenario is a scenario of the world r.csv with the travel file t.csv.
const userScenario = "[scenario]\nname = \"u\"\nworld = \"r.csv\"\ntravel_times = \"t.csv\"\nyears = 3\n"

// The travel-times line says what the file gave: all pairs ("306 of the
// 306 ordered pairs; the others estimated" when there were no others), the
// internal times its rows from a region to itself set (a file of those
// alone said "0 of the 306 ordered pairs"), the zeros it skipped.
func TestValidateTravelSummary(t *testing.T) {
	for _, c := range []struct{ travel, want string }{
		{"from,to,minutes\nA1,B2,30\nA1,C3,40\nB2,C3,20\n", "t.csv (all 6 ordered pairs)\n"},
		{"from,to,minutes\nA1,B2,30\nA1,C3,40\nB2,C3,20\nA1,A1,8\nB2,B2,6\nC3,C3,5\n",
			"t.csv (all 6 ordered pairs; and the internal travel time of all 3 regions, from its rows from a region to itself)\n"},
		{"from,to,minutes\nA1,A1,15\nB2,B2,12\nC3,C3,9\n",
			"t.csv (the internal travel time of all 3 regions, from its rows from a region to itself, and none of the 6 ordered pairs between two regions: those are all estimated from the centroids)\n"},
		{"from,to,minutes\nA1,B2,30\nB2,B2,6\n",
			"t.csv (2 of the 6 ordered pairs; the others estimated from the centroids; and the internal travel time of 1 of the 3 regions, from its rows from a region to itself (the others' estimated from their areas))\n"},
		{"from,to,minutes\nA1,A1,0\nA1,B2,30\nB2,A1,31\nB2,B2,0\n",
			"t.csv (2 of the 6 ordered pairs; the others estimated from the centroids; its 2 zeros on the diagonal skipped: those regions keep the internal travel time estimated from their areas)\n"},
	} {
		out, err := validateIn(t, map[string]string{"r.csv": threeRegions, "t.csv": c.travel, "s.toml": userScenario})
		if err != "" || !strings.Contains(out, "  travel times   "+c.want) {
			t.Errorf("%q: error %q, output\n%s\nwant the line\n  travel times   %s", c.travel, err, out, c.want)
		}
	}
}

// A region_enlargement shows the travel times between its targets before
// → after, as the engine sets them (the largest cuts first, "… and N
// more"); it showed only travel_time_factor = 0.6.
func TestValidateEnlargementTravelTimes(t *testing.T) {
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"Storhavn", "Lindvik", "Åsen", "Vestbygd", "Elvestad"}
	// The expected cut of each pair (the formula of docs/interventions.md).
	type pair struct {
		a, b          string
		before, after float64
	}
	var pairs []pair
	for k, a := range targets {
		for _, b := range targets[k+1:] {
			i, _ := w.Lookup(a)
			j, _ := w.Lookup(b)
			m := float64(w.TravelMinutes(i, j))
			pairs = append(pairs, pair{a, b, m, max(m*0.5, min(m, 5))})
		}
	}
	largest := pairs[0]
	for _, p := range pairs {
		if p.before-p.after > largest.before-largest.after {
			largest = p
		}
	}
	out, err2 := validateIn(t, map[string]string{"s.toml": `[scenario]
name = "e"
world = "teaching"
years = 10

[[intervention]]
kind = "region_enlargement"
regions = ["Storhavn", "Lindvik", "Åsen", "Vestbygd", "Elvestad"]
from_year = 2026
phase_in_years = 3
travel_time_factor = 0.5
`})
	if err2 != "" {
		t.Fatal(err2)
	}
	round := func(m float64) string { return fmt.Sprint(math.Round(float64(float32(m))*10) / 10) }
	want := fmt.Sprintf("       travel_time_factor = 0.5 [factor]\n       travel times, one way, once phased in (2028) (other trips keep theirs):\n         %s ↔ %s: %s → %s minutes\n",
		largest.a, largest.b, round(largest.before), round(largest.after))
	if !strings.Contains(out, want) || !strings.Contains(out, "         … and 5 more\n") || strings.Count(out, "↔") != 5 {
		t.Errorf("output\n%s\nwant\n%s         … (4 more pairs)\n         … and 5 more", out, want)
	}

	// minutes_saved, and an entry that ends before it is in full.
	out, err2 = validateIn(t, map[string]string{"s.toml": `[scenario]
name = "e"
world = "teaching"
years = 10

[[intervention]]
kind = "region_enlargement"
regions = ["Storhavn", "Lindvik"]
from_year = 2026
to_year = 2027
phase_in_years = 4
minutes_saved = 10
`})
	i, _ := w.Lookup("Storhavn")
	j, _ := w.Lookup("Lindvik")
	m := float64(w.TravelMinutes(i, j))
	want = fmt.Sprintf("travel times, one way, in 2027, its last year (2 of 4 years phased in) (other trips keep theirs):\n         Storhavn ↔ Lindvik: %s → %s minutes\n", round(m), round(m-10*0.5))
	if err2 != "" || !strings.Contains(out, want) {
		t.Errorf("error %q, output\n%s\nwant\n%s", err2, out, want)
	}
	// The teaching world gives its ferry's times: no note that the times
	// are all estimated.
	if strings.Contains(out, "estimated from the regions' centres") {
		t.Errorf("the teaching world's output notes estimated times:\n%s", out)
	}

	// minutes: the new link's time; a pair already shorter is unchanged,
	// said with that time. Norway's times are all estimated, which is said.
	out, err2 = validateIn(t, map[string]string{"s.toml": `[scenario]
name = "e"
world = "norway-2024"
years = 10

[[intervention]]
kind = "region_enlargement"
regions = ["Vågan", "Hadsel", "Bodø"]
from_year = 2030
minutes = 90
`})
	nw, _ := world.Load("norway-2024", "")
	va, _ := nw.Lookup("Vågan")
	bo, _ := nw.Lookup("Bodø")
	ha, _ := nw.Lookup("Hadsel")
	for _, want := range []string{
		fmt.Sprintf("Bodø ↔ Vågan: %s → 90 minutes", round(float64(nw.TravelMinutes(bo, va)))),
		fmt.Sprintf("Vågan ↔ Hadsel: %s → %s minutes (unchanged: at most 90 minutes already)", round(float64(nw.TravelMinutes(va, ha))), round(float64(nw.TravelMinutes(va, ha)))),
		"(the times before are estimated from the regions' centres as by road, with no ferries: give the real times with travel_times)\n",
	} {
		if err2 != "" || !strings.Contains(out, want) {
			t.Errorf("error %q, output\n%s\nwant %q", err2, out, want)
		}
	}
}

// A parameter counted in each target region (dwellings, jobs, study
// places, second homes) is shown with the programme's total over them.
func TestValidatePerTargetTotal(t *testing.T) {
	out, err := validateIn(t, map[string]string{"s.toml": `[scenario]
name = "h"
world = "teaching"
years = 10

[[intervention]]
kind = "housing"
centrality = [5, 6]
from_year = 2026
dwellings_per_year = 30

[[intervention]]
kind = "business_development"
regions = ["Skogli", "Dalheim"]
from_year = 2026
jobs = -600
skill_level = "medium"

[[intervention]]
kind = "campus"
regions = ["Nordmo"]
from_year = 2026
students = 300

[[intervention]]
kind = "immigration"
regions = ["Skogli", "Dalheim"]
from_year = 2026
workers_per_year = 100
`})
	if err != "" {
		t.Fatal(err)
	}
	for _, want := range []string{
		"       dwellings_per_year = 30 [dwellings/year] in each of 6 regions: 180 dwellings a year in all\n",
		"       jobs = -600 [jobs] in each of 2 regions: -1,200 jobs in all\n",
		"       students = 300 [study places]\n",         // one target: no total
		"       workers_per_year = 100 [persons/year]\n", // a total spread over the targets already
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s in\n%s", want, out)
		}
	}
}

// The user's files, through settle validate: each problem named with the
// file, the line and the fix.
func TestValidateUserWorldFiles(t *testing.T) {
	utf16 := func(s string) string {
		b := []byte{0xff, 0xfe}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	for _, c := range []struct{ name, regions, travel, want string }{
		{"no header", threeRegions, "A1,B2,30\n", "s.toml:4: scenario.travel_times: t.csv:1: the first line, A1,B2,30, is a travel time, not the header that names the columns: A1 and B2 are regions of this world and 30 a number of minutes; add the header from,to,minutes above it as the first line"},
		{"synonyms", threeRegions, "origin,destination,time\nA1,B2,30\n", `did you mean "from" for "origin", "to" for "destination", "minutes" for "time"? Write the header as from,to,minutes`},
		{"decimal comma", "code,name,lat,lon,population\nA1,Alpha,60,5,10.5,50000\nB2,Beta,60.5,10.5,8000\n", "from,to,minutes\nA1,B2,30\n",
			"s.toml:3: scenario.world: r.csv:2: 6 values but the header names 5 columns: the lat value 60,5 has a decimal comma and no quotes, so the comma splits it in two; write it with a decimal point, 60.5"},
		{"UTF-16", utf16(threeRegions), "from,to,minutes\nA1,B2,30\n", `s.toml:3: scenario.world: r.csv: the file is UTF-16 text (Excel's "Unicode Text", Windows Notepad's "Unicode"), not UTF-8; save it from the spreadsheet as "CSV UTF-8 (Comma delimited)"`},
		{"centrality", "code,name,lat,lon,population,centrality_class,centrality_index\nA1,Alpha,60,10,50000,6,950\nB2,Beta,60.5,10.5,8000,,\n", "from,to,minutes\nA1,B2,30\n",
			"r.csv:2: column centrality_class: class 6 does not match centrality_index 950 of region A1: SSB's class 6 is index 0–566, and 950 is class 1 (940–1000)"},
		{"empty columns at the end", "code,name,lat,lon,population,,\nA1,Alpha,60,10,50000,,\nB2,Beta,60.5,10.5,8000,,\n", "from,to,minutes,,\nA1,B2,30,,\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := validateIn(t, map[string]string{"r.csv": c.regions, "t.csv": c.travel, "s.toml": userScenario})
			if c.want == "" {
				if err != "" || !strings.Contains(out, "s.toml: valid") {
					t.Errorf("error %q, output\n%s", err, out)
				}
				return
			}
			if !strings.Contains(err, c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", err, c.want)
			}
		})
	}
}

// world = "ok" beside ok.csv: the fix is world = "ok.csv" (validated from
// the scenario's folder: world.Load looks in the current folder until the
// scenario passes its own, world.LoadIn).
func TestValidateWorldNamedLikeFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.csv"), []byte(threeRegions), 0o644)
	os.WriteFile(filepath.Join(dir, "s.toml"), []byte("[scenario]\nname = \"u\"\nworld = \"ok\"\nyears = 3\n"), 0o644)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	err := runValidate(context.Background(), validateOptions{File: "s.toml"}, &stdout, &stderr)
	if want := `s.toml:3: scenario.world: unknown world "ok"; name an embedded world (norway-2024, teaching) or give the path of a regions CSV; the current folder has the file ok.csv: for it, write world = "ok.csv" (a file is named with its extension)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// A user world that loads but probably holds a mistake (a code without
// its leading zero) is valid, with a warning, in settle validate and on
// settle run's stderr.
func TestWorldWarningsShown(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "r.csv"), []byte("code,name,lat,lon,population\n301,Oslo,59.91,10.75,700000\n1101,Eigersund,58.45,5.99,15000\n4601,Bergen,60.39,5.32,290000\n"), 0o644)
	file := filepath.Join(dir, "s.toml")
	os.WriteFile(file, []byte("[scenario]\nname = \"s\"\nworld = \"r.csv\"\nyears = 1\nscale = 0.01\n"), 0o644)
	want := "warning: " + filepath.Join(dir, "r.csv") + ": 1 code value (301) has one digit fewer than the others (1101)"
	if code, out, errs := settle(t, "validate", file); code != exitOK || !strings.Contains(out, want) {
		t.Errorf("validate: exit %d\n%s%s\nwant %q", code, out, errs, want)
	}
	var stdout, stderr bytes.Buffer
	if err := runRun(context.Background(), runOptions{File: file, Out: filepath.Join(dir, "run"), Quiet: true, newSim: newFake(nil)}, &stdout, &stderr); err != nil || !strings.Contains(stderr.String(), want) {
		t.Errorf("run: %v, stderr %s\nwant %q", err, stderr.String(), want)
	}
}
