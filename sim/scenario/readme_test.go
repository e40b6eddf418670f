package scenario

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/params"
)

var update = flag.Bool("update", false, "rewrite the generated sections of scenarios/README.md")

const readme = "../../scenarios/README.md"

// TestREADME keeps the generated sections of scenarios/README.md (the
// behaviour parameters and the intervention kinds) in step with the code.
// Regenerate them with
//
//	go test ./sim/scenario -run TestREADME -update
func TestREADME(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, sec := range []struct {
		name string
		body string
	}{
		{"behaviour", behaviourTable()},
		{"interventions", kindsDoc()},
	} {
		begin := "<!-- begin generated " + sec.name + ": go test ./sim/scenario -run TestREADME -update -->\n"
		end := "<!-- end generated " + sec.name + " -->"
		i, j := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || j < i {
			t.Fatalf("%s lacks the markers\n%s…\n%s", readme, begin, end)
		}
		text = text[:i+len(begin)] + sec.body + text[j:]
	}
	if text == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(readme, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date (sim/params or the intervention catalogue changed); run go test ./sim/scenario -run TestREADME -update", readme)
}

func behaviourTable() string {
	var b strings.Builder
	b.WriteString("| parameter | default | range | what it is |\n|---|---|---|---|\n")
	def := params.Default()
	done := map[string]bool{}
	for _, info := range params.All() {
		name := info.Name
		if i := strings.LastIndexByte(name, '.'); i >= 0 && params.IsPhased(name[:i]) {
			base := name[:i]
			if done[base] {
				continue
			}
			done[base] = true
			vals := make([]string, params.NumPhases)
			for p, phase := range params.PhaseNames {
				v, _ := def.Get(base + "." + phase)
				vals[p] = g(v)
			}
			fmt.Fprintf(&b, "| `%s.<phase>` | %s | %s to %s | %s |\n", base, strings.Join(vals, " / "), g(info.Min), g(info.Max), cell(info.Doc))
			continue
		}
		v, _ := def.Get(name)
		fmt.Fprintf(&b, "| `%s` | %s | %s to %s | %s |\n", name, g(v), g(info.Min), g(info.Max), cell(info.Doc))
	}
	return b.String()
}

func kindsDoc() string {
	var b strings.Builder
	for _, kind := range intervention.KindNames() {
		k := intervention.Kinds[kind]
		fmt.Fprintf(&b, "### `%s`\n\n%s.\n\n", kind, upper(k.Doc))
		switch n := intervention.MinRegions(kind); n {
		case 0:
			b.WriteString("Targets: optional (national when none are given).")
		case 1:
			b.WriteString("Targets: required.")
		default:
			fmt.Fprintf(&b, "Targets: required, at least %d regions.", n)
		}
		if keys, excl := intervention.AnyOf(kind); len(keys) > 0 {
			q := make([]string, len(keys))
			for i, key := range keys {
				q[i] = "`" + key + "`"
			}
			if excl {
				fmt.Fprintf(&b, " Give exactly one of %s and %s.", strings.Join(q[:len(q)-1], ", "), q[len(q)-1])
			} else {
				fmt.Fprintf(&b, " Give at least one of %s.", strings.Join(q, ", "))
			}
		}
		b.WriteString("\n\n")
		if len(k.Params) == 0 {
			b.WriteString("No parameters of its own.\n\n")
			continue
		}
		b.WriteString("| key | value | unit | required or default | what it is |\n|---|---|---|---|---|\n")
		for i := range k.Params {
			p := &k.Params[i]
			var value, dflt string
			switch p.Kind {
			case "bool":
				value = "`true` or `false`"
				dflt = fmt.Sprintf("default `%v`", p.Default != 0)
			case "string":
				value = "one of " + codes(p.Choices)
				dflt = "default `\"" + p.Choices[0] + "\"`"
			case "list":
				value = "list of " + codes(p.Choices)
				dflt = "default all"
			default:
				value = "number " + intervention.RangeText(p, intervention.OpenMin(kind, p.Key))
				if p.Kind == "integer" {
					value = "whole number " + intervention.RangeText(p, intervention.OpenMin(kind, p.Key))
				}
				dflt = "default " + g(p.Default)
				if p.Default < p.Min || p.Default > p.Max {
					dflt = "optional" // no default value: its doc says what leaving it out means
				}
			}
			if p.Required {
				dflt = "required"
			} else if keys, _ := intervention.AnyOf(kind); contains(keys, p.Key) {
				dflt = "see above"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", p.Key, value, p.Unit, dflt, cell(p.Doc))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func g(x float64) string {
	if math.IsInf(x, 0) {
		return "∞"
	}
	return fmt.Sprintf("%g", x)
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func codes(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`\"" + s + "\"`"
	}
	return strings.Join(q, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every TOML example in scenarios/README.md parses and resolves in
// norway-2024 (fragments get a [scenario] table first).
func TestREADMEExamples(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```toml\n")[1:]
	if len(blocks) < 3 {
		t.Fatalf("%d TOML examples", len(blocks))
	}
	for i, b := range blocks {
		src, _, _ := strings.Cut(b, "```")
		if !strings.Contains(src, "[scenario]") {
			src = "[scenario]\nname = \"example\"\nworld = \"norway-2024\"\nyears = 30\n" + src
		}
		s, err := Parse(fmt.Sprintf("README example %d", i+1), []byte(src))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if _, err := s.LoadWorld(); err != nil {
			t.Errorf("%v", err)
		}
	}
}
