package web_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/web"
)

// chromium returns the browser to drive, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SETTLE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium here: install Debian's chromium (.ci/setup.d/10-chromium.sh does in CI) or set SETTLE_CHROMIUM")
	return ""
}

// TestBrowser drives the app in headless Chromium at projector size
// (1280×720) as a teacher would: Norway at the classroom scale, a click on
// a municipality, a scenario file compared with its baseline, teaching
// mode, a mistake in the form. Screenshots go to $SETTLE_SCREENSHOTS (or a
// temporary folder); look at them after a change to the page.
func TestBrowser(t *testing.T) {
	// On loopback, as settle serve by default: the page names no network
	// addresses (its screenshots are the docs').
	b := startBrowser(t, true, 90*time.Second)
	ctx, run, shot := b.ctx, b.run, b.shot

	// 1. The page loads with Norway's 357 municipalities.
	run("load the page",
		chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="0301"]`)),
	)
	paths := evalJS[int](t, ctx, "count regions", `document.querySelectorAll('#map1 path').length`)
	if paths != 357 {
		t.Fatalf("%d regions on the map, want Norway's 357", paths)
	}
	shot("01-loaded.png")

	// 2. Run (12 years, to keep the test short): the first frame must be on
	// the map within 2 s.
	run("years", chromedp.SetValue(chromedp.CSS(`#years`), "12"))
	start := time.Now()
	run("run", chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-frames]:not([data-frames="0"])`)))
	wall := time.Since(start)
	toFirst := evalJS[float64](t, ctx, "timing", `settle.timing.firstFrame - settle.timing.clicked`)
	t.Logf("first map frame %.0f ms after pressing Run (page clock; %.0f ms seen by the test)", toFirst, float64(wall.Milliseconds()))
	if toFirst <= 0 || toFirst > 2000 {
		t.Errorf("the first frame came %.0f ms after Run; it must come within 2000 ms", toFirst)
	}
	run("wait for the run", chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)))
	// The map has changed: the regions are coloured, and not all alike.
	run("wait for animation", waitJS(`+document.body.dataset.shownYear >= 2030`))
	fills := evalJS[int](t, ctx, "fills", `new Set([...document.querySelectorAll('#map1 path')].map(p => p.getAttribute('fill'))).size`)
	if fills < 20 {
		t.Errorf("%d distinct colours on the map after the run; the map did not change", fills)
	}

	// 3. Click a municipality where it is drawn (a point inside its shape),
	// and its charts appear.
	type point struct {
		X, Y float64
		Code string
	}
	pt := evalJS[point](t, ctx, "find a point in Hamar", `(() => {
		const p = document.querySelector('#map1 path[data-code="3403"]');
		const b = p.getBBox(), svg = p.ownerSVGElement, m = p.getScreenCTM();
		for (let fy = 0.5; fy < 1; fy += 0.05) for (const s of [1, -1]) {
			const y = b.y + b.height * (s > 0 ? fy : 1 - fy);
			for (let fx = 0.1; fx < 1; fx += 0.1) {
				const q = svg.createSVGPoint(); q.x = b.x + b.width * fx; q.y = y;
				if (!p.isPointInFill(q)) continue;
				const r = q.matrixTransform(m);
				if (document.elementFromPoint(r.x, r.y) === p) return {X: r.x, Y: r.y, Code: p.dataset.code};
			}
		}
		return null;
	})()`)
	run("click the municipality", chromedp.MouseClickXY(pt.X, pt.Y),
		chromedp.WaitVisible(chromedp.CSS(`#region-charts:not([hidden]) #c-traj polyline`)),
		chromedp.WaitVisible(chromedp.CSS(`#c-rpyr rect`)), chromedp.WaitVisible(chromedp.CSS(`#c-motive rect`)))
	selected := evalJS[string](t, ctx, "selected", `document.body.dataset.selected`)
	title := evalJS[string](t, ctx, "title", `document.getElementById('region-title').textContent`)
	if selected != "3403" || !strings.Contains(title, "Hamar") {
		t.Errorf("after clicking Hamar (3403) at %.0f,%.0f: selected %q, panel %q", pt.X, pt.Y, selected, title)
	}
	shot("02-norway-run.png")

	// 4. A scenario file, compared with its baseline: the difference map.
	run("load rogfast", chromedp.SetValue(chromedp.CSS(`#file`), "rogfast.toml"), chromedp.Click(chromedp.CSS(`#load`)),
		chromedp.WaitVisible(chromedp.CSS(`.card[data-kind="region_enlargement"] .chip`)))
	note := evalJS[string](t, ctx, "file note", `document.getElementById('file-notes').textContent`)
	if !strings.Contains(note, "rogfast") {
		t.Errorf("after loading rogfast.toml the note says %q", note)
	}
	run("compare", chromedp.SetValue(chromedp.CSS(`#years`), "12"), // Rogfast opens in 2033, the tenth year: three years of it
		chromedp.Click(chromedp.CSS(`#compare`)), chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)),
		waitJS(`+document.body.dataset.shownYear >= 2036`))
	legendText := evalJS[string](t, ctx, "legend", `document.getElementById('legend').textContent`)
	if !strings.Contains(legendText, "Scenario − baseline") {
		t.Errorf("compare: legend %q, want the difference", legendText)
	}
	// Three paired runs by default: the map shows their mean where it can
	// be told from chance, and greys the rest (most regions here).
	if !strings.Contains(legendText, "Mean of 3 paired runs. Grey: ") || !evalJS[bool](t, ctx, "chance", `settle.chanceReady`) {
		t.Errorf("compare: legend %q, want the mean of 3 paired runs and the regions greyed by chance", legendText)
	}
	// The tests behind it: Student's t (two-sided p of t(0.95, 2) is 0.1)
	// and Benjamini–Hochberg on the 1995 paper's example (4 of 15 at 0.05).
	if p := evalJS[float64](t, ctx, "t p-value", `settle.stats.tPValue(2.919986, 2)`); math.Abs(p-0.1) > 1e-5 {
		t.Errorf("tPValue(2.92, 2) = %g, want 0.1", p)
	}
	if k := evalJS[int](t, ctx, "BH", `settle.stats.benjaminiHochberg([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0], 0.05).filter(Boolean).length`); k != 4 {
		t.Errorf("Benjamini–Hochberg rejects %d of the paper's 15, want 4", k)
	}
	// Coloured by out-commuting, which the tunnel changes first (a year of
	// it moved too few people at this scale to tell Stavanger's and
	// Haugesund's populations, or even their commuting, from chance with
	// every random stream).
	run("colour by commuting", jsStep(`{ const m = document.getElementById('metric'); m.value = 'commute'; m.dispatchEvent(new Event('change')) }`))
	grey := evalJS[int](t, ctx, "grey regions", `settle.map.regions.filter((_, r) => Number.isNaN(settle.diffValue(settle.shown, r))).length`)
	clearTargets := evalJS[bool](t, ctx, "targets clear", `['1103', '1106'].every(c => !Number.isNaN(settle.diffValue(settle.shown, settle.map.regions.findIndex(x => x.code === c))))`)
	if grey < 200 || !clearTargets {
		t.Errorf("compare, coloured by out-commuting: %d of 357 regions grey, Stavanger and Haugesund clear: %v; want most grey, the targets not", grey, clearTargets)
	}
	run("colour by change", jsStep(`{ const m = document.getElementById('metric'); m.value = 'change'; m.dispatchEvent(new Event('change')) }`))
	paths = evalJS[int](t, ctx, "compare lines", `document.querySelectorAll('#c-central polyline').length`)
	if paths != 2 {
		t.Errorf("compare: %d lines in the central-share chart, want scenario and baseline", paths)
	}
	// The selected region's panel gives one difference, the one the map
	// shows: the mean of the paired runs, in residents and points, with
	// its interval; before the other runs are in, the first run's, said to
	// be the first's.
	summary := evalJS[string](t, ctx, "region summary", `document.getElementById('region-summary').textContent`)
	points := regexp.MustCompile(`points of growth`)
	if !regexp.MustCompile(`Over 3 paired runs the scenario has on average (as many residents as the baseline|[0-9,]+ (more|fewer) residents than the baseline): [+−]?[0-9.]+ points of growth since 2024`).MatchString(summary) ||
		len(points.FindAllString(summary, -1)) != 1 || strings.Contains(summary, "first") {
		t.Errorf("compare: Hamar's panel says %q, want the mean difference of the 3 paired runs, once", summary)
	}
	first := evalJS[string](t, ctx, "region summary before the paired runs", `(() => {
		settle.chanceReady = false; settle.regionPanel();
		const s = document.getElementById('region-summary').textContent;
		settle.chanceReady = true; settle.regionPanel();
		return s;
	})()`)
	if !strings.Contains(first, "In the first of 3 paired runs (their mean follows) the baseline has ") || len(points.FindAllString(first, -1)) > 1 || strings.Contains(first, "Over 3") {
		t.Errorf("compare, before the paired runs are in: Hamar's panel says %q, want the first run's difference, said to be the first's", first)
	}
	shot("03-compare.png")
	run("side by side", chromedp.SetValue(chromedp.CSS(`#view`), "side"),
		jsStep(`document.getElementById('view').dispatchEvent(new Event('change'))`),
		chromedp.WaitVisible(chromedp.CSS(`#fig2:not([hidden]) #map2 path`)))
	shot("04-side-by-side.png")

	// A file that targets a county keeps the county: one chip that says
	// what it selects, written back as county, until "List them" turns it
	// into the regions' chips. (Then rogfast again, for the steps below.)
	run("load nordland-youth", chromedp.SetValue(chromedp.CSS(`#file`), "nordland-youth.toml"), chromedp.Click(chromedp.CSS(`#load`)),
		chromedp.WaitVisible(chromedp.CSS(`.card .chip.selection`)))
	selText := evalJS[string](t, ctx, "selection", `document.querySelector('.card .chip.selection').textContent`)
	selSpec := evalJS[string](t, ctx, "selection spec", `JSON.stringify(settle.spec().interventions.map(iv => [iv.county, iv.regions]))`)
	if !strings.Contains(selText, "county Nordland (41 regions)") || !strings.Contains(selSpec, `[["Nordland"],null]`) {
		t.Errorf("nordland-youth.toml: selection chip %q, spec %s; want county Nordland (41 regions), sent as county", selText, selSpec)
	}
	run("show the selection", jsStep(`document.querySelector('.card .chip.selection').scrollIntoView()`))
	shot("04b-county.png")
	run("list them", chromedp.Click(chromedp.CSS(`.card .chip.selection button.list`)))
	if n := evalJS[int](t, ctx, "chips", `document.querySelectorAll('.card .chip:not(.selection)').length`); n != 41 {
		t.Errorf("List them gave %d region chips, want Nordland's 41", n)
	}
	// A file that names a projection keeps it (the form's National rates),
	// and sends it back; one that does not gets the default.
	run("load high-growth", chromedp.SetValue(chromedp.CSS(`#file`), "high-growth.toml"), chromedp.Click(chromedp.CSS(`#load`)),
		chromedp.WaitNotPresent(chromedp.CSS(`.card`)))
	if got := evalJS[string](t, ctx, "projection", `document.getElementById('projection').value + ' ' + settle.spec().projection`); got != "ssb-2024-high ssb-2024-high" {
		t.Errorf("high-growth.toml: the form's projection and spec say %q, want ssb-2024-high", got)
	}
	run("load rogfast again", chromedp.SetValue(chromedp.CSS(`#file`), "rogfast.toml"), chromedp.Click(chromedp.CSS(`#load`)),
		chromedp.WaitVisible(chromedp.CSS(`.card[data-kind="region_enlargement"] .chip`)))
	if got := evalJS[string](t, ctx, "projection", `document.getElementById('projection').value + ' ' + settle.spec().projection`); got != "ssb-2024-main undefined" {
		t.Errorf("rogfast.toml: the form's projection and spec say %q, want the default ssb-2024-main, not sent", got)
	}

	// 5. Teaching mode: the teaching world, play/pause/step, explanations.
	run("teaching", chromedp.Click(chromedp.CSS(`#teaching`)), chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="T14"]`)),
		chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)),
		jsStep(`settle.playing && document.getElementById('play').click()`), // Pause, if still playing
		jsStep(`(() => { const y = document.getElementById('year'); y.value = 3; y.dispatchEvent(new Event('input')); })()`),
		chromedp.Click(chromedp.CSS(`#step`)),
		chromedp.Click(chromedp.CSS(`#map1 path[data-code="T01"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#c-motive rect`)))
	// Rogfast was loaded: switching to the teaching world says that its
	// intervention was for Norway and was removed, and the run is not
	// named after it.
	note = evalJS[string](t, ctx, "file note", `document.getElementById('file-notes').textContent`)
	runName := evalJS[string](t, ctx, "name", `document.getElementById('name').value`)
	if !strings.Contains(note, "rogfast.toml was made for norway-2024") || !strings.Contains(note, "removed") || runName != "classroom" {
		t.Errorf("teaching mode after loading rogfast.toml: note %q, name %q", note, runName)
	}
	explain := evalJS[string](t, ctx, "explain", `document.getElementById('explain').textContent`)
	year := evalJS[string](t, ctx, "year", `document.getElementById('year-out').textContent`)
	if year != "2028" || !strings.Contains(explain, "moved to another region") {
		t.Errorf("teaching after stepping to the fourth year: year %s, explanation %q", year, explain)
	}
	shot("05-teaching.png")

	// 6. An intervention added with the form is written as TOML that
	// sim/scenario reads back: what Download TOML saves.
	// A typo gets the nearest name where it is seen, and a name typed
	// without ø is found (the picker took only exact names, silently).
	run("add housing", chromedp.SetValue(chromedp.CSS(`#add-kind`), "housing"), chromedp.Click(chromedp.CSS(`#add`)),
		chromedp.SendKeys(chromedp.CSS(`.card[data-kind="housing"] .regions input`), "Holmoyy"),
		chromedp.Click(chromedp.CSS(`.card[data-kind="housing"] .regions button`)))
	if hint := evalJS[string](t, ctx, "hint", `document.querySelector('.card[data-kind="housing"] .regions .help').textContent`); hint != "No region “Holmoyy”; did you mean Holmøy (T14)?" {
		t.Errorf("a typed typo says %q", hint)
	}
	run("add Holmøy", jsStep(`document.querySelector('.card[data-kind="housing"] .regions input').value = 'holmoy'`),
		chromedp.Click(chromedp.CSS(`.card[data-kind="housing"] .regions button`)),
		chromedp.WaitVisible(chromedp.CSS(`.card[data-kind="housing"] .chip`)))
	run("show the card", jsStep(`document.querySelector('.card[data-kind="housing"]').scrollIntoView()`))
	// The page fits the projector: only the columns scroll, never the page
	// (its header would scroll away).
	if h := evalJS[int](t, ctx, "page height", `document.documentElement.scrollHeight`); h > 720 {
		t.Errorf("the page is %d px tall at 1280×720; only the panels may scroll", h)
	}
	shot("06-form.png")
	specJSON := evalJS[string](t, ctx, "spec", `JSON.stringify(settle.spec())`)
	resp, err := http.Post(b.url+"/api/toml", "application/json", strings.NewReader(`{"spec": `+specJSON+`}`))
	if err != nil {
		t.Fatal(err)
	}
	toml, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sc, err := scenario.Parse("download.toml", toml)
	if err == nil {
		_, err = sc.LoadWorld()
	}
	if resp.StatusCode != 200 || err != nil || len(sc.Interventions) != 1 || sc.Interventions[0].Kind != "housing" ||
		!slices.Equal(sc.Interventions[0].Regions, []int{13}) || !sc.Interventions[0].Params["dwellings_per_year"].IsNum {
		t.Errorf("the form's TOML (%d): %v\n%s", resp.StatusCode, err, toml)
	}

	// 7. Every control has a name a screen reader can say, and Tab reaches them.
	unnamed := evalJS[[]string](t, ctx, "labels", `[...document.querySelectorAll('input, select, button')].filter(e => e.offsetParent !== null)
		.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
		.map(e => e.outerHTML.slice(0, 80))`)
	if len(unnamed) > 0 {
		t.Errorf("controls without a label: %v", unnamed)
	}
	var focused []string
	for range 6 {
		run("tab", chromedp.KeyEvent("\t"))
		id := evalJS[string](t, ctx, "focus", `document.activeElement.id || document.activeElement.tagName`)
		focused = append(focused, id)
	}
	moved := 0
	for _, id := range focused {
		if id != "BODY" {
			moved++
		}
	}
	if moved < 5 {
		t.Errorf("Tab does not move the focus through the controls: %v", focused)
	}

	// 8. A mistake gets a clear message next to the field.
	run("bad scale", jsStep(`document.getElementById('scale').value = 5`), chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`#problems li`)))
	problem := evalJS[string](t, ctx, "problem", `document.getElementById('problems').textContent`)
	invalid := evalJS[bool](t, ctx, "invalid", `document.getElementById('scale').getAttribute('aria-invalid') === 'true'`)
	if !strings.Contains(problem, "Scale (share simulated): 5 is too large") || !invalid {
		t.Errorf("scale 5: problems %q, field marked %v", problem, invalid)
	}
	shot("07-mistake.png")

	// 9. A decimal comma is a decimal (Norwegian keyboards), and an empty
	// Years is pointed out before anything is sent; so is a To year typed
	// that is no number: its value is '' as well, but it is not empty (an
	// empty To year, no end, would be no mistake at all).
	toYear := `.card[data-kind="housing"] [data-key="to_year"]`
	run("form checks", jsStep(`document.getElementById('scale').value = '0,3'; document.getElementById('years').value = ''; document.querySelector('`+toYear+`').value = ''`),
		chromedp.SendKeys(chromedp.CSS(toYear), "1e"))
	if bad := evalJS[bool](t, ctx, "bad input", `(e => e.validity.badInput && e.value === '')(document.querySelector('`+toYear+`'))`); !bad {
		t.Fatal(`"1e" typed into To year: no bad input; the check tests nothing`)
	}
	run("run", chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#problems li`)))
	problem = evalJS[string](t, ctx, "problem", `document.getElementById('problems').textContent`)
	if scale := evalJS[float64](t, ctx, "spec scale", `settle.spec().scale`); scale != 0.3 || !strings.Contains(problem, "Years: is empty") || strings.Contains(problem, "Scale") ||
		!strings.Contains(problem, "· To year: is not a number; write the last year it is in force, or leave it empty (no end), e.g. ") {
		t.Errorf("scale 0,3 read as %g; problems %q", scale, problem)
	}
	shot("08-not-a-number.png")

	// 10. A reload offers the scenario last run back (the form is not lost):
	// the housing programme, once its mistakes are put right (a form the
	// page finds mistakes in is not run, nor kept).
	run("run the housing programme", jsStep(`document.getElementById('scale').value = '0.5'; document.getElementById('years').value = '4'; document.querySelector('`+toYear+`').value = ''`),
		chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)))
	run("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#restore`)), chromedp.Click(chromedp.CSS(`#restore`)),
		waitJS(`document.querySelectorAll('#interventions .card').length === 1`))
	if kind := evalJS[string](t, ctx, "restored", `document.querySelector('#interventions .card').dataset.kind`); kind != "housing" {
		t.Errorf("restored a %q intervention, want the housing programme run before the reload", kind)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", fmt.Sprint(errs))
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, what, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// jsStep runs JavaScript for its effect.
func jsStep(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](js)(ctx, t)
		return err
	})
}

