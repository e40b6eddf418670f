package world

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/settle-sim/settle/sim/tomlpos"
	"golang.org/x/text/unicode/norm"
)

// table is a parsed CSV file with a header row: the cells of each data row
// and the line on which it starts, for error messages.
type table struct {
	file  string
	col   map[string]int // lower-case column name → position
	rows  [][]string
	lines []int
	bad   cellErrors // the rows with a wrong number of values, left out of rows
}

// tableSpec says what a CSV file of a world holds, for readTable.
type tableSpec struct {
	required, optional []string
	what               string // one data row in messages ("region", "travel time")
	example            string // a valid header, for the fix
	// decimals and wholes are the columns of decimal and of whole numbers:
	// a decimal comma (or a thousands separator) without quotes splits such
	// a value in two, and the row has a value more than the header.
	decimals, wholes []string
	// synonyms maps names users give a column (lower case) to the column
	// meant: "origin" is from, "time" minutes, which no edit distance finds.
	synonyms map[string]string
	// isData, when set, says why a first line whose cells are no column
	// names is a data row ("F01 and F02 are regions of this world"), or "".
	isData func(cells []string) string
}

// readTable parses a CSV file whose first line names the columns. Column
// names are matched case-insensitively, in any order; every name in
// spec.required must be present and every other name must be in
// spec.optional. Lines starting with '#' are comments. Empty columns at the
// right end, as Excel leaves after the data (a header from,to,minutes,, and
// rows F01,F02,30,,), are dropped as long as no row has a value in them.
// Rows with a wrong number of values are left out of the table's rows and
// their problems kept in t.bad, which a caller reports with those of the
// other rows' values (the table's problems start from t.bad).
func readTable(file string, data []byte, spec tableSpec) (*table, error) {
	required, optional, what, example := spec.required, spec.optional, spec.what, spec.example
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark, as Excel writes
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty; the first line must name the columns, e.g. %s", file, example)
	}
	if err := checkEncoding(file, data); err != nil {
		return nil, err
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
		return nil, csvError(file, data, err)
	}
	headerLine, _ := r.FieldPos(0)
	// Excel saves the empty columns right of the data that a cell was ever
	// typed in or formatted (from,to,minutes,,): they are no columns.
	named := len(header)
	for named > 0 && strings.TrimSpace(header[named-1]) == "" {
		named--
	}
	t := &table{file: file, col: make(map[string]int, named)}
	known := make(map[string]bool)
	for _, c := range required {
		known[c] = true
	}
	for _, c := range optional {
		known[c] = true
	}
	all := append(append([]string(nil), required...), optional...)
	var unknown []string
	names := make([]string, named)
	for i, h := range header[:named] {
		names[i] = strings.ToLower(strings.TrimSpace(h))
		if !known[names[i]] {
			unknown = append(unknown, names[i])
		}
	}
	// A file without its header: the first data row is read as one (and
	// every value of it is an unknown column).
	if len(unknown) > 0 {
		if why := dataRow(header[:named], spec); why != "" {
			fix := "add a line above it that names the columns in the order of its values, e.g. " + example
			if len(required) == named && len(optional) == 0 {
				fix = "add the header " + example + " above it as the first line"
			}
			return nil, fmt.Errorf("%s:%d: the first line, %s, is a %s, not the header that names the columns: %s; %s",
				file, headerLine, shorten(strings.Join(header[:named], ","), 60), what, why, fix)
		}
	}
	for i, name := range names {
		if name == "" {
			return nil, fmt.Errorf("%s:%d: column %d has no name; name every column in the header, e.g. %s", file, headerLine, i+1, example)
		}
		if _, dup := t.col[name]; dup {
			return nil, fmt.Errorf("%s:%d: column %s appears twice in the header; keep one", file, headerLine, name)
		}
		t.col[name] = i
	}
	if len(unknown) > 0 {
		return nil, unknownColumns(file, headerLine, names, unknown, spec, all)
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

	// Every row with a wrong number of values is reported, not only the
	// first: a decimal comma is usually on every row (MaxCellErrors).
	var bad cellErrors
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, data, err)
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue // an empty row, as spreadsheets leave below the data (",,,,")
		}
		if len(rec) > named && len(rec) <= len(header) && blank(rec[named:]) {
			rec = rec[:named] // the empty columns at the end
		}
		if len(rec) != named {
			bad.add(countError(file, line, rec, names, len(header), headerLine, spec))
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if len(t.rows) == 0 {
		if err := bad.err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s: no %s lines after the header; add one line per %s", file, what, what)
	}
	// The rows of a wrong length go to the caller's checks of the other
	// rows' values, so that one short row does not hide their problems.
	t.bad = bad
	return t, nil
}

