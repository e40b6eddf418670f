package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

// logBuf collects a server's log lines.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logBuf) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range l.lines {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server, *logBuf) {
	t.Helper()
	log := &logBuf{}
	if opts.Logf == nil {
		opts.Logf = log.logf
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts, log
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func post(t *testing.T, url string, body any) (*http.Response, []byte) {
	t.Helper()
	var data []byte
	switch b := body.(type) {
	case []byte:
		data = b
	default:
		data, _ = json.Marshal(b)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// teachingSpec is a small, fast scenario: the teaching world at 10 %.
func teachingSpec(years int) Spec {
	return Spec{Name: "test", World: "teaching", Years: years, Seed: 1, Scale: 0.1}
}

func TestStaticAndHeaders(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	resp, body := get(t, ts.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<title>Settle") {
		t.Fatalf("GET /: %d %.80q", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, f := range []string{"app.js", "draw.js", "app.css", "icon.svg"} {
		resp, body := get(t, ts.URL+"/static/"+f)
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET /static/%s: %d", f, resp.StatusCode)
		}
		// No asset may reach for the network: the classroom may be offline.
		if bytes.Contains(body, []byte("https://")) && !strings.HasSuffix(f, ".svg") {
			t.Errorf("%s refers to an outside address", f)
		}
	}
	if ct := mustHeader(t, ts.URL+"/static/app.js", "Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("app.js served as %q", ct)
	}
}

func mustHeader(t *testing.T, url, key string) string {
	resp, _ := get(t, url)
	return resp.Header.Get(key)
}

// TestNothingElseServed: the page's assets and the scenario files are all
// that can be read; no path leaves them.
func TestNothingElseServed(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.toml")
	os.WriteFile(secret, []byte("secret = true\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.toml"), []byte("[scenario]\nname = \"ok\"\nworld = \"teaching\"\nyears = 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a scenario"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "link.toml")); err != nil {
		t.Fatal(err)
	}
	// One folder down: scenarios (compare/b.toml) are offered, other TOML
	// (a sweep), deeper folders and linked folders are not.
	for _, d := range []string{"compare/deeper", "sweeps"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	os.WriteFile(filepath.Join(dir, "compare", "b.toml"), []byte("# an example\n[scenario] # the bridge\nname = \"b\"\nworld = \"teaching\"\nyears = 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "compare", "deeper", "c.toml"), []byte("[scenario]\nname = \"c\"\nworld = \"teaching\"\nyears = 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sweeps", "s.toml"), []byte("[sweep]\nname = \"s\"\n"), 0o644)
	if err := os.Symlink(filepath.Dir(secret), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	_, ts, _ := newTestServer(t, Options{ScenariosDir: dir})

	_, body := get(t, ts.URL+"/api/scenarios")
	var list []struct{ File string }
	json.Unmarshal(body, &list)
	if len(list) != 2 || list[0].File != "ok.toml" || list[1].File != "compare/b.toml" {
		t.Errorf("listed %s; want only ok.toml and compare/b.toml (no links, no other files)", body)
	}
	for _, path := range []string{
		"/api/scenarios/link.toml", "/api/scenarios/notes.txt", "/api/scenarios/..%2Fsecret.toml",
		"/api/scenarios/%2e%2e%2fgo.mod", "/static/../server.go", "/static/%2e%2e/server.go",
		"/server.go", "/go.mod", "/api/scenarios/.hidden.toml", "/static/static/app.js",
		"/api/scenarios/sweeps%2Fs.toml", "/api/scenarios/linked%2Fsecret.toml", "/api/scenarios/compare%2Fdeeper%2Fc.toml",
		"/api/scenarios/compare%2F..%2F..%2Fsecret.toml",
	} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode == 200 || bytes.Contains(body, []byte("secret = true")) || bytes.Contains(body, []byte("package web")) {
			t.Errorf("GET %s: %d %.60q; want it refused", path, resp.StatusCode, body)
		}
	}
	resp, body := get(t, ts.URL+"/api/scenarios/ok.toml")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"ok"`) {
		t.Errorf("GET ok.toml: %d %s", resp.StatusCode, body)
	}
	// As app.js asks for it (encodeURIComponent).
	resp, body = get(t, ts.URL+"/api/scenarios/compare%2Fb.toml")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"b"`) {
		t.Errorf("GET compare/b.toml: %d %s", resp.StatusCode, body)
	}
}

// TestScenarioFilesReadOnce: listing the scenarios reads each file once
// (a subfolder's file is read to tell a scenario from a sweep, and that
// reading serves the list too), and loading one reads that file only.
func TestScenarioFilesReadOnce(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"compare", "sweeps"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	scen := func(name string) []byte {
		return []byte("[scenario]\nname = \"" + name + "\"\ndescription = \"about " + name + "\"\nworld = \"teaching\"\nyears = 2\n")
	}
	os.WriteFile(filepath.Join(dir, "a.toml"), scen("a"), 0o644)
	os.WriteFile(filepath.Join(dir, "compare", "b.toml"), scen("b"), 0o644)
	os.WriteFile(filepath.Join(dir, "compare", "c.toml"), scen("c"), 0o644)
	os.WriteFile(filepath.Join(dir, "sweeps", "s.toml"), []byte("[sweep]\nname = \"s\"\n"), 0o644)
	s, ts, _ := newTestServer(t, Options{ScenariosDir: dir})
	var mu sync.Mutex
	reads := map[string]int{}
	s.onRead = func(name string) {
		mu.Lock()
		defer mu.Unlock()
		reads[name]++
	}
	take := func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		r := reads
		reads = map[string]int{}
		return r
	}

	_, body := get(t, ts.URL+"/api/scenarios")
	var list []struct{ File, Description string }
	json.Unmarshal(body, &list)
	var files []string
	for _, e := range list {
		files = append(files, e.File)
		if e.Description != "about "+strings.TrimSuffix(path.Base(e.File), ".toml") {
			t.Errorf("%s: description %q", e.File, e.Description)
		}
	}
	if want := []string{"a.toml", "compare/b.toml", "compare/c.toml"}; !slices.Equal(files, want) {
		t.Errorf("listed %v; want %v, each once", files, want)
	}
	want := map[string]int{"a.toml": 1, "compare/b.toml": 1, "compare/c.toml": 1, "sweeps/s.toml": 1}
	if got := take(); !reflect.DeepEqual(got, want) {
		t.Errorf("listing read %v; want each file once: %v", got, want)
	}

	for _, name := range []string{"compare/b.toml", "a.toml"} {
		resp, body := get(t, ts.URL+"/api/scenarios/"+url.PathEscape(name))
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", name, resp.StatusCode, body)
		}
		if got := take(); !reflect.DeepEqual(got, map[string]int{name: 1}) {
			t.Errorf("loading %s read %v; want that file once and no other", name, got)
		}
	}
	// A sweep one folder down is read to be refused, once.
	if resp, _ := get(t, ts.URL+"/api/scenarios/sweeps%2Fs.toml"); resp.StatusCode != 404 {
		t.Errorf("GET sweeps/s.toml: %d; want 404", resp.StatusCode)
	}
	if got := take(); len(got) > 1 || got["sweeps/s.toml"] > 1 {
		t.Errorf("refusing sweeps/s.toml read %v", got)
	}
}

func TestLoopbackOnly(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{LoopbackOnly: true})
	req, _ := http.NewRequest("GET", ts.URL+"/api/status", nil)
	req.Host = "attacker.example:8080"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host attacker.example: %d, want 421", resp.StatusCode)
	}
	for _, host := range []string{"localhost:8080", "127.0.0.1:9", "[::1]:8080"} {
		if !loopbackHost(host) {
			t.Errorf("%s is loopback", host)
		}
	}
}

