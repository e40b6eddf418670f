package world

import (
	"errors"
	"strings"
	"testing"
)

// TestCounty: a county by name (any case) or code; an unknown one is a
// CountyError with what became of a former county, or the nearest name.
func TestCounty(t *testing.T) {
	w, err := Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Nordland", "nordland", "18"} {
		rs, got, err := w.County(name)
		if err != nil || got != "Nordland" || len(rs) != 41 {
			t.Errorf("County(%q) = %d regions, %q, %v; want Nordland's 41", name, len(rs), got, err)
		}
	}
	// Diacritics may be left out, as in region names.
	for _, name := range []string{"Trondelag", "More og Romsdal", "ostfold"} {
		if _, got, err := w.County(name); err != nil || fold(got) != fold(name) {
			t.Errorf("County(%q) = %q, %v", name, got, err)
		}
	}
	for name, want := range map[string]string{
		"Hedmark": `unknown county "Hedmark" in world norway-2024; Hedmark was merged with Oppland into Innlandet in 2020: give Innlandet (all of it: it includes the former Oppland)`,
		"Nordlnd": `did you mean "Nordland"?`,
		"Xyzzy":   "use a county name or code: 03, 11,",
	} {
		_, _, err := w.County(name)
		var ce *CountyError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
			t.Errorf("County(%q): %v, want a CountyError containing %q", name, err, want)
		}
	}
}
