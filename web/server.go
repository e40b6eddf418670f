package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"path"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/phrase"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/world"
)

//go:embed static
var staticFiles embed.FS

// DefaultMaxPersons is the simulated population a server allows by
// default: Norway at scale 0.2 (a simulated year takes about 0.1 s on two
// cores, the synthesis 0.3 s), the teaching world at full scale.
const DefaultMaxPersons = 1_200_000

// Request limits.
const (
	// maxBody bounds a request body: a scenario with a hundred
	// interventions of a hundred regions each is about 60 kB of JSON.
	maxBody = 256 << 10
	// maxScenarioFile bounds a file read from the scenarios folder.
	maxScenarioFile = 1 << 20
)

// Options configure a Server. The zero value serves no scenarios folder,
// runs one simulation at a time with nobody waiting, and allows 1,200,000
// simulated persons and 50 years.
type Options struct {
	// ScenariosDir is the folder whose *.toml files the app may load; ""
	// for none. Nothing else is read from disk.
	ScenariosDir string
	// MaxRuns is the number of simulations run at once (at least 1);
	// MaxQueue the number of users who may wait for one.
	MaxRuns, MaxQueue int
	Limits            Limits
	// Workers is the goroutines per simulation; 0 shares the CPUs between
	// MaxRuns simulations. Results do not depend on it.
	Workers int
	// LoopbackOnly refuses requests whose Host header is not a loopback
	// name, so that a web page elsewhere cannot reach a server on
	// 127.0.0.1 through a rebound DNS name.
	LoopbackOnly bool
	// Logf logs runs and errors; nil discards.
	Logf func(format string, args ...any)
	// ShuttingDown, when closed, says that the server is stopping (Ctrl-C):
	// a run it stops is then reported to its page as such, not as stopped
	// by the page. nil: never.
	ShuttingDown <-chan struct{}
}

// Server is the web app: the embedded page, the JSON API and the
// simulations it streams. Create it with New; it is an http.Handler and
// safe for concurrent use.
type Server struct {
	opts   Options
	worlds map[string]*world.World
	infos  []world.Info
	queue  *Queue
	mux    *http.ServeMux
	static fs.FS
	maps   map[string]func() (*mapBytes, error) // drawn on first use
	// onRead, if set, is told of every file read from the scenarios
	// folder (a test counts the reads).
	onRead func(name string)
}

// mapBytes is a world's Map as JSON, plain and gzipped.
type mapBytes struct{ js, gz []byte }