func TestConfigAndMaps(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	_, body := get(t, ts.URL+"/api/config")
	var cfg struct {
		Worlds []struct {
			Name                 string
			MaxScale             float64
			Region, RegionPlural string
		}
		Kinds []kindJSON
	}
	if err := json.Unmarshal(body, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Kinds) != len(intervention.Kinds) || len(cfg.Worlds) != 2 {
		t.Fatalf("config: %d kinds (want %d), %d worlds", len(cfg.Kinds), len(intervention.Kinds), len(cfg.Worlds))
	}
	for _, w := range cfg.Worlds {
		// 1,200,000 persons: Norway at 0.216, the teaching world whole.
		if want := map[string]float64{"norway-2024": 0.216, "teaching": 1}[w.Name]; w.MaxScale != want {
			t.Errorf("%s: max scale %g, want %g", w.Name, w.MaxScale, want)
		}
		// The page calls Norway's regions municipalities, the invented
		// world's regions.
		if want := map[string]string{"norway-2024": "municipality municipalities", "teaching": "region regions"}[w.Name]; w.Region+" "+w.RegionPlural != want {
			t.Errorf("%s: its regions are called %q and %q, want %q", w.Name, w.Region, w.RegionPlural, want)
		}
	}
	for _, k := range cfg.Kinds {
		// The form offers no phase-in for a kind that is on or off.
		if k.NoPhaseIn != (k.Kind == "municipal_cooperation") {
			t.Errorf("%s: noPhaseIn %v", k.Kind, k.NoPhaseIn)
		}
		for _, p := range k.Params {
			if (p.Kind == "number" || p.Kind == "integer") && !(p.SliderMin < p.SliderMax) {
				t.Errorf("%s.%s: slider %g..%g", k.Kind, p.Key, p.SliderMin, p.SliderMax)
			}
		}
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/map/norway-2024", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("map not gzipped: %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m Map
	if err := json.NewDecoder(zr).Decode(&m); err != nil || len(m.Regions) != 357 {
		t.Fatalf("map: %v, %d regions", err, len(m.Regions))
	}
	if resp, _ := get(t, ts.URL+"/api/map/atlantis"); resp.StatusCode != 404 {
		t.Errorf("unknown world: %d", resp.StatusCode)
	}
}

type problemsBody struct {
	Error    string
	Problems []Problem
}

// TestBadInput: every mistake gets a 400 with a message that names the
// field and the fix, before anything runs.
func TestBadInput(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	withIV := func(iv Intervention) Spec {
		s := teachingSpec(5)
		s.Interventions = []Intervention{iv}
		return s
	}
	norway := teachingSpec(5)
	norway.World, norway.Scale = "norway-2024", 0.5
	for _, c := range []struct {
		name string
		spec Spec
		key  string
		msg  string
	}{
		{"scale", func() Spec { s := teachingSpec(5); s.Scale = 5; return s }(), "scenario.scale", "5 is out of range"},
		// A seed the scenario format cannot hold: said of Seed, not as
		// the TOML parser's complaint with carets under the number.
		{"seed", func() Spec { s := teachingSpec(5); s.Seed = 1 << 63; return s }(), "scenario.seed", "9223372036854775808 is too large; give a whole number from 0 to 9,223,372,036,854,775,807"},
		// In the form's words: From year, not from_year = 2020.
		{"from_year before", withIV(Intervention{Kind: "remote_work", FromYear: 2020, Params: map[string]any{"share": 0.5}}),
			"intervention[1].from_year", "2020 is before the start year 2024; use 2024 or later"},
		{"to_year", withIV(Intervention{Kind: "remote_work", FromYear: 2026, ToYear: 2025, Params: map[string]any{"share": 0.5}}),
			"intervention[1].to_year", "2025 is before From year 2026; give a last year on or after From year, or leave To year empty (no end)"},
		{"no target", withIV(Intervention{Kind: "housing", FromYear: 2025, Params: map[string]any{"dwellings_per_year": 50.0}}),
			"intervention[1]", "Housing needs target regions: add at least one under Regions"},
		{"alternatives", withIV(Intervention{Kind: "region_enlargement", Regions: []string{"T01", "T02"}, FromYear: 2025, Params: map[string]any{}}),
			"intervention[1].travel_time_factor", "Region enlargement needs one of travel time factor, minutes saved or minutes; tick one of them"},
		{"persons", norway, "scenario.scale", "this server allows at most 1,200,000"},
		{"years", teachingSpec(0), "scenario.years", "simulate 1 to 50 years"},
		{"world", func() Spec { s := teachingSpec(5); s.World = "../etc/passwd"; return s }(), "scenario.world", "unknown world"},
		{"name", func() Spec { s := teachingSpec(5); s.Name = "my run"; return s }(), "scenario.name", "letters, digits"},
		{"region", withIV(Intervention{Kind: "housing", Regions: []string{"Storhvn"}, FromYear: 2025, Params: map[string]any{"dwellings_per_year": 50.0}}),
			"intervention[1].regions", `did you mean "Storhavn"`},
		{"range", withIV(Intervention{Kind: "remote_work", FromYear: 2025, Params: map[string]any{"share": 1.5}}),
			"intervention[1].share", "1.5"},
		{"from_year", withIV(Intervention{Kind: "remote_work", FromYear: 2040, Params: map[string]any{"share": 0.5}}),
			"intervention[1].from_year", "after the last simulated year"},
		{"param name", withIV(Intervention{Kind: "remote_work", FromYear: 2025, Params: map[string]any{"share\n[x]": 0.5}}),
			"intervention[1]", "not a parameter name"},
		{"regions and county", withIV(Intervention{Kind: "housing", Regions: []string{"T01"}, County: []string{"Midt"}, FromYear: 2025, Params: map[string]any{"dwellings_per_year": 50.0}}),
			"intervention[1].regions", "give regions or county and centrality, not both"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/api/run", "/api/toml"} {
				resp, body := post(t, ts.URL+path, map[string]any{"spec": c.spec})
				var pb problemsBody
				json.Unmarshal(body, &pb)
				ok := resp.StatusCode == 400
				found := false
				for _, p := range pb.Problems {
					found = found || (p.Key == c.key && strings.Contains(p.Message, c.msg))
				}
				if !ok || !found {
					t.Errorf("POST %s: %d %.300s; want 400 with %s: …%s…", path, resp.StatusCode, body, c.key, c.msg)
				}
			}
		})
	}
	// A scale and years beyond the server's limits are reported with the
	// interventions' problems, not instead of them.
	both := withIV(Intervention{Kind: "housing", Regions: []string{"Storhvn"}, FromYear: 2025, Params: map[string]any{"dwellings_per_year": 50.0}})
	both.Scale, both.Years = 5, 500
	resp, body := post(t, ts.URL+"/api/toml", map[string]any{"spec": both})
	var pb problemsBody
	json.Unmarshal(body, &pb)
	keys := map[string]bool{}
	for _, p := range pb.Problems {
		keys[p.Key] = true
	}
	if resp.StatusCode != 400 || len(pb.Problems) != 3 || !keys["scenario.scale"] || !keys["scenario.years"] || !keys["intervention[1].regions"] {
		t.Errorf("scale, years and a region typo: %d %.400s; want 400 with the three problems", resp.StatusCode, body)
	}
	// A kind of the catalogue that the engine cannot simulate yet (if any).
	for _, k := range intervention.KindNames() {
		if intervention.Available(k) {
			continue
		}
		iv := Intervention{Kind: k, Regions: []string{"T01", "T02"}, FromYear: 2025, Params: map[string]any{}}
		for _, p := range intervention.Kinds[k].Params {
			iv.Params[p.Key] = 1.0
		}
		resp, body := post(t, ts.URL+"/api/run", map[string]any{"spec": withIV(iv)})
		if resp.StatusCode != 400 || !strings.Contains(string(body), "cannot be simulated yet") {
			t.Errorf("%s (no mechanism yet): %d %.300s; want 400, cannot be simulated yet", k, resp.StatusCode, body)
		}
	}
	// Requests that are not a scenario at all.
	for _, c := range []struct {
		name string
		body []byte
		code int
	}{
		{"not JSON", []byte("[scenario]\nname = 1"), 400},
		{"unknown field", []byte(`{"spec": {"name": "x"}, "run": "rm -rf"}`), 400},
		{"two values", []byte(`{"spec": {}} {}`), 400},
		{"too large", append([]byte(`{"spec": {"name": "`), bytes.Repeat([]byte("x"), maxBody)...), 413},
	} {
		resp, body := post(t, ts.URL+"/api/run", c.body)
		if resp.StatusCode != c.code || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: %d %.100s; want %d with an error message", c.name, resp.StatusCode, body, c.code)
		}
	}
	// A number the JSON field cannot hold (a seed of 10^23 typed into the
	// form): a problem of Seed, not Go's decoding error and "reload the
	// page".
	resp, body = post(t, ts.URL+"/api/run", []byte(`{"spec": {"name": "x", "world": "teaching", "years": 5, "seed": 99999999999999999999999, "scale": 0.1}}`))
	pb = problemsBody{}
	json.Unmarshal(body, &pb)
	if resp.StatusCode != 400 || len(pb.Problems) != 1 || pb.Problems[0].Key != "scenario.seed" ||
		!strings.Contains(pb.Problems[0].Message, "99999999999999999999999 is not a whole number from 0 to 9,223,372,036,854,775,807") || strings.Contains(string(body), "unmarshal") {
		t.Errorf("seed 1e23: %d %s; want 400 with a problem of scenario.seed", resp.StatusCode, body)
	}
	// No number at all where the form has a number field: said to be no
	// number (not "string is not a whole number", nor Go's decoding error).
	for _, c := range []struct{ years, seed, scale, key, want string }{
		{`"x"`, `1`, `0.1`, "scenario.years", "is text, not a number; give a whole number of years, e.g. 20"},
		{`5`, `true`, `0.1`, "scenario.seed", "is true or false, not a number; give a whole number from 0 to 9,223,372,036,854,775,807"},
		{`5`, `1`, `"1,5"`, "scenario.scale", "is text, not a number; give a share above 0 and at most 1 (0.05 is a 5 % sample)"},
		{`5`, `1`, `1e400`, "scenario.scale", "1e400 is out of range; give a share above 0 and at most 1"},
	} {
		resp, body := post(t, ts.URL+"/api/run", []byte(`{"spec": {"name": "x", "world": "teaching", "years": `+c.years+`, "seed": `+c.seed+`, "scale": `+c.scale+`}}`))
		pb := problemsBody{}
		json.Unmarshal(body, &pb)
		if resp.StatusCode != 400 || len(pb.Problems) != 1 || pb.Problems[0].Key != c.key || !strings.HasPrefix(pb.Problems[0].Message, c.want) ||
			strings.Contains(string(body), "unmarshal") || strings.Contains(string(body), "string") {
			t.Errorf("years %s, seed %s, scale %s: %d %s; want 400 with a problem of %s: %q", c.years, c.seed, c.scale, resp.StatusCode, body, c.key, c.want)
		}
	}
}

