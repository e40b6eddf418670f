package world

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// table is a parsed CSV file with a header row: the cells of each data row
// and the line on which it starts, for error messages.
type table struct {
	file  string
	col   map[string]int // lower-case column name → position
	rows  [][]string
	lines []int
}

// readTable parses a CSV file whose first line names the columns. Column
// names are matched case-insensitively, in any order; every name in
// required must be present and every other name must be in optional. Lines
// starting with '#' are comments. what names one data row in messages
// ("region", "travel time"); example is a valid header for the fix.
func readTable(file string, data []byte, required, optional []string, what, example string) (*table, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark, as Excel writes
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty; the first line must name the columns, e.g. %s", file, example)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s:%d: the file contains binary data (a NUL byte), so it is not a CSV text file; export it from the spreadsheet as CSV (UTF-8)", file, lineOf(data, i))
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return nil, fmt.Errorf("%s:%d: the file is not UTF-8 text; save it as CSV with UTF-8 encoding", file, lineOf(data, i))
	}
	// Names typed on a Mac may be decomposed (å as a + a combining ring):
	// compose them, so that they match names in scenarios and other files.
	if !norm.NFC.IsNormal(data) {
		data = norm.NFC.Bytes(data)
	}
	// Old Mac spreadsheets end lines with a carriage return alone.
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	// Another separator than the comma, seen in the header before the CSV
	// reader trips over the quotes of such a file.
	if first := firstLine(data); !strings.Contains(first, ",") {
		switch {
		case strings.Contains(first, ";"):
			return nil, fmt.Errorf("%s:%d: the columns are separated by semicolons; Settle reads comma-separated values with a decimal point: export the file as \"CSV (comma delimited)\" or replace the semicolons, e.g. %s", file, lineOf(data, strings.Index(string(data), first)), example)
		case strings.Contains(first, "\t"):
			return nil, fmt.Errorf("%s:%d: the columns are separated by tabs; Settle reads comma-separated values: export the file as \"CSV (comma delimited)\" or replace the tabs with commas, e.g. %s", file, lineOf(data, strings.Index(string(data), first)), example)
		}
	}

	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1 // counted below, with a better message
	r.TrimLeadingSpace = true

	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the file has only comments; the first line must name the columns, e.g. %s", file, example)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	headerLine, _ := r.FieldPos(0)
	t := &table{file: file, col: make(map[string]int, len(header))}
	known := make(map[string]bool)
	for _, c := range required {
		known[c] = true
	}
	for _, c := range optional {
		known[c] = true
	}
	all := append(append([]string(nil), required...), optional...)
	var unknown []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			return nil, fmt.Errorf("%s:%d: column %d has no name; name every column in the header, e.g. %s", file, headerLine, i+1, example)
		}
		if _, dup := t.col[name]; dup {
			return nil, fmt.Errorf("%s:%d: column %s appears twice in the header; keep one", file, headerLine, name)
		}
		t.col[name] = i
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		var hint []string
		for _, u := range unknown {
			if s := suggest(u, all); s != "" {
				hint = append(hint, fmt.Sprintf("%q for %q", s, u))
			}
		}
		msg := fmt.Sprintf("%s:%d: unknown column(s) %s; the columns are %s (required)",
			file, headerLine, quoteList(unknown), strings.Join(required, ", "))
		if len(optional) > 0 {
			msg += " and " + strings.Join(optional, ", ") + " (optional)"
		}
		if len(hint) > 0 {
			msg += "; did you mean " + strings.Join(hint, ", ") + "?"
		}
		return nil, errors.New(msg)
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:%d: missing required column(s) %s; the header must name at least %s",
			file, headerLine, strings.Join(missing, ", "), strings.Join(required, ","))
	}

	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue // an empty row, as spreadsheets leave below the data (",,,,")
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d values but the header names %d columns; give one value per column (quote values that contain commas)",
				file, line, len(rec), len(header))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if len(t.rows) == 0 {
		return nil, fmt.Errorf("%s: no %s lines after the header; add one line per %s", file, what, what)
	}
	return t, nil
}

// firstLine returns the first line of data that is neither empty nor a
// comment: the header.
func firstLine(data []byte) string {
	for line := range strings.Lines(string(data)) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return t
		}
	}
	return ""
}

// blank reports whether every value of a record is empty.
func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// thousands matches a whole number written with thousands separators
// (130,997 or 130 997 or 130.997 or with a no-break space).
var thousands = regexp.MustCompile(`^\d{1,3}([,. \x{a0}\x{202f}]\d{3})+$`)

// has reports whether the table has the column.
func (t *table) has(name string) bool { _, ok := t.col[name]; return ok }

// cell returns row k's value in the named column, "" if the column is absent.
func (t *table) cell(k int, name string) string {
	i, ok := t.col[name]
	if !ok {
		return ""
	}
	return t.rows[k][i]
}

// errf formats an error located at row k of the table, in column name.
func (t *table) errf(k int, name, format string, args ...any) error {
	return fmt.Errorf("%s:%d: column %s: %s", t.file, t.lines[k], name, fmt.Sprintf(format, args...))
}

// whole parses a whole number ≥ 0 in column name of row k; fix says what to write.
func (t *table) whole(k int, name, fix string) (int, error) {
	s := t.cell(k, name)
	if s == "" {
		return 0, t.errf(k, name, "is empty; %s", fix)
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		if thousands.MatchString(s) {
			plain := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, s)
			return 0, t.errf(k, name, "%q has a thousands separator; write the number without it (%s)", s, plain)
		}
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && !math.IsNaN(f) {
			if f < 0 {
				return 0, t.errf(k, name, "%s is negative; %s", s, fix)
			}
			if math.Abs(f) < 1e15 {
				return 0, t.errf(k, name, "%q is not a whole number; %s", s, fix)
			}
			return 0, t.errf(k, name, "%s is too large; %s", s, fix)
		}
		return 0, t.errf(k, name, "%q is not a whole number; %s", s, fix)
	}
	if v < 0 {
		return 0, t.errf(k, name, "%s is negative; %s", s, fix)
	}
	return v, nil
}

// number parses a finite decimal number in [lo, hi] in column name of row k.
func (t *table) number(k int, name string, lo, hi float64, fix string) (float64, error) {
	s := t.cell(k, name)
	if s == "" {
		return 0, t.errf(k, name, "is empty; %s", fix)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if strings.Count(s, ",") == 1 {
			if _, err2 := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err2 == nil {
				return 0, t.errf(k, name, "%q is not a number; use a decimal point, not a comma (%s)", s, strings.Replace(s, ",", ".", 1))
			}
		}
		return 0, t.errf(k, name, "%q is not a number; %s", s, fix)
	}
	if v < lo || v > hi {
		return 0, t.errf(k, name, "%s is out of range [%s, %s]; %s", s,
			strconv.FormatFloat(lo, 'f', -1, 64), strconv.FormatFloat(hi, 'f', -1, 64), fix)
	}
	return v, nil
}

// csvError turns an encoding/csv error into one that names the file and line.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		fix := "check the quotes on this line: a value with commas or quotes must be wrapped in double quotes, and a quote inside it doubled (\"\")"
		return fmt.Errorf("%s:%d: malformed CSV at column %d (%v); %s", file, pe.Line, pe.Column, pe.Err, fix)
	}
	return fmt.Errorf("%s: %w", file, err)
}

// lineOf returns the 1-based line number of byte offset i in data.
func lineOf(data []byte, i int) int {
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}
