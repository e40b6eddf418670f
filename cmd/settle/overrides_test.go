package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/output"
)

// TestRunOverridesBeforeChecks: --years, --seed and --scale are applied
// before the checks that depend on them, whether the file gives start_year
// (checked by Parse) or not (checked against the world).
func TestRunOverridesBeforeChecks(t *testing.T) {
	const iv = "[[intervention]]\nkind = \"broadband\"\nfrom_year = %d\ncoverage = 0.9\n"
	cases := []struct {
		name      string
		startYear bool // the file gives start_year = 2024
		fromYear  int
		years     int
		wantErr   []string // nil: the run succeeds
		wantNote  string   // on stderr
	}{
		{"longer --years, no start_year", false, 2040, 20, nil, ""},
		{"longer --years, start_year", true, 2040, 20, nil, ""},
		{"last year of --years", true, 2043, 20, nil, ""},
		{"after longer --years", true, 2044, 20, []string{"c3.toml:", "from_year = 2044 is after the last simulated year 2043", "years = 5 in the file, 20 as overridden"}, ""},
		{"after the file's years", false, 2040, 0, []string{"from_year = 2040 is after the last simulated year 2028", "or simulate more years"}, ""},
		{"shorter --years: a note", false, 2027, 2, nil, "starts in 2027, after the last simulated year 2025 (--years 2)"},
		{"shorter --years, in range", false, 2025, 2, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			file := filepath.Join(tmp, "c3.toml")
			text := "[scenario]\nname = \"c3\"\nworld = \"teaching\"\nyears = 5\n"
			if c.startYear {
				text += "start_year = 2024\n"
			}
			text += fmt.Sprintf(iv, c.fromYear)
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			seed := uint64(7)
			out := filepath.Join(tmp, "out")
			var stdout, stderr bytes.Buffer
			err := runRun(context.Background(), runOptions{File: file, Out: out, Years: c.years, Seed: &seed, Scale: 0.5, Quiet: true, newSim: newFake(nil)}, &stdout, &stderr)
			if c.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				if _, serr := os.Stat(out); serr == nil {
					t.Errorf("%s was created for a failed run", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.wantNote != "" && !strings.Contains(stderr.String(), c.wantNote) {
				t.Errorf("stderr %q lacks %q", stderr.String(), c.wantNote)
			}
			if c.wantNote == "" && stderr.Len() > 0 {
				t.Errorf("unexpected stderr %q", stderr.String())
			}
			m, err := output.ReadManifest(out)
			if err != nil {
				t.Fatal(err)
			}
			years := c.years
			if years == 0 {
				years = 5
			}
			if m.Seed != 7 || m.Scale != 0.5 || m.Years != years {
				t.Errorf("manifest seed %d scale %g years %d", m.Seed, m.Scale, m.Years)
			}
		})
	}
}

// TestCompareOverridesBeforeChecks: settle compare's --years applies before
// the interventions' years are checked, as settle run's does.
func TestCompareOverridesBeforeChecks(t *testing.T) {
	cases := []struct {
		name    string
		years   int
		wantErr string // "" = no error
	}{
		{"longer --years", 8, ""},
		{"the file's years", 0, "from_year = 2030 is after the last simulated year 2028"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			file := filepath.Join(tmp, "later.toml")
			text := "[scenario]\nname = \"later\"\nworld = \"teaching\"\nstart_year = 2024\nyears = 5\nscale = 0.02\n" +
				"[[intervention]]\nkind = \"broadband\"\nfrom_year = 2030\ncoverage = 0.9\n"
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			opts := compareOptions{Files: []string{"../../scenarios/teaching.toml", file}, Replicates: 1, Years: c.years, Scale: 0.02, Out: filepath.Join(tmp, "cmp"), Quiet: true}
			var stdout, stderr bytes.Buffer
			err := runCompare(context.Background(), opts, &stdout, &stderr)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatal(err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("error %v, want %q", err, c.wantErr)
			}
		})
	}
}
