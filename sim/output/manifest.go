package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settle-sim/settle/sim/world"
)

// Manifest describes a run well enough to reproduce it bit for bit: the
// same engine version, scenario (checked by its SHA-256), seed, scale and
// years give the same CSVs for any number of workers.
type Manifest struct {
	EngineVersion string `json:"engine_version"`
	// EngineBuild is the revision the binary was built from (engine.Build;
	// "" when unknown): runs of one version may differ between builds.
	EngineBuild string `json:"engine_build,omitempty"`
	// EngineBinarySHA256 is the SHA-256 of the executable that ran
	// (engine.BinarySHA256): the code exactly, also where EngineBuild is
	// unknown or "+dirty".
	EngineBinarySHA256 string `json:"engine_binary_sha256,omitempty"`
	ScenarioFile       string `json:"scenario_file"` // path as given on the command line, relative to WorkingDir
	WorkingDir         string `json:"working_dir,omitempty"`
	ScenarioSHA256     string `json:"scenario_sha256"` // hex SHA-256 of the file's bytes
	ScenarioName       string `json:"scenario_name"`
	World              string `json:"world"`
	// WorldFiles are the user's files the world was read from (a regions
	// CSV, a travel_times CSV) with their SHA-256: a run of a user world is
	// reproduced only with the same files (LoadWorld checks them).
	WorldFiles []world.File `json:"world_files,omitempty"`
	Seed       uint64       `json:"seed"`
	Scale      float64      `json:"scale"`
	Workers    int          `json:"workers"` // never changes the results
	StartYear  int          `json:"start_year"`
	// Projection is the national projection the run followed (the
	// scenario's projection key, world.Projections).
	Projection string `json:"projection,omitempty"`
	// Years is the number of years asked for; YearsCompleted how many were
	// simulated and written (the start population is not counted), the last
	// being LastYear.
	Years          int  `json:"years"`
	YearsCompleted int  `json:"years_completed"`
	LastYear       int  `json:"last_year,omitempty"`
	Complete       bool `json:"complete"`
	// Stopped says why an incomplete run ended.
	Stopped     string    `json:"stopped,omitempty"`
	StartTime   time.Time `json:"start_time"` // RFC 3339
	EndTime     time.Time `json:"end_time,omitzero"`
	CommandLine []string  `json:"command_line"`
	GoVersion   string    `json:"go_version"`
	Hostname    string    `json:"hostname,omitempty"`
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return WriteData(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// ScenarioPath is the path of the scenario file the run read: the
// manifest's scenario_file, joined to the folder it is relative to.
func (m *Manifest) ScenarioPath() string {
	if !filepath.IsAbs(m.ScenarioFile) && m.WorkingDir != "" {
		return filepath.Join(m.WorkingDir, m.ScenarioFile)
	}
	return m.ScenarioFile
}

// WorldCopyDir is the folder, inside a run folder, that holds copies of
// the user's world files the run read (Manifest.WorldFiles; none for an
// embedded world without a travel_times file): a run folder keeps its
// inputs, and LoadWorld reads them when the originals have moved or
// changed.
const WorldCopyDir = "world"

// WorldCopy is the path, relative to a run folder, of its copy of the
// world file f: world/regions.csv or world/travel_times.csv.
func WorldCopy(f world.File) string {
	return filepath.Join(WorldCopyDir, f.Role+".csv")
}

// WorldData are the bytes of a world's user files, read and checked
// against the SHA-256 recorded when the world was read (ReadWorldData),
// for the copies a results folder keeps (Write). Runs, sweeps and
// calibrations keep them beside their manifests.
type WorldData struct {
	files []world.File
	data  [][]byte
}

// ReadWorldData reads the user's world files (world.World.Files), each
// checked against its recorded SHA-256: a file changed since the world was
// read is refused rather than copied as another world. Callers read them
// before they create a results folder, so that a refusal leaves none.
func ReadWorldData(files []world.File) (*WorldData, error) {
	d := &WorldData{files: files}
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return nil, fmt.Errorf("reading the %s file %s again, to keep a copy: %w", f.Role, f.Path, UnwrapPath(err))
		}
		if world.SHA256Hex(data) != f.SHA256 {
			return nil, fmt.Errorf("the %s file %s changed after settle read it (its SHA-256 is no longer the one read); start again once the file is final", f.Role, f.Path)
		}
		d.data = append(d.data, data)
	}
	return d, nil
}

