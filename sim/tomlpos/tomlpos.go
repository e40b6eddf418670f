// Package tomlpos locates TOML syntax errors for the messages of every file
// Settle reads (scenarios, sweeps, targets).
package tomlpos

import (
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
