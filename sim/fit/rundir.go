package fit

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

// FromRunDir computes the statistics of the run in dir (a folder written by
// `settle run`: manifest.json, regions.csv, flows.csv, migration_by_age.csv
// and, since engine 0.3.1, grew_up.csv, since 0.14.2 living_arrangements.csv;
// see results/README.md) over the window of t (the whole run when t is nil).
// The world is loaded by the name in the manifest. The files are streamed
// year by year through an Accumulator, so the result equals that of the
// records the run wrote. An incomplete run is used as far as it got.
func FromRunDir(dir string, t *targets.Targets) (Stats, error) {
	_, w, err := LoadRun(dir)
	if err != nil {
		return Stats{}, err
	}
	acc := NewAccumulator(w, t)
	if err := ReadRun(dir, w, acc.Add); err != nil {
		return Stats{}, err
	}
	return acc.Stats(), nil
}

// LoadRun reads the manifest of the run folder dir and loads its world.
func LoadRun(dir string) (*output.Manifest, *world.World, error) {
	m, err := output.ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s is not a run folder: it has no %s; give a folder written by settle run", dir, output.ManifestFile)
		}
		return nil, nil, err
	}
	w, err := output.LoadWorld(dir, m)
	if err != nil {
		return nil, nil, err
	}
	return m, w, nil
}

// ReadRun streams the tables of the run folder dir, a run of w, as one
// record per year (Weight 1: the files hold real-population counts) and
// calls add with each in order. The record is reused between calls.
func ReadRun(dir string, w *world.World, add func(*record.Year)) error {
	n := w.N()
	code := make(map[string]int, n)
	for i := range w.Regions {
		code[w.Regions[i].Code] = i
	}
	regions, err := openTable(filepath.Join(dir, output.RegionsFile), output.RegionsHeader)
	if err != nil {
		return err
	}
	defer regions.close()
	flows, err := openTable(filepath.Join(dir, output.FlowsFile), output.FlowsHeader)
	if err != nil {
		return err
	}
	defer flows.close()
	ages, err := openTable(filepath.Join(dir, output.AgesFile), output.AgesHeader)
	if err != nil {
		return err
	}
	defer ages.close()
	// grew_up.csv is newer than the other tables (engine 0.3.1): a run
	// without it gives no statistic of where people grew up.
	var grew *table
	if _, err := os.Stat(filepath.Join(dir, output.GrewUpFile)); err == nil {
		if grew, err = openTable(filepath.Join(dir, output.GrewUpFile), output.GrewUpHeader); err != nil {
			return err
		}
		defer grew.close()
	}
	// living_arrangements.csv is newer still (engine 0.14.2).
	var living *table
	if _, err := os.Stat(filepath.Join(dir, output.LivingFile)); err == nil {
		if living, err = openTable(filepath.Join(dir, output.LivingFile), output.LivingHeader); err != nil {
			return err
		}
		defer living.close()
	}
	livingAge := map[string]int{}
	for i, s := range record.LivingAgeNames {
		livingAge[s] = i
	}
	livingKind := map[string]int{}
	for i, s := range record.LivingNames {
		livingKind[s] = i
	}

	ageGroup := map[string]int{}
	for i, s := range record.AgeGroupNames {
		ageGroup[s] = i
	}
	motive := map[string]int{}
	for i, s := range record.MotiveNames {
		motive[s] = i
	}
	var livingRows []record.Living
	y := &record.Year{Weight: 1, Regions: make([]record.Region, n),
		Population: [2][]int64{make([]int64, Ages), make([]int64, Ages)},
		Moves:      [2][]int64{make([]int64, Ages), make([]int64, Ages)}}
	for {
		year, ok, err := regions.nextYear()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		y.Year = year
		clear(y.Regions)
		seen := 0
		for regions.inYear(year) {
			r := regions.row
			i, known := code[r[1]]
			if !known {
				return regions.errf(1, "region %q is not in world %s; is this the run's world?", r[1], w.Name)
			}
			reg := &y.Regions[i]
			fields := []*int64{&reg.Population, &reg.Births, &reg.Deaths, &reg.InDomestic, &reg.OutDomestic, &reg.Immigrants, &reg.Emigrants}
			for k, dst := range fields {
				if *dst, err = regions.int(3 + k); err != nil {
					return err
				}
			}
			seen++
			if err := regions.next(); err != nil {
				return err
			}
		}
		if seen != n {
			return fmt.Errorf("%s: year %d has %d regions, world %s has %d; the file is damaged or of another world", regions.path, year, seen, w.Name, n)
		}

		y.Flows = y.Flows[:0]
		if err := flows.skipBefore(year); err != nil {
			return err
		}
		for flows.inYear(year) {
			r := flows.row
			o, ok1 := code[r[1]]
			d, ok2 := code[r[2]]
			g, ok3 := ageGroup[r[3]]
			mo, ok4 := motive[r[4]]
			if !ok1 || !ok2 || !ok3 || !ok4 {
				return flows.errf(1, "unknown region, age group or motive in %q; is this the run's world?", r)
			}
			v, err := flows.int(5)
			if err != nil {
				return err
			}
			y.Flows = append(y.Flows, record.Flow{FlowKey: record.FlowKey{Origin: uint16(o), Destination: uint16(d), AgeGroup: uint8(g), Motive: uint8(mo)}, Moves: v})
			if err := flows.next(); err != nil {
				return err
			}
		}

		for sx := 0; sx < 2; sx++ {
			clear(y.Population[sx])
			clear(y.Moves[sx])
		}
		if err := ages.skipBefore(year); err != nil {
			return err
		}
		for ages.inYear(year) {
			r := ages.row
			a, err := ages.int(1)
			if err != nil {
				return err
			}
			if a < 0 || a >= Ages {
				return ages.errf(1, "age %d is outside 0…%d", a, Ages-1)
			}
			sx := 0
			switch r[2] {
			case "f":
			case "m":
				sx = 1
			default:
				return ages.errf(2, "sex %q is neither f nor m", r[2])
			}
			if y.Population[sx][a], err = ages.int(3); err != nil {
				return err
			}
			if y.Moves[sx][a], err = ages.int(4); err != nil {
				return err
			}
			if err := ages.next(); err != nil {
				return err
			}
		}
		y.Living = nil
		if living != nil {
			if err := living.skipBefore(year); err != nil {
				return err
			}
			if livingRows == nil {
				livingRows = make([]record.Living, n)
			}
			y.Living = livingRows
			clear(y.Living)
			for living.inYear(year) {
				r := living.row
				i, known := code[r[1]]
				if !known {
					return living.errf(1, "region %q is not in world %s; is this the run's world?", r[1], w.Name)
				}
				ag, ok := livingAge[r[3]]
				if !ok {
					return living.errf(3, "age group %q is not one of %v, the groups settle records", r[3], record.LivingAgeNames)
				}
				sx := slices.Index([]string{"f", "m"}, r[4])
				if sx < 0 {
					return living.errf(4, "sex %q is neither f nor m", r[4])
				}
				k, ok := livingKind[r[5]]
				if !ok {
					return living.errf(5, "living arrangement %q is not one of %v", r[5], record.LivingNames)
				}
				if y.Living[i][sx][ag][k], err = living.int(6); err != nil {
					return err
				}
				if err := living.next(); err != nil {
					return err
				}
			}
		}
		if grew != nil {
			if err := grew.skipBefore(year); err != nil {
				return err
			}
			for grew.inYear(year) {
				r := grew.row
				i, known := code[r[1]]
				if !known {
					return grew.errf(1, "region %q is not in world %s; is this the run's world?", r[1], w.Name)
				}
				a, err := grew.int(3)
				if err != nil {
					return err
				}
				k := slices.Index(record.GrewUpAges[:], int(a))
				if k < 0 {
					return grew.errf(3, "age %d is not one of %v, the ages settle records", a, record.GrewUpAges)
				}
				reg := &y.Regions[i]
				if reg.GrewUp[k], err = grew.int(4); err != nil {
					return err
				}
				if reg.LivingThere[k], err = grew.int(5); err != nil {
					return err
				}
				if err := grew.next(); err != nil {
					return err
				}
			}
		}
		add(y)
	}
}

