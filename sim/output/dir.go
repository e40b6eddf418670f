package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ErrNotEmpty is matched (errors.Is) by the error returned when a run
// would overwrite an earlier one, or write into a folder that holds other
// files (a *NotEmptyError).
var ErrNotEmpty = errors.New("folder is not empty")

// NotEmptyError is CheckDir's error for a folder that holds something.
type NotEmptyError struct {
	Dir   string
	Names []string // what the folder holds, sorted; folders end in /
}

// Holds reports whether the folder holds the file name.
func (e *NotEmptyError) Holds(name string) bool { return slices.Contains(e.Names, name) }

// Contents lists the first few names, "keep.txt, notes/ and 3 more".
func (e *NotEmptyError) Contents() string {
	const show = 3
	if len(e.Names) <= show {
		return strings.Join(e.Names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(e.Names[:show], ", "), len(e.Names)-show)
}

func (e *NotEmptyError) Error() string {
	switch {
	case e.Holds(IncompleteFile):
		return "refusing to overwrite the earlier run in " + e.Dir + ", which did not finish; choose another --out or delete it"
	case e.Holds(ManifestFile):
		return "refusing to overwrite the earlier run in " + e.Dir + "; choose another --out or delete it"
	}
	return fmt.Sprintf("%s is not empty (%s); choose a new folder or an empty one", e.Dir, e.Contents())
}

func (e *NotEmptyError) Is(target error) bool { return target == ErrNotEmpty }

// Reworded returns an error that reads msg and unwraps to err, so that
// errors.Is and errors.As still find err: a refusal that says what is in a
// folder better than CheckDir can (still ErrNotEmpty), or an interruption
// that says what became of the work without Go's "context canceled".
func Reworded(msg string, err error) error { return &reworded{msg, err} }

type reworded struct {
	msg string
	err error
}

func (e *reworded) Error() string { return e.msg }
func (e *reworded) Unwrap() error { return e.err }

// CheckDir reports whether dir can take a new run: it must not exist or be
// an empty folder. It creates nothing; Create checks again when the run
// starts. A folder that is not empty gives a *NotEmptyError, which says
// what is there.
func CheckDir(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// A symbolic link to nothing cannot be created as a folder.
		if st, lerr := os.Lstat(dir); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(dir)
			return fmt.Errorf("cannot use %s for the results: it is a symbolic link to %s, which does not exist; create that folder, or choose another --out", dir, to)
		}
		return nil
	}
	if err != nil {
		return FolderError("use", dir, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return fmt.Errorf("cannot use %s for the results: %w", dir, err)
	} else if !st.IsDir() {
		return fmt.Errorf("cannot use %s for the results: it is a file, not a folder; choose another --out", dir)
	}
	entries, err := f.ReadDir(-1)
	if err != nil {
		return fmt.Errorf("cannot use %s for the results: %w", dir, err)
	}
	if len(entries) > 0 {
		e := &NotEmptyError{Dir: dir}
		for _, de := range entries {
			name := de.Name()
			if de.IsDir() {
				name += "/"
			}
			e.Names = append(e.Names, name)
		}
		slices.Sort(e.Names)
		return e
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
		return FolderError("create", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, IncompleteFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &NotEmptyError{Dir: dir, Names: []string{IncompleteFile}}
	}
	if err != nil {
		return FolderError("write into", dir, err)
	}
	return f.Close()
}

// FolderError says that a results folder could not be used ("create",
// "write into" …), with the fix for a folder the user may not write to.
func FolderError(what, dir string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot %s the results folder %s: permission denied; choose an --out in a folder you can write to", what, dir)
	}
	return fmt.Errorf("cannot %s the results folder %s: %w", what, dir, err)
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
		return "", FolderError("create", parent, err)
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
			return "", FolderError("create", dir, err)
		}
	}
}

// ASCIIFileName writes name (a scenario's name, a unit's code) in a file or
// folder name as SafeName does, but in ASCII: its letters as a sweep's
// metric names spell them (ASCIILetters: øybrua → oybrua, Tromsø →
// Tromso), every other character but -, _ and . as '-'. A name with
// nothing left is "unnamed". A comparison's charts (sim/report) and runs
// folders (compare.Plan.RunName) are named with it: a chart named
// migration-target-T1-øybrua.png may be spelt in two ways (ø composed or
// not), garbled by zip tools, mail and shells, and was not what a sweep
// calls the same place.
func ASCIIFileName(name string) string {
	s := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return r
		}
		return '-'
	}, strings.TrimSpace(ASCIILetters(name)))
	if strings.Trim(s, "-_.") == "" {
		return "unnamed"
	}
	return s
}

// SafeName turns a scenario name into a folder name: letters, digits, '-',
// '_' and '.' are kept, anything else becomes '-'; an empty result (or "."
// or "..") becomes "unnamed".
func SafeName(name string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, strings.TrimSpace(name))
	if s == "" || s == "." || s == ".." {
		return "unnamed"
	}
	return s
}
