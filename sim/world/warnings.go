package world

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/settle-sim/settle/sim/phrase"
)

// Thresholds of the warnings about a user's world files (Warnings).
const (
	// warnFastKmh: a given travel time faster than this over the
	// great-circle distance between two centres is a typo (5 minutes for
	// Bergen–Oslo), not a road or ferry, nor a flight door to door (Oslo–
	// Tromsø, 1,150 km, in three and a half hours is 330 km/h).
	warnFastKmh = 400
	// warnFastKm: pairs closer than this are not checked for speed (two
	// centres a few kilometres apart may be minutes apart).
	warnFastKm = 20
	// warnSlowMinutes: a given travel time longer than a day is a typo
	// (4000 for 40) unless the trip is long.
	warnSlowMinutes = 24 * 60
	// warnAloneKm: a region this far from every other one has probably
	// had its lat and lon swapped, or a sign dropped.
	warnAloneKm = 1000
	// maxWarned is how many examples a warning names.
	maxWarned = 3
)

// addWarning adds to w.Warnings what a user's files probably got wrong.
func (w *World) addWarning(format string, args ...any) {
	w.Warnings = append(w.Warnings, fmt.Sprintf(format, args...))
}

// checkRegions adds the warnings about the codes of the regions of the
// file (checkAlone those about their positions).
func (w *World) checkRegions(file string) {
	var codes, counties []string
	for i := range w.Regions {
		codes = append(codes, w.Regions[i].Code)
		counties = append(counties, w.Regions[i].CountyCode)
	}
	for _, c := range []struct {
		column string
		values []string
	}{{"code", codes}, {"county_code", counties}} {
		short, long := shortCodes(c.values)
		if len(short) == 0 {
			continue
		}
		its := "their"
		if len(short) == 1 {
			its = "its"
		}
		w.addWarning("%s: %d %s value%s (%s) %s one digit fewer than the others (%s): a spreadsheet may have dropped %s leading zero (0%s for %s); format the column as text before saving, or write the zeros back",
			file, len(short), c.column, plural(len(short)), examples(short), map[bool]string{true: "has", false: "have"}[len(short) == 1], long, its, short[0], short[0])
	}
}

// checkAlone adds the warning about the regions of the file whose nearest
// neighbour (nearest, in km, as estimateMatrix measures it) is far: their
// coordinates are probably swapped (5.41, 59.85 for 59.85, 5.41) or a
// sign dropped.
func (w *World) checkAlone(file string, nearest []float64) {
	n := w.N()
	if n < 3 {
		return
	}
	var alone []string
	for i := range w.Regions {
		if r := &w.Regions[i]; nearest[i] > warnAloneKm {
			alone = append(alone, fmt.Sprintf("%s (lat %g, lon %g) is %s km from the nearest other region", r.Name, r.Lat, r.Lon, groupInt(nearest[i])))
		}
	}
	if len(alone) > 0 && len(alone) < n/2 {
		w.addWarning("%s: %s, more than %s km: check that lat and lon are not swapped, and their signs (east and north are positive)",
			file, examples(alone), groupInt(warnAloneKm))
	}
}

// checkTravel adds the warnings about the travel times a user's file
// gave, the matrix cells of its lines (in the direction given): too fast
// or too slow to be real.
func (w *World) checkTravel(file string, cells []int) {
	var fast, slow []string
	n := w.N()
	for _, c := range cells {
		i, j, given := c/n, c%n, w.Minutes[c] // as given (%g of a float32 writes 33.3, not 33.29999923706055)
		minutes := float64(given)
		ri, rj := &w.Regions[i], &w.Regions[j]
		km := GreatCircleKm(ri.Lat, ri.Lon, rj.Lat, rj.Lon)
		if kmh := km / (minutes / 60); km >= warnFastKm && kmh > warnFastKmh {
			fast = append(fast, fmt.Sprintf("%s to %s %g minutes for %s km (%s km/h)", ri.Name, rj.Name, given, groupInt(km), groupInt(kmh)))
		}
		if minutes > warnSlowMinutes && minutes > 2*EstimateMinutes(km) {
			slow = append(slow, fmt.Sprintf("%s to %s %s minutes for %s km", ri.Name, rj.Name, groupInt(minutes), groupInt(km)))
		}
	}
	if len(fast) > 0 {
		w.addWarning("%s: %d travel time%s faster than %d km/h in a straight line between the centres (%s): check the minutes", file, len(fast), plural(len(fast)), warnFastKmh, examples(fast))
	}
	if len(slow) > 0 {
		w.addWarning("%s: %d travel time%s longer than a day, and than twice the estimate by road (%s): check the minutes", file, len(slow), plural(len(slow)), examples(slow))
	}
}

// groupInt writes x rounded, with thousands separated by commas.
func groupInt(x float64) string { return phrase.Group(int64(math.Round(x))) }

// examples lists the first maxWarned of s, "a, b, c and 4 more".
func examples(s []string) string {
	if len(s) <= maxWarned {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:maxWarned], ", ") + fmt.Sprintf(" and %d more", len(s)-maxWarned)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// shortCodes returns the values one digit shorter than the longest, when
// every value is a number of the longest's length or one digit less (0301
// read by a spreadsheet as the number 301), and a value of the longest's
// length; nothing otherwise, and nothing for regions numbered 1, 2, … (the
// largest value at most twice the number of distinct values).
func shortCodes(values []string) (short []string, long string) {
	width, largest := 0, 0
	distinct := map[string]bool{} // county codes repeat, one a region
	for _, v := range values {
		if v == "" || strings.Trim(v, "0123456789") != "" {
			return nil, ""
		}
		width = max(width, len(v))
		if n, err := strconv.Atoi(v); err == nil {
			largest = max(largest, n)
		}
		distinct[v] = true
	}
	if largest <= 2*len(distinct) {
		return nil, ""
	}
	for _, v := range values {
		switch len(v) {
		case width:
			if long == "" {
				long = v
			}
		case width - 1:
			short = append(short, v)
		default:
			return nil, ""
		}
	}
	if long == "" {
		return nil, ""
	}
	return short, long
}
