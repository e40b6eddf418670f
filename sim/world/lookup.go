package world

import (
	"fmt"
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

	// Unknown: suggest the nearest code or name (or name part).
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
	msg := fmt.Sprintf("unknown region %q in world %s", codeOrName, w.Name)
	if best := suggest(s, cands); best != "" {
		return -1, fmt.Errorf("%s; did you mean %s?", msg, meant(best, &w.Regions[owner[best]]))
	}
	if best := params.Suggest(fold(s), foldAll(cands)); best != "" {
		for _, c := range cands {
			if fold(c) == best {
				return -1, fmt.Errorf("%s; did you mean %s?", msg, meant(c, &w.Regions[owner[c]]))
			}
		}
	}
	return -1, fmt.Errorf("%s; give a region code or name from the world's regions file", msg)
}

// suggest returns the candidate the user most likely meant by s, or "": the
// only candidate that starts with s (case-insensitively, so "norway" finds
// "norway-2024" and "popul" finds "population"), else params.Suggest's
// nearest by edit distance.
func suggest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	prefix := ""
	for _, c := range candidates {
		if ls != "" && strings.HasPrefix(strings.ToLower(c), ls) {
			if prefix != "" && prefix != c {
				prefix = ""
				break
			}
			prefix = c
		}
	}
	if prefix != "" {
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
	return strings.NewReplacer("aa", "a", "oe", "o").Replace(b.String())
}

func foldAll(s []string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = fold(s[i])
	}
	return out
}

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
	if c == r.Code {
		return fmt.Sprintf("%q (%s)", c, r.Name)
	}
	return fmt.Sprintf("%q (%s)", c, r.Code)
}
