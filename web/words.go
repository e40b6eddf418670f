package web

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/settle-sim/settle/sim/intervention"
)

// The scenario checks (sim/scenario, sim/intervention) speak TOML, as
// settle run and settle validate need: "from_year = 2020 is before the
// start year 2024", "add regions = [...]". The page has no TOML, only its
// form, so the server says the same in the form's words: the field labels
// the page shows (From year, minutes saved), values without "key =".

// scenarioLabels and interventionLabels are the form's labels of the
// scenario's keys and of an intervention's own keys; an intervention's
// parameters are labelled by their key's words (minutes_saved: minutes
// saved), as the form labels them.
var (
	scenarioLabels = map[string]string{
		"name": "Name", "world": "World", "years": "Years", "seed": "Seed", "scale": "Scale",
		"start_year": "Start year", "description": "Description",
	}
	interventionLabels = map[string]string{
		"kind": "Kind", "name": "Name", "regions": "Regions", "county": "County", "centrality": "Centrality",
		"from_year": "From year", "to_year": "To year", "phase_in_years": "Phase-in years",
	}
	// paramLabels: every parameter of the catalogue, by key.
	paramLabels = func() map[string]string {
		m := map[string]string{}
		for _, k := range intervention.Kinds {
			for _, p := range k.Params {
				m[p.Key] = paramWords(p.Key)
			}
		}
		return m
	}()
)

// paramWords is a parameter's label in the form: its key with spaces.
func paramWords(key string) string { return strings.ReplaceAll(key, "_", " ") }

// kindWords is a kind's name in the form: "Region enlargement".
func kindWords(kind string) string {
	return upperFirst(strings.ReplaceAll(kind, "_", " "))
}

// tomlValue matches a value as the checks write it after "key = ": a
// quoted string, a list, or a bare word or number.
const tomlValueRE = `("[^"]*"|\[[^\]]*\]|[^\s,;)]+)`

var (
	// The hint of a missing target: add one in the card's Regions field.
	addRegionsRE = regexp.MustCompile(`; add regions = \[.*?\] \(codes or names\), centrality = \[5, 6\] or county = "…"`)
	// "(classroom.toml:12)": a line of the TOML the server wrote, which
	// the page never shows.
	fileLineRE = regexp.MustCompile(` \([^()\s]+\.toml:\d+\)`)
	atLineRE   = regexp.MustCompile(`the intervention at line (\d+)`)
	leaveOutRE = regexp.MustCompile(`leave ([A-Za-z][A-Za-z -]*?) out\b`)
)

// wordsFor returns a key's label: the scenario's, an intervention's own,
// or a parameter's.
func wordsFor(key string, inIntervention bool) (string, bool) {
	if inIntervention {
		if l, ok := interventionLabels[key]; ok {
			return l, true
		}
		if l, ok := paramLabels[key]; ok {
			return l, true
		}
		return "", false
	}
	l, ok := scenarioLabels[key]
	return l, ok
}

// formKeys is every key formWords rewrites, longest first (so that
// phase_in_years is not read as years).
var formKeys = func() []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]string{scenarioLabels, interventionLabels, paramLabels} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}()

var (
	keyAlt       = strings.Join(formKeys, "|")
	ownKeyRE     = regexp.MustCompile(`^(` + keyAlt + `) = ` + tomlValueRE + ` `)
	writeKeyRE   = regexp.MustCompile(`\b(write|use|write e\.g\.|use e\.g\.) (` + keyAlt + `) = ` + tomlValueRE)
	addKeyRE     = regexp.MustCompile(`\badd (` + keyAlt + `) = ` + tomlValueRE)
	tickKeyRE    = regexp.MustCompile(`(tick one(?: of them)?, e\.g\.) (` + keyAlt + `) = ` + tomlValueRE)
	keyValueRE   = regexp.MustCompile(`\b(` + keyAlt + `) = ` + tomlValueRE)
	underscoreRE = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)
)