// waitJS waits until the expression is true, at most 30 s.
func waitJS(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))(ctx, t)
		return err
	})
}

// browser is headless Chromium on a server of the scenarios folder: the
// server's URL, a context for the steps, a step runner, a screenshot taker
// (into $SETTLE_SCREENSHOTS, or a temporary folder) and the page's console
// errors so far (but the 400 answers to the tests' deliberate mistakes).
type browser struct {
	ctx           context.Context
	url           string
	run           func(what string, steps ...chromedp.Action[chromedp.Void])
	shot          func(name string)
	consoleErrors func() []string
}

// startBrowser starts a server (loopback only, or open to the network as
// with --addr 0.0.0.0) and Chromium at 1280×720, whose steps all end
// within timeout.
func startBrowser(t *testing.T, loopback bool, timeout time.Duration) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("drives a browser; skipped with -short")
	}
	exe := chromium(t)
	srv, err := web.New(web.Options{ScenariosDir: "../scenarios", MaxRuns: 2, MaxQueue: 4,
		Limits: web.Limits{MaxPersons: web.DefaultMaxPersons, MaxYears: 50}, Logf: t.Logf, LoopbackOnly: loopback})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	shots := os.Getenv("SETTLE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 720), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)
	// The first call starts the browser, on a context without a timeout (a
	// timeout there would stop the browser); the steps get one.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	ctx, cancel := context.WithTimeout(bctx, timeout)
	t.Cleanup(cancel)
	var mu sync.Mutex
	var errs []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The 400 answers to the deliberate mistakes are expected.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.Contains(m.Text, "status of 400") {
				mu.Lock()
				errs = append(errs, m.String())
				mu.Unlock()
			}
		}
	}()
	b := &browser{ctx: ctx, url: ts.URL}
	b.run = func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		// A step that cannot finish (a selector that never matches) fails
		// in 30 s, not at the end of the whole test's time.
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	b.shot = func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
	b.consoleErrors = func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}
	return b
}

