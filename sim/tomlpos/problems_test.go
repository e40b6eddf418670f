package tomlpos

import (
	"strings"
	"testing"
)

// Problems: each at its key's line or its nearest ancestor's, NoLine for a
// key the file never writes, sorted by line, entry numbers kept only for
// the arrays of tables in Tables.
func TestProblems(t *testing.T) {
	src := "[sweep]\nname = \"x\"\n\n[[parameter]]\npath = \"a\"\nvalues = [\n  1,\n  -2,\n]\n[[parameter]]\npath = \"b\"\n"
	p := &Problems{File: "s.toml", Lines: ScanLines(src), NoLine: 1, Tables: []string{"parameter"}}
	p.Add("parameter[2].path", "second")
	p.Add("parameter[1].values[2]", "an element")
	p.Add("parameter[2]", "an entry")
	p.Add("sweep.seed", "a key not written")
	p.Add("metrics", "a table not written")
	p.AddAt(0, "--scale", "a flag")
	want := strings.Join([]string{
		"s.toml: --scale: a flag",
		"s.toml:1: sweep.seed: a key not written",
		"s.toml:1: metrics: a table not written",
		"s.toml:8: parameter[1].values: an element",
		"s.toml:10: parameter[2]: an entry",
		"s.toml:11: parameter[2].path: second",
	}, "\n")
	if got := p.Err().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	// Without Tables every trailing number goes; without lines (a spec
	// built by hand) and NoLine 0, no line.
	q := &Problems{File: "c.toml"}
	q.Add("calibration.params[2]", "x")
	q.Add("a[1].b[2][3]", "y")
	if got := q.Err().Error(); got != "c.toml: calibration.params: x\nc.toml: a[1].b: y" {
		t.Errorf("got\n%s", got)
	}
	if (&Problems{}).Err() != nil {
		t.Error("no problems must be a nil error")
	}
}
