package sweep

import (
	"fmt"
	"strings"
)

// keyLines maps the path of every key of a sweep file to the line (from 1)
// where it is written: sweep.design, parameter[2].values, the n-th element
// of an array as parameter[2].values[n], metrics.central. (The TOML
// decoder keeps no positions for the values it returns; sim/scenario has
// its own, fuller scanner for scenario files, but does not export it.)
type keyLines map[string]int

// line returns the line of path, or of its nearest written ancestor, or 1.
// A path written as an array of tables ([[parameters]], recorded as
// parameters[1], parameters[2] …) is on the line of its first entry.
func (kl keyLines) line(path string) int {
	for path != "" {
		if l, ok := kl[path]; ok {
			return l
		}
		if l, ok := kl[path+"[1]"]; ok {
			return l
		}
		if i := strings.LastIndexAny(path, ".["); i > 0 {
			path = path[:i]
		} else {
			break
		}
	}
	return 1
}

// scanLines scans src, valid TOML (the decoder accepted it first), for
// table headers, keys and the elements of arrays. It handles what a sweep
// file holds: [table] and [[array]] headers, bare or quoted keys, strings,
// numbers, arrays and inline tables. On anything stranger it records less,
// never panics and never loops.
func scanLines(src string) keyLines {
	kl := keyLines{}
	arrays := map[string]int{}
	table := ""
	line := 1
	i := 0
	eol := func() { // skip to the end of the line (a comment)
		for i < len(src) && src[i] != '\n' {
			i++
		}
	}
	blank := func(newlines bool) {
		for i < len(src) {
			switch c := src[i]; {
			case c == ' ' || c == '\t' || c == '\r':
				i++
			case c == '#':
				eol()
			case c == '\n' && newlines:
				line++
				i++
			default:
				return
			}
		}
	}
	key := func() string { // a possibly dotted, possibly quoted key
		var segs []string
		for i < len(src) {
			blank(false)
			start := i
			if i < len(src) && (src[i] == '"' || src[i] == '\'') {
				q := src[i]
				i++
				for i < len(src) && src[i] != q && src[i] != '\n' {
					if q == '"' && src[i] == '\\' {
						i++
					}
					i++
				}
				i = min(i+1, len(src))
				segs = append(segs, strings.Trim(src[start:i], `"'`))
			} else {
				for i < len(src) && !strings.ContainsRune(" \t\r\n.=[]#", rune(src[i])) {
					i++
				}
				if i == start {
					break
				}
				segs = append(segs, src[start:i])
			}
			blank(false)
			if i >= len(src) || src[i] != '.' {
				break
			}
			i++
		}
		return strings.Join(segs, ".")
	}
	var value func(path string)
	value = func(path string) {
		if i >= len(src) {
			return
		}
		switch {
		case strings.HasPrefix(src[i:], `"""`) || strings.HasPrefix(src[i:], `'''`):
			q := src[i : i+3]
			i += 3
			for i < len(src) && !strings.HasPrefix(src[i:], q) {
				if src[i] == '\n' {
					line++
				}
				i++
			}
			i = min(i+3, len(src))
		case src[i] == '"' || src[i] == '\'':
			q := src[i]
			i++
			for i < len(src) && src[i] != q && src[i] != '\n' {
				if q == '"' && src[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i+1, len(src))
		case src[i] == '[':
			i++
			for n := 1; ; n++ {
				blank(true)
				if i >= len(src) || src[i] == ']' {
					break
				}
				el := fmt.Sprintf("%s[%d]", path, n)
				if _, ok := kl[el]; !ok {
					kl[el] = line
				}
				start := i
				value(el)
				blank(true)
				if i < len(src) && src[i] == ',' {
					i++
				} else if i == start {
					return
				}
			}
			i = min(i+1, len(src))
		case src[i] == '{':
			i++
			for {
				blank(true)
				if i >= len(src) || src[i] == '}' {
					break
				}
				start := i
				sub := path + "." + key()
				if _, ok := kl[sub]; !ok {
					kl[sub] = line
				}
				blank(false)
				if i < len(src) && src[i] == '=' {
					i++
					blank(false)
					value(sub)
				}
				blank(true)
				if i < len(src) && src[i] == ',' {
					i++
				} else if i == start {
					return
				}
			}
			i = min(i+1, len(src))
		default:
			for i < len(src) && !strings.ContainsRune(",]}#\n", rune(src[i])) {
				i++
			}
		}
	}
	for {
		blank(true)
		if i >= len(src) {
			return kl
		}
		start := i
		if src[i] == '[' {
			double := strings.HasPrefix(src[i:], "[[")
			i++
			if double {
				i++
			}
			name := key()
			if double {
				arrays[name]++
				table = fmt.Sprintf("%s[%d]", name, arrays[name])
			} else {
				table = name
			}
			if _, ok := kl[table]; !ok {
				kl[table] = line
			}
			eol()
		} else {
			path := key()
			if table != "" {
				path = table + "." + path
			}
			if _, ok := kl[path]; !ok {
				kl[path] = line
			}
			blank(false)
			if i < len(src) && src[i] == '=' {
				i++
				blank(false)
				value(path)
			}
		}
		if i == start {
			return kl
		}
	}
}
