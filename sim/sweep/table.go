package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

// File names in a sweep folder.
const (
	ManifestFile   = "manifest.json"
	PointsFile     = "points.csv"
	RunsFile       = "runs.csv"
	ParquetFile    = "runs.parquet"
	IncompleteFile = "INCOMPLETE"
	// SweepCopy and ScenarioCopy are the sweep file and its base scenario
	// as the sweep read them (the bytes of sweep_sha256 and
	// scenario_sha256), as a run's folder keeps its scenario.toml: the
	// folder says what ran, with every value the base scenario sets, even
	// when the files have since changed or moved. The copy's scenario =
	// "…" still names the original's path, relative to the original.
	SweepCopy    = "sweep.toml"
	ScenarioCopy = "scenario.toml"
)

// Manifest describes a sweep folder: what was swept, how, and how far it
// got. Merged and single-machine folders have the same runs.csv,
// runs.parquet and points.csv; their manifests differ in times, hosts and
// shards.
type Manifest struct {
	EngineVersion string `json:"engine_version"`
	// EngineBuild is the commit the binary was built from (engine.Build),
	// "" when unknown: resume and merge refuse runs of different builds.
	EngineBuild string `json:"engine_build,omitempty"`
	Name        string `json:"name"`
	SweepFile   string `json:"sweep_file"` // as given, relative to WorkingDir
	// WorkingDir is the folder settle sweep started in: the sweep file's,
	// the scenario's and the command line's relative paths are relative
	// to it ("" in folders of an older settle).
	WorkingDir     string           `json:"working_dir,omitempty"`
	SweepSHA256    string           `json:"sweep_sha256"`
	ScenarioFile   string           `json:"scenario_file"`
	ScenarioSHA256 string           `json:"scenario_sha256"`
	World          string           `json:"world"`
	WorldFiles     []world.File     `json:"world_files,omitempty"` // a user world's files and their SHA-256
	StartYear      int              `json:"start_year"`
	Design         string           `json:"design"`
	Samples        int              `json:"samples,omitempty"`
	Replicates     int              `json:"replicates"`
	Seed           uint64           `json:"seed"`
	Overrides      *Overrides       `json:"overrides,omitempty"` // given beside the file (settle sweep --scale …)
	Parameters     []ManifestParam  `json:"parameters"`
	Metrics        []ManifestMetric `json:"metrics"`
	Points         int              `json:"points"`
	Runs           int              `json:"runs"`
	Shard          Shard            `json:"shard"`
	ShardRuns      int              `json:"shard_runs"` // runs of this shard (all runs when whole)
	RunsDone       int              `json:"runs_done"`
	MergedFrom     []string         `json:"merged_from,omitempty"`
	Workers        int              `json:"workers,omitempty"` // runs side by side
	StartTime      time.Time        `json:"start_time"`
	EndTime        time.Time        `json:"end_time,omitzero"`
	Complete       bool             `json:"complete"`
	// CommandLine, GoVersion and Hostname are those of the command that
	// started the sweep (of a merge: of the merge); each --resume that ran
	// runs adds an entry to Resumed.
	CommandLine []string  `json:"command_line,omitempty"`
	GoVersion   string    `json:"go_version"`
	Hostname    string    `json:"hostname,omitempty"`
	Resumed     []Session `json:"resumed,omitempty"`
}

// Session is one --resume of a sweep (or shard): when, by which command,
// where, and how far the sweep had got.
type Session struct {
	Time        time.Time `json:"time"`
	CommandLine []string  `json:"command_line,omitempty"`
	WorkingDir  string    `json:"working_dir,omitempty"`
	Hostname    string    `json:"hostname,omitempty"`
	GoVersion   string    `json:"go_version,omitempty"`
	Workers     int       `json:"workers,omitempty"`
	RunsDone    int       `json:"runs_done"` // runs found done when it started
}

