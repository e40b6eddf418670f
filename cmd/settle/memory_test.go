package main

import (
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/world"
)

// TestMemoryWarning: a world twice as large as this machine's memory
// holds is refused by settle run's check, one that fits is not warned of.
func TestMemoryWarning(t *testing.T) {
	total := machineMemory()
	if total <= 0 {
		t.Skip("this machine's memory is not known (/proc/meminfo)")
	}
	persons := 2 * total / bytesPerPerson
	big := &world.World{Name: "big", Regions: []world.Region{{Population: int(persons)}}}
	msg, tooMuch := memoryWarning(big, 1)
	if !tooMuch || !strings.Contains(msg, "of memory, more than this machine's") || !strings.Contains(msg, "use scale = 0.4 or less") {
		t.Errorf("twice the memory: %q, refused %v", msg, tooMuch)
	}
	// Between four fifths and all of it: a warning, not refused.
	msg, tooMuch = memoryWarning(big, 0.45)
	if tooMuch || msg == "" {
		t.Errorf("0.9 of the memory: %q, refused %v; want a warning", msg, tooMuch)
	}
	small := &world.World{Name: "small", Regions: []world.Region{{Population: 100000}}}
	if msg, tooMuch := memoryWarning(small, 1); msg != "" || tooMuch {
		t.Errorf("a small world: %q, refused %v", msg, tooMuch)
	}
}
