package output

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tmpSuffix marks a file that is still being written. Nothing with a final
// name is ever half-written: a file is streamed under NAME.tmp and renamed
// when the run is closed.
const tmpSuffix = ".tmp"

// csvFile streams one CSV table into NAME.tmp. Rows are assembled in line
// with the strconv.Append* functions and written through a bufio.Writer.
// The writer is flushed at the end of every year, and good is the size of
// the file after the last year that every table of the run wrote: after an
// I/O error the file is cut back to it, so a renamed file only ever holds
// whole years.
type csvFile struct {
	path string // final name
	f    *os.File
	w    *bufio.Writer
	line []byte // the row being assembled
	good int64  // bytes in the file after the last whole year
	size int64  // bytes handed to w so far
	err  error  // first write error
}

func createCSV(path string, header []string) (*csvFile, error) {
	f, err := os.OpenFile(path+tmpSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	c := &csvFile{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10), line: make([]byte, 0, chunk+1024)}
	c.line = append(c.line, strings.Join(header, ",")...)
	c.endRow()
	c.flush()
	c.commit()
	if c.err != nil {
		f.Close()
		os.Remove(path + tmpSuffix)
		return nil, c.err
	}
	return c, nil
}

func (c *csvFile) int(v int64) {
	c.line = strconv.AppendInt(c.line, v, 10)
	c.line = append(c.line, ',')
}

// float appends v with prec decimals.
func (c *csvFile) float(v float64, prec int) {
	c.line = strconv.AppendFloat(c.line, v, 'f', prec, 64)
	c.line = append(c.line, ',')
}

// raw appends b, which must be a CSV field (already quoted if need be)
// followed by a comma.
func (c *csvFile) raw(b []byte) { c.line = append(c.line, b...) }

// field returns s as a CSV field followed by a comma, for raw.
func field(s string) []byte {
	var c csvFile
	c.str(s)
	return c.line
}

// str appends s, quoted as RFC 4180 requires when it holds a comma, a quote
// or a line break.
func (c *csvFile) str(s string) {
	if !strings.ContainsAny(s, ",\"\r\n") {
		c.line = append(c.line, s...)
	} else {
		c.line = append(c.line, '"')
		for i := 0; i < len(s); i++ {
			if s[i] == '"' {
				c.line = append(c.line, '"')
			}
			c.line = append(c.line, s[i])
		}
		c.line = append(c.line, '"')
	}
	c.line = append(c.line, ',')
}

// chunk is how many bytes of rows are gathered before they are handed to
// the bufio.Writer (fewer, larger writes).
const chunk = 32 << 10

// endRow replaces the trailing comma of the row by a newline.
func (c *csvFile) endRow() {
	if n := len(c.line); n > 0 && c.line[n-1] == ',' {
		c.line = c.line[:n-1]
	}
	c.line = append(c.line, '\n')
	if len(c.line) >= chunk {
		c.write()
	}
}

// write hands the gathered rows to the bufio.Writer.
func (c *csvFile) write() {
	if c.err == nil {
		_, c.err = c.w.Write(c.line)
		c.size += int64(len(c.line))
	}
	c.line = c.line[:0]
}

// flush writes the buffer out at the end of a year.
func (c *csvFile) flush() {
	c.write()
	if c.err == nil {
		c.err = c.w.Flush()
	}
}

// commit marks the file as holding whole years up to here (after a flush of
// every table of the run succeeded).
func (c *csvFile) commit() { c.good = c.size }

// finish closes the file and gives it its final name. When the run failed
// to write a year (in this or another table), the file is first cut back to
// its last committed year, so all tables end with the same whole year; if
// even that fails the file is removed, so no final name ever holds a
// partial year.
func (c *csvFile) finish(failed bool) error {
	if !failed {
		c.flush()
	}
	if failed || c.err != nil {
		if err := c.f.Truncate(c.good); err != nil {
			c.f.Close()
			os.Remove(c.path + tmpSuffix)
			return fmt.Errorf("writing %s: %w (the file was removed)", c.path, errors.Join(c.err, err))
		}
	}
	if err := errors.Join(c.f.Sync(), c.f.Close()); err != nil {
		os.Remove(c.path + tmpSuffix)
		return fmt.Errorf("writing %s: %w (the file was removed)", c.path, err)
	}
	if err := os.Rename(c.path+tmpSuffix, c.path); err != nil {
		return err
	}
	if c.err != nil {
		return fmt.Errorf("writing %s: %w (the file keeps the years written before the error)", c.path, c.err)
	}
	return nil
}

// DamagedCSV is the error of a run folder's table at path that cannot be
// read as settle wrote it: err is what reading its header (header true)
// or a row gave; fields is the header's number of columns.
func DamagedCSV(path string, header bool, fields int, err error) error {
	const fix = "rerun the scenario into a new folder"
	var pe *csv.ParseError
	switch {
	case header && errors.Is(err, io.EOF):
		return fmt.Errorf("%s is empty: the run folder is damaged (copied or cut short while the run was writing?); %s", path, fix)
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Errorf("%s:%d: the row does not have the %d fields of the header: the file is damaged (cut short or edited?); %s", path, pe.Line, fields, fix)
	case header:
		return fmt.Errorf("%s: reading the header: %w; the run folder is damaged: %s", path, err, fix)
	}
	return fmt.Errorf("%s: %w; the file is damaged: %s", path, err, fix)
}

// OpenCSV opens the table at path of a run folder for reading: it checks
// that the file exists (else says the run may be incomplete) and was not
// cut short (CheckEnd), and reads its header. The caller closes f; r
// reads the rows after the header, which is line 1.
func OpenCSV(path string) (f *os.File, r *csv.Reader, header []string, err error) {
	f, err = os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, nil, fmt.Errorf("%s is missing; is the run complete? (a run still writing has %s%s)", path, filepath.Base(path), tmpSuffix)
		}
		return nil, nil, nil, err
	}
	if err := CheckEnd(f, path); err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	r = csv.NewReader(f)
	header, err = r.Read()
	if err != nil {
		f.Close()
		return nil, nil, nil, DamagedCSV(path, true, 0, err)
	}
	return f, r, header, nil
}

// CheckEnd reports a table of a run folder whose last byte is not a line
// break: settle ends every row with one, so the file was cut short (the
// last row may still parse, with a digit or two missing). It leaves f's
// offset where it was.
func CheckEnd(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return nil // an empty file is DamagedCSV's
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], st.Size()-1); err != nil {
		return nil
	}
	if b[0] != '\n' {
		return fmt.Errorf("%s does not end with a line break: the file was cut short, and its last row may be incomplete; rerun the scenario into a new folder", path)
	}
	return nil
}
