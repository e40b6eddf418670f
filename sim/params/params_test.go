package params

import "testing"

func TestSuggest(t *testing.T) {
	phases := PhaseNames[:]
	for _, c := range []struct {
		s          string
		candidates []string
		want       string
	}{
		{"early", phases, "early_career"}, // a shortening, though "family" is nearer
		{"estab", phases, "established"},
		{"famly", phases, "family"},
		{"xyz", phases, ""},
		{"se", phases, ""}, // too short to be a shortening, and near nothing
		{"mov_scale", []string{"move_scale", "base_c"}, "move_scale"},
		{"util", []string{"util_jobs", "util_size"}, ""}, // begins two
		{"Scale", []string{"scale", "scale_x"}, "scale"}, // the same name in another case
	} {
		if got := Suggest(c.s, c.candidates); got != c.want {
			t.Errorf("Suggest(%q, %v) = %q, want %q", c.s, c.candidates, got, c.want)
		}
	}
}
