package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"sync"
)

// Build identifies the code the binary was built from, for manifests: the
// version control revision (its first 12 hex digits), with "+dirty" when
// the working tree had uncommitted changes, as the go command embeds them
// when it builds from a repository; "" when it embedded none (go test,
// a build outside a repository, -buildvcs=false). Version alone does not
// change with the code.
func Build() string { return build() }

var build = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return ""
	}
	rev = rev[:min(12, len(rev))]
	if dirty {
		rev += "+dirty"
	}
	return rev
})

// BinarySHA256 is the hex SHA-256 of the running executable, or "" when
// it cannot be read: it names the exact code of a run where Build cannot
// (a binary built with -buildvcs=false or outside a repository, or from
// a working tree with uncommitted changes, "+dirty"). Reading a 40 MB
// binary takes some tens of milliseconds, once.
func BinarySHA256() string { return binarySHA256() }

var binarySHA256 = sync.OnceValue(func() string {
	// /proc/self/exe is the running file even when a rebuild has replaced
	// the one at its path (os.Executable gives the path); elsewhere, the
	// path.
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, err := os.Executable()
		if err != nil {
			return ""
		}
		if f, err = os.Open(exe); err != nil {
			return ""
		}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})