// checkEncoding refuses a file that is not UTF-8 text, saying what it
// probably is (the detection the scenario files have, tomlpos.CheckUTF8):
// UTF-16, what Excel's "Unicode Text" and Windows Notepad's "Unicode" write
// and which has a NUL byte in every other place, is not called binary.
func checkEncoding(file string, data []byte) error {
	const save = `save it from the spreadsheet as "CSV UTF-8 (Comma delimited)", or in your editor's Save as with the encoding UTF-8`
	nul := bytes.IndexByte(data, 0)
	if nul < 0 && utf8.Valid(data) {
		return nil
	}
	// Line endings do not matter here (the CSV reader takes them all):
	// drop the carriage returns, which CheckUTF8 would report first.
	e := tomlpos.CheckUTF8(bytes.ReplaceAll(data, []byte("\r"), nil))
	switch {
	case e != nil && e.UTF16:
		return fmt.Errorf("%s: the file is UTF-16 text (Excel's \"Unicode Text\", Windows Notepad's \"Unicode\"), not UTF-8; %s", file, save)
	case nul >= 0:
		return fmt.Errorf("%s:%d: the file contains binary data (a NUL byte), so it is not a CSV text file; export it from the spreadsheet as CSV (UTF-8)", file, lineOf(data, nul))
	}
	i := 0
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	what := ""
	if e != nil && e.Char != "" {
		what = fmt.Sprintf(": the byte 0x%02X is %q in %s, which the file was probably saved in", e.Byte, e.Char, e.Charset)
	}
	return fmt.Errorf("%s:%d: the file is not UTF-8 text%s; %s", file, lineOf(data, i), what, save)
}

// dataRow says why the cells of a header with unknown columns are a data
// row, or returns "": two of them are numbers (a column name never is), or
// spec.isData says so.
func dataRow(cells []string, spec tableSpec) string {
	var nums []string
	for _, c := range cells {
		c = strings.TrimSpace(c)
		// A header with a column of its own named 2023 names known
		// columns too: it is a header (with unknown columns).
		if l := strings.ToLower(c); slices.Contains(spec.required, l) || slices.Contains(spec.optional, l) {
			return ""
		}
		if v, err := strconv.ParseFloat(c, 64); (err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)) || thousands.MatchString(c) {
			nums = append(nums, c)
		}
	}
	if spec.isData != nil {
		if why := spec.isData(cells); why != "" {
			return why
		}
	}
	if len(nums) >= 2 {
		if len(nums) > 3 {
			nums = append(nums[:3], "…")
		}
		return strings.Join(nums, ", ") + " are numbers, which no column is named"
	}
	return ""
}

