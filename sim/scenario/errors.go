package scenario

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/settle-sim/settle/sim/tomlpos"
)

// Error is one problem in a scenario file: FILE:LINE: KEY: what is wrong;
// how to fix it (tomlpos.Error). Every TOML file of Settle reports its
// problems so.
type Error = tomlpos.Error

// Errors is every problem found in a scenario file, sorted by line.
type Errors = tomlpos.Errors

// keyLines are the lines of a scenario's keys (tomlpos.Lines).
type keyLines tomlpos.Lines

// scanKeyLines scans src for the lines of its keys (tomlpos.ScanLines).
func scanKeyLines(src string) keyLines { return keyLines(tomlpos.ScanLines(src)) }

// line returns the line of path, or of its nearest written ancestor, or
// the line of a key the file does not write (newProblems: 1), as a
// problem with path is reported.
func (kl keyLines) line(path string) int { return newProblems("", kl).Line(path) }

// problems collects the errors of one scenario file.
type problems = tomlpos.Problems

// newProblems returns the collector of file's problems: a key with no
// line is on line 1, and [[intervention]] entries keep their numbers.
func newProblems(file string, lines keyLines) *problems {
	return &problems{File: file, Lines: tomlpos.Lines(lines), NoLine: 1, Tables: []string{"intervention"}}
}

// displayKey shows path as problems do: regions[3] as regions (the line
// says which element), intervention[2] as itself.
func displayKey(path string) string { return newProblems("", nil).Show(path) }

// SyntaxError turns the TOML decoder's error about file, whose bytes are
// data, into an Error with the line, the key, the fix of the commonest
// mistakes (a bare word, a decimal comma, a % sign, a missing quote or
// bracket: syntaxFix) and the line with a caret under the fault. Only
// syntax errors (toml.ParseError) carry a position. The other TOML files
// of Settle (sweeps, calibrations, targets) report their syntax errors
// with it too.
func SyntaxError(file string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: file, Line: 1, Key: "toml", Msg: err.Error() + "; fix the TOML syntax"}
	}
	line, col := tomlpos.Of(pe, data)
	lines := strings.Split(string(data), "\n")
	text := "" // the line of the error
	if line >= 1 && line <= len(lines) {
		text = strings.TrimRight(lines[line-1], "\r")
	}
	key := pe.LastKey
	if strings.HasPrefix(pe.Message, "expected a top-level item to end") {
		// The decoder names the table only (scenario for scale = 0,05):
		// the key is the line's.
		if k, _, ok := lineKey(text); ok {
			key = tomlpos.Join(key, k)
		}
	}
	if key == "" {
		key = "toml"
	}
	// The decoder does not number the entries of an array of tables.
	key = tomlpos.Numbered(data, line, key)
	msg := "invalid TOML: " + strings.TrimSuffix(pe.Message, ".") + "; " + syntaxFix(pe, text, key)
	if strings.Contains(pe.Message, "out of range for int64") {
		// Valid syntax, a number beyond what TOML integers hold.
		msg = strings.TrimSuffix(pe.Message, ".") + " (TOML's whole numbers end at 9,223,372,036,854,775,807); write a number in the key's range (scenarios/README.md lists them)"
	}
	if line >= 1 && line <= len(lines) {
		text := strings.TrimRight(lines[line-1], "\r")
		// The decoder counts bytes; the caret goes under characters (ø is two bytes).
		if col >= 1 && col-1 <= len(text) {
			n := max(pe.Position.Len, 1)
			if end := col - 1 + n; end <= len(text) {
				n = utf8.RuneCountInString(text[col-1 : end])
			}
			col = utf8.RuneCountInString(text[:col-1]) + 1
			msg += excerpt(line, text, col, n)
		} else {
			msg += excerpt(line, text, 0, 0)
		}
	}
	if pe.Usage != "" {
		msg += "\n\t" + strings.ReplaceAll(strings.TrimSpace(pe.Usage), "\n", "\n\t")
	}
	return &Error{File: file, Line: line, Key: key, Msg: msg}
}

