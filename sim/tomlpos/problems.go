package tomlpos

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Error is one problem in a TOML file of Settle. Its text has the form
//
//	FILE:LINE: KEY: what is wrong; how to fix it
//
// where KEY is the key's path: scenario.years, behaviour.move_scale,
// intervention[2].regions (the second [[intervention]] entry). A problem
// with no line of the file (Line 0: a value given beside the file, KEY a
// flag such as --scale, or a file built by hand) reads FILE: KEY: ….
type Error struct {
	File string
	Line int
	Key  string
	Msg  string // what is wrong; how to fix it (may continue on indented lines)
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
}

// Errors is every problem found in a file, sorted by line. Its text is one
// Error a line.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Problems collects the problems of one file, each at the line that writes
// its key. Scenarios, sweeps and calibrations differ only in the options.
type Problems struct {
	File  string
	Lines Lines
	// NoLine is the line of a key that neither the file nor any of its
	// ancestors writes: 1 (the file's start) for a file read from disk;
	// a file built by hand (nil Lines) may want 0, no line.
	NoLine int
	// Tables are the arrays of tables ("intervention", "parameter") whose
	// entry numbers a shown key keeps (intervention[2]: the line alone does
	// not say which entry a problem of the whole entry is about). The
	// element numbers of other lists are dropped (regions[3] is shown as
	// regions; the line says which).
	Tables []string
	Errs   Errors
}

// Add records a problem with key, a full path ("calibration.params[2]":
// the line of the list's second element), at the line where the file
// writes it or its nearest written ancestor.
func (p *Problems) Add(key, format string, args ...any) {
	p.AddAt(p.Line(key), key, format, args...)
}

// AddAt records a problem with key at line.
func (p *Problems) AddAt(line int, key, format string, args ...any) {
	p.Errs = append(p.Errs, &Error{File: p.File, Line: line, Key: p.Show(key), Msg: fmt.Sprintf(format, args...)})
}

// Line is the line of key, as Add gives it.
func (p *Problems) Line(key string) int {
	if l := p.Lines.Line(key); l > 0 {
		return l
	}
	return p.NoLine
}

// Show returns key as a message shows it: without the element numbers of a
// list at its end, but with those of the arrays of tables in Tables.
func (p *Problems) Show(key string) string {
	for strings.HasSuffix(key, "]") {
		i := strings.LastIndexByte(key, '[')
		if i <= 0 {
			break
		}
		table := key[:i]
		if j := strings.LastIndexByte(table, '.'); j >= 0 {
			table = table[j+1:]
		}
		if slices.Contains(p.Tables, table) {
			break
		}
		key = key[:i]
	}
	return key
}

// Err returns the problems sorted by line (stably: those of one line in
// the order found), or nil.
func (p *Problems) Err() error {
	if len(p.Errs) == 0 {
		return nil
	}
	sort.SliceStable(p.Errs, func(i, j int) bool { return p.Errs[i].Line < p.Errs[j].Line })
	return p.Errs
}
