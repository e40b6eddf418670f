package world

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/settle-sim/settle/sim/params"
	"golang.org/x/text/unicode/norm"
)

// Lookup returns the index of the region whose code or name is codeOrName.
// Codes and names match case-insensitively; names also match ignoring
// diacritics ("Tromso" finds Tromsø, "Baerum" Bærum) and by any part of a
// multilingual name ("Kautokeino" finds "Guovdageaidnu - Kautokeino"). A
// name shared by several regions (Norway has two Herøy and two Våler) is an
// error listing their codes. An unknown region is an error with a
// did-you-mean suggestion. Names typed decomposed (a + combining ring, as
// macOS may write them) match their composed form. Cost O(n).
func (w *World) Lookup(codeOrName string) (int, error) {
	s := norm.NFC.String(strings.TrimSpace(codeOrName)) // as the world's files are read
	if s == "" {
		return -1, fmt.Errorf("empty region name in world %s; give a region code or name", w.Name)
	}
	for i := range w.Regions {
		if strings.EqualFold(w.Regions[i].Code, s) {
			return i, nil
		}
	}
	// Names: exact (case-insensitive), then folded, then by part.
	for _, match := range []func(r *Region) bool{
		func(r *Region) bool { return strings.EqualFold(r.Name, s) },
		func(r *Region) bool { return fold(r.Name) == fold(s) },
		func(r *Region) bool {
			for _, p := range nameParts(r.Name) {
				if fold(p) == fold(s) {
					return true
				}
			}
			return false
		},
	} {
		var found []int
		for i := range w.Regions {
			if match(&w.Regions[i]) {
				found = append(found, i)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		default:
			var alt []string
			for _, i := range found {
				r := &w.Regions[i]
				a := r.Code
				if r.County != "" {
					a += " (" + r.Name + ", " + r.County + ")"
				} else {
					a += " (" + r.Name + ")"
				}
				alt = append(alt, a)
			}
			return -1, fmt.Errorf("region name %q is shared by several regions in world %s: %s; use the code",
				codeOrName, w.Name, strings.Join(alt, " or "))
		}
	}

	msg := fmt.Sprintf("unknown region %q in world %s", codeOrName, w.Name)
	// A town that is no municipality but one's administrative centre
	// (Mosjøen is Vefsn's): that municipality.
	if hint := w.adminCentre(s); hint != "" {
		return -1, fmt.Errorf("%s; %s", msg, hint)
	}
	// A county where a region goes (regions = ["Finnmark"]): the county's
	// regions are selected as a county.
	if c, k := w.countyNamed(s); k > 0 {
		return -1, fmt.Errorf("%s; %s is a county (%d regions), not a region: select its regions as a county (county = %q in a scenario, instead of regions; county=%s in a sweep metric; --county %q in settle explain)", msg, c, k, c, c, c)
	}
	// Else the nearest code or name (or name part), if it is near.
	var cands []string
	owner := make(map[string]int)
	add := func(c string, i int) {
		if _, ok := owner[c]; !ok {
			owner[c] = i
			cands = append(cands, c)
		}
	}
	for i := range w.Regions {
		r := &w.Regions[i]
		add(r.Code, i)
		add(r.Name, i)
		for _, p := range nameParts(r.Name) {
			add(p, i)
		}
	}
	if best := SuggestPlace(s, cands); best != "" {
		return -1, fmt.Errorf("%s; did you mean %s?", msg, meant(best, &w.Regions[owner[best]]))
	}
	if w.Name == "norway-2024" {
		// Tysfjord, Ballangen …: no list of former names to say where they went.
		return -1, fmt.Errorf("%s; give a region code or name from the world's regions file (norway-2024 has the municipalities of 1 January 2024: one merged into another before that goes by the name of the municipality it became part of)", msg)
	}
	return -1, fmt.Errorf("%s; give a region code or name from the world's regions file", msg)
}

// adminCentre says which municipality s is the administrative centre of,
// when s is no region's name but some region's admin_centre ("Mosjøen is
// the administrative centre of Vefsn: give "Vefsn" (1824)"), or "": a
// scenario's name or a --region flag, so "give".
func (w *World) adminCentre(s string) string {
	var found []*Region
	for i := range w.Regions {
		r := &w.Regions[i]
		if r.AdminCentre != "" && fold(r.AdminCentre) == fold(s) {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return ""
	}
	// What to write: the name, or the code when the name is shared (Herøy).
	write := func(r *Region) string {
		for i := range w.Regions {
			if o := &w.Regions[i]; o != r && strings.EqualFold(o.Name, r.Name) {
				return fmt.Sprintf("%q (%s, %s)", r.Code, r.Name, r.County)
			}
		}
		return fmt.Sprintf("%q (%s)", r.Name, r.Code)
	}
	of := make([]string, len(found))
	writes := make([]string, len(found))
	for i, r := range found {
		of[i], writes[i] = r.Name, write(r)
	}
	return fmt.Sprintf("%s is the administrative centre of %s: give %s", found[0].AdminCentre, strings.Join(of, " and of "), strings.Join(writes, " or "))
}

// SuggestPlace returns the place name (or code) among candidates that s
// most likely misspells, or "" when none is near enough to be worth
// suggesting: the only candidate that starts with s, else the nearest by
// edit distance (a swap of two letters counting one) ignoring case and
// diacritics (fold), if that distance is small for the name's length L:
// one edit up to 7 letters, two from 8 and three from 12, and one edit
// fewer when the first letters differ in names of 8 letters or more (a name
// seldom goes wrong in its first letter, and Norway's names share their
// endings: Tysfjord is three edits from Balsfjord and Ballangen two from
// Salangen, and neither is meant). Names of 4 to 7 letters keep their one
// edit ("Voss" for "Boss"); names of up to 3 letters need their first
// letter right.
func SuggestPlace(s string, candidates []string) string {
	if best := uniquePrefix(s, candidates); best != "" {
		return best
	}
	fs := []rune(fold(s))
	if len(fs) == 0 {
		return ""
	}
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		// Ties go to the alphabetically first, deterministically.
		if d := editDistance(fs, []rune(fold(c))); d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	fb := []rune(fold(best))
	if best == "" || len(fb) == 0 || bestD > allowedEdits(max(len(fs), len(fb)), fs[0] == fb[0]) {
		return ""
	}
	return best
}

// allowedEdits is the edit distance at which a name of n letters is still
// taken for a misspelling (see SuggestPlace).
func allowedEdits(n int, sameFirst bool) int {
	a := 1
	switch {
	case n >= 12:
		a = 3
	case n >= 8:
		a = 2
	}
	if !sameFirst && (n <= 3 || n >= 8) {
		a--
	}
	return a
}

// uniquePrefix returns the only candidate that starts with s (ignoring
// case), or "": "norway" finds "norway-2024", "Nærøy" "Nærøysund".
func uniquePrefix(s string, candidates []string) string {
	ls := strings.ToLower(s)
	prefix := ""
	for _, c := range candidates {
		if ls != "" && strings.HasPrefix(strings.ToLower(c), ls) {
			if prefix != "" && prefix != c {
				return ""
			}
			prefix = c
		}
	}
	return prefix
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours count one.
func editDistance(a, b []rune) int { return params.EditDistance(a, b, true) }

// suggest returns the candidate the user most likely meant by s, or "": the
// only candidate that starts with s (case-insensitively, so "norway" finds
// "norway-2024" and "popul" finds "population"), else params.Suggest's
// nearest by edit distance. For the names of worlds and columns; place
// names have SuggestPlace.
func suggest(s string, candidates []string) string {
	if prefix := uniquePrefix(s, candidates); prefix != "" {
		return prefix
	}
	return params.Suggest(s, candidates)
}

// nameParts splits a multilingual name such as "Trondheim - Tråante".
func nameParts(name string) []string {
	if !strings.Contains(name, " - ") {
		return nil
	}
	parts := strings.Split(name, " - ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// fold lower-cases s and replaces the letters of Norwegian, Sámi and other
// Latin alphabets by their base letters (æ → ae, ø → o, å → a, á → a, č → c …).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	// The old and keyboard spellings of å and ø: Aas is Ås, Tromsoe
	// Tromsø (æ is already ae, as in Baerum).
	return oldSpellings.Replace(b.String())
}

var oldSpellings = strings.NewReplacer("aa", "a", "oe", "o")

// foldTable maps lower-case letters with diacritics to plain letters.
var foldTable = map[rune]string{
	'æ': "ae", 'ø': "o", 'å': "a", 'ä': "a", 'ö': "o", 'ü': "u",
	'á': "a", 'à': "a", 'â': "a", 'ã': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o",
	'ú': "u", 'ù': "u", 'û': "u",
	'ý': "y", 'ñ': "n", 'ç': "c",
	'č': "c", 'đ': "d", 'ŋ': "n", 'š': "s", 'ŧ': "t", 'ž': "z", 'ǯ': "z", 'ǥ': "g", 'ǩ': "k", 'ʒ': "z",
}

// meant is the suggestion c (a code, name or name part of region r) with
// what it leaves unsaid: "Stavanger" (1103), or "T09" (Kvernes).
func meant(c string, r *Region) string {
	// The county too, so that a guess far from what was meant shows it
	// ("Helgeland": "Hjelmeland" (1133, Rogaland)).
	where := ""
	if r.County != "" && r.County != r.Name {
		where = ", " + r.County
	}
	if c == r.Code {
		return fmt.Sprintf("%q (%s%s)", c, r.Name, where)
	}
	return fmt.Sprintf("%q (%s%s)", c, r.Code, where)
}

// countyNamed returns the county s names (World.County: its name in any
// case, or its code) as the world writes it, and its number of regions; 0
// when s is no county of the world.
func (w *World) countyNamed(s string) (name string, regions int) {
	rs, name, err := w.County(s)
	if err != nil {
		return "", 0
	}
	return name, len(rs)
}

// CountyChange is what became of a Norwegian county that no longer
// exists: merged into one county, or split into several.
type CountyChange struct {
	Former     string   // "Hedmark"
	Year       int      // the year of the change (from 1 January)
	Successors []string // the counties it became part of, or was split into
	Note       string   // a part that went elsewhere, or ""
	// MergedWith are the other former counties merged into its successor
	// (Oppland for Hedmark): the successor is larger than it was.
	MergedWith []string
}

// formerCounties are Norway's counties merged in 2018 and 2020 by the
// regional reform, and those split again in 2024. Jevnaker and Lunner left
// Oppland for Viken in 2020.
var formerCounties = []struct {
	CountyChange
	aliases []string
}{
	{CountyChange{"Nord-Trøndelag", 2018, []string{"Trøndelag"}, "", nil}, nil},
	{CountyChange{"Sør-Trøndelag", 2018, []string{"Trøndelag"}, "", nil}, nil},
	{CountyChange{"Hedmark", 2020, []string{"Innlandet"}, "", nil}, nil},
	{CountyChange{"Oppland", 2020, []string{"Innlandet"}, "Jevnaker and Lunner went to Viken, and are in Akershus since 2024", nil}, nil},
	{CountyChange{"Hordaland", 2020, []string{"Vestland"}, "", nil}, nil},
	{CountyChange{"Sogn og Fjordane", 2020, []string{"Vestland"}, "", nil}, nil},
	{CountyChange{"Aust-Agder", 2020, []string{"Agder"}, "", nil}, nil},
	{CountyChange{"Vest-Agder", 2020, []string{"Agder"}, "", nil}, nil},
	{CountyChange{"Viken", 2024, []string{"Østfold", "Akershus", "Buskerud"}, "", nil}, nil},
	{CountyChange{"Vestfold og Telemark", 2024, []string{"Vestfold", "Telemark"}, "", nil}, []string{"Vestfold-Telemark"}},
	{CountyChange{"Troms og Finnmark", 2024, []string{"Troms", "Finnmark"}, "", nil}, []string{"Troms-Finnmark", "Romsa ja Finnmárku"}},
}

// FormerCounty returns what became of name when it is a former Norwegian
// county (matched ignoring case, diacritics, spaces and hyphens: "Sor
// Trondelag" is Sør-Trøndelag) and every county it became part of is a
// county of w, as in norway-2024; ok is false otherwise.
func (w *World) FormerCounty(name string) (c CountyChange, ok bool) {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '_' {
				return -1
			}
			return r
		}, fold(norm.NFC.String(strings.TrimSpace(s))))
	}
	k := key(name)
	for _, f := range formerCounties {
		if key(f.Former) != k && !slices.ContainsFunc(f.aliases, func(a string) bool { return key(a) == k }) {
			continue
		}
		for _, s := range f.Successors {
			if !slices.ContainsFunc(w.Regions, func(r Region) bool { return strings.EqualFold(r.County, s) }) {
				return CountyChange{}, false
			}
		}
		c := f.CountyChange
		if len(c.Successors) == 1 {
			for _, o := range formerCounties {
				if o.Former != c.Former && len(o.Successors) == 1 && o.Successors[0] == c.Successors[0] && o.Year == c.Year {
					c.MergedWith = append(c.MergedWith, o.Former)
				}
			}
		}
		return c, true
	}
	return CountyChange{}, false
}

// String says what happened: "Hedmark was merged into Innlandet in 2020"
// or "Viken was split into Østfold, Akershus and Buskerud in 2024", with
// the note in parentheses.
func (c CountyChange) String() string {
	var s string
	if len(c.Successors) == 1 {
		with := ""
		if len(c.MergedWith) > 0 {
			with = " with " + strings.Join(c.MergedWith, " and ")
		}
		s = fmt.Sprintf("%s was merged%s into %s in %d", c.Former, with, c.Successors[0], c.Year)
	} else {
		s = fmt.Sprintf("%s was split into %s and %s in %d", c.Former, strings.Join(c.Successors[:len(c.Successors)-1], ", "), c.Successors[len(c.Successors)-1], c.Year)
	}
	if c.Note != "" {
		s += " (" + c.Note + ")"
	}
	return s
}
