package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ErrNotEmpty is matched (errors.Is) by the error returned when a run
// would overwrite an earlier one.
var ErrNotEmpty = errors.New("folder is not empty")

type notEmptyError struct{ dir string }

func (e *notEmptyError) Error() string {
	return "refusing to overwrite the earlier run in " + e.dir + "; choose another --out or delete it"
}

func (e *notEmptyError) Is(target error) bool { return target == ErrNotEmpty }

// CheckDir reports whether dir can take a new run: it must not exist or be
// an empty folder. It creates nothing; Create checks again when the run
// starts.
func CheckDir(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot use %s for the results: %w", dir, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return fmt.Errorf("cannot use %s for the results: %w", dir, err)
	} else if !st.IsDir() {
		return fmt.Errorf("cannot use %s for the results: it is a file, not a folder; choose another --out", dir)
	}
	if _, err := f.Readdirnames(1); err == nil {
		return &notEmptyError{dir}
	} else if err != io.EOF {
		return fmt.Errorf("cannot use %s for the results: %w", dir, err)
	}
	return nil
}

// claimDir creates dir if needed, checks that it is empty, and claims it by
// creating the INCOMPLETE file exclusively, so two runs started at once
// cannot both write into it.
func claimDir(dir string) error {
	if err := CheckDir(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the run folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, IncompleteFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &notEmptyError{dir}
	}
	if err != nil {
		return fmt.Errorf("creating the run folder: %w", err)
	}
	return f.Close()
}

// RunID returns the default name of a run folder: the local start time and
// the seed, as in 20240131-154502-s42.
func RunID(start time.Time, seed uint64) string {
	return start.Format("20060102-150405") + "-s" + strconv.FormatUint(seed, 10)
}

// NewRunDir creates and returns a new, empty folder
// base/<scenario>/<run id> (see RunID), adding a suffix -2, -3 … when a
// folder of that name exists. The scenario name is made safe as a folder
// name (SafeName). The folder is created atomically, so concurrent runs get
// different folders.
func NewRunDir(base, scenario string, seed uint64, start time.Time) (string, error) {
	parent := filepath.Join(base, SafeName(scenario))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("creating the results folder: %w", err)
	}
	id := RunID(start, seed)
	for n := 1; ; n++ {
		dir := filepath.Join(parent, id)
		if n > 1 {
			dir += "-" + strconv.Itoa(n)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) || n == 1000 {
			return "", fmt.Errorf("creating the run folder: %w", err)
		}
	}
}

// SafeName turns a scenario name into a folder name: letters, digits, '-',
// '_' and '.' are kept, anything else becomes '-'; an empty result (or "."
// or "..") becomes "unnamed".
func SafeName(name string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, strings.TrimSpace(name))
	if s == "" || s == "." || s == ".." {
		return "unnamed"
	}
	return s
}