// worldFilesProblem says how the world files of old differ from now, or "".
func worldFilesProblem(old, now []world.File) string {
	// A manifest without world_files is an embedded world's, or was written
	// by a settle from before they were recorded: nothing to compare.
	if len(old) == 0 || slices.Equal(old, now) {
		return ""
	}
	// The same bytes at another path are the same world (a sweep folder
	// moved with its files, a shard run on another machine).
	role := func(files []world.File, r string) *world.File {
		for k := range files {
			if files[k].Role == r {
				return &files[k]
			}
		}
		return nil
	}
	for _, o := range old {
		switch n := role(now, o.Role); {
		case n == nil:
			return fmt.Sprintf("the world had the %s file %s then, and has none now", o.Role, o.Path)
		case n.SHA256 == o.SHA256:
		case n.Path == o.Path:
			return fmt.Sprintf("the %s file %s changed since then (SHA-256 %.12s…, now %.12s…)", o.Role, o.Path, o.SHA256, n.SHA256)
		default:
			return fmt.Sprintf("the world's %s file was %s then (SHA-256 %.12s…), and is %s now (%.12s…)", o.Role, o.Path, o.SHA256, n.Path, n.SHA256)
		}
	}
	for _, n := range now {
		if role(old, n.Role) == nil {
			return fmt.Sprintf("the world has the %s file %s now, and had none then", n.Role, n.Path)
		}
	}
	return ""
}

// overrides returns m's overrides (none for nil).
func (m *Manifest) overrides() Overrides {
	if m.Overrides == nil {
		return Overrides{}
	}
	return *m.Overrides
}

// ManifestParam describes a swept parameter.
type ManifestParam struct {
	Path    string    `json:"path"`
	Varies  bool      `json:"varies"`
	Values  []float64 `json:"values,omitempty"`
	Min     float64   `json:"min,omitempty"`
	Max     float64   `json:"max,omitempty"`
	Steps   int       `json:"steps,omitempty"`
	Integer bool      `json:"integer,omitempty"`
}

// ManifestMetric describes a metric.
type ManifestMetric struct {
	Name  string `json:"name"`
	Expr  string `json:"expr"`
	Years string `json:"years"`
}

// manifest returns the folder's manifest for shard s.
func (sw *Sweep) manifest(s Shard) Manifest {
	m := Manifest{
		EngineVersion: engineVersion, EngineBuild: engineBuild(), Name: sw.Name,
		SweepFile: sw.File, SweepSHA256: sw.SHA256,
		ScenarioFile: sw.Scenario.File, ScenarioSHA256: sw.Scenario.SHA256,
		World: sw.World.Name, WorldFiles: sw.World.Files, StartYear: sw.World.StartYear,
		Design: sw.Design, Samples: sw.Samples, Replicates: sw.Replicates, Seed: sw.Seed,
		Points: len(sw.Points), Runs: sw.Runs(), Shard: s, ShardRuns: len(sw.shardIDs(s)),
		Parameters: []ManifestParam{}, // [] rather than null for a sweep without any
	}
	if s.Whole() {
		m.Shard = Shard{Index: 0, Count: 1}
	}
	if !sw.Overrides.IsZero() {
		o := sw.Overrides
		m.Overrides = &o
	}
	for _, p := range sw.Params {
		mp := ManifestParam{Path: p.Path, Varies: p.Varies(), Integer: p.Integer}
		if p.Range {
			mp.Min, mp.Max, mp.Steps = p.Min, p.Max, p.Steps
		} else {
			mp.Values = p.Values
		}
		m.Parameters = append(m.Parameters, mp)
	}
	for i := range sw.Metrics {
		mt := &sw.Metrics[i]
		m.Metrics = append(m.Metrics, ManifestMetric{Name: mt.Name, Expr: mt.Expr, Years: mt.Years()})
	}
	return m
}

// shardIDs returns the run ids of shard s, ascending.
func (sw *Sweep) shardIDs(s Shard) []int {
	return shardIDs(sw.Runs(), s)
}

