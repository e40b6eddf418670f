package tomlpos

import (
	"errors"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestOf(t *testing.T) {
	for _, c := range []struct {
		text      string
		line, col int
	}{
		{"[scenario\nname = \"x\"\n", 1, 10}, // the unexpected line break ends line 1
		{"[a]\nx = 1\n[[b]\ny = 2\n", 3, 4},  // an unclosed array-table name on line 3
		{"[a]\nx = \"open\ny = 2\n", 2, 10},  // a string not closed on its line
		{"[a]\nx = 1\nx = 2\n", 3, 1},        // a key defined twice
	} {
		var v map[string]any
		_, err := toml.Decode(c.text, &v)
		var pe toml.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%q: no parse error (%v)", c.text, err)
		}
		if l, col := Of(pe, []byte(c.text)); l != c.line || col != c.col {
			t.Errorf("%q: line %d col %d, want line %d col %d (decoder said line %d)", c.text, l, col, c.line, c.col, pe.Position.Line)
		}
	}
}

func TestNumbered(t *testing.T) {
	data := []byte("[sweep]\nx = 1\n[[parameter]]\npath = \"a\"\n[[ parameter ]] # second\npath = \"b\"\npath = \"c\"\n")
	for _, c := range []struct {
		line      int
		key, want string
	}{
		{7, "parameter.path", "parameter[2].path"},
		{4, "parameter.path", "parameter[1].path"},
		{5, "parameter", "parameter[2]"},
		{2, "sweep.x", "sweep.x"},               // not an array of tables
		{2, "parameter.path", "parameter.path"}, // before its first header
	} {
		if got := Numbered(data, c.line, c.key); got != c.want {
			t.Errorf("Numbered(line %d, %q) = %q, want %q", c.line, c.key, got, c.want)
		}
	}
	// A header in a multi-line string is text, a quoted one a header.
	data = []byte("[scenario]\ndescription = \"\"\"\n[[intervention]]\n\"\"\"\n[[\"intervention\"]]\nfrom_year = 2025\nfrom_year = 2026\n")
	if got := Numbered(data, 7, "intervention.from_year"); got != "intervention[1].from_year" {
		t.Errorf("a header in a string, a quoted one: %q, want intervention[1].from_year", got)
	}
}
