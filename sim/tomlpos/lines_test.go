package tomlpos

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const tricky = `# [[intervention]] in a comment
[scenario]   # a comment with = and [brackets]
name = "x # not a comment"
description = """
[[intervention]]
kind = "not a key"
"""
'quoted.key' = 1
"basic \" key" = 2
lit = '''
years = 3'''

[behaviour]
util_jobs.early_career = 1
util_home = {
  family = 2,   # TOML 1.1: newlines in inline tables
  senior = { deep = 1 } }

[[intervention]]
kind = "a"
regions = [
  "one", # first
  "two",
  [ "nested", "x" ],
]

[intervention.sub]
z = 1

[[intervention]]
kind = "b"
date = 2024-01-01 10:00:00
`

func TestScanLines(t *testing.T) {
	var doc map[string]any
	if _, err := toml.Decode(tricky, &doc); err != nil {
		t.Fatalf("the test document is not TOML: %v", err)
	}
	kl := ScanLines(tricky)
	for path, want := range map[string]int{
		"scenario":                         2,
		"scenario.name":                    3,
		"scenario.description":             4,
		"scenario.quoted.key":              8,
		`scenario.basic " key`:             9,
		"scenario.lit":                     10,
		"behaviour":                        13,
		"behaviour.util_jobs":              14,
		"behaviour.util_jobs.early_career": 14,
		"behaviour.util_home":              15,
		"behaviour.util_home.family":       16,
		"behaviour.util_home.senior.deep":  17,
		"intervention[1]":                  19,
		"intervention[1].kind":             20,
		"intervention[1].regions":          21,
		"intervention[1].regions[1]":       22,
		"intervention[1].regions[2]":       23,
		"intervention[1].regions[3][2]":    24,
		"intervention[1].sub.z":            28,
		"intervention[2]":                  30,
		"intervention[2].kind":             31,
		"intervention[2].date":             32,
	} {
		if got := kl[path]; got != want {
			t.Errorf("%s: line %d, want %d", path, got, want)
		}
	}
	for _, bad := range []string{"intervention[3]", "scenario.years", "intervention[1].kind.x"} {
		if _, ok := kl[bad]; ok {
			t.Errorf("%s found", bad)
		}
	}
	if got := kl.Line("intervention[2].missing"); got != 30 {
		t.Errorf("fallback to the entry: %d", got)
	}
	if got := kl.Line("nothing"); got != 0 {
		t.Errorf("a path nowhere in the file: line %d, want 0", got)
	}
}

func TestScanLinesCRLF(t *testing.T) {
	kl := ScanLines(strings.ReplaceAll(tricky, "\n", "\r\n"))
	if kl["intervention[2].date"] != 32 || kl["behaviour.util_home.family"] != 16 {
		t.Errorf("CRLF: %v", kl)
	}
}