// TestFormWords: the page has a form, not TOML, so the scenario checks'
// messages reach it in the form's words: no key = value, no TOML keys such
// as from_year or minutes_saved, no lines of the TOML the server wrote.
func TestFormWords(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	iv := func(ivs ...Intervention) Spec {
		s := teachingSpec(5)
		s.Interventions = ivs
		return s
	}
	specs := []Spec{
		func() Spec { s := teachingSpec(5); s.Name = ""; return s }(),
		func() Spec { s := teachingSpec(5); s.Scale = 0.00001; return s }(),
		iv(Intervention{Kind: "housing", FromYear: 2020, ToYear: 2019, PhaseInYears: -1, Params: map[string]any{"dwellings_per_year": 50.5}}),
		iv(Intervention{Kind: "region_enlargement", Regions: []string{"T01"}, FromYear: 2025, Params: map[string]any{"minutes_saved": 5.0, "travel_time_factor": 0.5}}),
		iv(Intervention{Kind: "campus", Regions: []string{"T01"}, FromYear: 2025, Params: map[string]any{}}),
		iv(Intervention{Kind: "campus", Regions: []string{"T01"}, FromYear: 2025, Params: map[string]any{"students": 99999999.0}}),
		iv(Intervention{Kind: "remote_work", FromYear: 2025, Params: map[string]any{"share": 0.5, "skill_levels": []any{}}}),
		iv(Intervention{Kind: "campus", Name: "a", Regions: []string{"T01"}, FromYear: 2025, Params: map[string]any{"students": 9.0}},
			Intervention{Kind: "campus", Name: "a", Regions: []string{"T02"}, FromYear: 2025, Params: map[string]any{"students": 9.0}}),
	}
	tomlKey := regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b| = |\.toml|at line \d`)
	var all []string
	for _, sp := range specs {
		resp, body := post(t, ts.URL+"/api/toml", map[string]any{"spec": sp})
		var pb problemsBody
		json.Unmarshal(body, &pb)
		if resp.StatusCode != 400 || len(pb.Problems) == 0 {
			t.Errorf("%+v: %d %s; want 400 with problems", sp, resp.StatusCode, body)
		}
		for _, p := range pb.Problems {
			all = append(all, p.Message)
			if tomlKey.MatchString(p.Message) {
				t.Errorf("%s: %q speaks TOML (%q)", p.Key, p.Message, tomlKey.FindString(p.Message))
			}
		}
	}
	for _, want := range []string{
		`The name is empty; give the scenario a name of letters, digits, - and _, e.g. "baseline"`,
		"1e-05 is too small for world teaching",
		"-1 is negative; use 0 (full effect from From year) or more years, e.g. 3",
		"50.5 is not a whole number; write 51",
		"Region enlargement takes either travel time factor or minutes saved, not both; untick one of them",
		"Campus needs students; set students to",
		`The name "a" is already used by intervention 1; give each intervention its own name`,
	} {
		if !slices.ContainsFunc(all, func(m string) bool { return strings.Contains(m, want) }) {
			t.Errorf("no message says %q; they say:\n%s", want, strings.Join(all, "\n"))
		}
	}
	// The catalogue's texts, which the form shows beside each field.
	for _, k := range catalogue() {
		for _, doc := range append([]string{k.Doc}, func() (d []string) {
			for _, p := range k.Params {
				d = append(d, p.Doc)
			}
			return
		}()...) {
			// The form's keys and kinds (a model parameter such as
			// util_home is named as docs/model.md names it).
			for _, m := range regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`).FindAllString(doc, -1) {
				if _, kind := intervention.Kinds[m]; kind || slices.Contains(formKeys, m) {
					t.Errorf("%s: the form's text %q names %s", k.Kind, doc, m)
				}
			}
		}
	}
}