// table reads one CSV of a run folder row by row, one row ahead.
type table struct {
	path string
	f    *os.File
	r    *csv.Reader
	head []string
	row  []string // the current row; nil at the end
	line int
	year int // the current row's year
}

func openTable(path string, header []string) (*table, error) {
	f, r, h, err := output.OpenCSV(path)
	if err != nil {
		return nil, err
	}
	t := &table{path: path, f: f, r: r, line: 1}
	for i, c := range header {
		if i >= len(h) || h[i] != c {
			f.Close()
			return nil, fmt.Errorf("%s:1: the header is not that of a settle run (want %q first); was it written by another version?", path, header)
		}
	}
	t.r.FieldsPerRecord = len(h)
	t.head = h
	return t, t.next()
}

func (t *table) close() { t.f.Close() }

// next reads the next row.
func (t *table) next() error {
	row, err := t.r.Read()
	if err == io.EOF {
		t.row = nil
		return nil
	}
	t.line++
	if err != nil {
		return output.DamagedCSV(t.path, false, len(t.head), err)
	}
	t.row = row
	y, err := strconv.Atoi(row[0])
	if err != nil {
		return t.errf(0, "year %q is not a whole number", row[0])
	}
	t.year = y
	return nil
}

// nextYear returns the year of the current row, false at the end.
func (t *table) nextYear() (int, bool, error) {
	if t.row == nil {
		return 0, false, nil
	}
	return t.year, true, nil
}

func (t *table) inYear(y int) bool { return t.row != nil && t.year == y }

// skipBefore fails on rows of years before y (the files are ordered by year
// and each year of regions.csv comes first).
func (t *table) skipBefore(y int) error {
	if t.row != nil && t.year < y {
		return t.errf(0, "year %d has no rows in regions.csv or is out of order; the run folder is damaged", t.year)
	}
	return nil
}

func (t *table) int(col int) (int64, error) {
	v, err := strconv.ParseInt(t.row[col], 10, 64)
	if err != nil {
		return 0, t.errf(col, "%q is not a whole number", t.row[col])
	}
	return v, nil
}

func (t *table) errf(col int, format string, args ...any) error {
	name := "?"
	if col < len(t.head) {
		name = t.head[col]
	}
	return fmt.Errorf("%s:%d: %s: %s", t.path, t.line, name, fmt.Sprintf(format, args...))
}
