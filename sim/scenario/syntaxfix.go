package scenario

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/tomlpos"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/params"
)

// The fixes of syntax errors: a fix is given only when it is right, that
// is when the line it suggests is TOML, and the value it gives is the
// one meant (regions = [Tynset, Tolga] is two names in quotes, not the
// text "[Tynset, Tolga]").

// lineKey returns the key written at the start of text when text is a
// key = value line, as a dotted path (a."b.c" is a.b.c), and the value
// after the = with its comment removed.
func lineKey(text string) (key, value string, ok bool) {
	key, at, ok := tomlpos.LeadingKey(text)
	if !ok {
		return "", "", false
	}
	return key, strings.TrimSpace(stripComment(text[at:])), true
}

// stripComment removes a # comment from text, a value or a part of one,
// where # is not in quotes.
func stripComment(text string) string {
	var quote rune
	escaped := false
	for i, r := range text {
		switch {
		case escaped:
			escaped = false
		case quote == '"' && r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#':
			return text[:i]
		}
	}
	return text
}

// Typographic quotes, which a word processor or a web page puts where
// TOML needs " (“teaching”, „Oslo“, «Bodø», ‘Tromsø’).
const (
	openQuotes  = "“„‘‚«‹"
	closeQuotes = "”“’‘»›"
)

// quoteText rewrites text, a value as written or a line of a list that
// spans lines, with every bare word put in quotes and typographic quotes
// made straight: teaching → "teaching", [Tynset, Tolga] → ["Tynset",
// "Tolga"], ["Tynset", Tolga] → ["Tynset", "Tolga"], “teaching” →
// "teaching"; Tynset, Tolga (a list without brackets) → ["Tynset",
// "Tolga"]. Numbers, true and false stay as they are unless codes is set
// (a list of region or county codes: [0301, Bergen] → ["0301",
// "Bergen"]). value says text is a whole value, not a line of a list. It
// reports whether the result is TOML, as a value or as the elements of a
// list; the caller gives no rewrite when it is not (an inline table, a
// list of lists).
func quoteText(text string, codes, value bool) (fixed string, straightened, ok bool) {
	var b strings.Builder
	rs := []rune(strings.TrimSpace(text))
	depth := 0    // brackets open on the line
	topComma := 0 // commas outside brackets
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '"' || r == '\'': // a TOML string: as it is
			j := i + 1
			for j < len(rs) && rs[j] != r {
				if r == '"' && rs[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(rs))
			b.WriteString(string(rs[i:j]))
			i = j
		case strings.ContainsRune(openQuotes+closeQuotes, r): // “text”
			j := i + 1
			for j < len(rs) && !strings.ContainsRune(closeQuotes, rs[j]) {
				j++
			}
			b.WriteString(strconv.Quote(strings.TrimSpace(string(rs[i+1 : j]))))
			straightened = true
			i = min(j+1, len(rs))
		case r == '{' || r == '}' || r == '=':
			return "", false, false // an inline table: no guess
		case r == '[':
			depth++
			if depth > 1 {
				return "", false, false // a list of lists
			}
			b.WriteRune(r)
			i++
		case r == ']':
			depth--
			b.WriteRune(r)
			i++
		case r == ',' || r == ' ' || r == '\t':
			if r == ',' && depth == 0 {
				topComma++
			}
			b.WriteRune(r)
			i++
		default: // a bare word, to the next delimiter; "Nord Fron" is one
			j := i
			for j < len(rs) && !strings.ContainsRune(`[]{},="'`+openQuotes+closeQuotes, rs[j]) {
				j++
			}
			word := strings.TrimRight(string(rs[i:j]), " \t")
			if bareValue(word) && !(codes && isDigits(word)) {
				b.WriteString(word)
			} else {
				b.WriteString(strconv.Quote(word))
			}
			b.WriteString(string(rs[i+len([]rune(word)) : j]))
			i = j
		}
	}
	fixed = b.String()
	if value && depth == 0 && topComma > 0 && !strings.HasPrefix(fixed, "[") {
		fixed = "[" + fixed + "]" // Tynset, Tolga: a list meant
	}
	// The line must read as a value (or the first line of a list that
	// spans lines), or as a line in the middle of such a list, or its last.
	tries := []string{fixed, fixed + "]"}
	if !value {
		tries = []string{"[" + fixed + "]", "[" + fixed}
	} else if !strings.HasPrefix(fixed, "[") {
		tries = tries[:1]
	}
	for _, try := range tries {
		if validValue(try) {
			return fixed, straightened, true
		}
	}
	return "", false, false
}

// bareValue reports whether word is a TOML value that needs no quotes: a
// number, true, false or a date.
func bareValue(word string) bool {
	v, ok := tomlValue(word)
	_, isText := v.(string)
	return ok && !isText
}