// unknownColumns is the error of a header with unknown columns: the
// columns there are, the one meant for each unknown one (a synonym, or the
// nearest name) and, when every one has such, the header to write.
func unknownColumns(file string, line int, names, unknown []string, spec tableSpec, all []string) error {
	worldOnly := func(c string) bool { return c == "lat" || c == "lon" || c == "minutes" || c == "from" || c == "to" }
	if len(names) > 0 && names[0] == "year" && slices.ContainsFunc(spec.required, func(c string) bool { return !slices.Contains(names, c) }) &&
		!slices.ContainsFunc(names, worldOnly) {
		// A run's regions.csv, flows.csv …, given as a world's file (a
		// scenario copied into a run's folder names world = "regions.csv"):
		// every table of a run starts with year, and none has a world
		// file's columns (lat and lon, or from, to and minutes); one of
		// the user's with a misspelt column gets its suggestion.
		kind := spec.what
		if k, ok := map[string]string{"region": "regions", "travel time": "travel-time"}[kind]; ok {
			kind = k
		}
		return fmt.Errorf("%s:%d: this is a table of a run's results (columns %s …), not the %s CSV of a world; give the world's own file: a run's folder keeps the files of a user world it read in world/ (world/regions.csv, world/travel_times.csv)",
			file, line, strings.Join(names[:min(len(names), 5)], ", "), kind)
	}
	meant := func(u string) string {
		if s, ok := spec.synonyms[u]; ok {
			return s
		}
		return suggest(u, all)
	}
	var hint, extra []string
	for _, u := range unknown {
		if s := meant(u); s != "" {
			hint = append(hint, fmt.Sprintf("%q for %q", s, u))
		} else {
			extra = append(extra, u)
		}
	}
	msg := fmt.Sprintf("%s:%d: unknown column(s) %s; the columns are %s (required)",
		file, line, quoteList(unknown), strings.Join(spec.required, ", "))
	if len(spec.optional) > 0 {
		msg += " and " + strings.Join(spec.optional, ", ") + " (optional)"
	}
	if len(hint) > 0 {
		msg += "; did you mean " + strings.Join(hint, ", ") + "?"
	}
	if len(extra) > 0 {
		// A column of the user's own (a comment, a source): settle reads
		// no other columns, and refuses them so that a misspelt one is
		// not ignored.
		msg += fmt.Sprintf("; settle reads no other columns: delete %s (keep notes in another file, or in lines starting with #)", quoteList(extra))
	}
	if len(hint) == len(unknown) {
		// The header with every unknown name replaced, if that is a
		// valid one: no column twice, the required ones all there.
		fixed := make([]string, len(names))
		seen := map[string]bool{}
		ok := true
		for i, n := range names {
			fixed[i] = n
			if !slices.Contains(all, n) {
				fixed[i] = meant(n)
			}
			ok = ok && !seen[fixed[i]]
			seen[fixed[i]] = true
		}
		for _, c := range spec.required {
			ok = ok && seen[c]
		}
		if ok {
			msg += " Write the header as " + strings.Join(fixed, ",")
		}
	}
	return errors.New(msg)
}

// countError is the error of a row with another number of values than the
// header names: a value in an empty column right of the named ones, or a
// decimal comma or thousands separator without quotes that split a number
// in two (found by joining neighbouring values), named with its column.
func countError(file string, line int, rec, names []string, width, headerLine int, spec tableSpec) error {
	// The row without the empty cells at its end: "30,5," under
	// from,to,minutes,, is a split 30,5, not a value in column 4. The
	// whole row is tried first: its last empty cell may be an empty
	// last column ("70,5,38200," under …,area_km2,population,study_places).
	values := rec
	for len(values) > len(names) && strings.TrimSpace(values[len(values)-1]) == "" {
		values = values[:len(values)-1]
	}
	if len(rec) > len(names) {
		for _, r := range [][]string{rec, values} {
			if len(r) <= len(names) {
				continue
			}
			if fix := splitNumbers(r, names, spec); fix != "" {
				return fmt.Errorf("%s:%d: %d values but the header names %d columns: %s", file, line, len(r), len(names), fix)
			}
		}
		if len(rec) <= width {
			for i := len(names); i < len(rec); i++ {
				if v := strings.TrimSpace(rec[i]); v != "" {
					return fmt.Errorf("%s:%d: column %d has the value %q but no name in the header on line %d; name the column in the header, or delete the value",
						file, line, i+1, v, headerLine)
				}
			}
		}
	}
	if len(values) == len(names) {
		// Empty cells beyond the header, which a spreadsheet writes when
		// another row once had more. They may also be a value split by a
		// comma in a row whose last column is empty, which no check can
		// tell apart: refused, not read shifted.
		return fmt.Errorf("%s:%d: %d cells but the header names %d columns, and the %d beyond it are empty; delete the commas at the end of the line (or end the header with as many), and check that no value of the line holds a comma without quotes",
			file, line, len(rec), len(names), len(rec)-len(names))
	}
	return fmt.Errorf("%s:%d: %d values but the header names %d columns; give one value per column (quote values that contain commas)",
		file, line, len(rec), len(names))
}

var (
	digits    = regexp.MustCompile(`^[+-]?\d+$`)
	fraction  = regexp.MustCompile(`^\d+$`)
	threeDigs = regexp.MustCompile(`^\d{3}$`)
)

