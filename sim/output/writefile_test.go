package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWriteFile: a file is there whole under its name or not at all; a
// failed write leaves neither it nor the temporary file, and keeps an
// earlier file of that name as it was.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.csv")
	if err := WriteData(path, []byte("x,y\n1,2\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "x,y\n1,2\n" {
		t.Fatalf("read %q, %v", b, err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half a")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want one wrapping %v", err, boom)
	}
	if b, _ := os.ReadFile(path); string(b) != "x,y\n1,2\n" {
		t.Errorf("the earlier file became %q", b)
	}
	err = WriteFile(filepath.Join(dir, "b.csv"), func(w io.Writer) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a.csv"}) {
		t.Errorf("the folder holds %v, want only a.csv", names)
	}
	if err := WriteData(filepath.Join(dir, "missing", "c.csv"), nil); err == nil {
		t.Error("writing into a folder that does not exist gave no error")
	}
}
