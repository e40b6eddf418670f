package engine

import (
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
