package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/world"
)

// head is a valid [scenario] table of 4 lines; entries after it start on line 5.
const head = "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 10\n"

type badCase struct {
	name string
	src  string
	line int
	key  string
	want []string // substrings of the message, including the fix
}

// checkBad asserts that err has an error at exactly file:line: key: whose
// message contains every want.
func checkBad(t *testing.T, c badCase, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %d: %s", c.line, c.key)
	}
	var list Errors
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = Errors{one}
	default:
		t.Fatalf("error %T is not Errors or *Error: %v", err, err)
	}
	prefix := "test.toml:" + strconv.Itoa(c.line) + ": " + c.key + ": "
	for _, e := range list {
		msg := e.Error()
		if !strings.HasPrefix(msg, prefix) {
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("error %q\nlacks %q", msg, w)
			}
		}
		if !strings.Contains(e.Msg, ";") {
			t.Errorf("error %q has no fix (what; how)", msg)
		}
		return
	}
	t.Errorf("no error starting %q; got:\n%v", prefix, err)
}

var parseCases = []badCase{
	{"missing scenario", "[behaviour]\nmove_scale = 1\n", 1, "scenario", []string{"missing [scenario]", "name, world and years"}},
	{"missing name", "[scenario]\nworld = \"teaching\"\nyears = 10\n", 1, "scenario", []string{"missing name", `name = "…"`}},
	{"bad name", "[scenario]\nname = \"my run 2\"\nworld = \"teaching\"\nyears = 10\n", 2, "scenario.name", []string{"letters, digits, - and _", `name = "my-run-2"`}},
	{"bad name with æøå", "[scenario]\nname = \"bjørnafjord bru\"\nworld = \"teaching\"\nyears = 10\n", 2, "scenario.name", []string{"letters, digits, - and _", `name = "bjørnafjord-bru"`}},
	{"empty name", "[scenario]\nname = \"\"\nworld = \"teaching\"\nyears = 10\n", 2, "scenario.name", []string{"empty"}},
	{"missing years", "[scenario]\nname = \"t\"\nworld = \"teaching\"\n", 1, "scenario", []string{"missing years", "years = 30"}},
	{"missing world", "[scenario]\nname = \"t\"\nyears = 10\n", 1, "scenario", []string{"missing world", `world = "norway-2024"`}},
	{"years as text", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = \"30\"\n", 4, "scenario.years", []string{"expected a whole number", "years = 30 without quotes"}},
	{"years zero", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 0\n", 4, "scenario.years", []string{"out of range", "between 1 and 200"}},
	{"years too many", "[scenario]\nname = \"t\"\nworld = \"teaching\"\n\nyears = 201 # long\n", 5, "scenario.years", []string{"between 1 and 200"}},
	{"years fraction", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 10.5\n", 4, "scenario.years", []string{"expected a whole number", "years = 11"}},
	// nan and inf are TOML floats: not a number to use, with a real example (not "write years = NaN").
	{"years nan", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = nan\n", 4, "scenario.years", []string{"years = NaN is not a number settle can use; write a finite whole number, e.g. years = 30"}},
	{"seed inf", head + "seed = inf\n", 5, "scenario.seed", []string{"seed = +Inf is not a number settle can use", "seed = 1"}},
	{"start_year nan", head + "start_year = nan\n", 5, "scenario.start_year", []string{"start_year = NaN is not a number settle can use", "start_year = 2024"}},
	{"scale nan", head + "scale = nan\n", 5, "scenario.scale", []string{"scale = NaN is not a number settle can use; write a finite number, e.g. scale = 0.1"}},
	{"behaviour nan", head + "[behaviour]\nmove_scale = -inf\n", 6, "behaviour.move_scale", []string{"move_scale = -Inf is not a number settle can use; write a finite number, e.g. move_scale = 2"}},
	{"years too large", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 1e300\n", 4, "scenario.years", []string{"years = 1e+300 is too large for a whole number; write e.g. years = 30"}},
	{"sub-table in scenario", head + "[scenario.x]\n", 5, "scenario.x", []string{"unknown key", "the keys are name"}},
	{"scale zero", head + "scale = 0\n", 5, "scenario.scale", []string{"out of range", "above 0 and at most 1"}},
	{"scale above one", head + "scale = 1.5\n", 5, "scenario.scale", []string{"1 = the whole population"}},
	{"scale as bool", head + "scale = true\n", 5, "scenario.scale", []string{"expected a number, got true", "scale = 1.0"}},
	{"negative seed", head + "seed = -3\n", 5, "scenario.seed", []string{"negative", "seed = 1"}},
	{"unknown scenario key", head + "yeras = 10\n", 5, "scenario.yeras", []string{`did you mean "years"`}},
	{"unknown projection", head + "projection = \"ssb-main\"\n", 5, "scenario.projection", []string{`projection = "ssb-main" is not a projection Settle knows`, `did you mean "ssb-2024-main"?`, `"ssb-2024-low" (SSB 2024, low national growth (LLL))`, `"constant"`}},
	{"projection not text", head + "projection = 2024\n", 5, "scenario.projection", []string{`expected text in quotes`, `projection = "ssb-2024-main"`}},
	{"unknown table", head + "[behavour]\nmove_scale = 1\n", 5, "behavour", []string{"unknown table [behavour]", "did you mean [behaviour]?"}},
	{"American spelling", head + "[behavior]\nmove_scale = 1\n", 5, "behavior", []string{"unknown table [behavior]", "British spelling: write [behaviour]"}},
	// An array of tables is a table, not "a key outside the tables".
	{"plural interventions", head + "\n[[interventions]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 0.9\n", 6, "interventions", []string{"unknown table [[interventions]]", "singular: write [[intervention]]"}},
	{"capital Intervention", head + "[[Intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 0.9\n", 5, "Intervention", []string{"unknown table [[Intervention]]", "lower-case: write [[intervention]]"}},
	{"misspelt scenario", "[senario]\nname = \"t\"\nworld = \"teaching\"\nyears = 10\n", 1, "senario", []string{"unknown table [senario]", "did you mean [scenario]?"}},
	{"key outside tables", "seed = 1\n" + head, 1, "seed", []string{"outside the tables", "move it below [scenario]"}},
	{"parameter outside tables", "move_scale = 1\n" + head, 1, "move_scale", []string{"outside the tables", "move it below [behaviour]"}},
	{"unknown top-level key", "colour = \"red\"\n" + head, 1, "colour", []string{"outside the tables", "every key belongs in one of them"}},
	{"unknown parameter", head + "[behaviour]\nmov_scale = 1.1\n", 6, "behaviour.mov_scale", []string{`did you mean "move_scale"`}},
	{"parameter out of range", head + "[behaviour]\nmove_scale = 11\n", 6, "behaviour.move_scale", []string{"out of range", "between 0 and 10"}},
	{"count not whole", head + "[behaviour]\nstudy_choices = 2.5\n", 6, "behaviour.study_choices", []string{"not a whole number", "between 1 and 20"}},
	{"parameter as text", head + "[behaviour]\n\nmove_scale = \"1.1\"\n", 7, "behaviour.move_scale", []string{"move_scale = 1.1 without quotes"}},
	{"phased without phase", head + "[behaviour]\nutil_jobs = 1.0\n", 6, "behaviour.util_jobs", []string{"per life phase", "util_jobs.<phase>"}},
	{"bad phase dotted", head + "[behaviour]\nutil_jobs.early_carer = 1.0\n", 6, "behaviour.util_jobs.early_carer", []string{"not a life phase", `did you mean "early_career"`}},
	{"phase shortened", head + "[behaviour]\nutil_jobs.early = 1.0\n", 6, "behaviour.util_jobs.early", []string{"not a life phase", `did you mean "early_career"`}},
	{"bad phase inline", head + "[behaviour]\nmove_scale = 1\nutil_home = { family = 2.0,\n  famly = 2.0 }\n", 8, "behaviour.util_home.famly", []string{`did you mean "family"`}},
	{"phase of a scalar", head + "[behaviour]\nmove_scale.family = 1\n", 6, "behaviour.move_scale", []string{"single number", "move_scale = value"}},
	{"unknown kind", head + "[[intervention]]\nkind = \"region_enlargment\"\nregions = [\"T01\", \"T02\"]\nfrom_year = 2025\n", 6, "intervention[1].kind", []string{`did you mean "region_enlargement"`, "campus"}},
	// A name that is not a kind but what one does: the kind is named.
	{"kind named by what it does", head + "[[intervention]]\nkind = \"starter_homes\"\nregions = [\"T01\"]\nfrom_year = 2025\n", 6, "intervention[1].kind", []string{`unknown intervention kind "starter_homes"; see kind "housing", parameter for: who the dwellings are for`, "; the kinds are broadband,"}},
	{"missing kind", head + "[[intervention]]\nregions = [\"T01\"]\nfrom_year = 2025\n", 5, "intervention[1]", []string{"missing kind", "region_enlargement"}},
	{"one name twice", head + "[[intervention]]\nkind = \"broadband\"\nname = \"Fibre\"\nfrom_year = 2025\ncoverage = 0.9\n[[intervention]]\nkind = \"broadband\"\nname = \"fibre\"\nfrom_year = 2026\ncoverage = 0.95\n", 12, "intervention[2].name", []string{`the name "fibre" is already used by the intervention at line 5`}},
	{"missing from_year", head + "[[intervention]]\nkind = \"broadband\"\ncoverage = 0.9\n", 5, "intervention[1]", []string{"missing from_year", "from_year = YEAR"}},
	{"missing kind parameter", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"T01\", \"T02\"]\nfrom_year = 2025\n", 5, "intervention[1].travel_time_factor", []string{"needs one of travel_time_factor, minutes_saved or minutes", "travel_time_factor = 0.6"}},
	{"both exclusive parameters", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"T01\", \"T02\"]\nfrom_year = 2025\ntravel_time_factor = 0.5\nminutes_saved = 5\n", 10, "intervention[1].minutes_saved", []string{"either", "not both"}},
	{"missing required parameter", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"T07\"]\nfrom_year = 2025\n", 5, "intervention[1].students", []string{"campus needs students", "students = 500"}},
	{"unknown kind parameter", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"T01\", \"T02\"]\nfrom_year = 2025\ntravel_time_factr = 0.5\n", 9, "intervention[1].travel_time_factr", []string{`did you mean "travel_time_factor"`}},
	{"parameter of another kind", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 0.9\nstudents = 10\n", 9, "intervention[1].students", []string{"(students is a parameter of campus); its parameters are coverage"}},
	{"kind parameter out of range", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"T01\", \"T02\"]\nfrom_year = 2025\ntravel_time_factor = 0\n", 9, "intervention[1].travel_time_factor", []string{"out of range", "above 0 and at most 1"}},
	{"kind parameter as text", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = \"0.9\"\n", 8, "intervention[1].coverage", []string{"coverage = 0.9 without quotes"}},
	{"whole number parameter", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"T07\"]\nfrom_year = 2025\nstudents = 10.5\n", 9, "intervention[1].students", []string{"not a whole number", "students = 11"}},
	{"bad choice", head + "[[intervention]]\nkind = \"housing\"\nregions = [\"T07\"]\nfrom_year = 2025\ndwellings_per_year = 10\nfor = \"youth\"\n", 10, "intervention[1].for", []string{`did you mean "young"`}},
	{"list given as text", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = 0.2\nskill_levels = \"high\"\n", 9, "intervention[1].skill_levels", []string{`skill_levels = ["high"]`}},
	{"bad list element", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = 0.2\nskill_levels = [\"high\", \"hihg\"]\n", 9, "intervention[1].skill_levels", []string{`did you mean "high"`}},
	{"bool as text", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = 0.2\nrequires_broadband = \"yes\"\n", 9, "intervention[1].requires_broadband", []string{"expected true or false", "requires_broadband = true"}},
	{"from_year nan", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = nan\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{"from_year = NaN is not a number settle can use", "from_year = 2025"}},
	{"to_year nan", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\nto_year = nan\ncoverage = 0.9\n", 8, "intervention[1].to_year", []string{"to_year = NaN is not a number settle can use", "to_year = 2030"}},
	{"phase_in_years inf", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\nphase_in_years = inf\ncoverage = 0.9\n", 8, "intervention[1].phase_in_years", []string{"phase_in_years = +Inf is not a number settle can use; write a finite whole number, e.g. phase_in_years = 3"}},
	{"centrality nan", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = nan\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{"is not a number settle can use", "centrality = [5, 6]"}},
	{"jobs inf", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T07\"]\nfrom_year = 2025\njobs = inf\nskill_level = \"high\"\n", 9, "intervention[1].jobs", []string{"jobs = +Inf is not a number settle can use", "jobs = 200"}},
	{"jobs too many", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T07\"]\nfrom_year = 2025\njobs = 9223372036854775807\nskill_level = \"high\"\n", 9, "intervention[1].jobs", []string{"out of range; use a value between -10,000,000 and 10,000,000"}},
	{"immigrants too many", head + "[[intervention]]\nkind = \"immigration\"\nfrom_year = 2024\nworkers_per_year = 999999999999\n", 8, "intervention[1].workers_per_year", []string{"workers_per_year = 999999999999 is out of range; use a value between 0 and 1,000,000"}},
	{"to_year before from_year", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2030\nto_year = 2029\ncoverage = 0.9\n", 8, "intervention[1].to_year", []string{"before from_year", "leave to_year out"}},
	// A date where a year goes: its year is what was meant.
	{"date as a year", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2027-01-01\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{"expected a year, got the date 2027-01-01", "write from_year = 2027"}},
	{"mid-year date", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2027\nto_year = 2030-06-30\ncoverage = 0.9\n", 8, "intervention[1].to_year", []string{"got the date 2030-06-30", "write to_year = 2030 (the simulation steps whole years"}},
	{"Norwegian date as text", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = \"01.07.2027\"\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{`got the text "01.07.2027"`, "write from_year = 2027 without quotes"}},
	// Classes as text: the list meant.
	{"centrality range as text", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = \"5-6\"\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{`got the text "5-6"`, "write centrality = [5, 6]"}},
	{"centrality list as text", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = \"4, 5 og 6\"\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{"write centrality = [4, 5, 6]"}},
	{"centrality classes quoted", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = [\"5\", \"6\"]\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{"got numbers in quotes", "write centrality = [5, 6]"}},
	{"centrality class twice", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = [5, 6, 5]\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{"centrality class 5 is listed twice; list each class once"}},
	{"centrality as a word", head + "[[intervention]]\nkind = \"broadband\"\ncentrality = \"rural\"\nfrom_year = 2025\ncoverage = 0.9\n", 7, "intervention[1].centrality", []string{"1 = most central to 6 = least central", "centrality = [5, 6]"}},
	{"negative phase-in", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\nphase_in_years = -2\ncoverage = 0.9\n", 8, "intervention[1].phase_in_years", []string{"negative", "phase_in_years = 3"}},
	{"phase-in of an on-off kind", head + "[[intervention]]\nkind = \"municipal_cooperation\"\nregions = [\"T07\", \"T08\"]\nfrom_year = 2025\nphase_in_years = 3\n", 9, "intervention[1].phase_in_years", []string{"either in force or not", "remove phase_in_years"}},
	{"regions and selector", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"T07\"]\ncounty = \"Dal\"\nfrom_year = 2025\nstudents = 100\n", 8, "intervention[1].county", []string{"both regions and county", "not both"}},
	{"empty regions", head + "[[intervention]]\nkind = \"campus\"\nregions = []\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{"empty", `regions = ["Stavanger"]`}},
	{"no target", head + "[[intervention]]\nkind = \"campus\"\nfrom_year = 2025\nstudents = 100\n", 5, "intervention[1]", []string{"campus needs target regions", "centrality = [5, 6]"}},
	{"bad centrality", head + "[[intervention]]\nkind = \"youth\"\ncentrality = [5,\n  7]\nfrom_year = 2025\nattachment_boost = 0.5\n", 8, "intervention[1].centrality", []string{"class 7 does not exist", "1 (most central) to 6"}},
	{"regions as a number", head + "[[intervention]]\nkind = \"campus\"\nregions = 3420\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{"expected a list of codes or names in quotes", `regions = ["3420"]`}},
	{"region as number", head + "[[intervention]]\nkind = \"campus\"\nregions = [\n  \"T07\",\n  301,\n]\nfrom_year = 2025\nstudents = 100\n", 9, "intervention[1].regions", []string{"got the number 301", `"0301"`}},
	{"second entry", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 0.9\n\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 1.9\n", 13, "intervention[2].coverage", []string{"between 0 and 1"}},
	{"duplicate names", head + "[[intervention]]\nkind = \"broadband\"\nname = \"B\"\nfrom_year = 2025\ncoverage = 0.9\n[[intervention]]\nkind = \"broadband\"\nname = \"B\"\nfrom_year = 2026\ncoverage = 0.9\n", 12, "intervention[2].name", []string{"already used by the intervention at line 5"}},
	{"single brackets", head + "[intervention]\nkind = \"broadband\"\n", 5, "intervention", []string{"double brackets", "[[intervention]]"}},
	// An empty path is no file: leaving the key out says that.
	{"unknown world file", "[scenario]\nname = \"t\"\nworld = \"nothere/regions.csv\"\nyears = 10\n", 3, "scenario.world", []string{"cannot read the world file", "relative to the scenario file"}},
	{"syntax: unquoted text", "[scenario]\nname = \"t\"\nworld = teaching\nyears = 10\n", 3, "scenario.world", []string{"invalid TOML", `put text in quotes: world = "teaching"`, "^"}},
	{"fraction beyond the range", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nfrom_year = 2025\njobs = 10000000.5\n", 9, "intervention[1].jobs", []string{"jobs = 10000000.5 is out of range; use a value between -10,000,000 and 10,000,000"}},
	{"integer beyond int64", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nfrom_year = 2025\njobs = 99999999999999999999\n", 9, "intervention[1].jobs", []string{"99999999999999999999 is out of range for int64 (TOML's whole numbers end at 9,223,372,036,854,775,807); write a number in the key's range"}},
	{"syntax: duplicate key", head + "years = 12\n", 5, "scenario.years", []string{"already been defined", "remove one of them"}},
	// A file saved as Latin-1 or UTF-16: say so, with the letter meant, not "invalid UTF-8 byte".
	{"Latin-1 file", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"B\xf8\"]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`the file is not UTF-8 text: line 7 has the byte 0xF8, which is "ø" in Latin-1/Windows-1252`, "save the file as UTF-8", `7 | regions = ["Bø"]`}},
	{"Latin-1 in a comment", "# Nordl\xe5nd\n" + head, 1, "toml", []string{`0xE5, which is "å"`, "save the file as UTF-8"}},
	{"UTF-16 file", "\xff\xfe[\x00s\x00]\x00\n\x00", 1, "toml", []string{"UTF-16", "save the file as UTF-8"}},
	// Not UTF-16, nor a key of binary bytes: the file is no text.
	{"binary file", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00", 1, "toml", []string{"test.toml is not a text file (it looks binary); give a TOML scenario file"}},
	{"gzip file", "\x1f\x8b\x08\x08\xa1\xb2\xc3\x64\x00\x03t.toml\x00\x8b\x2e\x4e\xce\x4b\x2c\xca", 1, "toml", []string{"test.toml is not a text file (it looks binary)"}},
	// Not "TOML files cannot contain control characters: '0x0d'".
	{"old Mac line endings", strings.ReplaceAll(head, "\n", "\r"), 1, "toml", []string{"the file has old Mac line endings", "save it with LF (Unix, macOS) or CRLF (Windows) line endings"}},
	{"syntax: in an intervention", head + "[[intervention]]\nkind = \"broadband\"\n[[intervention]]\nkind = broadband\n", 8, "intervention[2].kind", []string{"put text in quotes"}},
	// The fix of bare words is the value meant, not the whole value in
	// quotes (regions = "[Tynset, Tolga]" is an unknown region).
	{"syntax: list of bare words", head + "[[intervention]]\nkind = \"campus\"\nregions = [Storhavn, Lindvik]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Storhavn", "Lindvik"]`, "^"}},
	{"syntax: list of one bare word", head + "[[intervention]]\nkind = \"campus\"\nregions = [Storhavn] # a town\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Storhavn"]`}},
	{"syntax: a bare word in a list", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"Storhavn\", Lindvik]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Storhavn", "Lindvik"]`}},
	{"syntax: names with spaces", head + "[[intervention]]\nkind = \"campus\"\nregions = [Øvre Dal, Storhavn]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Øvre Dal", "Storhavn"]`}},
	{"syntax: a list without brackets", head + "[[intervention]]\nkind = \"campus\"\nregions = Storhavn, Lindvik\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Storhavn", "Lindvik"]`}},
	{"syntax: a bare word on a line of a list", head + "[[intervention]]\nkind = \"campus\"\nregions = [\n  \"Storhavn\",\n  Lindvik, # the port\n]\nfrom_year = 2025\nstudents = 100\n", 9, "intervention[1].regions", []string{`put text in quotes: write the line as "Lindvik",`}},
	{"syntax: codes without quotes", head + "[[intervention]]\nkind = \"campus\"\nregions = [0301, 4601]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put codes in quotes (they keep their leading zeros): regions = ["0301", "4601"]`}},
	{"syntax: a code and a name without quotes", head + "[[intervention]]\nkind = \"campus\"\nregions = [Storhavn, 4601]\nfrom_year = 2025\nstudents = 100\n", 7, "intervention[1].regions", []string{`put text in quotes: regions = ["Storhavn", "4601"]`}},
	{"syntax: typographic quotes", "[scenario]\nname = \"t\"\nworld = “teaching”\nyears = 10\n", 3, "scenario.world", []string{`use straight quotes: world = "teaching"`}},
	{"syntax: text with spaces", head + "description = Rogfast og mer # why\n", 5, "scenario.description", []string{`put text in quotes: description = "Rogfast og mer"`}},
	// No rewrite that is not TOML.
	{"syntax: bare word in an inline table", head + "[behaviour]\nutil_home = { family = high }\n", 6, "behaviour.util_home.family", []string{"invalid TOML", "; put text in quotes\n"}},
	// Numbers as Norwegians write them: the full key and the number meant.
	{"syntax: decimal comma", head + "scale = 0,05\n", 5, "scenario.scale", []string{"write scale = 0.05: TOML uses a decimal point, not a comma", "^"}},
	{"syntax: decimal comma in a whole number", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025,5\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{"write from_year = 2026: TOML uses a decimal point, not a comma; from_year takes whole numbers (2025.5 rounded)"}},
	{"scale as a percentage", head + "scale = 5\n", 5, "scenario.scale", []string{"scale = 5 is out of range; use a share above 0 and at most 1 (1 = the whole population, 0.1 = a 10% sample); for 5 % write scale = 0.05"}},
	// 0,4 jobs rounds to 0, no count either: no number is suggested.
	{"syntax: decimal comma rounding to 0", head + "[[intervention]]\nkind = \"business_development\"\nfrom_year = 2025\njobs = 0,4\n", 8, "intervention[1].jobs", []string{"; fix the syntax of this line"}},
	{"syntax: a comma at the end", head + "seed = 3,\n", 5, "scenario.seed", []string{"remove the comma at the end: seed = 3 (TOML separates keys by lines, not commas)"}},
	{"syntax: a comma after text", head + "description = \"a test\",\n", 5, "scenario.description", []string{`remove the comma at the end: description = "a test"`}},
	{"syntax: decimal comma in a dotted key", head + "[behaviour]\nutil_jobs.family = 0,7 # less\n", 6, "behaviour.util_jobs.family", []string{"write util_jobs.family = 0.7: TOML uses a decimal point, not a comma"}},
	{"syntax: decimal comma in an inline table", head + "[behaviour]\nutil_home = { family = 2,5, senior = 1 }\n", 6, "behaviour.util_home.family", []string{"write family = 2.5: TOML uses a decimal point, not a comma (a comma ends an entry of { })"}},
	{"syntax: per cent", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = 20 %\n", 8, "intervention[1].share", []string{"write share = 0.2: TOML has no per cent sign, so a share is written as a fraction (20 % is 0.2)"}},
	{"syntax: per cent with a decimal comma", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = 12,5%\n", 8, "intervention[1].coverage", []string{"write coverage = 0.125: TOML uses a decimal point, not a comma, and has no per cent sign, so a share is written as a fraction (12.5 % is 0.125)"}},
	{"syntax: year with a space", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2 030\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{"write from_year = 2030: TOML has no spaces in numbers"}},
	{"syntax: years with a space", "[scenario]\nname = \"t\"\nworld = \"teaching\"\nyears = 2 0\n", 4, "scenario.years", []string{"write years = 20: TOML has no spaces in numbers"}},
	{"syntax: thousands by a no-break space", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nfrom_year = 2025\njobs = 1\u00a0500\n", 9, "intervention[1].jobs", []string{"write jobs = 1500: TOML has no spaces in numbers"}},
	// A phase-in under half a year is none: 0, the full effect at once
	// (a count rounded to 0 gets no such fix).
	{"syntax: phase-in with a decimal comma", head + "[[intervention]]\nkind = \"broadband\"\nregions = [\"T01\"]\nfrom_year = 2025\nphase_in_years = 0,4\n", 9, "intervention[1].phase_in_years",
		[]string{"write phase_in_years = 0: TOML uses a decimal point, not a comma; phase_in_years takes whole numbers (0.4 rounded)"}},
	{"syntax: negative phase-in with a decimal comma", head + "[[intervention]]\nkind = \"broadband\"\nregions = [\"T01\"]\nfrom_year = 2025\nphase_in_years = -0,4\n", 9, "intervention[1].phase_in_years",
		[]string{"write phase_in_years = 0: TOML uses a decimal point"}},
	{"syntax: thousands by a comma", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nfrom_year = 2025\njobs = 1,500\n", 9, "intervention[1].jobs", []string{"write jobs = 1500: TOML has no thousands separators"}},
	{"syntax: a comma of two readings", head + "[behaviour]\nmove_scale = 1,500\n", 6, "behaviour.move_scale", []string{"write move_scale = 1.5 if the comma is a decimal comma, or move_scale = 1500 if it separates thousands"}},
	{"syntax: words after a number", head + "seed = 30 years\n", 5, "scenario.seed", []string{"a comment starts with #: write seed = 30  # years"}},
	// The same numbers in quotes.
	{"decimal comma in quotes", head + "scale = \"0,05\"\n", 5, "scenario.scale", []string{`expected a number, got the text "0,05"; write scale = 0.05 without quotes: TOML uses a decimal point, not a comma`}},
	{"per cent in quotes", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = \"35%\"\n", 8, "intervention[1].share", []string{`expected a number, got the text "35%"; write share = 0.35 without quotes: TOML has no per cent sign`}},
	{"year with a space in quotes", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = \"2 030\"\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{`expected a whole number, got the text "2 030"; write from_year = 2030 without quotes: TOML has no spaces in numbers`}},
	{"behaviour decimal comma in quotes", head + "[behaviour]\nmove_scale = \"2,2\"\n", 6, "behaviour.move_scale", []string{`got the text "2,2"; write move_scale = 2.2 without quotes`}},
	// A number with its unit: the user's own number, not an example.
	{"amount with a currency", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"400 000 NOK\"\n", 9, "intervention[1].relocation_grant",
		[]string{`got the text "400 000 NOK"; write relocation_grant = 400000, the number without its unit or other words; TOML has no spaces in numbers`}},
	{"amount after a currency, comma", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"kr 50,000\"\n", 9, "intervention[1].relocation_grant",
		[]string{`write relocation_grant = 50000 if the comma separates thousands, or relocation_grant = 50 if it is a decimal comma`}},
	{"count with a word", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nskill_level = \"high\"\nfrom_year = 2025\njobs = \"1500 jobs\"\n", 10, "intervention[1].jobs",
		[]string{`expected a whole number, got the text "1500 jobs"; write jobs = 1500, the number without its unit`}},
	{"text that is no number", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"lots\"\n", 9, "intervention[1].relocation_grant",
		[]string{`got the text "lots"; write a number, e.g. relocation_grant = `}},
	{"thousands by a dot", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nskill_level = \"high\"\nfrom_year = 2025\njobs = 1.500 # new jobs\n", 10, "intervention[1].jobs",
		[]string{"jobs = 1.500 reads as 1.5; TOML has no thousands separators: write jobs = 1500 if the dot separates thousands"}},
	// An amount of kroner has no third decimal: 400.000 is 400,000 NOK,
	// not a grant of 400.
	{"kroner with a thousands dot", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = 400.000\n", 9, "intervention[1].relocation_grant",
		[]string{"relocation_grant = 400.000 reads as 400; TOML has no thousands separators: write relocation_grant = 400000 if the dot separates thousands"}},
	// In quotes too (the fix was 'write relocation_grant = 400 without quotes').
	{"quoted kroner with a thousands dot", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"400.000\"\n", 9, "intervention[1].relocation_grant",
		[]string{`expected a number, got the text "400.000"; write relocation_grant = 400000 without quotes: TOML has no thousands separators`}},
	{"round thousands by a dot", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nskill_level = \"high\"\nfrom_year = 2025\njobs = 2.000\n", 10, "intervention[1].jobs",
		[]string{"jobs = 2.000 reads as 2; TOML has no thousands separators: write jobs = 2000 if the dot separates thousands"}},
	{"thousands by a dot in quotes", head + "[[intervention]]\nkind = \"business_development\"\nregions = [\"T01\"]\nskill_level = \"high\"\nfrom_year = 2025\njobs = \"1.500\"\n", 10, "intervention[1].jobs",
		[]string{`got the text "1.500"; write jobs = 1500 without quotes: TOML has no thousands separators`}},
	{"amount with a thousands dot", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"kr 400.000\"\n", 9, "intervention[1].relocation_grant",
		[]string{`write relocation_grant = 400000, the number without its unit or other words; TOML has no thousands separators`}},
	// "2,5 mill": the number alone is not the amount; no number is suggested.
	{"amount in millions", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = \"2,5 mill\"\n", 9, "intervention[1].relocation_grant",
		[]string{`got the text "2,5 mill"; write a number, e.g. relocation_grant = `}},
	{"a list parameter's number", head + "[[intervention]]\nkind = \"remote_work\"\nfrom_year = 2025\nshare = 0.2\nskill_levels = [3]\n", 9, "intervention[1].skill_levels",
		[]string{`expected one of "low", "medium", "high" in quotes in this list, got the whole number 3`}},
	{"one number in brackets", head + "[[intervention]]\nkind = \"recruitment\"\nregions = [\"T01\"]\nfrom_year = 2025\nrelocation_grant = [50000]\n", 9, "intervention[1].relocation_grant",
		[]string{"expected one value, got a list; write relocation_grant = 50000 without the brackets"}},
}

func TestParseErrors(t *testing.T) {
	if len(parseCases) < 20 {
		t.Fatalf("only %d cases", len(parseCases))
	}
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("test.toml", []byte(c.src))
			checkBad(t, c, err)
		})
	}
}

// Resolution errors need the world.
var resolveCases = []badCase{
	{"unknown world", "[scenario]\nname = \"t\"\nworld = \"teachng\"\nyears = 10\n", 3, "scenario.world", []string{`did you mean "teaching"`}},
	{"start_year mismatch", head + "start_year = 2020\n", 5, "scenario.start_year", []string{"1 January 2024", "start_year = 2024 or leave it out"}},
	// The interventions' years are checked against the world's start year, not a start_year that may be wrong.
	{"start_year after the world's", head + "start_year = 2025\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2023\ncoverage = 0.9\n", 5, "scenario.start_year", []string{"start_year = 2025, but world teaching describes the population on 1 January 2024", "only documents the start and cannot move it: write start_year = 2024 or leave it out"}},
	{"from_year before start", head + "start_year = 2024\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2020\ncoverage = 0.9\n", 8, "intervention[1].from_year", []string{"before the start year 2024", "2024 or later (world teaching describes the population on 1 January 2024"}},
	{"from_year before a wrong start_year's world", head + "start_year = 2025\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2023\ncoverage = 0.9\n", 8, "intervention[1].from_year", []string{"from_year = 2023 is before the start year 2024; use 2024 or later"}},
	{"from_year after end", head + "start_year = 2024\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2040\ncoverage = 0.9\n", 8, "intervention[1].from_year", []string{"after the last simulated year 2033", "simulate more years"}},
	{"from_year before world start", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2023\ncoverage = 0.9\n", 7, "intervention[1].from_year", []string{"before the start year 2024"}},
	{"unknown region", head + "[[intervention]]\nkind = \"campus\"\nregions = [\n  \"Storhavn\",\n  \"Lindvk\",\n]\nfrom_year = 2025\nstudents = 100\n", 9, "intervention[1].regions", []string{"unknown region", `did you mean "Lindvik"`}},
	{"one region for enlargement", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\"Sjøvik\"]\nfrom_year = 2025\nminutes_saved = 30\n", 7, "intervention[1].regions", []string{"at least 2 regions", "select 1"}},
	// A county or a class listed twice is a slip too.
	{"a county twice", head + "[[intervention]]\nkind = \"youth\"\ncounty = [\"Midt\", \"midt\"]\nfrom_year = 2025\nattachment_boost = 0.5\n", 7, "intervention[1].county", []string{`"Midt" and "midt" both name Midt; list each county once`}},
	// The same region by name and code: a slip, not a second region.
	{"a region twice", head + "[[intervention]]\nkind = \"region_enlargement\"\nregions = [\n  \"Sjøvik\",\n  \"T13\",\n]\nfrom_year = 2025\nminutes_saved = 30\n", 9, "intervention[1].regions", []string{`"Sjøvik" and "T13" both name Sjøvik (T13); list each region once`}},
	{"unknown county", head + "[[intervention]]\nkind = \"youth\"\ncounty = \"Dall\"\nfrom_year = 2025\nattachment_boost = 0.5\n", 7, "intervention[1].county", []string{`did you mean "Dal"`}},
	{"empty selection", head + "[[intervention]]\nkind = \"youth\"\ncounty = \"Midt\"\ncentrality = [6]\nfrom_year = 2025\nattachment_boost = 0.5\n", 8, "intervention[1].centrality", []string{"no region", "classes present: 1, 2, 3, 4"}},
}

func TestResolveErrors(t *testing.T) {
	for _, c := range resolveCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse("test.toml", []byte(c.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = s.LoadWorld()
			checkBad(t, c, err)
		})
	}
}

func TestResolveNorway(t *testing.T) {
	src := head[:strings.Index(head, "world")] + "world = \"norway-2024\"\nyears = 30\n" + `
[[intervention]]
kind = "place_development"
regions = ["Herøy"]
from_year = 2025
boost = 0.1

[[intervention]]
kind = "youth"
county = "Vestlnd"
from_year = 2025
attachment_boost = 0.2
`
	s, err := Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.LoadWorld()
	t.Log(err)
	checkBad(t, badCase{"ambiguous", "", 8, "intervention[1].regions", []string{"shared by several regions", "use the code"}}, err)
	checkBad(t, badCase{"county", "", 14, "intervention[2].county", []string{`did you mean "Vestland"`}}, err)
}

func TestGood(t *testing.T) {
	src := `# a comment
[scenario]
name = "good-1"
description = "all the syntax"
world = "teaching"
start_year = 2024
years = 15
seed = 42
scale = 0.5

[behaviour]
move_scale = 1.1
"util_jobs.family" = 0.7
util_jobs.early_career = 1
util_home = { family = 2.5, senior = 1.5 }

[[intervention]]
kind = "region_enlargement"
name = "Holmøy bridge"
regions = ["sjøvik", "T14"]
from_year = 2030
to_year = 2040
phase_in_years = 2
minutes_saved = 45

[[intervention]]
kind = "remote_work"
from_year = 2025
share = 0.3
skill_levels = ["high", "medium"]
requires_broadband = true
office_days_per_week = 2

[[intervention]]
kind = "youth"
county = "Dal"
centrality = 6
from_year = 2026
attachment_boost = 0.5

[[intervention]]
kind = "remote_work"
name = "rw2"
centrality = [1, 2]
from_year = 2026
share = 0.1
requires_broadband = 0
`
	s, err := Parse("dir/good.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "good-1" || s.Description != "all the syntax" || s.World != "teaching" || s.TravelTimes != "" ||
		s.StartYear != 2024 || s.Years != 15 || s.Seed != 42 || s.Scale != 0.5 || s.File != "dir/good.toml" || len(s.SHA256) != 64 {
		t.Errorf("scenario = %+v", s)
	}
	want := map[string]float64{"move_scale": 1.1, "util_jobs.family": 0.7, "util_jobs.early_career": 1, "util_home.family": 2.5, "util_home.senior": 1.5}
	if !reflect.DeepEqual(s.Overrides, want) {
		t.Errorf("Overrides = %v, want %v", s.Overrides, want)
	}
	def := params.Default()
	if s.Behaviour.MoveScale != 1.1 || s.Behaviour.UtilJobs[params.Family] != 0.7 || s.Behaviour.UtilJobs[params.EarlyCareer] != 1 ||
		s.Behaviour.UtilHome[params.Senior] != 1.5 || s.Behaviour.UtilJobs[params.Student] != def.UtilJobs[params.Student] {
		t.Errorf("Behaviour not applied: %+v", s.Behaviour)
	}
	if len(s.Interventions) != 4 {
		t.Fatalf("%d interventions", len(s.Interventions))
	}
	iv := s.Interventions[0]
	if iv.Kind != "region_enlargement" || iv.Name != "Holmøy bridge" || iv.FromYear != 2030 || iv.ToYear != 2040 ||
		iv.PhaseInYears != 2 || iv.Line != 17 || iv.File != "dir/good.toml" || iv.Num("minutes_saved") != 45 ||
		iv.Num("travel_time_factor") != 1 || iv.Params["minutes_saved"].Line != 24 {
		t.Errorf("intervention 1 = %+v", iv)
	}
	rw := s.Interventions[1]
	if rw.Name != "remote_work" || !rw.Flag("requires_broadband") || rw.Num("share") != 0.3 ||
		!reflect.DeepEqual(rw.Strings("skill_levels"), []string{"high", "medium"}) || rw.Num("office_days_per_week") != 2 {
		t.Errorf("intervention 2 = %+v", rw)
	}
	if rw2 := s.Interventions[3]; rw2.Flag("requires_broadband") || !rw2.Params["requires_broadband"].IsBool {
		t.Errorf("requires_broadband = 0 not normalised: %+v", rw2.Params)
	}
	for i := range s.Interventions {
		if s.Interventions[i].Regions != nil {
			t.Errorf("intervention %d resolved before LoadWorld", i)
		}
	}

	w, err := s.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	names := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, w.Regions[i].Name)
		}
		return out
	}
	if got := names(s.Interventions[0].Regions); !reflect.DeepEqual(got, []string{"Sjøvik", "Holmøy"}) {
		t.Errorf("bridge regions = %v", got)
	}
	if got := s.Interventions[1].Regions; got != nil {
		t.Errorf("national remote work has regions %v", got)
	}
	if got := names(s.Interventions[2].Regions); !reflect.DeepEqual(got, []string{"Fjellstue", "Øvre Dal"}) {
		t.Errorf("Dal class 6 = %v", got)
	}
	if got := names(s.Interventions[3].Regions); !reflect.DeepEqual(got, []string{"Storhavn", "Lindvik", "Åsen"}) {
		t.Errorf("class 1-2 = %v", got)
	}

	cfg := s.Config(w)
	if cfg.Seed != 42 || cfg.Scale != 0.5 || cfg.StartYear != 2024 || cfg.Behaviour != s.Behaviour || len(cfg.Interventions) != 4 {
		t.Errorf("Config = %+v", cfg)
	}
}

func TestConfigBeforeLoadWorldPanics(t *testing.T) {
	s, err := Parse("t.toml", []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	s.Config(&world.World{})
}

func TestDefaults(t *testing.T) {
	s, err := Parse("t.toml", []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != DefaultSeed || s.Scale != DefaultScale || s.StartYear != 0 || len(s.Overrides) != 0 || s.Behaviour != params.Default() {
		t.Errorf("defaults: %+v", s)
	}
	w, err := s.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	if s.StartYear != w.StartYear {
		t.Errorf("StartYear = %d, want the world's %d", s.StartYear, w.StartYear)
	}
}

// A user world: paths relative to the scenario file, made absolute.
func TestUserWorld(t *testing.T) {
	dir := t.TempDir()
	regions := "code,name,lat,lon,population\nA1,Alpha,60,10,50000\nB2,Beta,60.5,10.5,8000\nC3,Gamma,61,11,1200\n"
	travel := "from,to,minutes\nAlpha,Beta,35\n"
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"data/regions.csv": regions, "data/travel.csv": travel} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "my.toml")
	src := "[scenario]\nname = \"mine\"\nworld = \"data/regions.csv\"\ntravel_times = \"data/travel.csv\"\nyears = 5\n\n" +
		"[[intervention]]\nkind = \"municipal_cooperation\"\nregions = [\"Alpha\", \"B2\"]\nfrom_year = 2024\n\n" +
		"[[intervention]]\nkind = \"youth\"\ncounty = \"Nord\"\nfrom_year = 2024\nattachment_boost = 1\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if s.World != filepath.Join(dir, "data/regions.csv") || s.TravelTimes != filepath.Join(dir, "data/travel.csv") {
		t.Errorf("paths: %q %q", s.World, s.TravelTimes)
	}
	_, err = s.LoadWorld()
	t.Log(err)
	checkBad(t, badCase{"no counties", "", 14, "intervention[2].county", []string{"has no counties", "regions = ["}},
		rename(err, file))
}

// A world file named without a folder ("regions.txt") is next to the
// scenario file, not in the current directory.
func TestUserWorldBareName(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "regions.txt"), []byte("code,name,lat,lon,population\nA1,Alpha,60,10,50000\nB2,Beta,60.5,10.5,8000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Parse(filepath.Join(dir, "my.toml"), []byte("[scenario]\nname = \"mine\"\nworld = \"regions.txt\"\nyears = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.World != filepath.Join(dir, "regions.txt") {
		t.Errorf("world %q, want the file next to the scenario", s.World)
	}
	if _, err := s.LoadWorld(); err != nil {
		t.Error(err)
	}
}

// rename makes errors of file read as test.toml, for checkBad.
func rename(err error, file string) error {
	var list Errors
	if errors.As(err, &list) {
		for _, e := range list {
			if e.File == file {
				e.File = "test.toml"
			}
		}
	}
	return err
}

// Shortening Years after Parse (settle run --years 2) does not turn later
// interventions into errors.
func TestShorterYears(t *testing.T) {
	s, err := Load("../../scenarios/rogfast.toml")
	if err != nil {
		t.Fatal(err)
	}
	s.Years = 2
	if _, err := s.LoadWorld(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("no/such/file.toml")
	if err == nil || !strings.Contains(err.Error(), "no/such/file.toml") || !strings.Contains(err.Error(), "check the path") {
		t.Errorf("err = %v", err)
	}
}

// Every problem is reported, sorted by line.
func TestManyErrors(t *testing.T) {
	src := "[scenario]\nname = \"a b\"\nworld = \"teaching\"\nyears = 0\nscale = 2\n[behaviour]\nmove_scal = 1\n"
	_, err := Parse("test.toml", []byte(src))
	var list Errors
	if !errors.As(err, &list) || len(list) != 4 {
		t.Fatalf("err = %v", err)
	}
	for i, line := range []int{2, 4, 5, 7} {
		if list[i].Line != line {
			t.Errorf("error %d at line %d, want %d", i, list[i].Line, line)
		}
	}
}

// TestEveryProblemAtOnce: a problem Parse finds does not hide one that
// needs the world (an unknown region, a year after the run), and a value
// already reported is not checked again (from_year = "2025" is no year
// before the start).
func TestEveryProblemAtOnce(t *testing.T) {
	src := head + `[[intervention]]
kind = "housing"
regions = ["Lindvk"]
from_year = "2025"
dwellings_per_year = -10

[[intervention]]
kind = "broadband"
from_year = 2040
coverage = 1.5
`
	_, err := Parse("test.toml", []byte(src))
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("err = %v", err)
	}
	want := []struct {
		line int
		key  string
		msg  string
	}{
		{7, "intervention[1].regions", `did you mean "Lindvik"`},
		{8, "intervention[1].from_year", "expected a whole number"},
		{9, "intervention[1].dwellings_per_year", "out of range"},
		{13, "intervention[2].from_year", "after the last simulated year 2033"},
		{14, "intervention[2].coverage", "out of range"},
	}
	if len(list) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(list), len(want), err)
	}
	for i, w := range want {
		if e := list[i]; e.Line != w.line || e.Key != w.key || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d: %v; want line %d, %s, %q", i+1, e, w.line, w.key, w.msg)
		}
	}
	// A wrong type in one entry of a list does not hide a mistyped name in
	// another.
	_, err = Parse("test.toml", []byte(head+"[[intervention]]\nkind = \"campus\"\nregions = [\n  \"Lindvk\",\n  42,\n]\nfrom_year = 2025\nstudents = 100\n"))
	if !errors.As(err, &list) || len(list) != 2 || list[0].Line != 8 || !strings.Contains(list[0].Msg, `did you mean "Lindvik"`) ||
		list[1].Line != 9 || !strings.Contains(list[1].Msg, "got the number 42") {
		t.Errorf("a number and a mistyped name in one list: %v", err)
	}
	// A world that does not load is reported beside the problems found
	// without it (the region and the year need it).
	_, err = Parse("test.toml", []byte(strings.Replace(src, `"teaching"`, `"teachng"`, 1)))
	if !errors.As(err, &list) || len(list) != 4 || list[0].Key != "scenario.world" || !strings.Contains(list[0].Msg, `did you mean "teaching"`) {
		t.Errorf("with a mistyped world: %v", err)
	}
}

// Every file in scenarios/ parses and resolves against its world.
func TestScenarioFiles(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(files) < 4 {
		t.Fatalf("scenario files: %v %v", files, err)
	}
	seen := map[string]string{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if prev, dup := seen[s.Name]; dup {
				t.Errorf("name %q also used by %s (results folders would mix)", s.Name, prev)
			}
			seen[s.Name] = f
			if _, err := s.LoadWorld(); err != nil {
				t.Fatal(err)
			}
			for _, iv := range s.Interventions {
				if len(iv.Regions) < intervention.MinRegions(iv.Kind) {
					t.Errorf("%s: %d regions", iv.Name, len(iv.Regions))
				}
			}
		})
	}
}

func TestExampleScenarios(t *testing.T) {
	s, err := Load("../../scenarios/baseline.toml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "baseline" || s.World != "norway-2024" || s.Years != 30 || s.Seed != 1 || s.Scale != 1 || len(s.Interventions) != 0 {
		t.Errorf("baseline = %+v", s)
	}
	s, err = Load("../../scenarios/teaching.toml")
	if err != nil {
		t.Fatal(err)
	}
	if s.World != "teaching" || s.Years != 20 {
		t.Errorf("teaching = %+v", s)
	}
	s, err = Load("../../scenarios/rogfast.toml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	iv := s.Interventions[0]
	if len(iv.Regions) != 2 || w.Regions[iv.Regions[0]].Code != "1103" || w.Regions[iv.Regions[1]].Code != "1106" ||
		iv.FromYear != 2033 || iv.Num("travel_time_factor") != 0.6 {
		t.Errorf("Rogfast = %+v", iv)
	}
}

// TestNamesWithNorwegianLetters: æ, ø, å and Sámi letters are letters (a
// Norwegian analyst's bjørnafjord-bru was refused, with the suggestion
// bj-rnafjord-bru).
func TestNamesWithNorwegianLetters(t *testing.T) {
	for _, name := range []string{"bjørnafjord-bru", "sámi-jobs", "Tromsø_2030", "Ås", "A\u030As" /* Ås decomposed */} {
		s, err := Parse("n.toml", []byte("[scenario]\nname = \""+name+"\"\nworld = \"teaching\"\nyears = 2\n"))
		if err != nil || s.Name != name {
			t.Errorf("name %q: %v", name, err)
		}
	}
	// Digits other than 0–9 (x² and x³ made the same folder name, x-).
	if _, err := Parse("n.toml", []byte("[scenario]\nname = \"x²\"\nworld = \"teaching\"\nyears = 2\n")); err == nil {
		t.Error("name x² accepted")
	}
}

// TestNoFollowOnErrors: a mistake is reported once, without the errors
// that only follow from it (regions = [1818] is a number to quote, not an
// empty list; [senario] is not also a missing [scenario]).
func TestNoFollowOnErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"region as a number", head + "[[intervention]]\nkind = \"campus\"\nregions = [1818]\nfrom_year = 2025\nstudents = 100\n",
			`test.toml:7: intervention[1].regions: expected a code or name in quotes, got the number 1818; write it as "1818"`},
		{"county as a number", head + "[[intervention]]\nkind = \"youth\"\ncounty = [15]\nfrom_year = 2025\nattachment_boost = 0.5\n",
			`test.toml:7: intervention[1].county: expected a code or name in quotes, got the number 15; write it as "15"`},
		// to_year = nan is not also "to_year = 0 is before from_year".
		{"to_year nan", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\nto_year = nan\ncoverage = 0.9\n",
			"test.toml:8: intervention[1].to_year: to_year = NaN is not a number settle can use"},
		{"from_year inf", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = inf\nto_year = 2030\ncoverage = 0.9\n",
			"test.toml:7: intervention[1].from_year: from_year = +Inf is not a number settle can use"},
		{"misspelt scenario", "[senario]\nname = \"t\"\nworld = \"teaching\"\nyears = 10\n",
			"test.toml:1: senario: unknown table [senario]; did you mean [scenario]?"},
		{"plural scenarios", "[[scenarios]]\nname = \"t\"\nworld = \"teaching\"\nyears = 10\n",
			"test.toml:1: scenarios: unknown table [[scenarios]]; the name is singular: write [scenario]"},
		// A number in quotes as Norwegians write it: the number meant, not
		// also "needs coverage" or "expected a number … write coverage = 0.95".
		{"per cent in quotes", head + "[[intervention]]\nkind = \"broadband\"\nfrom_year = 2025\ncoverage = \"90 %\"\n",
			`test.toml:8: intervention[1].coverage: expected a number, got the text "90 %"; write coverage = 0.9 without quotes: TOML has no per cent sign`},
		{"thousands in quotes", head + "[[intervention]]\nkind = \"campus\"\nregions = [\"T07\"]\nfrom_year = 2025\nstudents = \"1 500\"\n",
			`test.toml:9: intervention[1].students: expected a whole number, got the text "1 500"; write students = 1500 without quotes: TOML has no spaces in numbers`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("test.toml", []byte(c.src))
			var list Errors
			if !errors.As(err, &list) || len(list) != 1 || !strings.HasPrefix(list[0].Error(), c.want) {
				t.Errorf("error:\n%v\nwant only one, starting:\n%s", err, c.want)
			}
		})
	}
}

// TestKindInAnyCase: a kind is read in any case, as region and county
// names are ("Campus" was an unknown kind), and the lower-case name is
// the one used after parsing: in the Spec, and as the entry's name.
func TestKindInAnyCase(t *testing.T) {
	for _, kind := range []string{"Campus", "CAMPUS", "campus"} {
		s, err := Parse("test.toml", []byte(head+"[[intervention]]\nkind = \""+kind+"\"\nregions = [\"T07\"]\nfrom_year = 2025\nstudents = 100\n"))
		if err != nil {
			t.Errorf("kind = %q: %v", kind, err)
			continue
		}
		if iv := s.Interventions[0]; iv.Kind != "campus" || iv.Name != "campus" {
			t.Errorf("kind = %q: Kind %q, Name %q; want campus, campus", kind, iv.Kind, iv.Name)
		}
	}
	s, err := Parse("test.toml", []byte(head+"[[intervention]]\nkind = \"Region_Enlargement\"\nname = \"Holmøy bridge\"\nregions = [\"Sjøvik\", \"Holmøy\"]\nfrom_year = 2025\nminutes_saved = 10\n"))
	if err != nil {
		t.Fatal(err)
	}
	if iv := s.Interventions[0]; iv.Kind != "region_enlargement" || iv.Name != "Holmøy bridge" || iv.Num("minutes_saved") != 10 {
		t.Errorf("Region_Enlargement: %+v", iv)
	}
	// A misspelt kind in capitals is still unknown, with the lower-case kind meant.
	_, err = Parse("test.toml", []byte(head+"[[intervention]]\nkind = \"Campuss\"\nregions = [\"T07\"]\nfrom_year = 2025\nstudents = 100\n"))
	checkBad(t, badCase{"misspelt", "", 6, "intervention[1].kind", []string{`unknown intervention kind "Campuss"; did you mean "campus"?`}}, err)
}

// TestStartYearAheadOfTheWorld: start_year = 2025 with a world of 1 January
// 2024 is one error, at start_year; from_year = 2024 is in the world's
// first year and no error (it was called "before the start year 2025",
// with "the population describes 1 January 2025", which is false).
func TestStartYearAheadOfTheWorld(t *testing.T) {
	src := head + "start_year = 2025\n[[intervention]]\nkind = \"broadband\"\nfrom_year = 2024\ncoverage = 0.9\n"
	s, err := Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	_, err = s.LoadWorld()
	var list Errors
	if !errors.As(err, &list) || len(list) != 1 || list[0].Key != "scenario.start_year" {
		t.Errorf("error:\n%v\nwant only one, at scenario.start_year", err)
	}
}

// TestResolveNorwayNames: the place names a Norwegian types. A former
// county gets the county it became (Hedmark got "did you mean Telemark",
// Oppland "Nordland"), in the form of the key (a list for a split
// county, the element for a list); a town that is a municipality's
// administrative centre gets the municipality (Mosjøen got "Modalen"); a
// former municipality gets no unrelated suggestion (Tysfjord got
// "Balsfjord").
func TestResolveNorwayNames(t *testing.T) {
	norway := "[scenario]\nname = \"t\"\nworld = \"norway-2024\"\nyears = 10\n"
	youth := func(target string) string {
		return norway + "[[intervention]]\nkind = \"youth\"\n" + target + "\nfrom_year = 2025\nattachment_boost = 0.5\n"
	}
	for _, c := range []badCase{
		{"Hedmark", youth(`county = "Hedmark"`), 7, "intervention[1].county", []string{`unknown county "Hedmark" in world norway-2024; Hedmark was merged with Oppland into Innlandet in 2020: write county = "Innlandet" for all of Innlandet, which includes the former Oppland, or list Hedmark's former municipalities`}},
		// In a list: its place, without dropping the list's others.
		{"Hedmark in a list", youth(`county = ["Hedmark", "Nordland"]`), 7, "intervention[1].county", []string{`write "Innlandet" in its place, for all of Innlandet, which includes the former Oppland`}},
		{"Oppland", youth(`county = "Oppland"`), 7, "intervention[1].county", []string{"Oppland was merged with Hedmark into Innlandet in 2020", `write county = "Innlandet"`}},
		{"Sør-Trøndelag", youth(`county = "Sor-Trondelag"`), 7, "intervention[1].county", []string{"Sør-Trøndelag was merged with Nord-Trøndelag into Trøndelag in 2018", `write county = "Trøndelag"`}},
		{"Vest-Agder", youth(`county = "Vest-Agder"`), 7, "intervention[1].county", []string{`write county = "Agder"`}},
		{"Viken", youth(`county = "Viken"`), 7, "intervention[1].county", []string{"Viken was split into Østfold, Akershus and Buskerud in 2024", `write county = ["Østfold", "Akershus", "Buskerud"] for all of it, or the one you mean`}},
		{"Troms og Finnmark", youth(`county = "Troms og Finnmark"`), 7, "intervention[1].county", []string{`write county = ["Troms", "Finnmark"]`}},
		{"in a list", youth("county = [\"Nordland\",\n  \"Troms og Finnmark\"]"), 8, "intervention[1].county", []string{`Troms og Finnmark was split into Troms and Finnmark in 2024: write "Troms", "Finnmark" in its place`}},
		{"admin centre", youth(`regions = ["Mosjøen"]`), 7, "intervention[1].regions", []string{`Mosjøen is the administrative centre of Vefsn: give "Vefsn" (1824)`}},
		{"former municipality", youth(`regions = ["Tysfjord"]`), 7, "intervention[1].regions", []string{`unknown region "Tysfjord"`, "give a region code or name"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse("test.toml", []byte(c.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = s.LoadWorld()
			checkBad(t, c, err)
			if err != nil && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("a did-you-mean: %v", err)
			}
		})
	}
}

// TestScaleTooLarge: a user world whose persons at the scale do not fit a
// run is refused by LoadWorld (settle validate), with the scale that fits,
// not left to panic in settle run.
func TestScaleTooLarge(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("code,name,lat,lon,population\n")
	for i := range 22 {
		fmt.Fprintf(&b, "R%d,Region %d,%g,10,50000000\n", i, i, 60+0.1*float64(i))
	}
	if err := os.WriteFile(filepath.Join(dir, "regions.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "test.toml")
	s, err := Parse(file, []byte("[scenario]\nname = \"t\"\nworld = \"regions.csv\"\nyears = 2\nscale = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.LoadWorld()
	want := file + ":5: scenario.scale: scale = 1 is too large for world regions.csv: it would simulate 1,100,000,000 persons, more than the 1,073,741,824 a run can hold (persons are numbered by 32-bit slots); use scale = 0.5 or less"
	if err == nil || err.Error() != want {
		t.Errorf("LoadWorld: %v\nwant %s", err, want)
	}
}

// TestWorldNamedLikeAFile: world = "ok" beside ok.csv gets the fix
// world = "ok.csv", wherever settle runs from (the suggestion looked in
// the current folder only).
func TestWorldNamedLikeAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.csv"), []byte("code,name,lat,lon,population\nA1,Alfa,60,10,1000\nB2,Beta,61,11,2000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "s.toml")
	s, err := Parse(file, []byte("[scenario]\nname = \"x\"\nworld = \"ok\"\nyears = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.LoadWorld()
	if want := `has the file ok.csv: for it, write world = "ok.csv"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to contain %q", err, want)
	}
}
