package tomlpos

import (
	"fmt"
	"strconv"
	"strings"
)

// Lines maps the path of every key, table and array element of a TOML
// document to the line (from 1) where it is first written. Paths join keys
// with dots; the n-th table of an array of tables and the n-th element of
// an array value are written path[n], counting from 1:
//
//	scenario.years
//	behaviour.util_jobs.early_career   (dotted key or inline table)
//	intervention[2].regions[3]
//	intervention                       (an array of tables: its first entry)
//
// The BurntSushi decoder keeps no positions for semantic errors (and none
// per element of an array of tables), hence this small scanner, which
// every TOML file of Settle uses (scenarios, sweeps, calibrations, targets).
type Lines map[string]int

// Line returns the line of path, or of its nearest written ancestor, or 0
// when none is written (or Lines is nil: a file built by hand).
func (kl Lines) Line(path string) int {
	for path != "" {
		if l, ok := kl[path]; ok {
			return l
		}
		path = Parent(path)
	}
	return 0
}

// Parent strips the last key or [n] index of path.
func Parent(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// Join adds the key seg to path.
func Join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "." + seg
}

// ScanLines scans src, which should be TOML the decoder accepted: on other
// input it returns what it found so far, and never panics or loops.
func ScanLines(src string) Lines {
	s := &keyScanner{src: src, line: 1, out: Lines{}, arrays: map[string]int{}}
	s.document()
	return s.out
}

type keyScanner struct {
	src    string
	i      int
	line   int
	out    Lines
	arrays map[string]int // array-of-tables path → tables so far
}

func (s *keyScanner) eof() bool { return s.i >= len(s.src) }

func (s *keyScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *keyScanner) has(prefix string) bool { return strings.HasPrefix(s.src[s.i:], prefix) }

func (s *keyScanner) advance() {
	if s.src[s.i] == '\n' {
		s.line++
	}
	s.i++
}

func (s *keyScanner) record(path string, line int) {
	if _, ok := s.out[path]; !ok {
		s.out[path] = line
	}
}

// skipBlank skips spaces and tabs, and with newlines also line breaks and comments.
func (s *keyScanner) skipBlank(newlines bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case newlines && c == '\n':
			s.advance()
		case newlines && c == '#':
			for !s.eof() && s.peek() != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *keyScanner) document() {
	table := ""
	for {
		s.skipBlank(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			table = s.header()
		} else {
			line := s.line
			path := s.key(table, line)
			s.skipBlank(false)
			if s.peek() == '=' {
				s.i++
				s.skipBlank(false)
				s.value(path)
			}
		}
		if s.i == start { // not valid TOML: give up rather than loop
			return
		}
	}
}

// header reads [a.b] or [[a.b]] and returns the table's path.
func (s *keyScanner) header() string {
	line := s.line
	double := s.has("[[")
	s.i++
	if double {
		s.i++
	}
	segs := s.keySegs()
	// Each prefix that names an array of tables means its latest table.
	path := ""
	for i, seg := range segs {
		path = Join(path, seg)
		if n, ok := s.arrays[path]; ok && !(double && i == len(segs)-1) {
			path = fmt.Sprintf("%s[%d]", path, n)
		}
		s.record(path, line)
	}
	if double {
		s.arrays[path]++
		path = fmt.Sprintf("%s[%d]", path, s.arrays[path])
		s.record(path, line)
	}
	for !s.eof() && s.peek() != '\n' && s.peek() != '#' {
		s.i++
	}
	return path
}

// key reads a (dotted) key at the start of a key/value pair under table and
// returns its full path, recording it and every prefix at line.
func (s *keyScanner) key(table string, line int) string {
	path := table
	for _, seg := range s.keySegs() {
		path = Join(path, seg)
		s.record(path, line)
	}
	return path
}

// keySegs reads a dotted key: bare, "basic" or 'literal' parts.
func (s *keyScanner) keySegs() []string {
	var segs []string
	for {
		s.skipBlank(false)
		switch s.peek() {
		case '"':
			start := s.i
			s.basicString()
			lit := s.src[start:s.i]
			if u, err := strconv.Unquote(lit); err == nil {
				segs = append(segs, u)
			} else {
				segs = append(segs, strings.Trim(lit, `"`))
			}
		case '\'':
			start := s.i
			s.literalString()
			segs = append(segs, strings.Trim(s.src[start:s.i], "'"))
		default:
			start := s.i
			for !s.eof() && !strings.ContainsRune(" \t\r\n.=[]#,{}\"'", rune(s.peek())) {
				s.i++
			}
			if s.i == start {
				return segs
			}
			segs = append(segs, s.src[start:s.i])
		}
		s.skipBlank(false)
		if s.peek() != '.' {
			return segs
		}
		s.i++
	}
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under path.
func (s *keyScanner) value(path string) {
	switch {
	case s.has(`"""`):
		s.i += 3
		for !s.eof() && !s.has(`"""`) {
			if s.peek() == '\\' {
				s.advance()
				if s.eof() {
					return
				}
			}
			s.advance()
		}
		s.i = min(s.i+3, len(s.src))
		for s.peek() == '"' { // up to two quotes may end the content
			s.i++
		}
	case s.has(`'''`):
		s.i += 3
		for !s.eof() && !s.has(`'''`) {
			s.advance()
		}
		s.i = min(s.i+3, len(s.src))
		for s.peek() == '\'' {
			s.i++
		}
	case s.peek() == '"':
		s.basicString()
	case s.peek() == '\'':
		s.literalString()
	case s.peek() == '[':
		s.i++
		for n := 1; ; n++ {
			s.skipBlank(true)
			if s.eof() || s.peek() == ']' {
				break
			}
			start := s.i
			el := fmt.Sprintf("%s[%d]", path, n)
			s.record(el, s.line)
			s.value(el)
			s.skipBlank(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == start {
				return
			}
		}
		if !s.eof() {
			s.i++
		}
	case s.peek() == '{':
		s.i++
		for {
			s.skipBlank(true) // TOML 1.1 allows newlines in inline tables
			if s.eof() || s.peek() == '}' {
				break
			}
			start := s.i
			sub := s.key(path, s.line)
			s.skipBlank(false)
			if s.peek() == '=' {
				s.i++
				s.skipBlank(false)
				s.value(sub)
			}
			s.skipBlank(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == start {
				return
			}
		}
		if !s.eof() {
			s.i++
		}
	default: // number, boolean or date
		for !s.eof() && !strings.ContainsRune(",]}#\n", rune(s.peek())) {
			s.i++
		}
	}
}

func (s *keyScanner) basicString() {
	s.i++ // opening quote
	for !s.eof() && s.peek() != '"' && s.peek() != '\n' {
		if s.peek() == '\\' {
			s.i++
			if s.eof() {
				return
			}
		}
		s.i++
	}
	if s.peek() == '"' {
		s.i++
	}
}

func (s *keyScanner) literalString() {
	s.i++
	for !s.eof() && s.peek() != '\'' && s.peek() != '\n' {
		s.i++
	}
	if s.peek() == '\'' {
		s.i++
	}
}

// LeadingKey returns the key written at the start of text when text is a
// key = value line, as a dotted path (a."b.c" is a.b.c), and the offset in
// text just after its =.
func LeadingKey(text string) (key string, valueAt int, ok bool) {
	s := &keyScanner{src: text, line: 1, out: Lines{}, arrays: map[string]int{}}
	segs := s.keySegs()
	s.skipBlank(false)
	if len(segs) == 0 || s.peek() != '=' {
		return "", 0, false
	}
	return strings.Join(segs, "."), s.i + 1, true
}
