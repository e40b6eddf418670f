package education_test

import (
	"math"
	"sort"
	"testing"

	"github.com/settle-sim/settle/sim/education"
	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/population"
	"github.com/settle-sim/settle/sim/state"
	"github.com/settle-sim/settle/sim/world"
)

// norway returns the state of a fresh simulation of Norway at scale 0.05
// (about 280,000 persons, 50 campuses).
func norway(t *testing.T, seed uint64) *state.State {
	t.Helper()
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: seed, Scale: 0.05, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return sim.State()
}

type before struct {
	act, edu, age, studyLeft uint8
	region                   uint16
	partner                  int32
	atHome                   bool
	parent                   bool // not at home, with a child under 18 in the household
}

func snapshot(p *population.Persons) []before {
	b := make([]before, p.Len())
	for i := range b {
		b[i] = before{p.Act[i], p.Edu[i], p.Age[i], p.StudyLeft[i], p.Region[i], p.Partner[i], p.Flags[i]&population.AtHome != 0, false}
		if p.Live(int32(i)) && !b[i].atHome && p.HH[i] != population.None {
			kids := p.Kids[p.HH[i]]
			if p.Age[i] < 18 {
				kids--
			}
			b[i].parent = kids > 0
		}
	}
	return b
}

// TestStep runs the education step once on Norway at scale 0.05, with study
// places a hundred times the real ones so that admission never binds, and
// checks application, the choice of study place, study moves and
// graduation:
//
//   - the share entering higher education among those eligible at each age
//     20–34 is the yearly application probability: 1 − (1 −
//     study_entry_share)^(1/6) at 20–24 for those with upper secondary
//     education, late_study_rate at 25–34 for them and for bachelors (who
//     start a master), each times EntrySex of the person's sex, within 4.5
//     standard deviations;
//   - those aged 19–30 with basic education complete upper secondary with
//     CompletionRate of their sex and age, which adds up to the world's
//     share with upper secondary education or more by 30, women's above
//     men's;
//   - students leave without a degree with study_dropout_rate (bachelors)
//     or half of it (masters), keeping their level, as job seekers with
//     the Graduated trigger;
//   - entrants study for 3 or 4 years (bachelor) or 2 or 3 (master);
//   - the entrants per campus match Choice, P(c | o) ∝ places·(minutes(o,
//     c) + 10)^−decay, within 5 standard deviations, so the big campuses
//     take most;
//   - entrants whose campus is beyond the accepted commute and who have no
//     partner move there alone (motive study, one ledger move each); the
//     others stay;
//   - students in their last year graduate with a bachelor's or master's
//     degree and become job seekers with the Graduated trigger, shared
//     with a partner, or (bachelors) go straight on to a master; the
//     others have a year less left.
func TestStep(t *testing.T) {
	s := norway(t, 1)
	p := &s.Persons
	n := s.N()
	for r := range s.Regions {
		s.Regions[r].StudyPlaces *= 100
	}
	b := snapshot(p)
	var campuses []int
	for c := 0; c < n; c++ {
		if s.Regions[c].StudyPlaces > 0 {
			campuses = append(campuses, c)
		}
	}
	choices := make([][]float64, n)
	choice := func(o int) []float64 {
		pr := make([]float64, n)
		for _, c := range campuses {
			pr[c] = education.Choice(s, o, c)
		}
		return pr
	}

	s.BeginTick()
	var m education.Model
	m.Step(s)
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}

	young := 1 - math.Pow(1-s.P.StudyEntryShare, 1.0/6)
	var eligible, entered [2][world.MaxAge + 1]float64
	var basic, completed [2][world.MaxAge + 1]float64
	var dropouts, studying [2]float64 // bachelor, master
	wantAt := make([]float64, n)
	varAt := make([]float64, n)
	gotAt := make([]float64, n)
	var movers, graduates, masters, entrants, farEntrants int64
	var delayed, bachelorsDone float64
	lim := float32(s.P.CommuteMinutes)
	for i, x := range b {
		if !p.Live(int32(i)) {
			continue
		}
		newStudent := x.act != population.Student && p.Act[i] == population.Student
		sex := p.Sex[i]
		if x.act != population.Student && x.age >= 19 && x.age <= 30 && x.edu == population.EduBasic {
			basic[sex][x.age]++
			if p.Edu[i] != population.EduBasic {
				completed[sex][x.age]++
			}
		}
		if x.act != population.Student && x.age >= 20 && x.age <= 34 &&
			(x.edu == population.EduUpperSecondary || x.age >= 25 && x.edu == population.EduBachelor) {
			eligible[sex][x.age]++
			if newStudent {
				entered[sex][x.age]++
			}
		}
		if x.act == population.Student {
			studying[x.studyLeft>>7]++
			if p.Act[i] != population.Student && p.Edu[i] == x.edu && x.studyLeft&0x0f > 1 {
				// Left before the last year with the level they had.
				dropouts[x.studyLeft>>7]++
				if p.Act[i] != population.Unemployed || p.Work[i] != population.NoRegion ||
					p.Flags[i]&population.Graduated == 0 || p.StudyLeft[i] != 0 {
					t.Fatalf("dropout %d: activity %d, work %d, flags %b, study left %#x", i, p.Act[i], p.Work[i], p.Flags[i], p.StudyLeft[i])
				}
				continue
			}
		}
		switch {
		case newStudent:
			entrants++
			o, c := int(x.region), int(p.Work[i])
			if choices[o] == nil {
				choices[o] = choice(o)
			}
			for _, k := range campuses {
				q := choices[o][k]
				wantAt[k] += q
				varAt[k] += q * (1 - q)
			}
			gotAt[c]++
			left := p.StudyLeft[i]
			if left == 4 || left == 3|0x80 {
				delayed++
			}
			if ok := x.edu == population.EduBachelor && (left == 2|0x80 || left == 3|0x80) ||
				x.edu < population.EduBachelor && (left == 3 || left == 4); !ok {
				t.Fatalf("entrant %d with education %d: study left %#x", i, x.edu, left)
			}
			far := s.TravelMinutes(o, c) > lim && x.partner == population.None && !x.parent
			registered := far && p.Region[i] == x.region // study_registered_home: no registered move
			if registered {
				if p.Flags[i]&population.AtHome != 0 != x.atHome {
					t.Fatalf("entrant %d registered where they lived: at home %v → %v", i, x.atHome, !x.atHome)
				}
				farEntrants++
				continue
			}
			if far {
				farEntrants++
			}
			switch {
			case far && (p.Region[i] != uint16(c) || p.Flags[i]&population.AtHome != 0 || p.Tenure[i] != 0):
				t.Fatalf("entrant %d: campus %d is %.0f minutes from %d but lives in %d", i, c, s.TravelMinutes(o, c), o, p.Region[i])
			case !far && p.Region[i] != x.region:
				t.Fatalf("entrant %d moved from %d to %d within the commute of campus %d", i, o, p.Region[i], c)
			case far:
				movers++
			}
		case x.act == population.Student && x.studyLeft&0x0f == 1 && p.Act[i] == population.Student:
			masters++
			if x.studyLeft&0x80 != 0 || p.Edu[i] != max(x.edu, population.EduBachelor) || p.StudyLeft[i]&0x80 == 0 ||
				p.StudyLeft[i]&0x0f < 2 || p.StudyLeft[i]&0x0f > 3 {
				t.Fatalf("student %d (study left %#x) went on with study left %#x and education %d", i, x.studyLeft, p.StudyLeft[i], p.Edu[i])
			}
		case x.act == population.Student && x.studyLeft&0x0f == 1 && p.Edu[i] == x.edu && p.Act[i] != population.Student:
			dropouts[x.studyLeft>>7]++ // left in the last year without the degree
		case x.act == population.Student && x.studyLeft&0x0f == 1:
			graduates++
			if x.studyLeft&0x80 == 0 {
				bachelorsDone++
			}
			want := uint8(population.EduBachelor)
			if x.studyLeft&0x80 != 0 {
				want = population.EduMaster
			}
			want = max(want, x.edu) // a degree never lowers the level
			if p.Edu[i] != want || p.Act[i] != population.Unemployed || p.Work[i] != population.NoRegion ||
				p.Flags[i]&population.Graduated == 0 || p.StudyLeft[i] != 0 {
				t.Fatalf("graduate %d: education %d (want %d), activity %d, work %d, flags %b", i, p.Edu[i], want, p.Act[i], p.Work[i], p.Flags[i])
			}
			if q := p.Partner[i]; q != population.None && p.Flags[q]&population.Graduated == 0 {
				t.Fatalf("graduate %d's partner %d lacks the Graduated trigger", i, q)
			}
		case x.act == population.Student:
			if p.Act[i] != population.Student || p.StudyLeft[i]&0x0f != x.studyLeft&0x0f-1 {
				t.Fatalf("student %d: activity %d, years left %d → %d", i, p.Act[i], x.studyLeft, p.StudyLeft[i])
			}
		}
	}
	t.Logf("%d entrants, %d moved to study, %d graduates, %d went on to a master", entrants, movers, graduates, masters)
	// Of the entrants admitted beyond the commute, the share
	// study_registered_home keeps registered where they lived.
	if q, k := s.P.StudyAtHome, float64(farEntrants); k < 200 || math.Abs(k-float64(movers)-q*k) > 5*math.Sqrt(k*q*(1-q))+1 {
		t.Errorf("%d of %.0f entrants admitted beyond the commute moved; study_registered_home %.3f wants about %.0f", movers, k, q, (1-q)*k)
	}
	// Shares: delayed entrants and bachelors going straight on.
	for _, c := range []struct {
		what    string
		got, of float64
		want    float64
	}{
		{"entrants taking a year longer", delayed, float64(entrants), s.P.StudyDelayShare},
		{"bachelors going straight on to a master", float64(masters), float64(masters) + bachelorsDone, s.P.MasterShare},
	} {
		sd := math.Sqrt(c.of * c.want * (1 - c.want))
		if math.Abs(c.got-c.of*c.want) > 4.5*sd {
			t.Errorf("%s: %.0f of %.0f, expected %.1f ± %.1f", c.what, c.got, c.of, c.of*c.want, sd)
		}
	}
	for sex := range 2 {
		for a := 20; a <= 34; a++ {
			q := young
			if a >= 25 {
				q = s.P.LateStudyRate
			}
			q *= education.EntrySex[sex]
			e := eligible[sex][a] * q
			sd := math.Sqrt(e * (1 - q))
			if math.Abs(entered[sex][a]-e) > 4.5*sd+1 {
				t.Errorf("sex %d, age %d: %.0f of %.0f entered higher education, expected %.1f ± %.1f", sex, a, entered[sex][a], eligible[sex][a], e, sd)
			}
		}
		// Completion of upper secondary: each age's rate, and the shares
		// with it by 30 (the world's, women above men).
		done := 0.0
		for a := 19; a <= 30; a++ {
			q := m.CompletionRate(sex, a)
			e := basic[sex][a] * q
			sd := math.Sqrt(e * (1 - q))
			if math.Abs(completed[sex][a]-e) > 4.5*sd+1 {
				t.Errorf("sex %d, age %d: %.0f of %.0f with basic education completed upper secondary, expected %.1f ± %.1f", sex, a, completed[sex][a], basic[sex][a], e, sd)
			}
			done = done + (1-done)*q
		}
		r := &s.World.Rates
		want := r.HigherEducation[30] + r.UpperSecondary[30]
		if sex == 0 {
			want *= 1 + education.UpperSecondaryGap
		} else {
			want *= 1 - education.UpperSecondaryGap
		}
		if math.Abs(done-want) > 1e-9 {
			t.Errorf("sex %d: %.4f complete upper secondary by 30, want %.4f", sex, done, want)
		}
	}
	for k, q := range []float64{s.P.StudyDropout, s.P.StudyDropout / 2} {
		e := studying[k] * q
		if sd := math.Sqrt(e * (1 - q)); math.Abs(dropouts[k]-e) > 4.5*sd+1 || dropouts[k] == 0 {
			t.Errorf("%.0f of %.0f students (master: %d) left without a degree, expected %.1f ± %.1f", dropouts[k], studying[k], k, e, sd)
		}
	}
	for _, c := range campuses {
		if sd := math.Sqrt(varAt[c]); math.Abs(gotAt[c]-wantAt[c]) > 5*sd+1 {
			t.Errorf("campus %s: %.0f entrants, expected %.1f ± %.1f", s.World.Regions[c].Name, gotAt[c], wantAt[c], sd)
		}
	}
	// The big campuses take most: the five largest by places take over half.
	sort.Slice(campuses, func(i, j int) bool { return s.Regions[campuses[i]].StudyPlaces > s.Regions[campuses[j]].StudyPlaces })
	top := 0.0
	for _, c := range campuses[:5] {
		top += gotAt[c]
	}
	t.Logf("the five largest campuses took %.3f of %d entrants", top/float64(entrants), entrants)
	if top/float64(entrants) < 0.5 {
		t.Errorf("the five largest campuses took %.3f of entrants", top/float64(entrants))
	}
	var in, study int64
	for _, a := range s.Ledger.Accounts {
		in += a.InDomestic
	}
	for k, v := range s.Ledger.Flows {
		if k%state.NumMotives == state.MotiveStudy {
			study += int64(v)
		}
	}
	if in != movers || study != movers {
		t.Errorf("ledger: %d moves, %d with motive study; %d entrants moved", in, study, movers)
	}
	if movers == 0 || graduates == 0 || masters == 0 {
		t.Error("no study moves, no graduates or no one going on to a master")
	}
}