// Write writes the copies into the results folder dir (WorldCopy);
// nothing for a world without user files.
func (d *WorldData) Write(dir string) error {
	for k, f := range d.files {
		if err := os.MkdirAll(filepath.Join(dir, WorldCopyDir), 0o755); err != nil {
			return err
		}
		if err := WriteData(filepath.Join(dir, WorldCopy(f)), d.data[k]); err != nil {
			return err
		}
	}
	return nil
}

// LoadWorld loads the world of the run whose manifest m was read from the
// folder dir, with the travel-time file it used, after checking that the
// world's files are those the run read (their SHA-256): a changed file
// would silently give another world. Each file is read from where the run
// read it or, when it has moved or changed there, from the run folder's
// copy (WorldCopy; runs written before the copies were kept have none). The world
// keeps the run's name (Manifest.World); its Files name the files read,
// a copy's path where a copy was read.
func LoadWorld(dir string, m *Manifest) (*world.World, error) {
	where := filepath.Join(dir, ManifestFile)
	name, travel := m.World, ""
	read := make([]world.File, 0, len(m.WorldFiles))
	for _, f := range m.WorldFiles {
		path := f.Path
		data, err := os.ReadFile(path)
		switch {
		case err == nil && world.SHA256Hex(data) == f.SHA256:
		default:
			cp := filepath.Join(dir, WorldCopy(f))
			cdata, cerr := os.ReadFile(cp)
			switch {
			case cerr == nil && world.SHA256Hex(cdata) == f.SHA256:
				path = cp
			case cerr == nil:
				return nil, fmt.Errorf("%s: the %s file the run read is neither at %s (%s) nor in the run folder: its copy %s has changed since the run; restore the version the run read, or run the scenario again", where, f.Role, f.Path, originalProblem(err), cp)
			case err != nil:
				return nil, fmt.Errorf("%s: the run read its %s file %s, which cannot be read now (%v), and the run folder has no copy of it (%s); put the file back at that path to read this run", where, f.Role, f.Path, UnwrapPath(err), WorldCopy(f))
			default:
				return nil, fmt.Errorf("%s: the %s file %s has changed since the run (its SHA-256 is not the one recorded), and the run folder has no copy of it (%s); restore the version the run read, or run the scenario again", where, f.Role, f.Path, WorldCopy(f))
			}
		}
		switch f.Role {
		case world.TravelFile:
			travel = path
		case world.RegionsFile:
			name = path
		}
		f.Path = path
		read = append(read, f)
	}
	w, err := world.Load(name, travel)
	if err != nil {
		return nil, fmt.Errorf("%s: world %q: %w", where, m.World, err)
	}
	w.Name = m.World
	w.Files = read
	return w, nil
}

// originalProblem says why a world file at its original path was not used
// (it cannot be read, or it has changed).
func originalProblem(err error) string {
	if err != nil {
		return UnwrapPath(err).Error()
	}
	return "it has changed since the run"
}

// UnwrapPath drops the path and operation of a *fs.PathError, which the
// message around it already names ("no such file or directory").
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadManifest reads the manifest.json of a run folder.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	m := new(Manifest)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%s is damaged%s (%v): settle wrote it and cannot read it back; was it edited or cut short? Rerun the scenario into a new folder", filepath.Join(dir, ManifestFile), SyntaxLine(b, err), err)
	}
	return m, nil
}

// SyntaxLine is " at line N" for a JSON syntax error err in data, the line
// where the decoder stopped, and "" for any other error.
func SyntaxLine(data []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return ""
	}
	return fmt.Sprintf(" at line %d", 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")))
}

