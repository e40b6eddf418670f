package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/world"
)

// bytesPerPerson is the peak memory of a run per simulated person: Norway's
// 30-year baseline at scale 1 (5.55 million persons, growing to 6.6
// million) peaks at 565–575 MB, about 105 bytes a person at the start;
// rounded up for the growth of longer runs.
const bytesPerPerson = 120

// memoryWarning says when a run of w at scale would need more than four
// fifths of this machine's memory ("" when it fits, or when the machine's
// memory is not known), and whether it would need more than all of it,
// which settle run refuses: a world of large regions at a high scale
// otherwise runs out of memory after synthesising for a while, with a
// stack trace.
func memoryWarning(w *world.World, scale float64) (msg string, tooMuch bool) {
	total := machineMemory()
	if total <= 0 {
		return "", false
	}
	persons := synth.Simulated(w, scale)
	need := int64(persons) * bytesPerPerson
	if need <= total*8/10 {
		return "", false
	}
	// Rounded down to two digits, so that the scale suggested fits (0.456
	// written as 0.46 would warn again).
	fits := scale * float64(total*8/10) / float64(need)
	if e := math.Pow(10, math.Floor(math.Log10(fits))-1); fits > 0 {
		fits = math.Floor(fits/e) * e
	}
	if need > total {
		return fmt.Sprintf("scale %g simulates %s persons and needs about %s of memory, more than this machine's %s, so settle run refuses it; use scale = %.2g or less",
			scale, output.Group(int64(persons)), gigabytes(need), gigabytes(total), fits), true
	}
	return fmt.Sprintf("scale %g simulates %s persons and needs about %s of memory, more than four fifths of this machine's %s (the rest is the system's and other programs'), so it may fail or slow the machine; use scale = %.2g or less",
		scale, output.Group(int64(persons)), gigabytes(need), gigabytes(total), fits), false
}

// machineMemory returns the machine's memory in bytes (MemTotal of
// /proc/meminfo), or 0 where it cannot tell.
func machineMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			fields := strings.Fields(rest)
			if len(fields) == 2 && fields[1] == "kB" {
				kb, err := strconv.ParseInt(fields[0], 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

func gigabytes(b int64) string {
	return strconv.FormatFloat(float64(b)/(1<<30), 'f', 1, 64) + " GB"
}
