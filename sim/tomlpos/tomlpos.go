// Package tomlpos gives the problems of every TOML file Settle reads
// (scenarios, sweeps, calibrations, targets) their lines: where a syntax
// error is (Of, Numbered), the line of every key (ScanLines), and one
// collector of a file's problems (Problems), so that all four report
// FILE:LINE: KEY: what is wrong; the fix, by the same rules.
package tomlpos

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Of returns the line and column (from 1) of a syntax error, from its byte
// offset: the decoder's Position.Line counts the line break when the break
// itself is what was unexpected ("[scenario" on line 1 is reported on line
// 2), but Position.Start is the offending byte's offset.
func Of(pe toml.ParseError, data []byte) (line, col int) {
	start := pe.Position.Start
	if start < 0 || start > len(data) || (start == 0 && pe.Position.Line > 1) {
		return pe.Position.Line, pe.Position.Col
	}
	before := string(data[:start])
	line = 1 + strings.Count(before, "\n")
	col = start - (strings.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// Numbered returns key (a decoder's dotted key, "parameter.values", or
// the table's own name, "parameter") with the element number of the array
// of tables it is in, when its first part names one in data
// ("parameter[2].values": the second [[parameter]] header at or before
// line); otherwise key unchanged. The decoder's own keys have no element
// numbers. The headers are found by the key scanner (ScanLines), so that a
// header inside a multi-line string does not count and a quoted one
// ([["parameter"]]) does.
func Numbered(data []byte, line int, key string) string {
	head, rest, dotted := strings.Cut(key, ".")
	lines := ScanLines(string(data))
	n := 0
	for k := 1; ; k++ {
		l, ok := lines[fmt.Sprintf("%s[%d]", head, k)]
		if !ok || l > line {
			break
		}
		n = k
	}
	switch {
	case n == 0:
		return key
	case !dotted:
		return fmt.Sprintf("%s[%d]", head, n)
	}
	return fmt.Sprintf("%s[%d].%s", head, n, rest)
}
