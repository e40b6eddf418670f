package scenario

import (
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
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

// TestSyntaxFixIsRight: the line a syntax error suggests is TOML and gives
// the value meant: following the fix of regions = [Tynset, Tolga] gave the
// unknown region "[Tynset, Tolga]".
func TestSyntaxFixIsRight(t *testing.T) {
	for _, c := range []struct {
		line  string // the line as written, in [t] (key k)
		fixed string // the line the error suggests
		want  any    // k's value after the fix
	}{
		{"k = [Tynset, Tolga]", `k = ["Tynset", "Tolga"]`, []any{"Tynset", "Tolga"}},
		{"k = [Tynset]", `k = ["Tynset"]`, []any{"Tynset"}},
		{`k = ["Tynset", Tolga]  # two`, `k = ["Tynset", "Tolga"]`, []any{"Tynset", "Tolga"}},
		{`k = [Nord-Fron, 'Sør-Fron', Øvre Eiker]`, `k = ["Nord-Fron", 'Sør-Fron', "Øvre Eiker"]`, []any{"Nord-Fron", "Sør-Fron", "Øvre Eiker"}},
		{"k = Tynset, Tolga", `k = ["Tynset", "Tolga"]`, []any{"Tynset", "Tolga"}},
		{"k = [5, six]", `k = [5, "six"]`, []any{int64(5), "six"}},
		{"regions = [0301, 4601]", `regions = ["0301", "4601"]`, []any{"0301", "4601"}},
		{"county = [Troms, 56]", `county = ["Troms", "56"]`, []any{"Troms", "56"}},
		{"k = teaching", `k = "teaching"`, "teaching"},
		{`k = he said "hi"`, `k = "he said" "hi"`, nil}, // no sure rewrite: none
		{"k = “teaching”", `k = "teaching"`, "teaching"},
		{"k = «Bodø»", `k = "Bodø"`, "Bodø"},
		{"k = „Oslo“", `k = "Oslo"`, "Oslo"},
		{"k = 0,05", "k = 0.05", 0.05},
		{"k = -1,5 # c", "k = -1.5", -1.5},
		{"k = 20 %", "k = 0.2", 0.2},
		{"k = 14,3%", "k = 0.143", 0.143},
		{"k = 0,5 prosent", "k = 0.005", 0.005},
		{"k = 10 000", "k = 10000", int64(10000)},
		{"k = 1 234,5", "k = 1234.5", 1234.5},
		{"k = 1,000,000", "k = 1000000", int64(1000000)},
		{"years = 20 %", "years = 20", int64(20)},
		{"from_year = 2 030", "from_year = 2030", int64(2030)},
	} {
		src := "[t]\n" + c.line + "\n"
		_, err := Parse("syn.toml", []byte(src))
		if err == nil {
			t.Errorf("%s: no error", c.line)
			continue
		}
		first := strings.SplitN(err.Error(), "\n", 2)[0]
		if c.want == nil {
			if strings.Contains(first, c.fixed) {
				t.Errorf("%s: suggests %s, which is not TOML", c.line, c.fixed)
			}
			continue
		}
		if !strings.Contains(first, c.fixed) {
			t.Errorf("%s: error\n%s\nwant the fix %s", c.line, first, c.fixed)
		}
		var doc map[string]map[string]any
		if _, err := toml.Decode("[t]\n"+c.fixed+"\n", &doc); err != nil {
			t.Errorf("%s: the fix %s is not TOML: %v", c.line, c.fixed, err)
			continue
		}
		for _, v := range doc["t"] {
			if !reflect.DeepEqual(v, c.want) {
				t.Errorf("%s: the fix gives %#v, want %#v", c.line, v, c.want)
			}
		}
	}
}

// TestNumberFixNone: a value that is no number, or one of too many
// readings, gets no number for a fix.
func TestNumberFixNone(t *testing.T) {
	for _, v := range []string{"abc", "1.000,5", "1,000.5", "1,2,3", "1 2 3", "%", "20 %%", "2024-01-01", "0x1F", "1e3 %x", "5,", ",5", "1,,5", "1  000"} {
		if fix := numberFix("scenario.scale", "scale", v, false); fix != "" {
			t.Errorf("%q: %s", v, fix)
		}
	}
	for v, want := range map[string]string{"0.05": "", "20": ""} {
		if fix := numberFix("scenario.scale", "scale", v, false); fix != want {
			t.Errorf("%q (TOML already): %s", v, fix)
		}
	}
}

// TestQuoteTextNone: no rewrite that reads as TOML but not as the line
// it is (a value, or a line of a list).
func TestQuoteTextNone(t *testing.T) {
	for _, c := range []struct {
		text  string
		value bool
	}{
		{"Tolga]", true}, {`"he said" hi`, true}, {"{ a = b }", true}, {"[a, [b]]", true}, {"a = b", false},
	} {
		if fixed, _, ok := quoteText(c.text, false, c.value); ok {
			t.Errorf("%q (value %v): %s", c.text, c.value, fixed)
		}
	}
}