// TestWarnings: what settle validate warns about (intervention.Implausible)
// reaches the page, in the form's words and about its intervention, when
// a run starts and when a file is loaded; the run goes ahead.
func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "closure.toml"), []byte(`[scenario]
name = "closure"
world = "teaching"
years = 3
seed = 1
scale = 0.1

[[intervention]]
kind = "housing"
name = "Homes"
regions = ["Øvre Dal"]
from_year = 2025
dwellings_per_year = 3000
`), 0o644)
	_, ts, _ := newTestServer(t, Options{ScenariosDir: dir})
	spec := teachingSpec(2)
	spec.Interventions = []Intervention{
		{Kind: "remote_work", Name: "Fine", FromYear: 2025, Params: map[string]any{"share": 0.1}},
		{Kind: "business_development", Name: "Plant closes", Regions: []string{"Holmøy"}, FromYear: 2025, Params: map[string]any{"jobs": -5000.0, "skill_level": "medium"}},
	}
	ch, cancel := startRun(t, ts.URL, runRequest{Spec: spec})
	defer cancel()
	e := next(t, ch)
	var start struct{ Warnings []Problem }
	json.Unmarshal(e.data, &start)
	if e.name != "start" || len(start.Warnings) != 1 || start.Warnings[0].Key != "intervention[2]" ||
		!strings.HasPrefix(start.Warnings[0].Message, "Plant closes (business development) removes 5,000 medium-skill jobs in Holmøy (T14") ||
		strings.Contains(start.Warnings[0].Message, ".toml") {
		t.Errorf("start event %s %s; want the warning about closing 5,000 jobs in Holmøy, of intervention 2", e.name, e.data)
	}
	for e := range ch {
		if e.name == "done" {
			break
		}
		if e.name != "frame" {
			t.Fatalf("event %s %s: the warning must not stop the run", e.name, e.data)
		}
	}
	_, body := get(t, ts.URL+"/api/scenarios/closure.toml")
	var l loaded
	json.Unmarshal(body, &l)
	if len(l.Warnings) != 1 || l.Warnings[0].Key != "intervention[1]" || !strings.Contains(l.Warnings[0].Message, "Homes (housing) builds 3,000 dwellings a year in Øvre Dal") ||
		!strings.Contains(l.Warnings[0].Message, "574 % of them each year") {
		t.Errorf("loading closure.toml: %s; want its warning about 3,000 dwellings a year in Øvre Dal", body)
	}
}