// excerpt shows line number line, text, under a tab, with a caret of n
// characters under its column col (from 1; none for col 0). A caret may
// point just after the end of the line, when the line break is what was
// unexpected.
func excerpt(line int, text string, col, n int) string {
	text = strings.ReplaceAll(text, "\t", " ")
	s := fmt.Sprintf("\n\t%5d | %s", line, text)
	n = min(max(n, 1), utf8.RuneCountInString(text)+1-(col-1))
	if col >= 1 && n >= 1 {
		s += fmt.Sprintf("\n\t        %s%s", strings.Repeat(" ", col-1), strings.Repeat("^", n))
	}
	return s
}

// encodingError reports a file that is not UTF-8 at the key on the line
// of its first such byte (or "toml" when that is a comment), with the line
// as it was meant (its bytes read in the encoding guessed).
func encodingError(file string, data []byte, e *tomlpos.EncodingError) error {
	key := "toml"
	if e.Binary {
		return &Error{File: file, Line: 1, Key: key, Msg: fmt.Sprintf(
			"%s is not a text file (it looks binary); give a TOML scenario file, text of key = value lines such as scenarios/baseline.toml", filepath.Base(file))}
	}
	if e.Charset != "" { // bytes that are not UTF-8: at their key
		best := ""
		for path, l := range scanKeyLines(string(data)) {
			for !utf8.ValidString(path) { // a key with the byte itself: its table
				path = tomlpos.Parent(path)
			}
			if l == e.Line && (len(path) > len(best) || len(path) == len(best) && path < best) {
				best = path
			}
		}
		if best != "" {
			key = best
		}
	}
	msg := e.Error()
	if e.Text != "" {
		msg += excerpt(e.Line, e.Text, e.Col, 1)
	}
	return &Error{File: file, Line: e.Line, Key: displayKey(key), Msg: msg}
}

// syntaxFix says how to fix the commonest mistakes, on line text of the
// key at path. A fix that rewrites the line is given only when the
// rewrite is TOML (syntaxfix.go).
func syntaxFix(pe toml.ParseError, text, path string) string {
	m := pe.Message
	switch {
	case strings.Contains(m, "has already been defined"):
		return "each key may be set once in a table; remove one of them"
	case strings.Contains(m, "cannot contain newlines"):
		return `close the text with " on the same line`
	case strings.HasPrefix(m, "expected value but found '\\n'"), strings.HasPrefix(m, "expected value but found '\\r'"):
		return "give a value after ="
	case strings.HasPrefix(m, "expected value but found"):
		if fix := quoteFix(path, text); fix != "" {
			return fix
		}
		return "put text in quotes"
	case strings.Contains(m, "cannot have leading zeroes"):
		// regions = [0301]: a code, which keeps its zeros in quotes.
		if slices.Contains(codeKeys, lastKey(path)) {
			if fix := quoteFix(path, text); fix != "" {
				return strings.Replace(fix, "put text in quotes", "put codes in quotes (they keep their leading zeros)", 1)
			}
		}
		return "write the number without its leading zeros, or put a code in quotes"
	case strings.HasPrefix(m, "expected a top-level item to end"):
		if k, v, ok := lineKey(text); ok {
			if fix := numberFix(path, k, v, false); fix != "" {
				return fix
			}
			if w := trailingWords.FindStringSubmatch(v); w != nil {
				return fmt.Sprintf("a comment starts with #: write %s = %s  # %s", k, w[1], w[2])
			}
			// samples = 24, (a list's habit): the value without the comma.
			if w, ok := strings.CutSuffix(v, ","); ok && validValue(strings.TrimSpace(w)) {
				return fmt.Sprintf("remove the comma at the end: %s = %s (TOML separates keys by lines, not commas)", k, strings.TrimSpace(w))
			}
		}
	case inlineFix(text) != "":
		return inlineFix(text)
	case strings.Contains(m, "table array name"):
		return "close the name with ]], e.g. [[intervention]]"
	case strings.Contains(m, "table name"):
		return "close the table name with ], e.g. [scenario]"
	}
	return "fix the syntax of this line (text in quotes, lists in [ ], one key = value a line)"
}
