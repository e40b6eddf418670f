package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// JournalFile records the finished runs of a sweep folder, one line each,
// appended as each run finishes:
//
//	run_id TAB seed TAB value_1 … TAB value_m TAB crc32
//
// with the values formatted as runs.csv writes them (FormatMetric) and
// the CRC-32 (IEEE, hex) of the line before it. A process killed while
// writing leaves at most one partial last line, which reading drops: a
// run is either in the journal whole or computed again. runs.csv and runs.parquet are assembled
// from the journal in run-id order, so their bytes do not depend on the
// order in which the runs finished.
const JournalFile = "runs.journal"

// entry is one finished run.
type entry struct {
	seed   string
	values []string
}

// journalLine formats a run's line.
func journalLine(id int, seed uint64, values []float64) []byte {
	var b bytes.Buffer
	b.WriteString(strconv.Itoa(id))
	b.WriteByte('\t')
	b.WriteString(strconv.FormatUint(seed, 10))
	for _, v := range values {
		b.WriteByte('\t')
		b.WriteString(FormatMetric(v))
	}
	fmt.Fprintf(&b, "\t%08x\n", crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes()
}

// readJournal reads the journal at path for metrics values a run. It
// returns the runs by id and the length of the valid prefix of the file:
// a damaged or partial last line is left out (and should be cut off before
// appending). Damage before the last line is an error.
func readJournal(path string, metrics int) (map[int]entry, int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[int]entry{}, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	runs := map[int]entry{}
	var valid int64
	for n := 1; len(data) > 0; n++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // a partial last line
		}
		line := string(data[:i])
		data = data[i+1:]
		id, e, msg := parseJournalLine(line, metrics)
		if msg != "" {
			if len(data) == 0 {
				break // a damaged last line: computed again
			}
			return nil, 0, fmt.Errorf("%s:%d: %s; the journal is damaged: move the folder aside and run the sweep again", path, n, msg)
		}
		if old, dup := runs[id]; dup {
			if strings.Join(old.values, ",") != strings.Join(e.values, ",") {
				return nil, 0, fmt.Errorf("%s:%d: run %d is recorded twice with different values; the folder mixes two sweeps: run the sweep again in a new folder", path, n, id)
			}
		}
		runs[id] = e
		valid += int64(i + 1)
	}
	return runs, valid, nil
}

func parseJournalLine(line string, metrics int) (int, entry, string) {
	f := strings.Split(line, "\t")
	if len(f) != metrics+3 {
		return 0, entry{}, fmt.Sprintf("%d fields, want %d", len(f), metrics+3)
	}
	body := line[:strings.LastIndexByte(line, '\t')]
	if fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body))) != f[len(f)-1] {
		return 0, entry{}, "checksum mismatch"
	}
	id, err := strconv.Atoi(f[0])
	if err != nil || id < 0 {
		return 0, entry{}, fmt.Sprintf("bad run id %q", f[0])
	}
	values := f[2 : len(f)-1]
	for i, v := range values {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, entry{}, fmt.Sprintf("bad value %q", v)
		}
		// A journal of an older version wrote 6.001234e+06, or all 17
		// digits (210200.00000000003): the same bytes as a new one's.
		values[i] = FormatMetric(x)
	}
	return id, entry{seed: f[1], values: values}, ""
}