// TestURLs: a server on every address is opened at this machine's
// network addresses (a classroom's devices may not resolve its name), and
// the page shows them when the server answers beyond this machine.
func TestURLs(t *testing.T) {
	cidr := func(s string) net.Addr {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	ifs := []net.Addr{cidr("127.0.0.1/8"), cidr("192.168.1.23/24"), cidr("169.254.3.4/16"), cidr("::1/128"), cidr("fe80::1/64"), cidr("2001:db8::5/64"), cidr("10.0.0.7/8")}
	for _, c := range []struct {
		ip   net.IP
		want []string
	}{
		{net.IPv4zero, []string{"http://localhost:8080", "http://192.168.1.23:8080", "http://10.0.0.7:8080"}},
		{net.IPv6unspecified, []string{"http://localhost:8080", "http://192.168.1.23:8080", "http://10.0.0.7:8080", "http://[2001:db8::5]:8080"}},
		{net.ParseIP("192.168.1.23"), []string{"http://192.168.1.23:8080"}},
	} {
		if got := urls(c.ip, 8080, ifs); !slices.Equal(got, c.want) {
			t.Errorf("listening on %s: %v, want %v", c.ip, got, c.want)
		}
	}
	if got := URLs(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}); !slices.Equal(got, []string{"http://127.0.0.1:80"}) {
		t.Errorf("on 127.0.0.1:80: %v", got)
	}
	if got := URLs(&net.TCPAddr{IP: net.IPv4zero, Port: 80}); len(got) == 0 || got[0] != "http://localhost:80" {
		t.Errorf("on 0.0.0.0:80: %v, want localhost first", got)
	}
	// The page: no addresses from a loopback-only server; from one open
	// to the network, this machine's own (here reached through
	// 127.0.0.1), never localhost.
	for _, loop := range []bool{true, false} {
		_, ts, _ := newTestServer(t, Options{LoopbackOnly: loop})
		_, body := get(t, ts.URL+"/api/config")
		var cfg struct{ URLs []string }
		json.Unmarshal(body, &cfg)
		port := ts.URL[strings.LastIndexByte(ts.URL, ':'):]
		for _, u := range cfg.URLs {
			if loop || strings.Contains(u, "localhost") || strings.Contains(u, "127.0.0.1") || !strings.HasSuffix(u, port) {
				t.Errorf("loopback only %v: the page is told to open %v", loop, cfg.URLs)
				break
			}
		}
		// A machine with a network address names it to a server open to
		// the network.
		if !loop && len(cfg.URLs) == 0 && hasNetworkAddress() {
			t.Error("open to the network: the page is told no address, though this machine has one")
		}
	}
}

// hasNetworkAddress reports whether this machine has an address other than
// a loopback or link-local one.
func hasNetworkAddress() bool {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() && !ip.IP.IsLinkLocalUnicast() {
			return true
		}
	}
	return false
}