// smallText is JavaScript that lists the visible texts smaller than the
// page promises (docs/web.md): 15 px, 19 in teaching mode, except the
// map's source line (12), the charts' axis labels (12, 13), the legend's
// numbers (13, 15), Norway's town labels (13, 15) and a small world's
// region labels that shrank to make room (80 %). Sizes are as drawn on
// the screen: an SVG's text is scaled by its viewBox.
const smallText = `(() => {
	const teaching = document.documentElement.classList.contains('teaching');
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		if (!n.textContent.trim()) continue;
		const e = n.parentElement;
		const r = e.getBoundingClientRect();
		if (!e.getClientRects().length || r.right < 0 || r.bottom < 0 || e.closest('option, datalist, .visually-hidden, [hidden]')) continue;
		let px = parseFloat(getComputedStyle(e).fontSize);
		const svg = e.closest('svg');
		if (svg) { const m = e.getScreenCTM(); px *= Math.hypot(m.a, m.b); }
		let least = teaching ? 19 : 15;
		if (e.closest('#attribution')) least = 12;
		else if (e.closest('svg.chart') && !e.classList.contains('placeholder')) least = teaching ? 13 : 12;
		else if (e.closest('#legend svg')) least = teaching ? 15 : 13;
		else if (e.closest('svg.map')) least = (settle.map.regions.length > 40 ? (teaching ? 15 : 13) : 0.8 * least);
		if (px < least - 0.25) out.push((e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + e.getAttribute('class')) + ' "' + n.textContent.trim().slice(0, 24) + '" ' + px.toFixed(1) + ' px, want ' + least);
	}
	return out;
})()`