// New returns a Server. It loads the embedded worlds (a few milliseconds);
// the maps are drawn on first request.
func New(opts Options) (*Server, error) {
	if opts.MaxRuns < 1 {
		opts.MaxRuns = 1
	}
	if opts.Limits.MaxPersons <= 0 {
		opts.Limits.MaxPersons = DefaultMaxPersons
	}
	if opts.Limits.MaxYears <= 0 {
		opts.Limits.MaxYears = 50
	}
	if opts.Limits.MaxYears > scenario.MaxYears {
		return nil, fmt.Errorf("web: the years limit %d is above the scenario format's %d", opts.Limits.MaxYears, scenario.MaxYears)
	}
	if opts.Workers <= 0 {
		opts.Workers = min(max(1, runtime.NumCPU()/opts.MaxRuns), engine.MaxWorkers)
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.ScenariosDir != "" {
		if st, err := os.Stat(opts.ScenariosDir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("web: scenarios folder %s: not a readable folder; give an existing folder with --scenarios, or run from the repository root", opts.ScenariosDir)
		}
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, worlds: map[string]*world.World{}, queue: NewQueue(opts.MaxRuns, opts.MaxQueue),
		static: static, maps: map[string]func() (*mapBytes, error){}}
	for _, info := range world.Embedded() {
		w, err := world.Load(info.Name, "")
		if err != nil {
			return nil, err
		}
		s.worlds[info.Name] = w
		s.infos = append(s.infos, info)
		s.maps[info.Name] = sync.OnceValues(func() (*mapBytes, error) {
			m, err := NewMap(w)
			if err != nil {
				return nil, err
			}
			js, err := json.Marshal(m)
			if err != nil {
				return nil, err
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(js)
			zw.Close()
			return &mapBytes{js, gz.Bytes()}, nil
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /api/config", s.config)
	mux.HandleFunc("GET /api/map/{world}", s.worldMap)
	mux.HandleFunc("GET /api/scenarios", s.scenarioList)
	mux.HandleFunc("GET /api/scenarios/{file}", s.scenarioFile)
	mux.HandleFunc("POST /api/toml", s.toml)
	mux.HandleFunc("POST /api/run", s.run)
	mux.HandleFunc("GET /api/status", s.status)
	mux.Handle("GET /index.html", http.RedirectHandler("/", http.StatusMovedPermanently))
	// Unknown addresses: JSON under /api/ (405 for a known path asked with
	// another method), a page that leads back to the app elsewhere.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if method := apiMethod(r.URL.Path); method != "" {
			w.Header().Set("Allow", method)
			jsonError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s takes %s, not %s; see docs/web.md", r.URL.Path, method, r.Method), nil)
			return
		}
		jsonError(w, http.StatusNotFound, fmt.Sprintf("no API %s %s; see docs/web.md", r.Method, r.URL.Path), nil)
	})
	mux.HandleFunc("/", notFound)
	s.mux = mux
	return s, nil
}

// Queue returns the server's simulation queue.
func (s *Server) Queue() *Queue { return s.queue }

// ServeHTTP serves the app with headers that keep the page to its own
// assets.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if s.opts.LoopbackOnly && !loopbackHost(r.Host) {
		jsonError(w, http.StatusMisdirectedRequest, fmt.Sprintf("this server answers only to localhost, 127.0.0.1 or [::1], not %q; open http://127.0.0.1 with its port, or start settle serve with --addr on the address you use", r.Host), nil)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(s.static, "index.html")
	if err != nil {
		http.Error(w, "index.html missing from the binary", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// jsonError answers with {"error": msg, "problems": [...]}.
func jsonError(w http.ResponseWriter, code int, msg string, problems []Problem) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(struct {
		Error    string    `json:"error"`
		Problems []Problem `json:"problems,omitempty"`
	}{msg, problems})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// Defaults of the scenario panel per world: a sample that answers in
// seconds (Norway at 5 %: about 280,000 persons, some 30 ms a year; the
// teaching world at half scale: 200,000) and the horizon of the example
// scenarios.
var worldDefaults = map[string]struct {
	Scale float64
	Years int
}{
	"norway-2024": {0.05, 30},
	"teaching":    {0.5, 20},
}

// regionWords are what the page calls a world's regions, one and many:
// Norway's are municipalities, an invented world's (the teaching world's)
// regions.
func regionWords(world string) (one, many string) {
	if strings.HasPrefix(world, "norway-") {
		return "municipality", "municipalities"
	}
	return "region", "regions"
}

// sliderRange gives the sliders of parameters without an upper bound (or
// lower bound) in the catalogue a range that covers sensible policies; the
// number field beside a slider still accepts any value the catalogue
// allows.
var sliderRange = map[string][2]float64{
	"minutes_saved":      {0, 120},
	"minutes":            {5, 240},
	"dwellings_per_year": {0, 1000},
	"years":              {1, 30},
	"students":           {-5000, 5000},
	"relocation_grant":   {0, 300000},
	"workers_per_year":   {0, 10000},
	"refugees_per_year":  {0, 5000},
	"second_homes":       {0, 2000},
	"attachment_boost":   {0, 3},
	"jobs":               {-3000, 3000},
	"days_per_year":      {0, 365},
}

type paramJSON struct {
	Key       string   `json:"key"`
	Doc       string   `json:"doc"`
	Unit      string   `json:"unit,omitempty"`
	Kind      string   `json:"kind"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	OpenMin   bool     `json:"openMin,omitempty"`
	Required  bool     `json:"required,omitempty"`
	Default   float64  `json:"default"`
	Choices   []string `json:"choices,omitempty"`
	SliderMin float64  `json:"sliderMin"`
	SliderMax float64  `json:"sliderMax"`
}

type kindJSON struct {
	Kind       string      `json:"kind"`
	Doc        string      `json:"doc"`
	National   bool        `json:"national"`
	Available  bool        `json:"available"`
	MinRegions int         `json:"minRegions"`
	AnyOf      []string    `json:"anyOf,omitempty"`
	Exclusive  bool        `json:"exclusive,omitempty"`
	NoPhaseIn  bool        `json:"noPhaseIn,omitempty"` // on or off: no phase_in_years
	Params     []paramJSON `json:"params"`
}

func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}

// catalogue is intervention.Kinds for the form.
func catalogue() []kindJSON {
	var out []kindJSON
	for _, name := range intervention.KindNames() {
		k := intervention.Kinds[name]
		any, excl := intervention.AnyOf(name)
		kj := kindJSON{Kind: name, Doc: docWords(k.Doc), National: k.National, Available: intervention.Available(name),
			MinRegions: intervention.MinRegions(name), AnyOf: any, Exclusive: excl, NoPhaseIn: !intervention.PhasesIn(name), Params: []paramJSON{}}
		for _, p := range k.Params {
			kind := p.Kind
			if kind == "" {
				kind = "number"
			}
			pj := paramJSON{Key: p.Key, Doc: docWords(p.Doc), Unit: p.Unit, Kind: kind, Min: finite(p.Min), Max: finite(p.Max),
				OpenMin: intervention.OpenMin(name, p.Key), Required: p.Required, Default: p.Default, Choices: p.Choices}
			pj.SliderMin, pj.SliderMax = p.Min, p.Max
			if rg, ok := sliderRange[p.Key]; ok {
				pj.SliderMin, pj.SliderMax = max(p.Min, rg[0]), min(p.Max, rg[1])
			}
			if math.IsInf(pj.SliderMin, 0) || math.IsInf(pj.SliderMax, 0) {
				pj.SliderMin, pj.SliderMax = 0, 100 // a number without a slider range in sliderRange
			}
			kj.Params = append(kj.Params, pj)
		}
		out = append(out, kj)
	}
	return out
}

func (s *Server) config(w http.ResponseWriter, r *http.Request) {
	type worldJSON struct {
		Name         string  `json:"name"`
		Description  string  `json:"description"`
		Regions      int     `json:"regions"`
		Population   int     `json:"population"`
		StartYear    int     `json:"startYear"`
		DefaultScale float64 `json:"defaultScale"`
		DefaultYears int     `json:"defaultYears"`
		MaxScale     float64 `json:"maxScale"`
		// Region and RegionPlural name the world's regions on the page
		// ("municipality" in Norway, "region" in the teaching world).
		Region       string `json:"region"`
		RegionPlural string `json:"regionPlural"`
	}
	var ws []worldJSON
	for _, info := range s.infos {
		d, ok := worldDefaults[info.Name]
		if !ok {
			d.Scale, d.Years = 0.1, 20
		}
		w := s.worlds[info.Name]
		one, many := regionWords(info.Name)
		ws = append(ws, worldJSON{Name: info.Name, Description: info.Description, Regions: info.Regions,
			Population: info.Population, StartYear: w.StartYear, MaxScale: s.opts.Limits.MaxScale(w),
			DefaultScale: min(d.Scale, s.opts.Limits.MaxScale(w)), DefaultYears: min(d.Years, s.opts.Limits.MaxYears),
			Region: one, RegionPlural: many})
	}
	writeJSON(w, map[string]any{
		"worlds":  ws,
		"kinds":   catalogue(),
		"limits":  map[string]any{"maxPersons": s.opts.Limits.MaxPersons, "maxYears": s.opts.Limits.MaxYears},
		"maxRuns": s.opts.MaxRuns,
		"motives": record.MotiveNames,
		// The national projections a scenario may follow, the default first.
		"projections": projectionsJSON(),
		"scenarios":   s.opts.ScenariosDir != "",
		// Where other devices open the app (none on a loopback server).
		"urls": s.networkURLs(r),
	})
}

// projectionsJSON lists world.Projections for the form, the default first.
func projectionsJSON() []map[string]string {
	out := []map[string]string{}
	for _, p := range world.Projections {
		one := map[string]string{"name": p.Name, "title": p.Title, "short": p.Short}
		if p.Name == world.DefaultProjection {
			out = append([]map[string]string{one}, out...)
		} else {
			out = append(out, one)
		}
	}
	return out
}

func (s *Server) worldMap(w http.ResponseWriter, r *http.Request) {
	get, ok := s.maps[r.PathValue("world")]
	if !ok {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("no world %q; the worlds are %s", r.PathValue("world"), strings.Join(sortedKeys(s.maps), ", ")), nil)
		return
	}
	mb, err := get()
	if err != nil {
		s.opts.Logf("map of %s: %v", r.PathValue("world"), err)
		jsonError(w, http.StatusInternalServerError, err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Header().Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(mb.gz)
		return
	}
	w.Write(mb.js)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	running, waiting := s.queue.Status()
	writeJSON(w, map[string]int{"running": running, "waiting": waiting, "maxRuns": s.opts.MaxRuns})
}

// scenarioName is what a file in the scenarios folder may be called: no
// leading dot, .toml, in the folder itself or one folder down
// (compare/holmoy-bridge.toml).
var (
	scenarioName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*\.toml$`)
	subfolder    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// scenarioTable tells a scenario file from other TOML (a sweep's).
	scenarioTable = regexp.MustCompile(`(?m)^[ \t]*\[scenario\][ \t]*(#.*)?$`)
)

// listedFile is a loadable file of the scenarios folder, with its content
// when listing it read it.
type listedFile struct {
	name string
	data []byte // nil: not read yet (a file of the folder itself)
}

// scenarioFiles lists the loadable files of the scenarios folder: its own
// .toml files, then those of its subfolders that hold a [scenario] table
// (the comparison examples of scenarios/compare, not the sweeps of
// scenarios/sweeps), each sorted; root is the folder. A subfolder's file
// had to be read to be told from a sweep: its content comes along, so
// that nothing is read twice.
func (s *Server) scenarioFiles(root *os.Root) ([]listedFile, error) {
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, err
	}
	var out, sub []listedFile
	for _, e := range entries {
		switch {
		case e.Type().IsRegular() && scenarioName.MatchString(e.Name()):
			out = append(out, listedFile{name: e.Name()})
		case e.IsDir() && subfolder.MatchString(e.Name()):
			inner, err := fs.ReadDir(root.FS(), e.Name())
			if err != nil {
				continue // an unreadable subfolder offers nothing
			}
			for _, f := range inner {
				name := e.Name() + "/" + f.Name()
				if !f.Type().IsRegular() || !scenarioName.MatchString(name) {
					continue
				}
				if data, err := s.readIn(root, name); err == nil && scenarioTable.Match(data) {
					sub = append(sub, listedFile{name, data})
				}
			}
		}
	}
	return append(out, sub...), nil
}

// readScenario reads name from the scenarios folder if scenarioFiles
// lists it (fs.ErrNotExist if not), reading that one file and nothing
// else, through an os.Root so that no name or link leads outside it.
func (s *Server) readScenario(name string) ([]byte, error) {
	if s.opts.ScenariosDir == "" || !scenarioName.MatchString(name) {
		return nil, fs.ErrNotExist
	}
	root, err := os.OpenRoot(s.opts.ScenariosDir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	dir, _, inSub := strings.Cut(name, "/")
	if inSub {
		// A real subfolder (not a link), as the list walks.
		if st, err := root.Lstat(dir); err != nil || !st.IsDir() || !subfolder.MatchString(dir) {
			return nil, fs.ErrNotExist
		}
	}
	if st, err := root.Lstat(name); err != nil || !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	data, err := s.readIn(root, name)
	if err != nil {
		return nil, err
	}
	if inSub && !scenarioTable.Match(data) {
		return nil, fs.ErrNotExist // a sweep, not a scenario
	}
	return data, nil
}

// readIn reads name (a path under root) at most maxScenarioFile bytes.
func (s *Server) readIn(root *os.Root, name string) ([]byte, error) {
	if s.onRead != nil {
		s.onRead(name)
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScenarioFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxScenarioFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxScenarioFile)
	}
	return data, nil
}

// loaded is a scenario file opened in the app.
type loaded struct {
	File  string   `json:"file"`
	Spec  *Spec    `json:"spec,omitempty"`
	TOML  string   `json:"toml,omitempty"`
	Notes []string `json:"notes,omitempty"`
	// Warnings are what settle validate warns about the file (warnings).
	Warnings []Problem `json:"warnings,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// loadScenario parses a file of the scenarios folder into a Spec for the
// form, fitting scale and years into the server's limits (with a note).
func (s *Server) loadScenario(name string) (loaded, error) {
	out := loaded{File: name}
	data, err := s.readScenario(name)
	if err != nil {
		return out, err
	}
	out.TOML = string(data)
	display := path.Join(path.Base(s.opts.ScenariosDir), name)
	sc, err := scenario.Parse(display, data)
	if err != nil {
		out.Error = err.Error()
		return out, nil
	}
	w, ok := s.worlds[sc.World]
	if !ok {
		out.Error = fmt.Sprintf("%s: its world %s is not embedded; the web app runs the worlds %s (run this file with settle run)", display, sc.World, strings.Join(sortedKeys(s.worlds), ", "))
		return out, nil
	}
	if err := sc.Resolve(w); err != nil {
		out.Error = err.Error()
		return out, nil
	}
	sp := SpecOf(sc, w)
	out.Warnings = warnings(sc, w)
	if lim := s.opts.Limits.MaxScale(w); sp.Scale > lim {
		d := worldDefaults[sp.World].Scale
		if d == 0 || d > lim {
			d = lim
		}
		out.Notes = append(out.Notes, fmt.Sprintf("The file asks for scale %g; this server allows at most %g in %s, so the form uses the classroom scale %g (a %g %% sample; settle run simulates the file as it is).", sp.Scale, lim, sp.World, d, 100*d))
		sp.Scale = d
	}
	if sp.Years > s.opts.Limits.MaxYears {
		out.Notes = append(out.Notes, fmt.Sprintf("The file simulates %d years; this server allows %d.", sp.Years, s.opts.Limits.MaxYears))
		sp.Years = s.opts.Limits.MaxYears
	}
	out.Spec = &sp
	return out, nil
}

func (s *Server) scenarioList(w http.ResponseWriter, r *http.Request) {
	type entry struct {
		File        string `json:"file"`
		Description string `json:"description,omitempty"`
		World       string `json:"world,omitempty"`
	}
	list := []entry{}
	if s.opts.ScenariosDir == "" {
		writeJSON(w, list)
		return
	}
	root, err := os.OpenRoot(s.opts.ScenariosDir)
	var files []listedFile
	if err == nil {
		defer root.Close()
		files, err = s.scenarioFiles(root)
	}
	if err != nil {
		s.opts.Logf("scenarios folder: %v", err)
		jsonError(w, http.StatusInternalServerError, "the scenarios folder cannot be read", nil)
		return
	}
	for _, f := range files {
		e := entry{File: f.name}
		var err error
		data := f.data
		if data == nil {
			data, err = s.readIn(root, f.name)
		}
		if err == nil {
			if sc, err := scenario.Parse(f.name, data); err == nil {
				e.Description, e.World = sc.Description, sc.World
			}
		}
		list = append(list, e)
	}
	writeJSON(w, list)
}

func (s *Server) scenarioFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if !scenarioName.MatchString(name) {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("%q is not a scenario file name; pick one of the files listed (NAME.toml in the scenarios folder, or FOLDER/NAME.toml one folder down)", name), nil)
		return
	}
	l, err := s.loadScenario(name)
	if errors.Is(err, fs.ErrNotExist) {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("no scenario %s in the scenarios folder", name), nil)
		return
	}
	if err != nil {
		s.opts.Logf("scenario %s: %v", name, err)
		jsonError(w, http.StatusInternalServerError, fmt.Sprintf("%s cannot be read", name), nil)
		return
	}
	writeJSON(w, l)
}

// decode reads a JSON request body of at most maxBody bytes into v,
// refusing unknown fields; it answers the error itself and returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		// Read to the end: only then does the server notice a client that
		// goes away while its request waits in the queue.
		_, err = io.Copy(io.Discard, r.Body)
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && formField[typeErr.Field] != "":
		// A number typed into the form that its field cannot hold (a seed
		// of 10^23), or no number at all: said of the field, in its words.
		key := formField[typeErr.Field]
		jsonError(w, http.StatusBadRequest, "the scenario has 1 problem", []Problem{{Key: key, Message: typeProblem(key, typeErr.Value)}})
		return false
	case errors.As(err, &tooBig):
		jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is larger than %d kB; a scenario needs far less: remove some interventions or regions", maxBody>>10), nil)
		return false
	case err != nil:
		jsonError(w, http.StatusBadRequest, "the request is not a scenario the app understands ("+err.Error()+"); reload the page", nil)
		return false
	}
	return true
}

// formField is the form's field of a Spec's JSON field whose value is
// typed in the form (decode's type errors).
var formField = map[string]string{"spec.seed": "scenario.seed", "spec.years": "scenario.years", "spec.scale": "scenario.scale"}

// typeProblem says, in the form's words, what is wrong with a value the
// form field key (of formField) cannot hold. value is as a
// json.UnmarshalTypeError gives it: "number 2.5" for a number, with its
// digits; "string", "bool", "array" or "object" for what is no number.
func typeProblem(key, value string) string {
	want := map[string]string{
		"scenario.years": "a whole number of years, e.g. 20",
		"scenario.seed":  "a whole number from 0 to " + phrase.Group(MaxSeed),
		"scenario.scale": "a share above 0 and at most 1 (0.05 is a 5 % sample)",
	}[key]
	if n, ok := strings.CutPrefix(value, "number "); ok {
		switch key {
		case "scenario.years":
			return n + " is not a whole number of years"
		case "scenario.scale":
			return n + " is out of range; give " + want
		}
		return n + " is not " + want
	}
	what := map[string]string{"string": "text", "bool": "true or false", "array": "a list", "object": "an object"}[value]
	if what == "" {
		what = value
	}
	return fmt.Sprintf("is %s, not a number; give %s", what, want)
}

// compile checks a Spec and answers 400 with its problems when it fails.
func (s *Server) compile(w http.ResponseWriter, sp *Spec) (*scenario.Scenario, *world.World, []byte, bool) {
	sc, wd, data, err := sp.compile(s.opts.Limits, s.worlds)
	var se *SpecError
	if errors.As(err, &se) {
		msg := fmt.Sprintf("the scenario has %d problem%s", len(se.Problems), plural(len(se.Problems)))
		jsonError(w, http.StatusBadRequest, msg, se.Problems)
		return nil, nil, nil, false
	}
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error(), nil)
		return nil, nil, nil, false
	}
	return sc, wd, data, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (s *Server) toml(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Spec Spec `json:"spec"`
	}
	if !decode(w, r, &req) {
		return
	}
	sc, _, data, ok := s.compile(w, &req.Spec)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.toml"`, sc.Name))
	w.Write(data)
}

