// Package phrase writes numbers and lists the way settle's messages and
// reports do: 5,550,203; "Oslo, Bergen and Stord".
package phrase

import (
	"strconv"
	"strings"
)

// Group writes n with thousands separated by commas: 5,550,203 and -35.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// And lists items as a sentence does: "a", "a and b", "a, b and c"; ""
// for none.
func And(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
