package scenario

import (
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

func TestScanKeyLines(t *testing.T) {
	var doc map[string]any
	if _, err := toml.Decode(tricky, &doc); err != nil {
		t.Fatalf("the test document is not TOML: %v", err)
	}
	kl := scanKeyLines(tricky)
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
	if got := kl.line("intervention[2].missing"); got != 30 {
		t.Errorf("fallback to the entry: %d", got)
	}
	if got := kl.line("nothing"); got != 1 {
		t.Errorf("fallback to line 1: %d", got)
	}
}

func TestScanKeyLinesCRLF(t *testing.T) {
	kl := scanKeyLines(strings.ReplaceAll(tricky, "\n", "\r\n"))
	if kl["intervention[2].date"] != 32 || kl["behaviour.util_home.family"] != 16 {
		t.Errorf("CRLF: %v", kl)
	}
}

// The scanner never panics or loops, whatever it is given.
func FuzzScanKeyLines(f *testing.F) {
	f.Add(tricky)
	f.Add(`a = "unterminated`)
	f.Add("[[x")
	f.Add("a = [1, {b = ")
	f.Add(`"""`)
	f.Fuzz(func(t *testing.T, s string) {
		scanKeyLines(s)
	})
}

func TestScanKeyLinesPrefixes(t *testing.T) {
	// Every prefix of a valid document: the scanner must not panic or loop.
	for i := range tricky {
		scanKeyLines(tricky[:i])
	}
}
