package fit

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/settle-sim/settle/sim/targets"
)

// TestChartsKeepOffTheRightEdge: nothing of a chart is drawn in the last
// points of its width. The schedule's legend symbols ran to x = 720 of
// 720 and its last x tick label, 90, ended there too, cut in the PNG.
func TestChartsKeepOffTheRightEdge(t *testing.T) {
	tg, err := targets.Load("../../targets/norway.toml")
	if err != nil {
		t.Fatal(err)
	}
	acc := NewAccumulator(tinyWorld(), tg)
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	dir := t.TempDir()
	if _, err := WriteCharts(dir, tg, acc.Stats()); err != nil {
		t.Fatal(err)
	}
	width := ChartWidth.Points()
	const keep = 4 // points of white at the right edge, at least
	text := regexp.MustCompile(`<text x="([-0-9.e]+)"[^>]*font-size:([0-9.]+)px[^>]*>([^<]*)</text>`)
	path := regexp.MustCompile(`<path d="([^"]*)"`)
	point := regexp.MustCompile(`[ML]([-0-9.e]+),`)
	for _, name := range []string{ScheduleChart, DistanceChart, CentralityChart} {
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		texts := 0
		for _, m := range text.FindAllStringSubmatch(string(svg), -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			size, _ := strconv.ParseFloat(m[2], 64)
			sty := draw.TextStyle{Font: plot.DefaultFont, Handler: plot.DefaultTextHandler}
			sty.Font.Size = vg.Length(size)
			if end := x + sty.Width(m[3]).Points(); end > width-keep {
				t.Errorf("%s: the text %q ends at x = %.1f of %.0f", name, m[3], end, width)
			}
			texts++
		}
		lines := 0
		for i, m := range path.FindAllStringSubmatch(string(svg), -1) {
			if i == 0 {
				continue // the white background
			}
			for _, p := range point.FindAllStringSubmatch(m[1], -1) {
				if x, _ := strconv.ParseFloat(p[1], 64); x > width-keep {
					t.Errorf("%s: a line or symbol reaches x = %.1f of %.0f: %.60s", name, x, width, m[1])
					break
				}
			}
			lines++
		}
		if texts < 5 || lines < 10 {
			t.Errorf("%s: %d texts and %d paths found: the test reads the SVG wrong", name, texts, lines)
		}
	}
}