// runRequest is the body of POST /api/run.
type runRequest struct {
	Spec Spec `json:"spec"`
	// Compare also runs the baseline: the same scenario without its
	// interventions, with the same seed.
	Compare bool `json:"compare"`
	// Replicates is the number of paired runs of a comparison (seeds seed,
	// seed+1 …; 0 = DefaultReplicates, at most MaxReplicates): the first is
	// streamed in full, the others as MapFrames after it, so that the page
	// can tell a difference from chance.
	Replicates int `json:"replicates"`
}

// DefaultReplicates and MaxReplicates bound the paired runs of a
// comparison. Three are the fewest with which the page can give a
// difference an interval (t with 2 degrees of freedom).
const (
	DefaultReplicates = 3
	MaxReplicates     = 5
)

// stream writes Server-Sent Events to one response.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func (st *stream) send(event string, v any) error {
	if !st.started {
		h := st.w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no")
		st.w.WriteHeader(http.StatusOK)
		st.started = true
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(st.w, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return err
	}
	return st.rc.Flush()
}

// run checks the scenario, waits for a slot in the queue (telling the
// page its position), then simulates and streams one "frame" event per
// year and side. The simulation stops when the request's context ends:
// the page was closed or reloaded, or Stop was pressed.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var req runRequest
	if !decode(w, r, &req) {
		return
	}
	sc, wd, _, ok := s.compile(w, &req.Spec)
	if !ok {
		return
	}
	reps := 1
	if req.Compare {
		reps = req.Replicates
		if reps == 0 {
			reps = DefaultReplicates
		}
		if reps < 1 || reps > MaxReplicates {
			jsonError(w, http.StatusBadRequest, fmt.Sprintf("replicates %d is out of range; compare with 1 to %d paired runs", req.Replicates, MaxReplicates),
				[]Problem{{Key: "replicates", Message: fmt.Sprintf("give 1 to %d paired runs (3 or more give intervals)", MaxReplicates)}})
			return
		}
	}
	ctx := r.Context()
	st := &stream{w: w, rc: http.NewResponseController(w)}
	release, err := s.queue.Acquire(ctx, func(pos int) {
		st.send("queue", map[string]int{"position": pos})
	})
	if errors.Is(err, ErrQueueFull) {
		jsonError(w, http.StatusServiceUnavailable, err.Error(), nil)
		return
	}
	if err != nil {
		return // the page went away while waiting
	}
	defer release()
	start := time.Now()
	years, rep, err := s.simulate(ctx, sc, wd, req.Compare, reps, warnings(sc, wd), st.send)
	progress := fmt.Sprintf("after %d of %d years", years, sc.Years)
	if rep > 1 {
		progress = fmt.Sprintf("during paired run %d of %d", rep, reps)
	}
	what := fmt.Sprintf("%s (%s, scale %g, seed %d, compare %v)", sc.Name, sc.World, sc.Scale, sc.Seed, req.Compare)
	if reps > 1 {
		what = fmt.Sprintf("%s (%s, scale %g, seeds %d–%d, compare, %d paired runs)", sc.Name, sc.World, sc.Scale, sc.Seed, sc.Seed+uint64(reps-1), reps)
	}
	switch {
	case ctx.Err() != nil && s.shuttingDown():
		s.opts.Logf("run %s: stopped %s: the server is shutting down", what, progress)
		st.send("fail", map[string]string{"message": fmt.Sprintf("the server was stopped %s; start settle serve again and press Run", progress), "stopped": "server"})
	case ctx.Err() != nil:
		s.opts.Logf("run %s: stopped by the page %s (%.1f s)", what, progress, time.Since(start).Seconds())
	case err != nil:
		s.opts.Logf("run %s: %v", what, err)
		st.send("fail", map[string]string{"message": err.Error()})
	default:
		s.opts.Logf("run %s: %d years in %.1f s", what, years, time.Since(start).Seconds())
		st.send("done", map[string]float64{"seconds": time.Since(start).Seconds()})
	}
}