// studentsAt counts the students per study region.
func studentsAt(s *state.State) []float64 {
	p := &s.Persons
	at := make([]float64, s.N())
	for i := range p.Act {
		if p.Live(int32(i)) && p.Act[i] == population.Student {
			at[p.Work[i]]++
		}
	}
	return at
}

// TestAdmissionFillsPlaces checks admission against capacity. Over a few
// years of Norway at scale 0.05 with everyone eligible applying (entry share
// 1 for women and men alike), a campus admits only into free places (no more students after the
// step than places, unless more went on studying than there are places),
// and with everyone applying every campus, peripheral ones included, is
// ranked by enough applicants to fill to within a few students (a small
// campus to within 30 % of its places).
func TestAdmissionFillsPlaces(t *testing.T) {
	s := norway(t, 2)
	s.P.StudyEntryShare = 1
	defer func(f [2]float64) { education.EntrySex = f }(education.EntrySex)
	education.EntrySex = [2]float64{1, 1} // men too
	var m education.Model
	for y := 0; y < 3; y++ {
		before := studentsAt(s)
		s.BeginTick()
		m.Step(s)
		after := studentsAt(s)
		for c, places := range s.Regions {
			if after[c] > math.Max(places.StudyPlaces+0.5, before[c]) {
				t.Errorf("year %d, %s: %.0f students after admission, %.1f places, %.0f before", y, s.World.Regions[c].Name, after[c], places.StudyPlaces, before[c])
			}
		}
		s.Year++
	}
	// Within a few students: a campus of a dozen places in the sample
	// (Kautokeino, 12.5) is filled through the ranked choices of a few
	// dozen applicants, and missed by 3–4 students with 4 of seeds 2–30
	// (engine 0.8.0) and 6 (0.9.0, other random numbers); at most 30 % of
	// its places, or 1.5, holds for all of them.
	after := studentsAt(s)
	for c, rs := range s.Regions {
		if rs.StudyPlaces > 0 && after[c] < rs.StudyPlaces-math.Max(1.5, 0.3*rs.StudyPlaces) {
			t.Errorf("%s: %.0f students for %.1f places, though demand exceeds the places", s.World.Regions[c].Name, after[c], rs.StudyPlaces)
		}
	}
}

