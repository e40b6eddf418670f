package scenario

import (
	"strings"
	"testing"
)

// TestSyntaxErrorLine: a syntax error is reported on the line where it is,
// also when the unexpected character is the line break that ends it (the
// decoder's Position.Line then counts the next line), with the line shown
// and a caret at the error.
func TestSyntaxErrorLine(t *testing.T) {
	for _, c := range []struct {
		name  string
		src   string
		want  string // the error's first line starts with this
		shown string // the source line shown
		caret int    // the caret's column (from 1), 0 for none
	}{
		{"unclosed table name, line 1", "[scenario\nname = \"t\"\nworld = \"teaching\"\nyears = 2\n", "syn.toml:1: toml: invalid TOML: expected '.' or ']' to end table name", "    1 | [scenario", 10},
		{"unclosed table name, no newline", "[scenario", "syn.toml:1: toml:", "    1 | [scenario", 9}, // the decoder points at the last byte
		{"unclosed table name after a comment", "# c\n[scenario\n\nname = \"t\"\n", "syn.toml:2: toml:", "    2 | [scenario", 10},
		{"unclosed array of tables", head + "[[intervention]\nkind = \"broadband\"\n", "syn.toml:5: scenario: invalid TOML: expected end of table array name delimiter ']', but got '\\n' instead; close the name with ]]", "    5 | [[intervention]", 15},
		{"unclosed text", "[scenario]\nname = \"t\nworld = \"teaching\"\n", "syn.toml:2: scenario.name: invalid TOML: strings cannot contain newlines", "    2 | name = \"t", 10},
		{"no value", "[scenario]\nyears = \nname = \"t\"\n", "syn.toml:2: scenario.years: invalid TOML: expected value but found '\\n' instead; give a value after =", "    2 | years = ", 9},
		{"no value, CRLF", "[scenario]\r\nyears = \r\nname = \"t\"\r\n", "syn.toml:2: scenario.years: invalid TOML: expected value but found '\\r' instead; give a value after =", "    2 | years = ", 9},
		{"unquoted text", "[scenario]\nworld = teaching\n", "syn.toml:2: scenario.world:", "    2 | world = teaching", 9},
		// The caret counts characters, not bytes (ø is two).
		{"unclosed text after ø", "[scenario]\nname = \"bjørn\nworld = \"teaching\"\n", "syn.toml:2: scenario.name: invalid TOML: strings cannot contain newlines", "    2 | name = \"bjørn", 14},
		{"duplicate key", "[scenario]\nname = \"t\"\nname = \"u\"\n", "syn.toml:3: scenario.name:", "    3 | name = \"u\"", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("syn.toml", []byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if !strings.HasPrefix(lines[0], c.want) {
				t.Errorf("error %q\nwant it to start %q", lines[0], c.want)
			}
			if len(lines) < 2 || strings.TrimPrefix(lines[1], "\t") != c.shown {
				t.Errorf("shown line %q, want %q", lines[1:], c.shown)
			}
			if c.caret > 0 {
				// "\t        " then col-1 spaces then ^.
				if len(lines) < 3 || strings.Index(strings.TrimPrefix(lines[2], "\t        "), "^") != c.caret-1 {
					t.Errorf("caret line %q, want the caret at column %d", lines[2:], c.caret)
				}
			}
		})
	}
}
