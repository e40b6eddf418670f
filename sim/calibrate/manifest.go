package calibrate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/world"
)

// ManifestFile is the file that describes a calibration folder, as a run's
// and a sweep's manifest.json describe theirs.
const ManifestFile = output.ManifestFile

// Manifest describes a calibration well enough to repeat it: the engine,
// the calibration and targets files and the world's files (each checked by
// its SHA-256), and the settings after any flags. The same engine build,
// files and settings give the same evaluations for any number of workers.
type Manifest struct {
	EngineVersion string `json:"engine_version"`
	// EngineBuild is the revision the binary was built from (engine.Build;
	// "" when unknown).
	EngineBuild string `json:"engine_build,omitempty"`
	// EngineBinarySHA256 is the SHA-256 of the executable
	// (engine.BinarySHA256), as a run's manifest has it.
	EngineBinarySHA256 string `json:"engine_binary_sha256,omitempty"`
	// CalibrationFile is the file given to settle calibrate (relative to
	// WorkingDir), TargetsFile the targets it fitted to: the same file when
	// the targets are beside the [calibration] table.
	CalibrationFile   string `json:"calibration_file"`
	CalibrationSHA256 string `json:"calibration_sha256"`
	TargetsFile       string `json:"targets_file"`
	TargetsSHA256     string `json:"targets_sha256"`
	WorkingDir        string `json:"working_dir,omitempty"`
	World             string `json:"world"`
	// WorldFiles are the user's files the world was read from (a regions
	// CSV, a travel-time CSV) with their SHA-256, as in a run's manifest.
	WorldFiles []world.File `json:"world_files,omitempty"`
	Params     []Param      `json:"params"`
	Scale      float64      `json:"scale"`
	Years      int          `json:"years"`
	Seeds      []uint64     `json:"seeds"`
	// ValidateScale and ValidateSeeds are those of the validation run
	// (the defaults resolved).
	ValidateScale float64  `json:"validate_scale"`
	ValidateSeeds []uint64 `json:"validate_seeds"`
	Method        string   `json:"method"`
	MaxEvals      int      `json:"max_evals"`
	Workers       int      `json:"workers"` // never changes the results
	// Evaluations is how many evaluations finished; Status why the
	// optimiser stopped (Result.Status), once it has.
	Evaluations int    `json:"evaluations"`
	Status      string `json:"status,omitempty"`
	// Complete is true only when the fit and its report were written.
	Complete bool `json:"complete"`
	// Stopped says why an incomplete calibration ended.
	Stopped     string    `json:"stopped,omitempty"`
	StartTime   time.Time `json:"start_time"`
	EndTime     time.Time `json:"end_time,omitzero"`
	CommandLine []string  `json:"command_line,omitempty"`
	GoVersion   string    `json:"go_version"`
	Hostname    string    `json:"hostname,omitempty"`
}

// NewManifest returns the manifest of a calibration of s against t on the
// world w (loaded by s.LoadWorld), not yet complete. The caller sets the
// times, the workers, the command line and where it ran.
func NewManifest(s *Spec, t *Targets, w *world.World) Manifest {
	vscale, vseeds := s.validation()
	m := Manifest{
		EngineVersion:      engine.Version,
		EngineBuild:        engine.Build(),
		EngineBinarySHA256: engine.BinarySHA256(),
		CalibrationFile:    s.File,
		CalibrationSHA256:  s.SHA256,
		World:              s.World,
		WorldFiles:         append([]world.File(nil), w.Files...),
		Params:             append([]Param(nil), s.Params...),
		Scale:              s.Scale,
		Years:              s.Years,
		Seeds:              append([]uint64(nil), s.Seeds...),
		ValidateScale:      vscale,
		ValidateSeeds:      append([]uint64(nil), vseeds...),
		Method:             s.Method,
		MaxEvals:           s.MaxEvals,
	}
	if t != nil {
		m.TargetsFile, m.TargetsSHA256 = t.File, t.SHA256
	}
	return m
}

// WriteManifest writes m to dir/manifest.json through a temporary file
// renamed when it is whole (output.WriteData), so the name never holds half
// a manifest.
func WriteManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return output.WriteData(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// ReadManifest reads the manifest.json of a calibration folder.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := new(Manifest)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%s is damaged%s (%v): settle calibrate wrote it and cannot read it back; was it edited or cut short?", path, output.SyntaxLine(b, err), err)
	}
	return m, nil
}