// splitNumbers explains a row with more values than columns by numbers that
// a comma without quotes split: a decimal comma in a column of decimal
// numbers (60,4 read as 60 and 4), a thousands separator in one of whole
// numbers (130,997). It returns the fix naming the column and the number,
// or "" when no such joining gives the header's number of values.
func splitNumbers(rec, names []string, spec tableSpec) string {
	type join struct {
		col  int    // the column
		text string // the number as written, with its commas
		fix  string // as it must be written
	}
	// A way of joining must leave every other number a number.
	fits := func(col, v string) bool {
		switch {
		case v == "":
			return true
		case slices.Contains(spec.wholes, col):
			_, err := strconv.Atoi(v)
			return err == nil
		case slices.Contains(spec.decimals, col):
			_, err := strconv.ParseFloat(v, 64)
			return err == nil
		}
		return true
	}
	var found [][]join // the ways of joining, at most a few
	var walk func(c, v int, acc []join)
	walk = func(c, v int, acc []join) {
		if len(found) > 3 {
			return
		}
		if c == len(names) {
			if v == len(rec) {
				found = append(found, slices.Clone(acc))
			}
			return
		}
		if len(rec)-v < len(names)-c || v-c > len(rec)-len(names) { // too few values left, or too many joined
			return
		}
		first := strings.TrimSpace(rec[v])
		if fits(names[c], first) {
			walk(c+1, v+1, acc) // the column takes one value
		}
		switch {
		case slices.Contains(spec.decimals, names[c]) && v+1 < len(rec) && digits.MatchString(first) && fraction.MatchString(strings.TrimSpace(rec[v+1])):
			next := strings.TrimSpace(rec[v+1])
			walk(c+1, v+2, append(acc, join{c, first + "," + next, first + "." + next}))
		case slices.Contains(spec.wholes, names[c]) && digits.MatchString(first) && len(strings.TrimLeft(first, "+-")) <= 3:
			text, plain := first, first
			for w := v + 1; w < len(rec) && threeDigs.MatchString(strings.TrimSpace(rec[w])); w++ {
				text += "," + strings.TrimSpace(rec[w])
				plain += strings.TrimSpace(rec[w])
				walk(c+1, w+1, append(acc, join{c, text, plain}))
			}
		}
	}
	walk(0, 0, nil)
	if len(found) == 0 || len(found[0]) == 0 {
		return ""
	}
	describe := func(j join) string {
		sep := "a decimal comma"
		fix := "write it with a decimal point, " + j.fix
		if slices.Contains(spec.wholes, names[j.col]) {
			sep, fix = "a thousands separator", "write it without the separator, "+j.fix
		}
		return fmt.Sprintf("the %s value %s has %s and no quotes, so the comma splits it in two; %s", names[j.col], j.text, sep, fix)
	}
	if len(found) == 1 {
		var parts []string
		for _, j := range found[0] {
			parts = append(parts, describe(j))
		}
		msg := strings.Join(parts, "; ")
		if j := found[0][0]; slices.Contains(spec.decimals, names[j.col]) {
			msg += fmt.Sprintf(" (in quotes, \"%s\" is no number either: Settle reads decimal points)", j.text)
		}
		return msg
	}
	// Several ways: name them all (60,4 in lat or 4,5 in lon).
	var ways []string
	for _, f := range found {
		var parts []string
		for _, j := range f {
			parts = append(parts, fmt.Sprintf("%s %s", names[j.col], j.text))
		}
		ways = append(ways, strings.Join(parts, " and "))
	}
	return fmt.Sprintf("a comma without quotes splits a number in two, %s; write numbers with a decimal point and without thousands separators", strings.Join(ways, ", or "))
}

// shorten returns s, or its first n characters and "…".
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
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

// charAt is the character (1-based) of line (1-based) of data that the
// byte position col (1-based, encoding/csv's Column) falls in: ø and the
// like take two bytes.
func charAt(data []byte, line, col int) int {
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	if line < 1 || line > len(lines) {
		return col
	}
	l := lines[line-1]
	return utf8.RuneCount(l[:min(max(col-1, 0), len(l))]) + 1
}

// csvError turns an encoding/csv error into one that names the file and line.
func csvError(file string, data []byte, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		fix := "check the quotes on this line: a value with commas or quotes must be wrapped in double quotes, and a quote inside it doubled (\"\")"
		// Column is a byte position in the line, not a column of the
		// table; the decoder's words are Go's.
		what := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			what = "a quote inside a value that does not start with one"
		case errors.Is(pe.Err, csv.ErrQuote):
			what = "a quoted value that does not end with its closing quote, or text after it"
		}
		return fmt.Errorf("%s:%d: malformed CSV at character %d of the line: %s; %s", file, pe.Line, charAt(data, pe.Line, pe.Column), what, fix)
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