// validValue reports whether word is a TOML value (of any type).
func validValue(word string) bool {
	_, ok := tomlValue(word)
	return ok
}

// tomlValue decodes word as the value of a key, and reports whether it is
// one.
func tomlValue(word string) (any, bool) {
	var v map[string]any
	if _, err := toml.Decode("x = "+word, &v); err != nil {
		return nil, false
	}
	return v["x"], true
}
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// codeKeys are the keys whose values are codes or names, never numbers.
var codeKeys = []string{"regions", "county"}

// quoteFix is the fix of a bare word where a value goes, on line text of
// the key at path: the line with the words in quotes, or "" when there is
// no sure rewrite.
func quoteFix(path, text string) string {
	codes := slices.Contains(codeKeys, lastKey(path))
	how := "put text in quotes"
	if k, v, ok := lineKey(text); ok {
		fixed, straight, ok := quoteText(v, codes, true)
		if !ok {
			return ""
		}
		if straight {
			how = "use straight quotes"
		}
		return fmt.Sprintf("%s: %s = %s", how, k, fixed)
	}
	// A line of a list that spans lines.
	fixed, straight, ok := quoteText(stripComment(text), codes, false)
	if !ok {
		return ""
	}
	if straight {
		how = "use straight quotes"
	}
	return fmt.Sprintf("%s: write the line as %s", how, fixed)
}