// TestBrowserClassroom drives what a teacher's trial found wanting: the
// page at projector sizes and on a phone, text sizes, every region of the
// teaching world labelled, teaching mode that keeps a loaded scenario,
// mistakes and warnings in the form's words, a status that says done when
// the animation is, units in the tooltips, and a comparison whose target
// is too small in the sample.
func TestBrowserClassroom(t *testing.T) {
	b := startBrowser(t, false, 150*time.Second)
	ctx, run, shot, url := b.ctx, b.run, b.shot, b.url
	open := func(w, h int64) {
		t.Helper()
		run(fmt.Sprintf("open at %d×%d", w, h), chromedp.EmulateViewport(w, h), chromedp.Navigate(url),
			chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="0301"]`)), waitJS(`/Ready/.test(document.getElementById('status').textContent)`))
	}
	teachingRun := func(years string) {
		t.Helper()
		run("teaching run", chromedp.Click(chromedp.CSS(`#teaching`)), chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="T14"]`)),
			chromedp.SetValue(chromedp.CSS(`#years`), years), chromedp.Click(chromedp.CSS(`#run`)),
			chromedp.WaitVisible(chromedp.CSS(`#legend svg`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)))
	}
	settled := func(js string) string { // after the labels have followed the layout
		return `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(` + js + `))))`
	}

	// 1. Projector sizes: text as large as docs/web.md says, the page
	// within the screen, and in teaching mode every region labelled once a
	// run has put the legend and the yearly sentence under the map
	// (Vestbygd's label was dropped at 1280×720).
	for _, size := range [][2]int64{{1280, 720}, {1440, 900}, {1024, 768}} {
		w, h := size[0], size[1]
		open(w, h)
		if small := evalJS[[]string](t, ctx, "small text", smallText); len(small) > 0 {
			t.Errorf("%d×%d: text smaller than promised: %v", w, h, small)
		}
		teachingRun("3")
		labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](settled(`[...document.querySelectorAll('#map1 g.labels text')].map(t => t.textContent)`), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) != 14 {
			t.Errorf("%d×%d, teaching mode after Run: %d labels %v; want all 14 regions", w, h, len(labels), labels)
		}
		if small := evalJS[[]string](t, ctx, "small text", smallText); len(small) > 0 {
			t.Errorf("%d×%d, teaching mode: text smaller than promised: %v", w, h, small)
		}
		if ph := evalJS[int64](t, ctx, "page height", `document.documentElement.scrollHeight`); w > 1100 && ph > h {
			t.Errorf("%d×%d: the page is %d px tall; only the panels may scroll", w, h, ph)
		}
		if mh := evalJS[float64](t, ctx, "map height", `document.getElementById('map1').getBoundingClientRect().height`); mh < 0.4*float64(h) {
			t.Errorf("%d×%d, teaching mode: the map is %.0f px tall", w, h, mh)
		}
		// A control reached by Tab is not under the sticky Run bar (a
		// teacher's Add an intervention was, at 1280×720).
		if over := evalJS[float64](t, ctx, "focus under the bar", `(() => {
			document.getElementById('panel').scrollTop = 0;
			const el = document.getElementById('add-kind'); el.focus();
			const bar = document.querySelector('#panel .actions');
			if (getComputedStyle(bar).position !== 'sticky') return 0;
			return el.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
		})()`); over > 0 {
			t.Errorf("%d×%d, teaching mode: the focused Add an intervention is %.0f px under the Run bar", w, h, over)
		}
		shot(fmt.Sprintf("c1-teaching-%dx%d.png", w, h))
	}
	// The region search says when a name is on no region, with the
	// nearest (it did nothing at all), and finds a known one.
	if msg := evalJS[string](t, ctx, "unknown region searched", `(() => {
		const f = document.getElementById('find');
		f.value = 'Holmoyy'; f.dispatchEvent(new Event('change'));
		return document.getElementById('status').textContent + '|' + f.getAttribute('aria-invalid');
	})()`); msg != "No region “Holmoyy” on this map; did you mean Holmøy (T14)?|true" {
		t.Errorf("searching Holmoyy: status and aria-invalid %q", msg)
	}

	// 2. A phone: one column, the map at the full width and a sensible
	// height, the status readable, nothing wider than the screen.
	open(390, 844)
	type box struct{ W, H, Right float64 }
	geom := func(sel string) box {
		return evalJS[box](t, ctx, sel, `(() => { const r = document.querySelector('`+sel+`').getBoundingClientRect(); return {W: r.width, H: r.height, Right: r.right}; })()`)
	}
	if sw := evalJS[int64](t, ctx, "page width", `document.documentElement.scrollWidth`); sw > 390 {
		t.Errorf("390×844: the page is %d px wide", sw)
	}
	if m, s := geom("#map1"), geom("#status"); m.W < 350 || m.H < 300 || s.W < 300 || s.H < 15 {
		t.Errorf("390×844: map %.0f×%.0f, status %.0f×%.0f; want the map full width and tall, the status readable", m.W, m.H, s.W, s.H)
	}
	for _, sel := range []string{"#metric", "#find", "#run", "#year"} {
		if b := geom(sel); b.Right > 390 || b.W < 40 {
			t.Errorf("390×844: %s is %.0f px wide and ends at %.0f", sel, b.W, b.Right)
		}
	}
	run("phone run", chromedp.SetValue(chromedp.CSS(`#years`), "3"), chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)), waitJS(`/^Done/.test(document.getElementById('status').textContent) || settle.playing`))
	shot("c2-phone-norway.png")
	teachingRun("2")
	run("first year", waitJS(`settle.shown >= 1`))
	if m, e := geom("#map1"), geom("#explain"); m.W < 350 || m.H < 200 || e.W < 300 {
		t.Errorf("390×844, teaching mode: map %.0f×%.0f, yearly sentence %.0f px wide", m.W, m.H, e.W)
	}
	if small := evalJS[[]string](t, ctx, "small text", smallText); len(small) > 0 {
		t.Errorf("390×844, teaching mode: text smaller than promised: %v", small)
	}
	shot("c2-phone-teaching.png")

	// 3. Teaching mode keeps a teaching-world scenario's scale, years and
	// interventions, and the result on the map.
	open(1280, 720)
	run("load the bridge", chromedp.SetValue(chromedp.CSS(`#file`), "compare/holmoy-bridge.toml"), chromedp.Click(chromedp.CSS(`#load`)),
		chromedp.WaitVisible(chromedp.CSS(`.card[data-kind="region_enlargement"] .chip`)))
	// Loading keeps the top of the panel in view (Scale and Years), not
	// the last card's name field.
	if top := evalJS[float64](t, ctx, "panel scroll", `document.getElementById('panel').scrollTop`); top != 0 {
		t.Errorf("after loading a file the panel is scrolled to %.0f px", top)
	}
	run("run the bridge", chromedp.SetValue(chromedp.CSS(`#years`), "6"), chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)), jsStep(`settle.playing && document.getElementById('play').click()`),
		chromedp.Click(chromedp.CSS(`#teaching`)), chromedp.Sleep(300*time.Millisecond))
	type form struct {
		Scale, Years, Year, Note string
		Cards                    int
	}
	f := evalJS[form](t, ctx, "form", `({Scale: document.getElementById('scale').value, Years: document.getElementById('years').value,
		Year: document.getElementById('year-out').textContent, Note: document.getElementById('file-notes').textContent, Cards: document.querySelectorAll('.card').length})`)
	if f.Scale != "1" || f.Years != "6" || f.Cards != 2 || f.Year == "–" || !strings.Contains(f.Note, "Loaded compare/holmoy-bridge.toml") {
		t.Errorf("teaching mode after running holmoy-bridge.toml at scale 1 for 6 years: %+v; want the scenario and its result kept", f)
	}
	shot("c3-teaching-keeps.png")

	// 4. Mistakes, said in the form's words before anything is sent.
	// fixForm sets the form's fields right; each case then gets one wrong.
	const fixForm = `document.getElementById('seed').value = 1; document.getElementById('years').value = 6; document.getElementById('scale').value = 1;
			document.querySelector('.card [data-key="from_year"]').value = 2027; document.querySelector('.card [data-param="minutes_saved"] input.value').value = 45;`
	for _, c := range []struct{ set, want string }{
		{`document.getElementById('seed').value = '99999999999999999999999'`, "Seed: 99999999999999999999999 is too large; write a whole number from 0 to 9,007,199,254,740,991"},
		{`document.getElementById('years').value = '-5'`, "Years: must be 1 or more"},
		{`document.getElementById('scale').value = '-1'`, "Scale (share simulated): must be above 0"},
		{`document.querySelector('.card [data-key="from_year"]').value = ''`, "Intervention 1 (Holmøy bridge) · From year: is empty"},
		{`document.querySelector('.card [data-param="minutes_saved"] input.value').value = ''`, "Intervention 1 (Holmøy bridge) · minutes saved: is empty; give a number, or untick it"},
	} {
		run("mistake", jsStep(fixForm+c.set), chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#problems li`)))
		problem := evalJS[string](t, ctx, "problem", `document.getElementById('problems').textContent`)
		status := evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`)
		if !strings.Contains(problem, c.want) || !strings.HasPrefix(status, "Check the scenario") {
			t.Errorf("%s: problems %q, status %q; want %q", c.set, problem, status, c.want)
		}
	}
	shot("c4-mistake.png")
	// Text that is no number, typed into a number field, is no number,
	// not an empty field: the browser gives its value as '' all the same
	// (validity.badInput tells the two apart). Chromium drops letters
	// typed there ("x" leaves the field empty) but keeps what could begin
	// a number, such as "1e" or "--1". Typed with the keyboard: a value
	// set by JavaScript that is no number is dropped, not bad input.
	for _, c := range []struct{ field, keys, want string }{
		{`#years`, "1e", "Years: is not a number; write the number of years to simulate, e.g. 20"},
		{`.card [data-key="from_year"]`, "--1", "Intervention 1 (Holmøy bridge) · From year: is not a number; write the first year it is in force, e.g. "},
		{`.card [data-param="minutes_saved"] input.value`, "4e", "Intervention 1 (Holmøy bridge) · minutes saved: is not a number; give a number, or untick it"},
	} {
		el := `document.querySelector('` + c.field + `')`
		run("type a non-number", jsStep(fixForm+el+`.value = ''`), chromedp.SendKeys(chromedp.CSS(c.field), c.keys))
		if bad := evalJS[bool](t, ctx, "bad input", el+`.validity.badInput && `+el+`.value === ''`); !bad {
			t.Fatalf("%q typed into %s: no bad input (value %q); the case tests nothing", c.keys, c.field, evalJS[string](t, ctx, "value", el+`.value`))
		}
		run("run", chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#problems li`)))
		problem := evalJS[string](t, ctx, "problem", `document.getElementById('problems').textContent`)
		status := evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`)
		if !strings.Contains(problem, c.want) || !strings.Contains(status, c.want) || strings.Contains(problem+status, "is empty") ||
			!evalJS[bool](t, ctx, "marked", el+`.getAttribute('aria-invalid') === 'true'`) {
			t.Errorf("%q typed into %s: problems %q, status %q; want %q, the field marked, and no \"is empty\"", c.keys, c.field, problem, status, c.want)
		}
		if c.field == `#years` {
			shot("c4-not-a-number.png")
		}
	}
	// Setting the form again puts the bad input right.
	run("fix the form", jsStep(fixForm))
	if bad := evalJS[[]string](t, ctx, "bad input", `[...document.querySelectorAll('input')].filter(e => e.validity.badInput).map(e => e.id)`); len(bad) > 0 {
		t.Errorf("fields still with bad input after setting them: %v", bad)
	}

	// 5. A warning of settle validate, shown while the run goes ahead;
	// Done is said when the animation is, not while it plays; tooltips
	// have units.
	run("warning", jsStep(`document.querySelector('.card [data-key="from_year"]').value = 2027; document.querySelector('.card [data-param="minutes_saved"] input.value').value = 45;
			document.querySelectorAll('#interventions .card')[1].querySelector('[data-param="jobs"] input.value').value = -5000;
			document.getElementById('years').value = 4`),
		chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#warnings li`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)))
	warning := evalJS[string](t, ctx, "warning", `document.getElementById('warnings').textContent`)
	if !strings.Contains(warning, "Fish farming in Sjøvik (business development) removes 5,000 medium-skill jobs in Sjøvik") {
		t.Errorf("closing 5,000 jobs in Sjøvik: warnings %q", warning)
	}
	type playing struct {
		Playing bool
		Status  string
	}
	if p := evalJS[playing](t, ctx, "status", `({Playing: settle.playing, Status: document.getElementById('status').textContent})`); !p.Playing || strings.HasPrefix(p.Status, "Done") {
		t.Errorf("the run is simulated but its animation plays (%v): the status says %q", p.Playing, p.Status)
	}
	shot("c5-warning.png")
	run("pause", chromedp.Click(chromedp.CSS(`#play`)))
	if s := evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`); !strings.HasPrefix(s, "Done: 4 years") || !strings.Contains(s, "1 warning") {
		t.Errorf("paused after the run: the status says %q", s)
	}
	tip := evalJS[string](t, ctx, "tooltip", `(() => { const p = document.querySelector('#map1 path[data-code="T14"]'), b = p.getBoundingClientRect();
		p.dispatchEvent(new MouseEvent('mousemove', {clientX: b.x + b.width / 2, clientY: b.y + b.height / 2, bubbles: true}));
		return document.getElementById('tooltip').textContent; })()`)
	if !regexp.MustCompile(`^Holmøy \(T14\): [+−]?[0-9.]+ %$`).MatchString(tip) {
		t.Errorf("tooltip %q; want the value with its unit", tip)
	}

	// 6. A comparison whose target is too small in the sample: the map
	// says so and offers the scale that makes it large enough.
	run("small target", jsStep(`[...document.querySelectorAll('#interventions .card')].forEach(c => c.remove())`),
		chromedp.SetValue(chromedp.CSS(`#scale`), "0.1"), chromedp.SetValue(chromedp.CSS(`#years`), "3"),
		chromedp.SetValue(chromedp.CSS(`#add-kind`), "housing"), chromedp.Click(chromedp.CSS(`#add`)),
		chromedp.SendKeys(chromedp.CSS(`.card[data-kind="housing"] .regions input`), "Øvre Dal"),
		chromedp.Click(chromedp.CSS(`.card[data-kind="housing"] .regions button`)),
		chromedp.Click(chromedp.CSS(`#compare`)), chromedp.SetValue(chromedp.CSS(`#replicates`), "1"),
		chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#target-advice`)))
	advice := evalJS[string](t, ctx, "advice", `document.getElementById('target-advice').textContent`)
	if !regexp.MustCompile(`^Øvre Dal, the target, has only 1[0-9]{2} simulated persons at scale 0\.1, too few to show a difference \(500 needed\): run at scale 0\.4[4-6] `).MatchString(advice) {
		t.Errorf("a housing programme in Øvre Dal at scale 0.1: the map says %q", advice)
	}
	shot("c6-small-target.png")
	run("use the scale", chromedp.Click(chromedp.CSS(`#use-scale`)))
	if s := evalJS[string](t, ctx, "scale", `document.getElementById('scale').value`); !strings.HasPrefix(s, "0.4") {
		t.Errorf("Use scale set the scale to %q", s)
	}
	// A server open to the network names the addresses other devices
	// open (never localhost).
	if share := evalJS[string](t, ctx, "share", `document.getElementById('share').hidden ? '' : document.getElementById('share').textContent`); share != "" &&
		(!strings.Contains(share, "http://") || strings.Contains(share, "localhost")) {
		t.Errorf("the page says %q", share)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", fmt.Sprint(errs))
	}
}

// overlappingLabels is JavaScript that lists the map labels drawn over
// one another, as "map1: Holmøy (island) / Fjellstue".
const overlappingLabels = `(() => {
	const out = [];
	for (const id of ['map1', 'map2']) {
		const ts = [...document.querySelectorAll('#' + id + ' g.labels text')].map(t => [t.textContent, t.getBoundingClientRect()]);
		for (let a = 0; a < ts.length; a++) for (let b = a + 1; b < ts.length; b++) {
			const [na, ra] = ts[a], [nb, rb] = ts[b];
			const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left), h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
			if (w > 1 && h > 1) out.push(id + ': ' + na + ' / ' + nb);
		}
	}
	return out;
})()`

// clippedChartText is JavaScript that lists the charts' texts that reach
// beyond their chart (the last year's label was cut at the right edge),
// or that run into another (a motive's number ran into its name).
const clippedChartText = `(() => {
	const out = [];
	for (const s of document.querySelectorAll('svg.chart')) {
		if (!s.getClientRects().length) continue;
		const vb = s.viewBox.baseVal, ts = [...s.querySelectorAll('text')];
		for (const t of ts) {
			const b = t.getBBox();
			if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5) out.push(s.id + ' "' + t.textContent + '" beyond the chart');
		}
		if (s.id !== 'c-motive') continue;
		const rs = ts.map(t => [t.textContent, t.getBoundingClientRect()]);
		for (let a = 0; a < rs.length; a++) for (let b = a + 1; b < rs.length; b++) {
			const [na, ra] = rs[a], [nb, rb] = rs[b];
			// Closer than 3 px reads as one word ("career14,820").
			if (Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > -3 && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 2) out.push(s.id + ' "' + na + '" against "' + nb + '"');
		}
	}
	return out;
})()`

// TestBrowserCompareTeaching drives what a teacher's second trial found:
// teaching mode with Compare at 1280×720 (the map shrank to 205 px under a
// seven-line sentence, its labels overlapping), the status cut short, the
// teaching world's regions called municipalities, a number wrapped away
// from its per cent sign, the charts' last year cut at the edge, a cramped
// right column at 1920×1080, maps of a comparison that did not say which
// run they draw, and the form's checks that said one mistake at a time.
func TestBrowserCompareTeaching(t *testing.T) {
	b := startBrowser(t, true, 150*time.Second)
	ctx, run, shot, url := b.ctx, b.run, b.shot, b.url
	settled := func(what, js string) {
		t.Helper()
		run(what, waitJS(js), chromedp.Sleep(150*time.Millisecond)) // the labels follow the layout in a frame
	}
	type layout struct {
		Map, Map2, Page, Explain, ExplainFull            float64
		Status, StatusFull, StatusWidth, StatusFullWidth float64
		Unlabelled, Labels                               int
		ExplainTab                                       bool
	}
	measure := func() layout {
		return evalJS[layout](t, ctx, "layout", `(() => {
			const h = id => document.getElementById(id).getBoundingClientRect().height;
			const s = document.getElementById('status'), e = document.getElementById('explain');
			return {Map: h('map1'), Map2: h('map2'), Page: document.documentElement.scrollHeight,
				Status: s.clientHeight, StatusFull: s.scrollHeight, StatusWidth: s.clientWidth, StatusFullWidth: s.scrollWidth, Explain: e.clientHeight, ExplainFull: e.scrollHeight,
				ExplainTab: e.tabIndex === 0, Unlabelled: +document.getElementById('map1').dataset.unlabelled,
				Labels: document.querySelectorAll('#map1 g.labels text').length};
		})()`)
	}

	// 1. Teaching mode with Compare (3 paired runs) at 1280×720: the map
	// keeps about half the height, the sentence scrolls below it, every
	// region keeps a label and none is drawn over another, the status is
	// read whole.
	run("open", chromedp.EmulateViewport(1280, 720), chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="0301"]`)), waitJS(`/Ready/.test(document.getElementById('status').textContent)`))
	run("teaching, compare", chromedp.Click(chromedp.CSS(`#teaching`)), chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="T14"]`)),
		chromedp.SetValue(chromedp.CSS(`#years`), "10"), chromedp.Click(chromedp.CSS(`#compare`)), chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)), waitJS(`settle.chanceReady && settle.shown >= 4`),
		jsStep(`settle.playing && document.getElementById('play').click()`),
		jsStep(`(() => { const y = document.getElementById('year'); y.value = 4; y.dispatchEvent(new Event('input')); })()`),
		jsStep(`document.querySelector('#map1 path[data-code="T03"]').dispatchEvent(new Event('click'))`))
	settled("status done", `/^Done/.test(document.getElementById('status').textContent)`)
	l := measure()
	if l.Map < 0.42*720 || l.Page > 720 {
		t.Errorf("1280×720, teaching mode with Compare: the map is %.0f px tall and the page %.0f px; want about half of 720 (at least 302), no scrolling", l.Map, l.Page)
	}
	if l.ExplainFull > l.Explain+1 && !l.ExplainTab {
		t.Errorf("the yearly sentence is cut to %.0f of %.0f px and cannot be reached with Tab", l.Explain, l.ExplainFull)
	}
	if l.Labels != 14 || l.Unlabelled != 0 {
		t.Errorf("1280×720, teaching mode with Compare: %d labels, %d regions without one; want all 14", l.Labels, l.Unlabelled)
	}
	if o := evalJS[[]string](t, ctx, "overlapping labels", overlappingLabels); len(o) > 0 {
		t.Errorf("1280×720, teaching mode with Compare: labels drawn over one another: %v", o)
	}
	if l.StatusFull > l.Status+1 || l.StatusFullWidth > l.StatusWidth+1 {
		t.Errorf("the status %q is cut short: %.0f×%.0f of %.0f×%.0f px shown", evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`),
			l.StatusWidth, l.Status, l.StatusFullWidth, l.StatusFull)
	}
	// The teaching world's regions are regions; a number keeps its % sign.
	type words struct{ Title, Central, Status, Explain, Summary, Legend string }
	w := evalJS[words](t, ctx, "words", `({Title: document.getElementById('region-title').textContent, Central: document.getElementById('c-central').closest('figure').querySelector('figcaption').textContent,
		Status: document.getElementById('status').textContent, Explain: document.getElementById('explain').textContent,
		Summary: document.getElementById('region-summary').textContent, Legend: document.getElementById('legend').textContent})`)
	for what, text := range map[string]string{"status": w.Status, "charts": w.Central, "sentence": w.Explain, "panel": w.Summary, "legend": w.Legend} {
		if strings.Contains(strings.ToLower(text), "municipalit") {
			t.Errorf("the teaching world's %s says municipalities: %q", what, text)
		}
	}
	if !strings.Contains(w.Central, "central regions") || !strings.Contains(w.Status, "click a region") {
		t.Errorf("the teaching world: charts %q, status %q; want its regions called regions", w.Central, w.Status)
	}
	for what, text := range map[string]string{"sentence": w.Explain, "panel": w.Summary, "charts": w.Central} {
		if regexp.MustCompile(`[0-9)] %`).MatchString(text) || !strings.Contains(text, "\u00a0%") {
			t.Errorf("the %s %q: a number and its %% sign may be wrapped apart; want a no-break space", what, text)
		}
	}
	// The difference map's legend names the scenario; side by side each
	// map names its run, and the legend says which paired run they draw.
	if !strings.Contains(w.Legend, "Scenario − baseline (classroom)") {
		t.Errorf("the difference map's legend %q does not name the scenario", w.Legend)
	}
	if c := evalJS[[]string](t, ctx, "captions", `document.getElementById('cap1').hidden ? [] : [document.getElementById('cap1').textContent]`); len(c) != 0 {
		t.Errorf("the difference map has a caption %v; its legend names the run", c)
	}
	shot("t1-teaching-compare-1280x720.png")
	run("side by side", jsStep(`(() => { const v = document.getElementById('view'); v.value = 'side'; v.dispatchEvent(new Event('change')); })()`))
	settled("side by side", `!document.getElementById('fig2').hidden`)
	type captions struct{ Cap1, Cap2, Note string }
	c := evalJS[captions](t, ctx, "captions", `({Cap1: document.getElementById('cap1').textContent, Cap2: document.getElementById('cap2').textContent,
		Note: document.getElementById('paired-note')?.textContent || ''})`)
	if c.Cap1 != "Baseline: classroom without interventions" || c.Cap2 != "Scenario: classroom" || !strings.Contains(c.Note, "Both maps draw the first of 3 paired runs (seed 1)") {
		t.Errorf("side by side: captions %q and %q, note %q; want each map to name its run", c.Cap1, c.Cap2, c.Note)
	}
	l = measure()
	if math.Abs(l.Map-l.Map2) > 1 {
		t.Errorf("side by side: the maps are %.0f and %.0f px tall; want them level", l.Map, l.Map2)
	}
	if o := evalJS[[]string](t, ctx, "overlapping labels", overlappingLabels); len(o) > 0 {
		t.Errorf("side by side at 1280×720: labels drawn over one another: %v", o)
	}
	shot("t2-side-by-side-1280x720.png")

	// 2. A map too small for all its labels (a squeezed window): a label
	// shrinks, then is left out rather than drawn over another.
	run("squeeze the map", jsStep(`(() => { const v = document.getElementById('view'); v.value = 'diff'; v.dispatchEvent(new Event('change'));
		document.getElementById('maps').style.cssText = 'flex: none; height: 180px; min-height: 0'; })()`))
	settled("squeezed", `document.getElementById('map1').getBoundingClientRect().height < 190`)
	if o := evalJS[[]string](t, ctx, "overlapping labels", overlappingLabels); len(o) > 0 {
		t.Errorf("a 180 px map: labels drawn over one another: %v", o)
	}
	if n := evalJS[int](t, ctx, "labels", `document.querySelectorAll('#map1 g.labels text').length`); n < 8 {
		t.Errorf("a 180 px map names %d regions; want those that fit", n)
	}
	shot("t3-squeezed.png")
	run("unsqueeze", jsStep(`document.getElementById('maps').style.cssText = ''`))

	// 3. The charts' labels stay inside the charts (a ten-year run ends on
	// a labelled year) and the right column is not cramped at 1920×1080
	// (Hamar's moves of 30 years ran into the motives' names).
	for _, size := range [][2]int64{{1280, 720}, {1920, 1080}} {
		run("resize", chromedp.EmulateViewport(size[0], size[1]))
		settled("resized", `document.getElementById('map1').getBoundingClientRect().width > 0`)
		if cl := evalJS[[]string](t, ctx, "chart text", clippedChartText); len(cl) > 0 {
			t.Errorf("%d×%d, teaching mode: %v", size[0], size[1], cl)
		}
	}
	if cw := evalJS[float64](t, ctx, "charts width", `document.getElementById('charts').getBoundingClientRect().width`); cw < 420 {
		t.Errorf("1920×1080: the charts' column is %.0f px wide; want it to grow with the screen", cw)
	}
	shot("t4-teaching-compare-1920x1080.png")
	run("Norway at 1920×1080", jsStep(`document.getElementById('teaching').click()`), chromedp.SetValue(chromedp.CSS(`#world`), "norway-2024"),
		jsStep(`document.getElementById('world').dispatchEvent(new Event('change'))`), chromedp.WaitVisible(chromedp.CSS(`#map1 path[data-code="0301"]`)),
		chromedp.SetValue(chromedp.CSS(`#years`), "30"), jsStep(`document.getElementById('compare').checked && document.getElementById('compare').click()`),
		chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)),
		jsStep(`settle.playing && document.getElementById('play').click()`),
		jsStep(`(() => { const y = document.getElementById('year'); y.value = y.max; y.dispatchEvent(new Event('input')); })()`),
		jsStep(`(() => { const f = document.getElementById('find'); f.value = 'Hamar'; f.dispatchEvent(new Event('change')); })()`))
	settled("Hamar", `!document.getElementById('region-charts').hidden && /^Done/.test(document.getElementById('status').textContent)`)
	if cl := evalJS[[]string](t, ctx, "chart text", clippedChartText); len(cl) > 0 {
		t.Errorf("1920×1080, Norway: %v", cl)
	}
	if s := evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`); !strings.Contains(s, "click a municipality") {
		t.Errorf("Norway: the status %q; its regions are municipalities", s)
	}
	if c := evalJS[bool](t, ctx, "caption", `document.getElementById('cap1').hidden`); !c {
		t.Errorf("a run without Compare has a caption over its map")
	}
	shot("t5-norway-1920x1080.png")

	// 4. The form's checks say every mistake at once: Years 2.5 does not
	// hide Scale 1.5, nor the server's problem of an intervention; scale 0
	// is caught before anything is sent, in the words of the other checks.
	run("1280×720", chromedp.EmulateViewport(1280, 720))
	for _, c := range []struct {
		set  string
		want []string
	}{
		{`s.value = '1.5'; y.value = '2.5'`, []string{"Scale (share simulated): 1.5 is too large; write a share above 0 and at most 1", "Years: 2.5 is not a whole number"}},
		{`s.value = '0'`, []string{"Scale (share simulated): must be above 0: the share of the population to simulate"}},
		{`s.value = '0,3'`, []string{"Scale (share simulated): 0,3 is too large for this server; write a share above 0 and at most 0.216 in norway-2024"}},
		{`y.value = '2.5'; addHousing(2020)`, []string{"Years: 2.5 is not a whole number", "Intervention 1 (Housing) · From year: 2020 is before the start year 2024"}},
	} {
		run("mistake", jsStep(`(() => {
			const s = document.getElementById('scale'), y = document.getElementById('years');
			s.value = '0.05'; y.value = '10';
			document.querySelectorAll('#interventions .card').forEach(c => c.remove());
			const addHousing = from => {
				const k = document.getElementById('add-kind'); k.value = 'housing'; document.getElementById('add').click();
				document.querySelector('.card [data-key="from_year"]').value = from;
				const r = document.querySelector('.card .regions input'); r.value = 'Hamar'; r.dispatchEvent(new Event('change'));
			};
			document.getElementById('problems').textContent = '';
			`+c.set+`; })()`), chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`#problems li`)))
		problem := evalJS[string](t, ctx, "problem", `document.getElementById('problems').textContent`)
		status := evalJS[string](t, ctx, "status", `document.getElementById('status').textContent`)
		if !strings.HasPrefix(status, "Check the scenario") || !strings.Contains(problem, fmt.Sprintf("%d problem", len(c.want))) {
			t.Errorf("%s: status %q, problems %q; want the form's %d", c.set, status, problem, len(c.want))
		}
		for _, want := range c.want {
			if !strings.Contains(strings.ReplaceAll(problem, "\u00a0", " "), want) {
				t.Errorf("%s: problems %q; want %q", c.set, problem, want)
			}
		}
	}
	shot("t6-form-1280x720.png")

	// 5. A phone: the layout of one column is as before.
	run("phone", chromedp.EmulateViewport(390, 844), jsStep(`document.querySelectorAll('#interventions .card').forEach(c => c.remove());
		document.getElementById('scale').value = '0.05'; document.getElementById('years').value = '3'`),
		chromedp.Click(chromedp.CSS(`#compare`)), chromedp.Click(chromedp.CSS(`#run`)), chromedp.WaitVisible(chromedp.CSS(`body[data-done="1"]`)))
	type phone struct{ Width, Map, Status float64 }
	if p := evalJS[phone](t, ctx, "phone", `({Width: document.documentElement.scrollWidth, Map: document.getElementById('map1').getBoundingClientRect().height,
		Status: document.getElementById('status').getBoundingClientRect().width})`); p.Width > 390 || p.Map < 300 || p.Status < 300 {
		t.Errorf("390×844: page %.0f px wide, map %.0f px tall, status %.0f px wide", p.Width, p.Map, p.Status)
	}
	shot("t7-phone.png")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %s", fmt.Sprint(errs))
	}
}