// apiMethod returns the method of the API at path, or "" for none (the
// routes of New).
func apiMethod(path string) string {
	switch {
	case path == "/api/run" || path == "/api/toml":
		return "POST"
	case path == "/api/config" || path == "/api/scenarios" || path == "/api/status",
		strings.HasPrefix(path, "/api/map/") && len(path) > len("/api/map/"),
		strings.HasPrefix(path, "/api/scenarios/") && len(path) > len("/api/scenarios/"):
		return "GET"
	}
	return ""
}

// notFound answers an unknown address with a page that leads back to the
// app (a mistyped link on the classroom screen).
func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, `<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found: Settle</title>
<body style="font: 18px/1.4 sans-serif; margin: 3rem"><h1>Nothing here</h1>
<p>Settle has no page at <code>%s</code>.</p><p><a href="/">Open the Settle app</a></p></body></html>
`, html.EscapeString(r.URL.Path))
}

// shuttingDown reports whether Options.ShuttingDown is closed.
func (s *Server) shuttingDown() bool {
	select {
	case <-s.opts.ShuttingDown:
		return true
	default:
		return false
	}
}

// warnings returns what settle validate and settle run warn about sc
// (intervention.Implausible: valid, but probably not what was meant), each
// about its intervention and in the form's words; none stops a run.
func warnings(sc *scenario.Scenario, w *world.World) []Problem {
	out := []Problem{}
	for i := range sc.Interventions {
		sp := &sc.Interventions[i]
		key := fmt.Sprintf("intervention[%d]", i+1)
		// "NAME (KIND) (FILE:LINE) builds …": the file is the TOML the
		// server wrote, which the page does not show.
		at := fmt.Sprintf("%s (%s:%d)", sp.Label(), sp.File, sp.Line)
		label := kindWords(sp.Kind)
		if sp.Name != "" && !strings.EqualFold(sp.Name, label) && sp.Name != sp.Kind {
			label = fmt.Sprintf("%s (%s)", sp.Name, strings.ToLower(label))
		}
		for _, m := range intervention.Implausible(sc.Interventions[i:i+1], w) {
			m = strings.Replace(m, at, label, 1)
			out = append(out, Problem{Key: key, Message: formWords(key, m, nil)})
		}
	}
	return out
}