// A number as people write it and TOML does not read: with a decimal
// comma (0,05), its digits grouped by spaces (10 000, also no-break and
// thin spaces) or by commas (1,000,000), or with a per cent sign (20 %,
// 20 prosent).
var (
	percentSuffix = regexp.MustCompile(`(?i)\s*(%|prosent|pst\.?|per ?cent)$`)
	writtenNumber = regexp.MustCompile(`^[+-]?\d+([ ,.]\d+)*$`) // a separator between digits
	spacedDigits  = regexp.MustCompile(`^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$`)
	commaGroups   = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+$`)
)

// wholeKeys are the keys that take whole numbers: of [scenario] and
// [[intervention]], and of the sweep and calibration files, whose syntax
// errors SyntaxError reports too.
var wholeKeys = []string{"years", "seed", "start_year", "from_year", "to_year", "phase_in_years",
	"samples", "replicates", "steps", "max_evals", "restarts", "patience", "seeds", "validate_seeds"}

// wholeKey reports whether the key at path takes whole numbers only (a
// year, a count), for the reading of 1,500 and 20 %.
func wholeKey(path string) bool {
	key := lastKey(path)
	if slices.Contains(wholeKeys, key) {
		return true
	}
	if name, ok := strings.CutPrefix(displayKey(path), "behaviour."); ok {
		info, ok := params.Lookup(name)
		return ok && info.Whole
	}
	for _, k := range intervention.Kinds { // a parameter of several kinds: a count in any
		for _, p := range k.Params {
			if p.Key == key && p.Kind == "integer" {
				return true
			}
		}
	}
	return false
}

// numberFix says how to write v, the value of the key at path, as a TOML
// number, when v is a number written as TOML does not ("0,05"): "write
// scale = 0.05: TOML uses a decimal point, not a comma". key is the key as
// the fix writes it; quoted says v was given in quotes. It returns ""
// when v is no such number.
func numberFix(path, key, v string, quoted bool) string {
	n, ok := readNumber(path, v)
	if !ok {
		return ""
	}
	nq := ""
	if quoted {
		nq = " without quotes"
	}
	if n.alt != "" {
		return fmt.Sprintf("write %s = %s%s if the comma is a decimal comma, or %s = %s if it separates thousands: %s", key, n.value, nq, key, n.alt, n.why)
	}
	return fmt.Sprintf("write %s = %s%s: %s", key, n.value, nq, n.why)
}

// ReadNumber reads text, a value of the key at path (a dotted scenario
// path, or a flag's name for a command line), when it is a number written
// as TOML and Go do not: 0,05 or 5 % (a share: 0.05) or 1 500. It returns
// the number meant and why text is not one, or ok false.
func ReadNumber(path, text string) (value, why string, ok bool) {
	n, ok := readNumber(path, text)
	return n.value, n.why, ok && n.alt == ""
}

// PercentHint is the fix of a share written as a percentage (scale = 5):
// "; for 5 % write 0.05", or "" when x is no such number.
func PercentHint(x float64) string {
	if !(x > 1 && x <= 100) {
		return ""
	}
	return fmt.Sprintf("; for %g %% write %s", x, shiftPoint(strconv.FormatFloat(x, 'f', -1, 64), -2))
}

// writtenNum is a number as written in a value, read.
type writtenNum struct {
	value string // the TOML number meant
	alt   string // a second reading (1,500: 1.5 or 1500), or ""
	why   string // why v is not TOML
}

// readNumber reads v, the value of the key at path, when it is a number
// written as TOML does not. A per cent is a fraction (20 % is 0.2), but
// for a key that takes whole numbers (years = 20 %) it is the number.
func readNumber(path, v string) (writtenNum, bool) {
	v = strings.TrimSpace(strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ").Replace(v))
	pct := false
	if loc := percentSuffix.FindStringIndex(v); loc != nil && loc[0] > 0 {
		pct, v = true, v[:loc[0]]
	}
	if !writtenNumber.MatchString(v) {
		return writtenNum{}, false
	}
	whole := wholeKey(path)
	var why []string
	if strings.Contains(v, " ") {
		if !spacedDigits.MatchString(v) && strings.Count(v, " ") > 1 {
			return writtenNum{}, false
		}
		v = strings.ReplaceAll(v, " ", "")
		why = append(why, "has no spaces in numbers")
	}
	alt := ""
	switch n := strings.Count(v, ","); {
	case n == 0:
	case strings.Contains(v, "."):
		return writtenNum{}, false // 1.000,5 or 1,000.5: too many readings
	case commaGroups.MatchString(v) && (n > 1 || whole):
		v = strings.ReplaceAll(v, ",", "")
		why = append(why, "has no thousands separators")
	case n > 1:
		return writtenNum{}, false
	case commaGroups.MatchString(v) && !strings.HasPrefix(strings.TrimLeft(v, "+-"), "0"):
		// 1,500: 1.5 with a decimal comma, or 1500 with a thousands
		// separator.
		alt = strings.ReplaceAll(v, ",", "")
		v = strings.Replace(v, ",", ".", 1)
		why = append(why, "uses a decimal point and has no thousands separators")
	default:
		v = strings.Replace(v, ",", ".", 1)
		why = append(why, "uses a decimal point, not a comma")
	}
	if pct {
		if whole {
			why = append(why, "has no per cent sign")
		} else {
			was := strings.TrimLeft(v, "+")
			v = shiftPoint(v, -2)
			if alt != "" {
				alt = shiftPoint(alt, -2)
			}
			why = append(why, fmt.Sprintf("has no per cent sign, so a share is written as a fraction (%s %% is %s)", was, strings.TrimLeft(v, "+")))
		}
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || len(why) == 0 {
		return writtenNum{}, false
	}
	text := "TOML " + strings.Join(why, ", and ")
	if v = shiftPoint(v, 0); whole && strings.Contains(v, ".") {
		// years = 1,5 is 1.5 years, which the key does not take: the
		// whole number nearest, said so (none for 0,4: 0 is no count
		// either, but it is a phase-in: the full effect at once).
		if math.Round(x) == 0 && lastKey(path) != "phase_in_years" {
			return writtenNum{}, false
		}
		r := strconv.FormatFloat(math.Round(x)+0, 'f', -1, 64) // +0: -0,4 rounds to 0, not -0
		text += fmt.Sprintf("; %s takes whole numbers (%s rounded)", lastKey(path), v)
		v = r
	}
	return writtenNum{value: v, alt: alt, why: text}, true
}

// shiftPoint moves the decimal point of the decimal number v (digits, at
// most one point, an optional sign) by n places (n < 0: to the left), as
// text, so that 14.3 % is 0.143 and not 0.14300000000000002.
func shiftPoint(v string, n int) string {
	sign := ""
	if strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+") {
		sign, v = v[:1], v[1:]
	}
	ip, fp, _ := strings.Cut(v, ".")
	digits := ip + fp
	point := len(ip) + n
	for point <= 0 {
		digits = "0" + digits
		point++
	}
	for point > len(digits) {
		digits += "0"
	}
	ip, fp = strings.TrimLeft(digits[:point], "0"), strings.TrimRight(digits[point:], "0")
	if ip == "" {
		ip = "0"
	}
	if fp == "" {
		return sign + ip
	}
	return sign + ip + "." + fp
}

// trailingWords is a number followed by words: years = 30 years.
var trailingWords = regexp.MustCompile(`^([+-]?[\d_.]+)\s+(\p{L}.*)$`)

// inlineComma is a number with a decimal comma in an inline table, where
// the comma ends the entry: util_home = { family = 2,5 }.
var inlineComma = regexp.MustCompile(`([\p{L}\w]+)\s*=\s*([+-]?\d+),(\d+)\s*(?:[,}]|$)`)

// inlineFix is the fix of a decimal comma in an inline table on line
// text, or "".
func inlineFix(text string) string {
	if !strings.Contains(text, "{") {
		return ""
	}
	m := inlineComma.FindStringSubmatch(stripComment(text))
	if m == nil {
		return ""
	}
	return fmt.Sprintf("write %s = %s.%s: TOML uses a decimal point, not a comma (a comma ends an entry of { })", m[1], m[2], m[3])
}