// formWords rewrites a message of the scenario checks about the field key
// (a key path: scenario.years, intervention[2].from_year, intervention[1])
// in the form's words. ivOfLine names the intervention whose entry starts
// at a line of the TOML the server wrote (for "the intervention at line
// 14"); nil leaves such a line as it is.
func formWords(key, msg string, ivOfLine func(line int) string) string {
	inIV := strings.HasPrefix(key, "intervention")
	own := key[strings.LastIndexByte(key, '.')+1:]
	msg = addRegionsRE.ReplaceAllString(msg, ": add at least one under Regions (type a name and press Add)")
	msg = fileLineRE.ReplaceAllString(msg, "")
	if ivOfLine != nil {
		msg = atLineRE.ReplaceAllStringFunc(msg, func(s string) string {
			n, _ := strconv.Atoi(atLineRE.FindStringSubmatch(s)[1])
			if name := ivOfLine(n); name != "" {
				return name
			}
			return s
		})
	}
	// "from_year = 2020 is before …" about From year itself: "2020 is
	// before …" (the page puts the label in front).
	if m := ownKeyRE.FindStringSubmatchIndex(msg); m != nil && msg[m[2]:m[3]] == own {
		msg = msg[m[4]:]
	}
	label := func(k string) string {
		if l, ok := wordsFor(k, inIV); ok {
			return l
		}
		if l, ok := wordsFor(k, !inIV); ok {
			return l
		}
		return paramWords(k)
	}
	msg = writeKeyRE.ReplaceAllString(msg, "$1 $3")
	msg = addKeyRE.ReplaceAllStringFunc(msg, func(s string) string {
		m := addKeyRE.FindStringSubmatch(s)
		return fmt.Sprintf("set %s to %s", label(m[1]), m[2])
	})
	// Parameters that are alternatives are ticked in the form.
	msg = strings.Replace(msg, "; add one of them, e.g.", "; tick one of them, e.g.", 1)
	msg = strings.Replace(msg, "; add one, e.g.", "; tick one, e.g.", 1)
	msg = strings.Replace(msg, "not both; remove one of them", "not both; untick one of them", 1)
	msg = tickKeyRE.ReplaceAllStringFunc(msg, func(s string) string {
		m := tickKeyRE.FindStringSubmatch(s)
		return fmt.Sprintf("%s %s %s", m[1], label(m[2]), m[3])
	})
	msg = keyValueRE.ReplaceAllStringFunc(msg, func(s string) string {
		m := keyValueRE.FindStringSubmatch(s)
		if m[1] == own { // "e.g. phase_in_years = 3" about Phase-in years: "e.g. 3"
			return m[2]
		}
		return label(m[1]) + " " + m[2]
	})
	// Keys and kinds written with an underscore are TOML words
	// (travel_time_factor, region_enlargement); plain words (years, name)
	// are English too and stay.
	msg = underscoreRE.ReplaceAllStringFunc(msg, func(s string) string {
		if _, ok := intervention.Kinds[s]; ok {
			return kindWords(s)
		}
		for _, k := range formKeys {
			if k == s {
				return label(k)
			}
		}
		return s
	})
	msg = leaveOutRE.ReplaceAllString(msg, "leave $1 empty")
	return upperFirst(msg)
}

// upperFirst writes the first letter of s in upper case, whole (a name
// starting with Ø or Å is not cut in the middle of its bytes).
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// docWords is a catalogue text (a kind's or a parameter's doc) in the
// form's words: "give this or minutes_saved" reads "give this or minutes
// saved".
func docWords(doc string) string {
	return underscoreRE.ReplaceAllStringFunc(doc, func(s string) string {
		if _, ok := intervention.Kinds[s]; ok {
			return strings.ToLower(kindWords(s))
		}
		if l, ok := interventionLabels[s]; ok {
			return l
		}
		if _, ok := paramLabels[s]; ok {
			return paramWords(s)
		}
		return s
	})
}