// The scanner never panics or loops, whatever it is given.
func FuzzScanLines(f *testing.F) {
	f.Add(tricky)
	f.Add(`a = "unterminated`)
	f.Add("[[x")
	f.Add("a = [1, {b = ")
	f.Add(`"""`)
	for _, s := range []string{"[calibration]\nscale = 0.1\n", "a = [1, {b = \"\"\"x\"\"\"}]\n", "[[", "a = '", "x = { y = [", `"\`, "0. "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for k, l := range ScanLines(s) {
			if l < 1 || l > strings.Count(s, "\n")+1 {
				t.Fatalf("%q: %s at line %d", s, k, l)
			}
		}
	})
}

func TestScanLinesPrefixes(t *testing.T) {
	// Every prefix of a valid document: the scanner must not panic or loop.
	for i := range tricky {
		ScanLines(tricky[:i])
	}
}

// A calibration file: dotted keys, spaced headers, quoted keys, lists
// over lines and inline tables.
func TestScanLinesCalibration(t *testing.T) {
	src := `# a comment = 3
title = "x = 1" # [calibration]
notes = """
[calibration]
scale = 9
"""

[calibration]
scale = 0.1 # the share
'years' = 5
"max_evals" = 9
params = [
  "base_a2", # one
  "base_c",
  # a comment
  "phase_factor.student", "young_women_factor",
]
calibration.step = 0.2

[ calibration . bounds ]
base_a2 = [0.1,
  1]
phase_factor = { student = [0.1, 3],
  family = [0.2, 3] }
util_distance.family = [-3, -1]

[calibration.bounds.util_size]
senior = [0, 1]

[[intervention]]
kind = "x"
[[intervention]]
kind = "y"
`
	want := map[string]int{
		"title": 2, "notes": 3,
		"calibration": 8, "calibration.scale": 9, "calibration.years": 10, "calibration.max_evals": 11,
		"calibration.params": 12, "calibration.params[1]": 13, "calibration.params[2]": 14, "calibration.params[3]": 16, "calibration.params[4]": 16,
		"calibration.calibration": 18, "calibration.calibration.step": 18, // a dotted key inside [calibration] is calibration.calibration.step
		"calibration.bounds": 20, "calibration.bounds.base_a2": 21, "calibration.bounds.base_a2[1]": 21, "calibration.bounds.base_a2[2]": 22,
		"calibration.bounds.phase_factor": 23, "calibration.bounds.phase_factor.student": 23, "calibration.bounds.phase_factor.student[1]": 23, "calibration.bounds.phase_factor.student[2]": 23,
		"calibration.bounds.phase_factor.family": 24, "calibration.bounds.phase_factor.family[1]": 24, "calibration.bounds.phase_factor.family[2]": 24,
		"calibration.bounds.util_distance": 25, "calibration.bounds.util_distance.family": 25, "calibration.bounds.util_distance.family[1]": 25, "calibration.bounds.util_distance.family[2]": 25,
		"calibration.bounds.util_size": 27, "calibration.bounds.util_size.senior": 28, "calibration.bounds.util_size.senior[1]": 28, "calibration.bounds.util_size.senior[2]": 28,
		"intervention": 30, "intervention[1]": 30, "intervention[1].kind": 31, "intervention[2]": 32, "intervention[2].kind": 33,
	}
	got := ScanLines(src)
	if !maps.Equal(got, Lines(want)) {
		for _, k := range slices.Sorted(maps.Keys(want)) {
			if got[k] != want[k] {
				t.Errorf("%s: line %d, want %d", k, got[k], want[k])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(got)) {
			if _, ok := want[k]; !ok {
				t.Errorf("%s recorded at line %d", k, got[k])
			}
		}
	}
	// A key not written is at its nearest written ancestor's line.
	if l := got.Line("calibration.bounds.phase_factor.senior"); l != 23 {
		t.Errorf("an unwritten key: line %d", l)
	}
	if l := got.Line("calibration.params[9]"); l != 12 {
		t.Errorf("an unwritten element: line %d", l)
	}
	// CRLF line ends count the same.
	if l := ScanLines(strings.ReplaceAll(src, "\n", "\r\n")).Line("calibration.bounds.util_size.senior"); l != 28 {
		t.Errorf("CRLF: line %d", l)
	}
}

// A sweep file: an array of tables, lists and inline tables over lines,
// a multi-line string.
func TestScanLinesSweep(t *testing.T) {
	src := "# c\n[sweep]\nname = \"x\" # n\n\n[[parameter]]\npath = \"a\"\nvalues = [\n 1,\n 2, # two\n]\nrange = { min = 1,\n max = 2 }\n[[parameter]]\n\"path\" = 'b'\n[metrics]\nm = \"\"\"x\ny\"\"\"\nn = 'z'\n"
	kl := ScanLines(src)
	want := map[string]int{"sweep": 2, "sweep.name": 3, "parameter[1]": 5, "parameter[1].path": 6, "parameter[1].values": 7,
		"parameter[1].values[1]": 8, "parameter[1].values[2]": 9, "parameter[1].range.max": 12, "parameter[2].path": 14,
		"metrics.m": 16, "metrics.n": 18}
	for k, l := range want {
		if kl[k] != l {
			t.Errorf("%s on line %d, want %d", k, kl[k], l)
		}
	}
	if kl.Line("parameter[2].values") != 13 {
		t.Errorf("a missing key should give its parent's line")
	}
}