// WriteFile writes path through a temporary file (path.tmp), synced and
// renamed when write returns without error, so the final name never holds
// half a file; on an error nothing is left behind. Every file of a result
// folder but the streamed CSVs of a run (csvFile) is written through it.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp := path + tmpSuffix
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644) // as the streamed CSVs
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteData is WriteFile for data held in memory.
func WriteData(path string, data []byte) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// runningText is the INCOMPLETE file of a run while it runs: what to make
// of it if the run never replaces it (a crash, a kill, a full disk).
func runningText(m *Manifest) string {
	var b strings.Builder
	b.WriteString("This run is still running, or it stopped without finishing: it crashed, was\n" +
		"killed, or could not write its last files (a full disk?).\n\n" +
		"While it runs the tables are written as regions.csv.tmp and so on, whole years\n" +
		"at a time, and renamed when the run ends; manifest.json says \"complete\": true\n" +
		"only for a run that finished.\n")
	b.WriteString(rerunText(m, "If it has stopped, run it again to get the whole run"))
	return b.String()
}

// rerunText says how to run the scenario of m again, lead being the first
// words of its advice: the run's command line (or, without one, settle run
// with its scenario file and seed), from the folder it ran in, where its
// relative paths lead (a user found the rerun command's relative scenario
// path without the folder it is relative to). A command that gave --out
// names this folder, which a new run refuses while it is not empty: the
// text then says to delete the folder first and shows the command as it
// was, or shows it with --out NEWDIR, for another folder. A command
// without --out writes a new folder and leaves this one as it is (the
// text said to delete this folder or give another --out, above a command
// with no --out).
func rerunText(m *Manifest, lead string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s; the same scenario and seed give the same results.\n", lead)
	cd := ""
	if m.WorkingDir != "" {
		cd = "cd " + ShellQuote(m.WorkingDir) + " && "
	}
	args := m.CommandLine
	if len(args) == 0 {
		args = []string{"settle", "run", m.ScenarioFile, "--seed", strconv.FormatUint(m.Seed, 10)}
	}
	out := outArg(args)
	if out < 0 {
		b.WriteString("The command writes its results into a new folder under results/ and leaves\n" +
			"this one as it is (delete this folder when you no longer need it):\n\n")
		fmt.Fprintf(&b, "    %s%s\n", cd, ShellJoin(args))
		return b.String()
	}
	b.WriteString("A run writes only into an empty folder: delete this folder first, then run\n\n")
	fmt.Fprintf(&b, "    %s%s\n", cd, ShellJoin(args))
	b.WriteString("\nor keep this folder and give the new run another one, in place of NEWDIR:\n\n")
	other := slices.Clone(args)
	if name, _, ok := strings.Cut(other[out], "="); ok && strings.HasPrefix(other[out], "-") {
		other[out] = name + "=NEWDIR"
	} else {
		other[out] = "NEWDIR"
	}
	fmt.Fprintf(&b, "    %s%s\n", cd, ShellJoin(other))
	return b.String()
}

// outArg returns the index in the command line args of the folder its
// --out flag gives (the argument after --out or -out, or the flag itself
// when it is --out=DIR), or −1 when it gives none. The flags may come
// before or after the scenario file; none come after "--".
func outArg(args []string) int {
	for i := 2; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return -1
		case a == "--out" || a == "-out":
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		case strings.HasPrefix(a, "--out=") || strings.HasPrefix(a, "-out="):
			return i
		}
	}
	return -1
}

// incompleteText is the INCOMPLETE file of a run that stopped: how far it
// got (records written, the first the start population), why it stopped
// and how to run it again.
func incompleteText(m *Manifest, records int, why string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "This run is incomplete: %s.\n\n", why)
	done := max(records-1, 0)
	switch {
	case records == 0:
		b.WriteString("No year was written; the tables hold only their header rows.\n")
	case done == 0:
		fmt.Fprintf(&b, "Only the start population (%d) was written; none of the %d years was simulated.\n", m.LastYear, m.Years)
	default:
		fmt.Fprintf(&b, "%d of %d years were simulated. Every table (%s)\nholds the start year and every simulated year up to %d, each year complete.\n",
			done, m.Years, strings.Join(TableFiles, ", "), m.LastYear)
	}
	b.WriteString(rerunText(m, "To get the whole run, run it again"))
	return b.String()
}

// ShellJoin joins args into a line a POSIX shell splits back into them.
func ShellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = ShellQuote(a)
	}
	return strings.Join(q, " ")
}

// ShellQuote quotes s for a POSIX shell when it needs it, so that a
// command printed for the user (a run's reproduction, a sweep's --resume)
// can be pasted back whatever its paths hold.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