// TestScenarioFilesRoundTrip: every file of scenarios/ loads into the form,
// and the TOML the app writes from it parses with sim/scenario to the same
// scenario (targets, years, parameters).
func TestScenarioFilesRoundTrip(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{ScenariosDir: "../scenarios"})
	files, _ := filepath.Glob("../scenarios/*.toml")
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			_, body := get(t, ts.URL+"/api/scenarios/"+name)
			var l loaded
			if err := json.Unmarshal(body, &l); err != nil || l.Spec == nil {
				t.Fatalf("load: %v %s", err, body)
			}
			resp, data := post(t, ts.URL+"/api/toml", map[string]any{"spec": l.Spec})
			if resp.StatusCode != 200 {
				t.Fatalf("toml: %d %s", resp.StatusCode, data)
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, l.Spec.Name+".toml") {
				t.Errorf("Content-Disposition %q", cd)
			}
			got, err := scenario.Parse("downloaded.toml", data)
			if err != nil {
				t.Fatalf("the downloaded TOML does not parse: %v\n%s", err, data)
			}
			w, err := got.LoadWorld()
			if err != nil {
				t.Fatalf("resolve: %v\n%s", err, data)
			}
			orig, err := scenario.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := orig.LoadWorld(); err != nil {
				t.Fatal(err)
			}
			if got.Name != orig.Name || got.Years != orig.Years || got.Seed != orig.Seed || got.World != orig.World || got.Projection != orig.Projection ||
				!reflect.DeepEqual(got.Overrides, orig.Overrides) || len(got.Interventions) != len(orig.Interventions) {
				t.Fatalf("the download differs from %s:\n%s", f, data)
			}
			for i, a := range got.Interventions {
				b := orig.Interventions[i]
				if a.Kind != b.Kind || a.Name != b.Name || !slices.Equal(a.Regions, b.Regions) || a.FromYear != b.FromYear ||
					a.ToYear != b.ToYear || a.PhaseInYears != b.PhaseInYears || len(a.Params) != len(b.Params) {
					t.Errorf("intervention %d: %+v, file has %+v", i+1, a, b)
				}
				// A selection by county or centrality stays one.
				gc, gk := got.Selection(i)
				oc, ok := orig.Selection(i)
				if !slices.Equal(gc, oc) || !slices.Equal(gk, ok) {
					t.Errorf("intervention %d selects by county %v and centrality %v, the file by %v and %v", i+1, gc, gk, oc, ok)
				}
				for k, v := range a.Params {
					if o := b.Params[k]; o.Num != v.Num || o.Str != v.Str || !slices.Equal(o.List, v.List) || o.Bool != v.Bool {
						t.Errorf("intervention %d: %s = %+v, file has %+v", i+1, k, v, o)
					}
				}
			}
			if w.N() > 100 && !strings.Contains(string(data), "# ") {
				t.Errorf("no region names in the comments:\n%s", data)
			}
		})
	}
}

func TestTOMLStrings(t *testing.T) {
	s := teachingSpec(3)
	s.Description = "quotes \" and \\ backslash,\nnewline\tand tab, æøå, \x01"
	s.Interventions = []Intervention{{Kind: "reputation", Name: `"Holmøy" brand`, Regions: []string{"T14"}, FromYear: 2025, Params: map[string]any{"boost": 0.25}}}
	data := s.TOML(loadWorld(t, "teaching"))
	got, err := scenario.Parse("x.toml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if got.Description != s.Description || got.Interventions[0].Name != s.Interventions[0].Name {
		t.Errorf("round trip: %q, %q", got.Description, got.Interventions[0].Name)
	}
	if !strings.Contains(string(data), "# Holmøy") {
		t.Errorf("no region name comment:\n%s", data)
	}
}

// event is one Server-Sent Event.
type event struct {
	name string
	data []byte
}

// events reads the SSE stream of resp into ch until it ends.
func events(resp *http.Response, ch chan<- event) {
	defer close(ch)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	var e event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			e.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = []byte(line[6:])
		case line == "":
			ch <- e
			e = event{}
		}
	}
}

// startRun posts a run and returns its events; cancel ends the request as a
// closed page would.
func startRun(t *testing.T, url string, req runRequest) (<-chan event, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(req)
	hr, _ := http.NewRequestWithContext(ctx, "POST", url+"/api/run", bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		cancel()
		t.Fatalf("run: %d %s", resp.StatusCode, b)
	}
	ch := make(chan event, 64)
	go events(resp, ch)
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return ch, cancel
}

func next(t *testing.T, ch <-chan event) event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(20 * time.Second):
		t.Fatal("no event in 20 s")
	}
	return event{}
}

