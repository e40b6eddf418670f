package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// githubAnchors returns the anchors GitHub gives the headings of a
// Markdown file: lower case, punctuation dropped, spaces as -, and -1, -2 …
// for repeats. Headings inside code blocks do not count.
func githubAnchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

var mdLink = regexp.MustCompile(`\]\(([^)\s#]+\.md)#([^)\s]+)\)`)

// TestReadmeLinksAndFiles: every link to a heading of another Markdown
// file finds it (README.md linked scenarios/README.md#worlds, which has no
// such heading), and the README says where settle sensitivity writes.
func TestReadmeLinksAndFiles(t *testing.T) {
	root := "../.."
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "scenarios", "README.md")}, files...)
	type link struct{ from, target, anchor string }
	var links []link
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
			links = append(links, link{f, filepath.Join(filepath.Dir(f), m[1]), m[2]})
		}
	}
	if len(links) == 0 {
		t.Fatal("no links to headings found")
	}
	for _, l := range links {
		t.Run(filepath.Base(l.from)+"→"+filepath.Base(l.target)+"#"+l.anchor, func(t *testing.T) {
			data, err := os.ReadFile(l.target)
			if err != nil {
				t.Fatalf("%s links %s: %v", l.from, l.target, err)
			}
			if !githubAnchors(string(data))[l.anchor] {
				t.Errorf("%s links %s#%s, but %s has no such heading", l.from, l.target, l.anchor, l.target)
			}
		})
	}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"DIR/sensitivity/" + sensitivityCSV, // runSensitivity's default folder and its file
		"a second analysis of the same sweep is refused",
		"`--out DIR2`",
	} {
		if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
}
