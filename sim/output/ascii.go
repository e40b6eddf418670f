package output

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ASCIIName writes s, a county's or region's name or code, in the
// characters of a metric name: letters a–z and A–Z, digits and _. As in
// a sweep's name (docs/sweeps.md), æ, ø and å are written ae, o and a;
// other Latin letters lose their accents (é → e, á → a, č → c, ö → o),
// and the letters that have none to lose are written as they are spelt
// without (đ → d, ŋ → n, ß → ss): ASCIILetters. Every run of other
// characters is one _, with none at either end: "Øst Land" is Ost_Land,
// "Finnmark - Finnmárku - Finmarkku" Finnmark_Finnmarku_Finmarkku. It
// returns "" when nothing is left (a name in another script).
//
// It was sim/sweep's safeSuffix, for metric names; the charts of a
// comparison name their files with the same letters (sim/report), so that
// a region or scenario is spelt alike in every file name Settle writes.
func ASCIIName(s string) string {
	var b strings.Builder
	gap := false
	for _, c := range ASCIILetters(s) {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(c)
			gap = false
		} else {
			gap = true
		}
	}
	return b.String()
}

// ASCIILetters returns s with its Latin letters written in ASCII as
// ASCIIName writes them (Bærum → Baerum, Tromsø → Tromso, Kárášjohka →
// Karasjohka, Đ → D) and every other character as it is (accents
// dropped).
func ASCIILetters(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) { // an accent, decomposed
			continue
		}
		if t, ok := plainLetters[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainLetters are the Latin letters that do not decompose into a letter
// and accents, as written without them (the lower-case ones as the
// world's region lookup folds them).
var plainLetters = map[rune]string{
	'æ': "ae", 'Æ': "Ae", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "Oe",
	'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th",
	'ŋ': "n", 'Ŋ': "N", 'ŧ': "t", 'Ŧ': "T", 'ǥ': "g", 'Ǥ': "G",
	'ʒ': "z", 'Ʒ': "Z", 'ł': "l", 'Ł': "L", 'ß': "ss", 'ı': "i",
}