func TestRunStreams(t *testing.T) {
	_, ts, log := newTestServer(t, Options{MaxRuns: 1})
	spec := teachingSpec(4)
	spec.Interventions = []Intervention{{Kind: "business_development", Regions: []string{"Øvre Dal"}, FromYear: 2026,
		Params: map[string]any{"jobs": 400.0, "skill_level": "high"}}}
	ch, _ := startRun(t, ts.URL, runRequest{Spec: spec, Compare: true, Replicates: 1}) // TestCompareReplicates has more
	if e := next(t, ch); e.name != "start" {
		t.Fatalf("first event %q, want start", e.name)
	}
	frames := map[string][]Frame{}
	raw := map[string][][]byte{}
	for e := range ch {
		if e.name == "done" {
			break
		}
		if e.name != "frame" {
			t.Fatalf("event %q %s", e.name, e.data)
		}
		var f Frame
		if err := json.Unmarshal(e.data, &f); err != nil {
			t.Fatal(err)
		}
		frames[f.Side] = append(frames[f.Side], f)
		raw[f.Side] = append(raw[f.Side], bytes.Replace(e.data, []byte(`"side":"baseline"`), []byte(`"side":"scenario"`), 1))
	}
	for _, side := range []string{"scenario", "baseline"} {
		fs := frames[side]
		if len(fs) != 5 {
			t.Fatalf("%s: %d frames, want the start and 4 years", side, len(fs))
		}
		for i, f := range fs {
			if f.Year != 2024+i || len(f.Pop) != 14 || len(f.Pyr) != 14 || len(f.In) != 14 {
				t.Fatalf("%s frame %d: year %d, %d regions", side, i, f.Year, len(f.Pop))
			}
			var sum, pyr int64
			for r := range f.Pop {
				sum += f.Pop[r]
				for _, c := range f.Pyr[r] {
					pyr += c
				}
				if f.Median[r] < 20 || f.Median[r] > 60 {
					t.Errorf("%s %d region %d: median age %g", side, f.Year, r, f.Median[r])
				}
			}
			// Rounding each region's scaled count: within one person a region.
			if d := sum - f.Population; d < -14 || d > 14 {
				t.Errorf("%s %d: regions sum to %d, total %d", side, f.Year, sum, f.Population)
			}
			if d := pyr - f.Population; d < -14*38 || d > 14*38 {
				t.Errorf("%s %d: pyramids sum to %d, total %d", side, f.Year, pyr, f.Population)
			}
			if i > 0 && (f.Moves == 0 || f.MoveRate[22] == 0) {
				t.Errorf("%s %d: no moves", side, f.Year)
			}
		}
	}
	// Common random numbers: before the intervention starts (2026) the
	// baseline is the same simulation, byte for byte.
	for i := range 3 {
		if !bytes.Equal(raw["scenario"][i], raw["baseline"][i]) {
			t.Errorf("year %d: the baseline differs from the scenario before the intervention", 2024+i)
		}
	}
	if bytes.Equal(raw["scenario"][4], raw["baseline"][4]) {
		t.Error("2028: the intervention changed nothing")
	}
	waitFor(t, "the log", func() bool { return log.has("4 years in") })
}

// TestRunStopsWithPage: closing the page ends the simulation and frees its
// slot, or its place in the queue; the next in the queue is told its place
// and then runs.
func TestRunStopsWithPage(t *testing.T) {
	s, ts, log := newTestServer(t, Options{MaxRuns: 1, MaxQueue: 1})
	long := teachingSpec(50)
	long.Scale = 1 // about 0.5 s of work a year here: far longer than the test
	first, stopFirst := startRun(t, ts.URL, runRequest{Spec: long})
	next(t, first) // start
	next(t, first) // the first frame
	second, stopSecond := startRun(t, ts.URL, runRequest{Spec: teachingSpec(2)})
	if e := next(t, second); e.name != "queue" || string(e.data) != `{"position":1}` {
		t.Fatalf("second run: %s %s, want its place in the queue", e.name, e.data)
	}
	// Another finds the queue full.
	resp, body := post(t, ts.URL+"/api/run", runRequest{Spec: teachingSpec(2)})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "busy") {
		t.Errorf("a run beyond the queue: %d %s, want 503 busy", resp.StatusCode, body)
	}
	// The second page closes while it waits: it leaves the line.
	stopSecond()
	waitFor(t, "the second to leave the queue", func() bool { _, w := s.Queue().Status(); return w == 0 })
	third, stopThird := startRun(t, ts.URL, runRequest{Spec: teachingSpec(2)})
	if e := next(t, third); e.name != "queue" || string(e.data) != `{"position":1}` {
		t.Fatalf("third run: %s %s, want position 1", e.name, e.data)
	}
	stopFirst()
	if e := next(t, third); e.name != "start" {
		t.Fatalf("after the first page closed the next got %q, want start", e.name)
	}
	waitFor(t, "the first run to stop", func() bool { return log.has("stopped by the page") })
	for e := range third {
		if e.name == "done" {
			break
		}
	}
	stopThird()
	waitFor(t, "no run left", func() bool { r, w := s.Queue().Status(); return r == 0 && w == 0 })
}