func shardIDs(runs int, s Shard) []int {
	var ids []int
	for id := range runs {
		if s.Has(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// ReadManifest reads the manifest of the sweep folder dir.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("%s is not a sweep folder (no %s): %w", dir, ManifestFile, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w; the manifest is damaged", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

func writeManifest(dir string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(dir, ManifestFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// table is what runs.csv and runs.parquet are made of: the parameters'
// paths, the metrics' names, the replicates and each point's values as
// written in points.csv. A sweep folder's manifest and points.csv hold it,
// so Merge needs no sweep file.
type table struct {
	params     []string
	integer    []bool // per parameter: whole numbers only (an int64 column in Parquet)
	metrics    []string
	replicates int
	blocks     []string   // per point; nil unless sobol
	points     [][]string // per point, per parameter
}

func (sw *Sweep) table() table {
	t := table{replicates: sw.Replicates}
	for _, p := range sw.Params {
		t.params = append(t.params, p.Path)
		t.integer = append(t.integer, p.Integer)
	}
	for _, m := range sw.Metrics {
		t.metrics = append(t.metrics, m.Name)
	}
	for _, pt := range sw.Points {
		row := make([]string, len(pt.Values))
		for i, v := range pt.Values {
			row[i] = FormatValue(v)
		}
		t.points = append(t.points, row)
		if sw.Design == Sobol {
			t.blocks = append(t.blocks, pt.Block)
		}
	}
	return t
}

// writePoints writes points.csv: point,[block,]<parameters…>.
func writePoints(path string, t table) error {
	return output.WriteFile(path, func(w io.Writer) error { return writePointsTo(w, t) })
}

// pointsDiffer reports whether the points.csv in dir, if any, holds other
// points than t: a sweep file whose design a later settle draws otherwise
// (a latin_hypercube before and after its orders were decorrelated).
func pointsDiffer(dir string, t table) bool {
	old, err := os.ReadFile(filepath.Join(dir, PointsFile))
	if err != nil {
		return false
	}
	var b bytes.Buffer
	writePointsTo(&b, t)
	return !bytes.Equal(old, b.Bytes())
}

func writePointsTo(w io.Writer, t table) error {
	cw := csv.NewWriter(w)
	head := []string{"point"}
	if t.blocks != nil {
		head = append(head, "block")
	}
	cw.Write(append(head, t.params...))
	for p, vals := range t.points {
		row := []string{strconv.Itoa(p)}
		if t.blocks != nil {
			row = append(row, t.blocks[p])
		}
		cw.Write(append(row, vals...))
	}
	cw.Flush()
	return cw.Error()
}

// readTable rebuilds the table of the sweep folder dir from its manifest
// and points.csv.
func readTable(dir string, m *Manifest) (table, error) {
	t := table{replicates: m.Replicates}
	for _, p := range m.Parameters {
		t.params = append(t.params, p.Path)
		t.integer = append(t.integer, p.Integer)
	}
	for _, mt := range m.Metrics {
		t.metrics = append(t.metrics, mt.Name)
	}
	path := filepath.Join(dir, PointsFile)
	f, err := os.Open(path)
	if err != nil {
		return t, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return t, fmt.Errorf("%s: %w", path, err)
	}
	sobol := m.Design == Sobol
	want := 1 + len(t.params)
	if sobol {
		want++
	}
	if len(rows) != m.Points+1 || len(rows[0]) != want {
		return t, fmt.Errorf("%s: %d rows of %d columns, want %d of %d; the folder is damaged", path, len(rows), len(rows[0]), m.Points+1, want)
	}
	for i, row := range rows[1:] {
		if row[0] != strconv.Itoa(i) {
			return t, fmt.Errorf("%s:%d: point %s out of order", path, i+2, row[0])
		}
		row = row[1:]
		if sobol {
			t.blocks = append(t.blocks, row[0])
			row = row[1:]
		}
		t.points = append(t.points, row)
	}
	return t, nil
}

// runsHeader returns the columns of runs.csv.
func (t table) runsHeader() []string {
	h := []string{"run_id", "point", "replicate", "seed"}
	h = append(h, t.params...)
	return append(h, "metric", "value")
}

// writeRuns writes runs.csv for the runs ids (ascending) from the journal
// entries: one row per run and metric.
func writeRuns(path string, t table, ids []int, runs map[int]entry) error {
	return output.WriteFile(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(t.runsHeader())
		row := make([]string, 0, 6+len(t.params))
		for _, id := range ids {
			e := runs[id]
			pt := id / t.replicates
			row = append(row[:0], strconv.Itoa(id), strconv.Itoa(pt), strconv.Itoa(id%t.replicates), e.seed)
			row = append(row, t.points[pt]...)
			n := len(row)
			for m, name := range t.metrics {
				row = append(row[:n], name, e.values[m])
				cw.Write(row)
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// writeParquet writes the same table as runs.csv as Parquet: run_id,
// point, replicate (int64), seed (uint64), one column per parameter
// (int64 for those that take whole numbers, such as years, else double),
// metric (a dictionary-encoded string) and value (double),
// Snappy-compressed, in row groups of 1<<16 rows. The bytes depend only
// on the rows.
func writeParquet(path string, t table, ids []int, runs map[int]entry) error {
	dict := func(n parquet.Node) parquet.Node { return parquet.Encoded(n, &parquet.RLEDictionary) }
	var fields []parquet.Field
	add := func(name string, n parquet.Node) {
		fields = append(fields, orderedField{parquet.Required(n), name})
	}
	add("run_id", parquet.Int(64))
	add("point", parquet.Int(64))
	add("replicate", parquet.Int(64))
	add("seed", parquet.Uint(64))
	for i, p := range t.params {
		if t.integer[i] {
			add(p, parquet.Int(64))
		} else {
			add(p, parquet.Leaf(parquet.DoubleType))
		}
	}
	add("metric", dict(parquet.String()))
	add("value", parquet.Leaf(parquet.DoubleType))
	schema := parquet.NewSchema("runs", orderedGroup(fields))

	// Parameter values per point, parsed once.
	pvals := make([][]float64, len(t.points))
	for p, row := range t.points {
		pvals[p] = make([]float64, len(row))
		for i, s := range row {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("point %d: parameter %s = %q is not a number", p, t.params[i], s)
			}
			pvals[p][i] = v
		}
	}
	return output.WriteFile(path, func(w io.Writer) error {
		pw := parquet.NewWriter(w, schema, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("settle", engineVersion, "sweep"))
		const group = 1 << 16
		rows := make([]parquet.Row, 0, 1024)
		inGroup := 0
		flush := func() error {
			if _, err := pw.WriteRows(rows); err != nil {
				return err
			}
			rows = rows[:0]
			return nil
		}
		for _, id := range ids {
			e := runs[id]
			pt := id / t.replicates
			seed, err := strconv.ParseUint(e.seed, 10, 64)
			if err != nil {
				return fmt.Errorf("run %d: seed %q", id, e.seed)
			}
			for m, name := range t.metrics {
				v, err := strconv.ParseFloat(e.values[m], 64)
				if err != nil {
					return fmt.Errorf("run %d: value %q", id, e.values[m])
				}
				row := make(parquet.Row, 0, 6+len(t.params))
				c := 0
				col := func(v parquet.Value) {
					row = append(row, v.Level(0, 0, c))
					c++
				}
				col(parquet.Int64Value(int64(id)))
				col(parquet.Int64Value(int64(pt)))
				col(parquet.Int64Value(int64(id % t.replicates)))
				col(parquet.Int64Value(int64(seed)))
				for i, pv := range pvals[pt] {
					if t.integer[i] {
						col(parquet.Int64Value(int64(pv)))
					} else {
						col(parquet.DoubleValue(pv))
					}
				}
				col(parquet.ByteArrayValue([]byte(name)))
				col(parquet.DoubleValue(v))
				rows = append(rows, row)
				if len(rows) == cap(rows) {
					if err := flush(); err != nil {
						return err
					}
				}
				if inGroup++; inGroup == group {
					if err := flush(); err != nil {
						return err
					}
					if err := pw.Flush(); err != nil {
						return err
					}
					inGroup = 0
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return pw.Close()
	})
}

// orderedGroup is a Parquet group whose columns keep the order given
// (parquet.Group sorts them by name): the columns of runs.parquet are in
// the order of runs.csv.
type orderedGroup []parquet.Field

func (g orderedGroup) ID() int                           { return 0 }
func (g orderedGroup) String() string                    { return "runs" }
func (g orderedGroup) Type() parquet.Type                { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool                    { return false }
func (g orderedGroup) Repeated() bool                    { return false }
func (g orderedGroup) Required() bool                    { return true }
func (g orderedGroup) Leaf() bool                        { return false }
func (g orderedGroup) Fields() []parquet.Field           { return g }
func (g orderedGroup) Encoding() encoding.Encoding       { return nil }
func (g orderedGroup) Compression() compress.Codec       { return nil }
func (g orderedGroup) GoType() reflect.Type              { return reflect.TypeFor[map[string]any]() }
func (f orderedField) Name() string                      { return f.name }
func (f orderedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }

type orderedField struct {
	parquet.Node
	name string
}

// Results are the finished runs of a sweep folder, read back for analysis.
type Results struct {
	Manifest *Manifest
	// Points[p] are point p's parameter values (Manifest.Parameters order);
	// Blocks[p] its sobol block ("" for other designs).
	Points [][]float64
	Blocks []string
	// Metrics are the metrics' names; Values[r][m] is metric m of run r
	// (run id r = point·replicates + replicate).
	Metrics []string
	Values  [][]float64
}

// PointMeans returns metric m's mean over each point's replicates.
func (r *Results) PointMeans(m int) []float64 {
	reps := r.Manifest.Replicates
	out := make([]float64, len(r.Points))
	for p := range out {
		for k := range reps {
			out[p] += r.Values[p*reps+k][m]
		}
		out[p] /= float64(reps)
	}
	return out
}

// ReadResults reads a complete sweep folder (a single-machine run, or the
// output of Merge): its manifest, points.csv and runs.csv.
func ReadResults(dir string) (*Results, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if !m.Complete || !m.Shard.Whole() {
		what := "not complete"
		if !m.Shard.Whole() {
			what = fmt.Sprintf("shard %s of a sweep", m.Shard)
		}
		return nil, fmt.Errorf("%s is %s; finish it (settle sweep --resume) or merge its shards (settle sweep merge) first", dir, what)
	}
	t, err := readTable(dir, m)
	if err != nil {
		return nil, err
	}
	res := &Results{Manifest: m, Metrics: t.metrics, Blocks: t.blocks}
	if res.Blocks == nil {
		res.Blocks = make([]string, len(t.points))
	}
	for _, row := range t.points {
		vals := make([]float64, len(row))
		for i, s := range row {
			vals[i], _ = strconv.ParseFloat(s, 64)
		}
		res.Points = append(res.Points, vals)
	}
	path := filepath.Join(dir, RunsFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil || !slices.Equal(head, t.runsHeader()) {
		return nil, fmt.Errorf("%s: the header is not %v; the folder is damaged", path, t.runsHeader())
	}
	res.Values = make([][]float64, m.Runs)
	for i := range res.Values {
		res.Values[i] = make([]float64, len(t.metrics))
	}
	seen := make([]int, m.Runs)
	line := 1
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		id, err1 := strconv.Atoi(row[0])
		v, err2 := strconv.ParseFloat(row[len(row)-1], 64)
		mi := slices.Index(t.metrics, row[len(row)-2])
		if err1 != nil || err2 != nil || id < 0 || id >= m.Runs || mi < 0 {
			return nil, fmt.Errorf("%s:%d: not a row of this sweep", path, line)
		}
		res.Values[id][mi] = v
		seen[id]++
	}
	for id, n := range seen {
		if n != len(t.metrics) {
			return nil, fmt.Errorf("%s: run %d has %d of %d metrics; the folder is incomplete", path, id, n, len(t.metrics))
		}
	}
	return res, nil
}