// simulate runs sc (and with compare its baseline) in lockstep, sending a
// frame per year and side; it returns the years of the first run completed
// and the paired run it was in (1 the first). With reps > 1 (compare only)
// it then runs reps − 1 more pairs with the seeds after sc's, sending a
// MapFrame per year and side of each.
func (s *Server) simulate(ctx context.Context, sc *scenario.Scenario, w *world.World, compare bool, reps int, warn []Problem, send func(string, any) error) (years, rep int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the engine failed: %v", r)
		}
	}()
	type side struct {
		name string
		sim  *engine.Sim
		fm   frameMaker
	}
	sides := []*side{{name: "scenario"}}
	if compare {
		sides = append(sides, &side{name: "baseline"})
	}
	// The interventions as the scenario resolved them: the page names
	// them in its yearly sentence and judges their target regions by their
	// own interval (a county written as a code or in another case is
	// resolved here, as settle run resolves it).
	type ivInfo struct {
		Name     string   `json:"name"`
		Kind     string   `json:"kind"`
		FromYear int      `json:"fromYear"`
		ToYear   int      `json:"toYear,omitempty"`
		Targets  []string `json:"targets"` // region codes; none: national
	}
	ivs := []ivInfo{}
	for i := range sc.Interventions {
		sp := &sc.Interventions[i]
		iv := ivInfo{Name: sp.Name, Kind: sp.Kind, FromYear: sp.FromYear, ToYear: sp.ToYear, Targets: []string{}}
		for _, r := range sp.Regions {
			iv.Targets = append(iv.Targets, w.Regions[r].Code)
		}
		ivs = append(ivs, iv)
	}
	if err := send("start", map[string]any{"name": sc.Name, "world": sc.World, "startYear": sc.StartYear,
		"years": sc.Years, "scale": sc.Scale, "seed": sc.Seed, "compare": compare, "replicates": reps,
		"interventions": ivs, "warnings": warn}); err != nil {
		return 0, 1, err
	}
	// Paired run k has the seed sc.Seed + k − 1; the first is sent in
	// full (Frame), the others as their map figures (MapFrame).
	cfg := sc.Config(w)
	cfg.Workers = s.opts.Workers
	for k := 1; k <= reps; k++ {
		frame := func(sd *side, rec *record.Year) any {
			f := sd.fm.frame(sd.name, sd.sim, rec)
			if k > 1 {
				return f.mapFrame(k)
			}
			return f
		}
		done := func(y int) int { // the first run's years completed
			if k > 1 {
				return sc.Years
			}
			return y
		}
		for _, sd := range sides {
			c := cfg
			c.Seed = sc.Seed + uint64(k-1)
			if sd.name == "baseline" {
				c.Interventions = nil
			}
			if sd.sim, err = engine.New(w, c); err != nil {
				return done(0), k, err
			}
			sd.fm.w = w
			if err := ctx.Err(); err != nil {
				return done(0), k, err
			}
			if err := send("frame", frame(sd, sd.sim.Observe())); err != nil {
				return done(0), k, err
			}
		}
		for y := range sc.Years {
			for _, sd := range sides {
				if err := ctx.Err(); err != nil {
					return done(y), k, err
				}
				if err := send("frame", frame(sd, sd.sim.Step())); err != nil {
					return done(y), k, err
				}
			}
		}
	}
	return sc.Years, reps, nil
}