// TestServerShutdownTellsPage: a run the server stops (Ctrl-C) ends with a
// fail event that says so, and the log does not blame the page.
func TestServerShutdownTellsPage(t *testing.T) {
	ctx, shutdown := context.WithCancel(context.Background())
	defer shutdown()
	log := &logBuf{}
	s, err := New(Options{MaxRuns: 1, Logf: log.logf, ShuttingDown: ctx.Done()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	ts.Start()
	t.Cleanup(ts.Close)
	long := teachingSpec(50)
	long.Scale = 1
	ch, _ := startRun(t, ts.URL, runRequest{Spec: long})
	next(t, ch) // start
	next(t, ch) // the first frame
	shutdown()
	for {
		e := next(t, ch)
		if e.name == "frame" {
			continue
		}
		if e.name != "fail" || !strings.Contains(string(e.data), "the server was stopped after") || !strings.Contains(string(e.data), `"stopped":"server"`) {
			t.Fatalf("%s %s, want a fail event saying the server stopped", e.name, e.data)
		}
		break
	}
	waitFor(t, "the log line", func() bool { return log.has("the server is shutting down") })
	if log.has("stopped by the page") {
		t.Error("the log blames the page")
	}
}

// TestNotFound: an unknown page leads back to the app, an unknown API
// answers in JSON, and /index.html is the app.
func TestNotFound(t *testing.T) {
	_, ts, _ := newTestServer(t, Options{})
	resp, body := get(t, ts.URL+"/lesson<1>")
	if resp.StatusCode != 404 || !strings.Contains(string(body), `<a href="/">Open the Settle app</a>`) || strings.Contains(string(body), "<1>") {
		t.Errorf("unknown page: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+"/api/nothing")
	if resp.StatusCode != 404 || !strings.Contains(string(body), `"error":"no API GET /api/nothing`) {
		t.Errorf("unknown API: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+"/index.html")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="run"`) {
		t.Errorf("/index.html: %d %.80s", resp.StatusCode, body)
	}
	// A known path with another method is 405, not 404.
	resp, _ = get(t, ts.URL+"/api/run")
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /api/run: %d, Allow %q; want 405 and POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp, _ = post(t, ts.URL+"/api/config", map[string]any{})
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
		t.Errorf("POST /api/config: %d, Allow %q; want 405 and GET", resp.StatusCode, resp.Header.Get("Allow"))
	}
	// An unknown path is 404 whatever the method.
	resp, body = post(t, ts.URL+"/api/nope", map[string]any{})
	if resp.StatusCode != 404 || !strings.Contains(string(body), `"error":"no API POST /api/nope`) {
		t.Errorf("POST /api/nope: %d %s, want a JSON 404", resp.StatusCode, body)
	}
	resp, _ = post(t, ts.URL+"/nope", map[string]any{})
	if resp.StatusCode != 404 {
		t.Errorf("POST /nope: %d, want 404", resp.StatusCode)
	}
}

// TestCompareReplicates: a comparison's further paired runs follow the
// first as map frames of replicate 2, 3 …, each the run of the next seed
// (the same numbers as a one-run comparison with that seed); more than
// MaxReplicates is refused.
func TestCompareReplicates(t *testing.T) {
	// A queue: a run's slot is released just after its done event, which
	// the next request can beat.
	_, ts, _ := newTestServer(t, Options{MaxRuns: 1, MaxQueue: 4})
	spec := teachingSpec(2)
	// An intervention from the first year, so that a replicate's baseline
	// that kept it would differ from the one-run baseline.
	spec.Interventions = []Intervention{{Kind: "business_development", Regions: []string{"Øvre Dal"}, FromYear: 2024,
		Params: map[string]any{"jobs": 400.0, "skill_level": "high"}}}
	collect := func(req runRequest) map[string][][]int64 {
		ch, _ := startRun(t, ts.URL, req)
		out := map[string][][]int64{}
		for {
			e := next(t, ch)
			if e.name == "done" {
				return out
			}
			if e.name != "frame" {
				continue
			}
			var f struct {
				Side      string
				Replicate int
				Pop       []int64
				Pyr       [][]int64
			}
			json.Unmarshal(e.data, &f)
			if f.Replicate > 1 && f.Pyr != nil {
				t.Errorf("replicate %d frame carries the regional detail", f.Replicate)
			}
			key := fmt.Sprintf("%s/%d", f.Side, max(f.Replicate, 1))
			out[key] = append(out[key], f.Pop)
		}
	}
	three := collect(runRequest{Spec: spec, Compare: true, Replicates: 3})
	for _, side := range []string{"scenario", "baseline"} {
		for k := 1; k <= 3; k++ {
			if n := len(three[fmt.Sprintf("%s/%d", side, k)]); n != spec.Years+1 {
				t.Errorf("%s replicate %d: %d frames, want %d", side, k, n, spec.Years+1)
			}
		}
	}
	next := spec
	next.Seed = spec.Seed + 2
	one := collect(runRequest{Spec: next, Compare: true, Replicates: 1})
	if !reflect.DeepEqual(one["scenario/1"], three["scenario/3"]) || !reflect.DeepEqual(one["baseline/1"], three["baseline/3"]) {
		t.Error("replicate 3 is not the run of seed + 2")
	}
	if reflect.DeepEqual(three["scenario/1"], three["scenario/2"]) {
		t.Error("replicates 1 and 2 are the same run")
	}
	if reflect.DeepEqual(three["scenario/3"], three["baseline/3"]) {
		t.Error("replicate 3's scenario and baseline are the same run: the intervention is missing from one, or in both")
	}
	resp, body := post(t, ts.URL+"/api/run", runRequest{Spec: spec, Compare: true, Replicates: MaxReplicates + 1})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "replicates 6 is out of range") {
		t.Errorf("too many replicates: %d %s", resp.StatusCode, body)
	}
}

// TestUpperFirst: the first letter of a message is made upper case whole
// (a warning starting with an intervention named "østre fabrikk" had its
// Ø cut in half).
func TestUpperFirst(t *testing.T) {
	for in, want := range map[string]string{"østre fabrikk removes": "Østre fabrikk removes", "år": "År", "": "", "housing": "Housing", "Øst": "Øst"} {
		if got := upperFirst(in); got != want || !utf8.ValidString(got) {
			t.Errorf("upperFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

// MaxScale is a short decimal, at most the limit: --max-persons 200000
// gave 0.036000000000000004, shown on the page and in its messages.
func TestMaxScaleDecimal(t *testing.T) {
	w := &world.World{Regions: []world.Region{{Code: "1", Population: 5_550_203}}}
	for persons, want := range map[int]string{200_000: "0.036", 500_000: "0.09", 100_000: "0.018", 1_200_000: "0.216", 5_550_203: "1", 5_550_202: "0.999"} {
		x := Limits{MaxPersons: persons}.MaxScale(w)
		if got := strconv.FormatFloat(x, 'g', -1, 64); got != want || x*5_550_203 > float64(persons)+1e-6 {
			t.Errorf("--max-persons %d: max scale %s, want %s", persons, got, want)
		}
	}
}
