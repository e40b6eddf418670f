package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStudyPlacesNote: a user world without study places (study_places is
// an optional column of the regions CSV, and a missing one is not
// synthesised) has nobody studying in any year; settle validate and
// settle run say so on stderr (they said nothing, and the run's students
// column was 0 in every year).
func TestStudyPlacesNote(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(tmp, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("none.csv", "code,name,lat,lon,population\nA1,Alpha,60,10,50000\nB2,Beta,60.5,10.5,8000\n")
	write("some.csv", "code,name,lat,lon,population,study_places\nA1,Alpha,60,10,50000,2000\nB2,Beta,60.5,10.5,8000,\n")
	scenario := func(name, world, rest string) string {
		return write(name, "[scenario]\nname = \"u\"\nworld = \""+world+"\"\nyears = 3\nscale = 0.2\n"+rest)
	}
	none := scenario("none.toml", "none.csv", "")
	note := "note: world " + filepath.Join(tmp, "none.csv") + " has no study places in any region (no study_places column in its regions file, or 0 in every row): nobody studies, so the students column stays 0"
	fix := "add the column (higher-education study places per region) to model higher education"

	for _, c := range []struct {
		file, want string
	}{
		{none, note},
		{scenario("some.toml", "some.csv", ""), ""},
		{scenario("teaching.toml", "teaching", ""), ""},
		// A campus intervention opens places: nobody studies before it.
		{scenario("campus.toml", "none.csv", "\n[[intervention]]\nkind = \"campus\"\nregions = [\"Alpha\"]\nfrom_year = 2025\nstudents = 1000\n"),
			"nobody studies before the campus intervention opens places in 2025"},
	} {
		var stdout, stderr bytes.Buffer
		if err := runValidate(context.Background(), validateOptions{File: c.file}, &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		got := stderr.String()
		if c.want == "" && got != "" || c.want != "" && (!strings.Contains(got, c.want) || !strings.Contains(got, fix)) {
			t.Errorf("settle validate %s: stderr %q, want %q", filepath.Base(c.file), got, c.want)
		}
		if !strings.Contains(stdout.String(), ": valid") {
			t.Errorf("settle validate %s: %s", filepath.Base(c.file), stdout.String())
		}
	}

	// settle run says it too, also with --quiet (a note is not progress).
	var stdout, stderr bytes.Buffer
	opts := runOptions{File: none, Out: filepath.Join(tmp, "run"), Quiet: true, newSim: newFake(nil)}
	if err := runRun(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), note) {
		t.Errorf("settle run: stderr %q, want %q", stderr.String(), note)
	}
}