// TestInitFillsPlaces checks the study places of a synthesised population:
// every student has a campus, and no campus has more students than places
// beyond those who found no free place anywhere.
func TestInitFillsPlaces(t *testing.T) {
	s := norway(t, 3)
	at := studentsAt(s)
	over, total, places := 0.0, 0.0, 0.0
	for c, rs := range s.Regions {
		total += at[c]
		places += rs.StudyPlaces
		if at[c] > 0 && rs.StudyPlaces == 0 {
			t.Errorf("%d students at %s, which has no study places", int(at[c]), s.World.Regions[c].Name)
		}
		over += math.Max(0, at[c]-rs.StudyPlaces-0.5)
	}
	t.Logf("%.0f students for %.0f places, %.0f beyond a campus's places", total, places, over)
	if over > math.Max(0, total-places)+1 {
		t.Errorf("%.0f students beyond their campus's places, but only %.0f more students than places", over, total-places)
	}
}

// TestStudentsHaveUpperSecondary checks that only those with upper
// secondary education enter higher education.
func TestStudentsHaveUpperSecondary(t *testing.T) {
	s := norway(t, 1)
	p := &s.Persons
	s.BeginTick()
	var m education.Model
	m.Step(s)
	bad := 0
	for i := 0; i < p.Len(); i++ {
		if p.Live(int32(i)) && p.Act[i] == population.Student && p.Edu[i] < population.EduUpperSecondary {
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d students without upper secondary education", bad)
	}
}

// TestStudyMovesKeepChildrenWithAdults makes everyone eligible enter (entry
// share 1) and checks that no one moving to study leaves a child without
// an adult.
func TestStudyMovesKeepChildrenWithAdults(t *testing.T) {
	s := norway(t, 1)
	p := &s.Persons
	alone := func() int {
		n := 0
		for h, head := range p.First {
			if head == population.None || p.Kids[h] == 0 {
				continue
			}
			adult := false
			for j := head; j != population.None; j = p.Next[j] {
				adult = adult || p.Age[j] >= 18
			}
			if !adult {
				n++
			}
		}
		return n
	}
	before := alone() // children alone from synthesis (see synth's tests)
	s.P.StudyEntryShare = 1
	s.BeginTick()
	var m education.Model
	m.Step(s)
	if after := alone(); after > before {
		t.Errorf("%d more households of children without an adult after study moves (%d before)", after-before, before)
	}
}

// TestStudentSharesMatchSSB runs Norway at scale 0.1 for eight years with
// the default behaviour and checks the students against SSB's figures for
// 2024 ("Studenter i universitets- og høgskoleutdanning"): 37 % of those
// aged 19–24 and 18 % of those aged 25–29 are students (accepted: 30–42 %
// and 13–22 %), and the study places of campuses.csv (256,000, Norway's
// enrolment taken as capacity) are at least 95 % held: applicants rank
// enough campuses to fill them.
func TestStudentSharesMatchSSB(t *testing.T) {
	if testing.Short() {
		t.Skip("Norway at scale 0.1 for eight years")
	}
	w, err := world.Load("norway-2024", "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := engine.New(w, engine.Config{Seed: 4, Scale: 0.1, Behaviour: params.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 8; y++ {
		sim.Step()
	}
	s := sim.State()
	p := &s.Persons
	var students, persons [world.MaxAge + 1]float64
	for i := range p.Act {
		if p.Live(int32(i)) {
			persons[p.Age[i]]++
			if p.Act[i] == population.Student {
				students[p.Age[i]]++
			}
		}
	}
	share := func(lo, hi int) float64 {
		a, b := 0.0, 0.0
		for x := lo; x <= hi; x++ {
			a += students[x]
			b += persons[x]
		}
		return a / b
	}
	places, held := 0.0, 0.0
	at := studentsAt(s)
	for c, rs := range s.Regions {
		places += rs.StudyPlaces
		held += math.Min(at[c], rs.StudyPlaces)
	}
	young, late := share(19, 24), share(25, 29)
	t.Logf("in %d: %.1f %% of 19–24 and %.1f %% of 25–29 study; %.1f %% of %.0f places held (real units)", s.Year, 100*young, 100*late, 100*held/places, places/0.1)
	if young < 0.30 || young > 0.42 {
		t.Errorf("%.1f %% of those aged 19–24 study; SSB: 37 %%", 100*young)
	}
	if late < 0.13 || late > 0.22 {
		t.Errorf("%.1f %% of those aged 25–29 study; SSB: 18 %%", 100*late)
	}
	if held < 0.95*places {
		t.Errorf("%.1f %% of the study places held", 100*held/places)
	}
}

// TestClosedCampus closes the largest campus (Oslo) after synthesis and
// checks that no one starts there, not even a master straight after a
// bachelor, while its students with years left go on studying there; and
// that a student with no years left (a slip elsewhere) graduates rather
// than wrapping round to fifteen more years.
func TestClosedCampus(t *testing.T) {
	s := norway(t, 5)
	p := &s.Persons
	oslo := -1
	for r := range s.Regions {
		if oslo < 0 || s.Regions[r].StudyPlaces > s.Regions[oslo].StudyPlaces {
			oslo = r
		}
	}
	s.Regions[oslo].StudyPlaces = 0
	b := snapshot(p)
	slip := int32(-1)
	for i := range b {
		if b[i].act == population.Student && b[i].studyLeft&0x0f == 3 {
			slip = int32(i)
			p.StudyLeft[i] = 0
			b[i].studyLeft = 0
			break
		}
	}
	s.BeginTick()
	var m education.Model
	m.Step(s)
	stayed, started := 0, 0
	for i, x := range b {
		if !p.Live(int32(i)) || p.Act[i] != population.Student || int(p.Work[i]) != oslo {
			continue
		}
		if x.act == population.Student && x.studyLeft&0x0f > 1 && p.StudyLeft[i]&0x0f == x.studyLeft&0x0f-1 {
			stayed++
			continue
		}
		started++
	}
	t.Logf("Oslo closed: %d students go on there, %d started", stayed, started)
	if started > 0 || stayed == 0 {
		t.Errorf("Oslo closed: %d students started there (want none), %d went on (want some)", started, stayed)
	}
	if p.Act[slip] == population.Student || p.StudyLeft[slip] != 0 {
		t.Errorf("a student with no years left: activity %d, study left %#x; want a graduate", p.Act[slip], p.StudyLeft[slip])
	}
}

// TestRankedChoices checks that applicants rank study_choices campuses: in
// the first year, when the synthesised students hold most places, ten
// ranked choices admit clearly more applicants than one (those whose first
// choice is full try the others).
func TestRankedChoices(t *testing.T) {
	admitted := func(k float64) (entrants float64) {
		s := norway(t, 6)
		s.P.StudyChoices = k
		p := &s.Persons
		was := make([]bool, p.Len())
		for i := range was {
			was[i] = p.Live(int32(i)) && p.Act[i] == population.Student
		}
		s.BeginTick()
		var m education.Model
		m.Step(s)
		for i := range was {
			if !was[i] && p.Live(int32(i)) && p.Act[i] == population.Student {
				entrants++
			}
		}
		return entrants
	}
	one, ten := admitted(1), admitted(10)
	t.Logf("entrants with one choice %.0f, with ten %.0f", one, ten)
	if ten < 1.1*one {
		t.Errorf("ten ranked choices admit %.0f, one admits %.0f: want clearly more", ten, one)
	}
}

// TestInitNearHome checks that synthesised students study where they live
// where the places nearby allow: a student whose campus is beyond the
// accepted commute has no campus within it with a place left, and most
// study within the commute.
func TestInitNearHome(t *testing.T) {
	s := norway(t, 7)
	p := &s.Persons
	lim := float32(s.P.CommuteMinutes)
	at := studentsAt(s)
	var near, all float64
	for i := range p.Act {
		if !p.Live(int32(i)) || p.Act[i] != population.Student {
			continue
		}
		all++
		o, c := int(p.Region[i]), int(p.Work[i])
		if s.TravelMinutes(o, c) <= lim {
			near++
			continue
		}
		for r, rs := range s.Regions {
			if rs.StudyPlaces > 0 && s.TravelMinutes(o, r) <= lim && at[r] < rs.StudyPlaces-0.5 {
				t.Fatalf("a student in %s studies at %s, %.0f minutes away, though %s within the commute has %.0f students for %.1f places",
					s.World.Regions[o].Name, s.World.Regions[c].Name, s.TravelMinutes(o, c), s.World.Regions[r].Name, at[r], rs.StudyPlaces)
			}
		}
	}
	t.Logf("%.0f students: %.1f %% study within the commute", all, 100*near/all)
	if near < 0.6*all {
		t.Errorf("only %.1f %% of synthesised students study within the commute of their campus", 100*near/all)
	}
}
