package fit

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/settle-sim/settle/sim/engine"
	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/record"
	"github.com/settle-sim/settle/sim/targets"
	"github.com/settle-sim/settle/sim/world"
)

// tinyWorld has three regions: A and B in county 01, C in county 02; A is
// centrality class 1, B class 3, C class 6.
func tinyWorld() *world.World {
	return &world.World{Name: "tiny", StartYear: 2000, Regions: []world.Region{
		{Index: 0, Code: "A", CountyCode: "01", Lat: 60, Lon: 10, Centrality: 1},
		{Index: 1, Code: "B", CountyCode: "01", Lat: 60.5, Lon: 10, Centrality: 3},
		{Index: 2, Code: "C", CountyCode: "02", Lat: 62, Lon: 6, Centrality: 6},
	}}
}

func ages() [2][]int64 { return [2][]int64{make([]int64, Ages), make([]int64, Ages)} }

// tinyRun is a start record and two years. The numbers are chosen so that
// every statistic can be worked out by hand.
func tinyRun() []*record.Year {
	y0 := &record.Year{Year: 2000, Weight: 1, Population: ages(), Moves: ages(),
		Regions: []record.Region{{Population: 100}, {Population: 50}, {Population: 50}}}
	// 10 women and 20 men at every age 0…104, 5 of each at 105 in 2000.
	for a := 0; a < Ages; a++ {
		y0.Population[0][a], y0.Population[1][a] = 10, 20
	}
	y0.Population[0][Ages-1], y0.Population[1][Ages-1] = 5, 5

	// 2001: A→B 4, B→A 6, A→C 2, C→A 1, B→C 3 (16 moves); 2 births and
	// 1 death in A.
	y1 := &record.Year{Year: 2001, Weight: 1, Population: ages(), Moves: ages(),
		Regions: []record.Region{
			{Population: 999, Births: 2, Deaths: 1, InDomestic: 7, OutDomestic: 6},
			{Population: 999, InDomestic: 4, OutDomestic: 9},
			{Population: 999, InDomestic: 5, OutDomestic: 1},
		},
		Flows: []record.Flow{
			{FlowKey: record.FlowKey{Origin: 0, Destination: 1, AgeGroup: 1}, Moves: 3},
			{FlowKey: record.FlowKey{Origin: 0, Destination: 1, AgeGroup: 2, Motive: 2}, Moves: 1},
			{FlowKey: record.FlowKey{Origin: 0, Destination: 2}, Moves: 2},
			{FlowKey: record.FlowKey{Origin: 1, Destination: 0}, Moves: 6},
			{FlowKey: record.FlowKey{Origin: 1, Destination: 2}, Moves: 3},
			{FlowKey: record.FlowKey{Origin: 2, Destination: 0}, Moves: 1},
		}}
	for a := 0; a < Ages; a++ {
		y1.Population[0][a], y1.Population[1][a] = 8, 16 // not used but age 0
	}
	// Moves by age: women 20: 4, women 23: 2, men 22: 6, men 0: 2, women 105: 2.
	y1.Moves[0][20], y1.Moves[0][23], y1.Moves[1][22], y1.Moves[1][0], y1.Moves[0][105] = 4, 2, 6, 2, 2

	// 2002: only B→A 2.
	y2 := &record.Year{Year: 2002, Weight: 1, Population: ages(), Moves: ages(),
		Regions: []record.Region{{InDomestic: 2}, {OutDomestic: 2}, {}},
		Flows:   []record.Flow{{FlowKey: record.FlowKey{Origin: 1, Destination: 0}, Moves: 2}}}
	y2.Moves[0][21] = 2
	return []*record.Year{y0, y1, y2}
}

func TestAccumulatorArithmetic(t *testing.T) {
	w := tinyWorld()
	acc := NewAccumulator(w, nil)
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	s := acc.Stats()
	if s.FirstYear != 2000 || s.LastYear != 2002 || s.Years != 2 {
		t.Errorf("window %d–%d, %d years; want 2000–2002, 2", s.FirstYear, s.LastYear, s.Years)
	}
	// Women 20–24: moves 4 (age 20, 2001) + 2 (23, 2001) + 2 (21, 2002) = 8;
	// persons: women aged 19–23 on 1 January 2000 (5·10) and 2001 (5·8).
	if got, want := s.Rate(20, 24, "f"), 1000*8.0/90; got != want {
		t.Errorf("women 20–24: %v, want %v", got, want)
	}
	// Men 20–24: 6 moves; 5·20 + 5·16 persons.
	if got, want := s.Rate(20, 24, "m"), 1000*6.0/180; got != want {
		t.Errorf("men 20–24: %v, want %v", got, want)
	}
	if got, want := s.Rate(20, 24, ""), 1000*14.0/270; got != want {
		t.Errorf("both 20–24: %v, want %v", got, want)
	}
	// Age 0 is divided by the persons aged 0 at the end of the year: 2 moves
	// of boys; 16 boys aged 0 on 1 January 2001 and 0 in 2002.
	if got, want := s.Rate(0, 0, "m"), 1000*2.0/16; got != want {
		t.Errorf("boys aged 0: %v, want %v", got, want)
	}
	// The open age 105: 2 moves; women aged 104 and 105 a year earlier:
	// 10+5 in 2000 and 8+8 in 2001.
	if got, want := s.Rate(105, 105, "f"), 1000*2.0/31; got != want {
		t.Errorf("women 105: %v, want %v", got, want)
	}
	// Population: 200 on 1 January 2000; 2001: 200 + 2 − 1 = 201 (moves
	// balance); 2002: 201. Moves 16 + 2 = 18.
	if got, want := s.MovesPerThousand, 1000*18.0/((200+201)/2.0+(201+201)/2.0); got != want {
		t.Errorf("moves per 1000: %v, want %v", got, want)
	}
	if s.TotalMoves != 18 {
		t.Errorf("total moves %v, want 18", s.TotalMoves)
	}
	// Same county: A↔B: 4 + 6 + 2 = 12 of 18.
	if got, want := s.SameCountyShare, 12.0/18; got != want {
		t.Errorf("same-county share %v, want %v", got, want)
	}
	// Net domestic: A +1 (2001) +2 (2002) = 3; B −5 −2 = −7; C +4. Divided
	// by the 200 residents of 2000.
	for c, want := range map[int]float64{1: 3.0 / 200, 3: -7.0 / 200, 6: 4.0 / 200} {
		if got := s.ClassShareChange[c]; math.Abs(got-want) > 1e-15 {
			t.Errorf("class %d share change %v, want %v", c, got, want)
		}
	}
	if p := s.ClassPopulation[1]; p != [2]float64{100, 104} {
		t.Errorf("class 1 population %v, want [100 104] (+1 birth, +3 net)", p)
	}
	// Distance: the mean populations on 1 January 2000 and 2001.
	popA, popB, popC := (100.0+102)/2, (50.0+45)/2, (50.0+54)/2
	pop := []float64{popA, popB, popC}
	flows := map[[2]int]float64{{0, 1}: 4, {0, 2}: 2, {1, 0}: 8, {1, 2}: 3, {2, 0}: 1} // C→B: none
	km := func(o, d int) float64 {
		r1, r2 := w.Regions[o], w.Regions[d]
		return world.GreatCircleKm(r1.Lat, r1.Lon, r2.Lat, r2.Lon)
	}
	// The least-squares line over the 5 pairs with moves, computed
	// independently with gonum/stat.
	var xs, ys, ws []float64
	for _, p := range s.Pairs {
		o, d := p.Origin, p.Destination
		if flows[[2]int{o, d}] != p.Moves {
			t.Errorf("pair %d→%d: %v moves, want %v", o, d, p.Moves, flows[[2]int{o, d}])
		}
		xs = append(xs, math.Log(km(o, d)))
		ys = append(ys, math.Log(p.Moves/(pop[o]*pop[d])))
		ws = append(ws, p.Moves)
	}
	if len(s.Pairs) != 5 {
		t.Fatalf("%d pairs, want 5", len(s.Pairs))
	}
	_, beta := stat.LinearRegression(xs, ys, ws, false)
	if math.Abs(s.DistanceExponentWLS+beta) > 1e-9 {
		t.Errorf("least-squares exponent %v, want %v", s.DistanceExponentWLS, -beta)
	}
	// PPML over all 6 pairs: at the estimate the Poisson score equations
	// hold, Σ (F − μ) = 0 and Σ (F − μ)·ln d = 0, with μ = exp(c)·P·P·d^−k.
	var s0, s1, scale float64
	for o := 0; o < 3; o++ {
		for d := 0; d < 3; d++ {
			if o == d {
				continue
			}
			x := math.Log(km(o, d))
			mu := math.Exp(s.DistanceIntercept-s.DistanceExponent*x) * pop[o] * pop[d]
			f := flows[[2]int{o, d}]
			s0 += f - mu
			s1 += (f - mu) * x
			scale += f
		}
	}
	if math.Abs(s0) > 1e-9*scale || math.Abs(s1) > 1e-9*scale || !(s.DistanceExponent > 0) {
		t.Errorf("PPML exponent %v, intercept %v: scores %g, %g, want 0", s.DistanceExponent, s.DistanceIntercept, s0, s1)
	}
	// Bands hold every pair once, with or without moves.
	n := 0
	for _, b := range s.DistanceBands {
		n += b.Pairs
	}
	if n != 6 {
		t.Errorf("distance bands hold %d pairs, want 6", n)
	}
}

// TestAccumulatorWindow counts only the second year.
func TestAccumulatorWindow(t *testing.T) {
	acc := NewAccumulator(tinyWorld(), &targets.Targets{StartYear: 2001, Years: 1})
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	s := acc.Stats()
	if s.FirstYear != 2001 || s.LastYear != 2002 || s.Years != 1 || s.TotalMoves != 2 {
		t.Errorf("window %d–%d, %d years, %v moves; want 2001–2002, 1, 2", s.FirstYear, s.LastYear, s.Years, s.TotalMoves)
	}
	if got, want := s.Rate(20, 24, "f"), 1000*2.0/40; got != want {
		t.Errorf("women 20–24: %v, want %v", got, want)
	}
	if got, want := s.ClassShareChange[3], -2.0/201; got != want {
		t.Errorf("class 3: %v, want %v", got, want)
	}
}

// TestAccumulatorEarlyWindow: a window opening before the run starts with
// the run and keeps its end.
func TestAccumulatorEarlyWindow(t *testing.T) {
	acc := NewAccumulator(tinyWorld(), &targets.Targets{StartYear: 1999, Years: 2})
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	s := acc.Stats()
	if s.FirstYear != 2000 || s.LastYear != 2001 || s.Years != 1 || s.TotalMoves != 16 || s.ClassShareChange[1] != 1.0/200 {
		t.Errorf("window %d–%d, %d years, %v moves, class 1 %v; want 2000–2001, 1, 16, 0.005",
			s.FirstYear, s.LastYear, s.Years, s.TotalMoves, s.ClassShareChange[1])
	}
}

// TestAccumulatorScaling: at weight 2 each cell is doubled before summing,
// as output writes it.
func TestAccumulatorScaling(t *testing.T) {
	run := tinyRun()
	one := NewAccumulator(tinyWorld(), nil)
	two := NewAccumulator(tinyWorld(), nil)
	for _, y := range run {
		one.Add(y)
		y.Weight = 2
		two.Add(y)
	}
	a, b := one.Stats(), two.Stats()
	if b.TotalMoves != 2*a.TotalMoves || b.MovesPerThousand != a.MovesPerThousand || b.Rate(20, 24, "") != a.Rate(20, 24, "") {
		t.Errorf("weight 2: %v moves, %v per 1000; weight 1: %v, %v", b.TotalMoves, b.MovesPerThousand, a.TotalMoves, a.MovesPerThousand)
	}
}

func TestAccumulatorOutOfOrder(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic for a record that skips a year")
		}
	}()
	acc := NewAccumulator(tinyWorld(), nil)
	run := tinyRun()
	acc.Add(run[0])
	acc.Add(run[2])
}

func TestCompareAndLoss(t *testing.T) {
	acc := NewAccumulator(tinyWorld(), nil)
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	s := acc.Stats()
	f := s.Rate(20, 24, "f")
	tg := &targets.Targets{
		AgeRates: []targets.AgeRate{
			{Lo: 20, Hi: 24, Sex: "f", PerThousand: f / 1.1, Tolerance: 0.2, Weight: 1},    // +10 %: met, loss 0.25
			{Lo: 20, Hi: 24, Sex: "m", PerThousand: 1000, Tolerance: 0.2, Weight: 2},       // far off
			{Lo: 70, Hi: 105, PerThousand: 5, Tolerance: 0.2, ReportOnly: true, Weight: 1}, // not in the loss
		},
		MovesPerThousand: &targets.Interval{Min: 0, Max: 2 * s.MovesPerThousand, Target: math.NaN(), Weight: 1},
		WomenOverMen:     &targets.AgeRange{Lo: 20, Hi: 24},
		CentralityGain: []targets.ClassShare{
			{Classes: []int{1}, Gain: true, Weight: 1},    // +1.5 pp: met
			{Classes: []int{3}, Gain: true, Weight: 1},    // −3.5 pp: missed
			{Classes: []int{6}, Gain: false, Weight: 0.5}, // +2 pp: missed
		},
	}
	rows := Compare(tg, s)
	ok, checked := Met(rows)
	// Checked: women, men, moves, women/men, three class rows (the report-only
	// rate and the untargeted same-county row are not).
	if checked != 7 || ok != 4 {
		for _, r := range rows {
			t.Logf("%+v", r)
		}
		t.Errorf("%d of %d met, want 4 of 7", ok, checked)
	}
	if r := rows[0]; !r.OK || math.Abs(r.Error-0.1) > 1e-12 {
		t.Errorf("women row %+v", r)
	}
	// A reference size adds an unchecked row after its class row: the net
	// domestic migration per 1000 (mean of the first and last population)
	// a year, against the stated size.
	size := -6.0
	tg.CentralityGain[2].PerThousand = &size
	rows = Compare(tg, s)
	if ok2, checked2 := Met(rows); ok2 != ok || checked2 != checked {
		t.Errorf("a reference size changed what is met: %d of %d", ok2, checked2)
	}
	last := rows[len(rows)-1]
	p := s.ClassPopulation[6]
	want6 := 1000 * s.ClassNetDomestic[6] / ((p[0] + p[1]) / 2) / float64(s.Years)
	if last.Checked || !last.OK || last.Target != -6 || math.Abs(last.Simulated-want6) > 1e-9 || math.Abs(last.Error-(want6+6)) > 1e-9 {
		t.Errorf("reference row %+v, want simulated %v", last, want6)
	}
	m := s.Rate(20, 24, "m")
	want := 0.25 + 2*math.Pow((m-1000)/1000/0.2, 2) + 0 + 0 +
		0 + math.Pow(3.5/100/ShareScale, 2) + 0.5*math.Pow(2.0/100/ShareScale, 2)
	if got := Loss(tg, s); math.Abs(got-want) > 1e-9 {
		t.Errorf("loss %v, want %v", got, want)
	}
	// With within, the size is checked (met when the simulated rate lies
	// within ±within of it) and adds weight · (error / within)² to the loss.
	for _, within := range []float64{math.Abs(want6+6) * 1.01, math.Abs(want6+6) * 0.99} {
		w := within
		tg.CentralityGain[2].Within = &w
		rows = Compare(tg, s)
		last = rows[len(rows)-1]
		met := within > math.Abs(want6+6)
		if !last.Checked || last.OK != met || last.Min != -6-within || last.Max != -6+within {
			t.Errorf("within %v: row %+v, want checked and OK %v", within, last, met)
		}
		ok3, checked3 := Met(rows)
		if checked3 != checked+1 || ok3 != ok+map[bool]int{true: 1}[met] {
			t.Errorf("within %v: %d of %d met, want %d of %d", within, ok3, checked3, ok+map[bool]int{true: 1}[met], checked+1)
		}
		wantLoss := want + 0.5*math.Pow((want6+6)/within, 2)
		if got := Loss(tg, s); math.Abs(got-wantLoss) > 1e-9 {
			t.Errorf("within %v: loss %v, want %v", within, got, wantLoss)
		}
	}
	// report_only: the missed class 6 row with its size becomes one
	// unchecked row (the size; the direction is in its sign), and leaves
	// the loss.
	tg.CentralityGain[2].Within = nil
	tg.CentralityGain[2].ReportOnly = true
	rows = Compare(tg, s)
	if ok4, checked4 := Met(rows); ok4 != ok || checked4 != checked-1 {
		t.Errorf("report_only: %d of %d met, want %d of %d", ok4, checked4, ok, checked-1)
	}
	if last = rows[len(rows)-1]; last.Checked || !last.OK || last.Target != -6 || !strings.Contains(last.Name, "class 6") ||
		strings.Contains(rows[len(rows)-2].Name, "class 6") {
		t.Errorf("report_only rows end %+v, %+v; want only the unchecked size row of class 6", rows[len(rows)-2], last)
	}
	if got, want := Loss(tg, s), want-0.5*math.Pow(2.0/100/ShareScale, 2); math.Abs(got-want) > 1e-9 {
		t.Errorf("report_only: loss %v, want %v (without class 6's term)", got, want)
	}
	// Without a size, a report_only row keeps its direction row, unchecked.
	tg.CentralityGain[2].PerThousand = nil
	rows = Compare(tg, s)
	if last = rows[len(rows)-1]; last.Checked || !last.OK || !strings.Contains(last.Name, "class 6") {
		t.Errorf("report_only without a size: last row %+v", last)
	}
}

// TestFromRunDirMatchesAccumulator runs the teaching world for 4 years at
// scale 0.5, writes the run folder with package output while accumulating
// the records in memory, and checks that the folder gives the same numbers.
func TestFromRunDirMatchesAccumulator(t *testing.T) {
	tg, err := targets.Load("../../targets/norway.toml")
	if err != nil {
		t.Fatal(err)
	}
	tg.Years = 3 // a window shorter than the run
	dir := filepath.Join(t.TempDir(), "run")
	_, acc := runTeaching(t, dir, 3, tg)
	mem := acc.Stats()
	disk, err := FromRunDir(dir, tg)
	if err != nil {
		t.Fatal(err)
	}
	// %v prints NaN as NaN and maps sorted, so equal texts are equal stats.
	if a, b := fmt.Sprintf("%+v", mem), fmt.Sprintf("%+v", disk); a != b {
		t.Errorf("stats differ:\nmemory %s\nfolder %s", a, b)
	}
	if mem.Years != 3 || mem.TotalMoves == 0 || math.IsNaN(mem.DistanceExponent) || mem.RCErr != "" {
		t.Errorf("window %d years, %v moves, exponent %v, RC %q", mem.Years, mem.TotalMoves, mem.DistanceExponent, mem.RCErr)
	}
	if Loss(tg, mem) != Loss(tg, disk) {
		t.Error("losses differ")
	}
}

// TestRunSummaryPeakAge: settle run's summary and settle fit give a run
// the same peak migration age when fit's window is the whole run (they
// had three different ones: the single year moving most, this, and the
// Rogers–Castro fit's).
func TestRunSummaryPeakAge(t *testing.T) {
	out, acc := runTeaching(t, filepath.Join(t.TempDir(), "run"), 5, nil)
	s, sum := acc.Stats(), out.Summary()
	if math.IsNaN(sum.PeakAge) || math.Abs(sum.PeakAge-s.PeakAge) > 1e-9 || math.Abs(1000*sum.PeakRate-s.PeakRate) > 1e-6 {
		t.Errorf("run summary: peak %.3f at %.4f per person; fit: %.3f at %.4f per 1000", sum.PeakAge, sum.PeakRate, s.PeakAge, s.PeakRate)
	}
}

// runTeaching simulates the teaching world for 4 years at scale 0.5 with
// seed, writing the run folder dir with package output and adding every
// record to an accumulator for tg; it returns both, the folder closed.
func runTeaching(t *testing.T, dir string, seed uint64, tg *targets.Targets) (*output.Run, *Accumulator) {
	t.Helper()
	w, err := world.Load("teaching", "")
	if err != nil {
		t.Fatal(err)
	}
	const scale = 0.5
	sim, err := engine.New(w, engine.Config{Seed: seed, Scale: scale, Behaviour: params.Default(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.Create(dir, w, output.Manifest{ScenarioName: "test", World: "teaching", Seed: seed, Scale: scale, StartYear: w.StartYear, Years: 4})
	if err != nil {
		t.Fatal(err)
	}
	acc := NewAccumulator(w, tg)
	y := sim.Observe()
	for i := 0; ; i++ {
		if err := out.Write(y); err != nil {
			t.Fatal(err)
		}
		acc.Add(y)
		if i == 4 {
			break
		}
		y = sim.Step()
	}
	if err := out.Close(nil); err != nil {
		t.Fatal(err)
	}
	return out, acc
}

// TestGrewUpShare: the share living where they grew up sums the last
// GrewUpRows rows of the window by the class of the region grown up in,
// is compared as a reference or, with within, checked and in the loss.
func TestGrewUpShare(t *testing.T) {
	w := tinyWorld() // classes 1, 3 and 6
	acc := NewAccumulator(w, nil)
	for y := 0; y <= 6; y++ {
		rec := &record.Year{Year: 2000 + y, Weight: 2, Population: ages(), Moves: ages(),
			Regions: make([]record.Region, 3)}
		for i := range rec.Regions {
			r := &rec.Regions[i]
			// Age 35 (index 1): 10·(i+1) grew up in region i, y+i of them
			// live there; age 25 (index 0): all 4 live there.
			r.GrewUp[1], r.LivingThere[1] = int64(10*(i+1)), int64(y+i)
			r.GrewUp[0], r.LivingThere[0] = 4, 4
		}
		acc.Add(rec)
	}
	s := acc.Stats()
	// Rows 2002…2006 (the first row, 2000, is the start; 2001 is sixth
	// from the end): region C (class 6) grew up 30 a row, living 2+y.
	if got, want := s.GrewUpShare(35, []int{6}), float64(4+5+6+7+8)/(5*30); math.Abs(got-want) > 1e-12 {
		t.Errorf("class 6 at 35: %v, want %v", got, want)
	}
	if got, want := s.GrewUpShare(35, nil), float64(3*(2+3+4+5+6)+3*5)/(5*60); math.Abs(got-want) > 1e-12 {
		t.Errorf("all at 35: %v, want %v", got, want)
	}
	if got := s.GrewUpShare(25, []int{1, 3}); got != 1 {
		t.Errorf("classes 1 and 3 at 25: %v, want 1", got)
	}
	for _, c := range []struct {
		age     int
		classes []int
	}{{45, nil}, {30, nil}, {35, []int{2}}} {
		if got := s.GrewUpShare(c.age, c.classes); !math.IsNaN(got) {
			t.Errorf("age %d, classes %v: %v, want NaN (no one counted)", c.age, c.classes, got)
		}
	}
	share := s.GrewUpShare(35, []int{6})
	tg := &targets.Targets{GrewUp: []targets.GrewUpShare{{Classes: []int{6}, Age: 35, Share: 0.35, Weight: 2}}}
	rows := Compare(tg, s)
	if r := rows[0]; r.Name != "living where they grew up at 35, class 6" || r.Checked || !r.OK || r.Simulated != share || math.Abs(r.Error-(share-0.35)) > 1e-12 {
		t.Errorf("reference row %+v", r)
	}
	if Loss(tg, s) != 0 {
		t.Errorf("a reference adds %v to the loss", Loss(tg, s))
	}
	within := 0.1
	tg.GrewUp[0].Within = &within
	if r := Compare(tg, s)[0]; !r.Checked || r.OK != (math.Abs(share-0.35) <= 0.1) || math.Abs(r.Min-0.25) > 1e-12 || math.Abs(r.Max-0.45) > 1e-12 {
		t.Errorf("checked row %+v", r)
	}
	if got, want := Loss(tg, s), 2*math.Pow((share-0.35)/0.1, 2); math.Abs(got-want) > 1e-12 {
		t.Errorf("loss %v, want %v", got, want)
	}
	// A run without grew_up.csv: not measurable, and a checked row misses.
	tg.GrewUp[0].Age = 45
	if r := Compare(tg, s)[0]; r.OK || !strings.Contains(r.Detail, "not measurable") {
		t.Errorf("row without counts %+v", r)
	}
}

// TestWomenEarlier: the women_earlier row compares the peaks of the
// women's and men's schedules (smoothed over three years of age, sought in
// the range), is met when women's comes first, and adds
// ((women's − men's) / AgeScale)² to the loss only when it does not.
func TestWomenEarlier(t *testing.T) {
	schedule := func(s *Stats, sx int, peak float64) {
		for a := range Ages {
			s.Persons[sx][a] = 1000
			s.Moves[sx][a] = 10 + 100*math.Exp(-(float64(a)-peak)*(float64(a)-peak)/18)
		}
	}
	tg := &targets.Targets{WomenEarlier: &targets.AgeRange{Lo: 18, Hi: 34}}
	for _, c := range []struct {
		f, m float64
		ok   bool
	}{{22, 25, true}, {25, 23, false}, {24, 24, false}} {
		var s Stats
		schedule(&s, Female, c.f)
		schedule(&s, Male, c.m)
		r := womenRow(t, Compare(tg, s))
		if !r.Checked || r.OK != c.ok || math.Abs(r.Simulated-(c.f-c.m)) > 0.05 {
			t.Errorf("women at %v, men at %v: %+v; want OK %v, difference %v", c.f, c.m, r, c.ok, c.f-c.m)
		}
		want := 0.0
		if d := r.Simulated; d > 0 {
			want = (d / AgeScale) * (d / AgeScale)
		}
		if got := Loss(tg, s); math.Abs(got-want) > 1e-9 {
			t.Errorf("women at %v, men at %v: loss %v, want %v", c.f, c.m, got, want)
		}
	}
	// Sought in the range: a higher peak of women outside it is not theirs.
	var s Stats
	schedule(&s, Female, 22)
	schedule(&s, Male, 25)
	s.Moves[Female][45] = 5000
	if r := womenRow(t, Compare(tg, s)); !r.OK || math.Abs(r.Simulated+3) > 0.05 {
		t.Errorf("with a spike at 45 for women: %+v", r)
	}
}

// womenRow returns the women_earlier row of rows.
func womenRow(t *testing.T, rows []Row) Row {
	t.Helper()
	for _, r := range rows {
		if strings.HasPrefix(r.Name, "women's peak age") {
			return r
		}
	}
	t.Fatalf("no women_earlier row in %+v", rows)
	return Row{}
}

// tinyStats runs tinyRun in w over the window of tg (nil: the whole run)
// and returns its statistics.
func tinyStats(w *world.World, tg *targets.Targets) Stats {
	acc := NewAccumulator(w, tg)
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	return acc.Stats()
}

// TestSameCountyByName: the counties are those world.County selects, by
// name (in any case) or code, so a user world with a county column and no
// county_code has them (fit grouped by county_code alone and found none,
// while explain --county, sweeps and compare grouped by the name). Only a
// world whose regions have no county at all, or a region without one,
// cannot measure the share, and says why; it is then missed but not in the
// loss, which a run without moves still is.
func TestSameCountyByName(t *testing.T) {
	byName := tinyWorld()
	for i, c := range []string{"Nord", "NORD", "Sør"} {
		byName.Regions[i].CountyCode, byName.Regions[i].County = "", c
	}
	// A county given its code in one row and its name alone in another.
	mixed := tinyWorld()
	mixed.Regions[0].County = "Nord"
	mixed.Regions[1].CountyCode, mixed.Regions[1].County = "", "nord"
	for name, w := range map[string]*world.World{"codes": tinyWorld(), "names": byName, "code and name": mixed} {
		// A↔B (one county): 4 + 6 + 2 = 12 of 18 moves.
		if got, want := tinyStats(w, nil).SameCountyShare, 12.0/18; got != want {
			t.Errorf("%s: same-county share %v, want %v", name, got, want)
		}
	}

	tg := &targets.Targets{SameCountyShare: &targets.Interval{Min: 0.3, Max: 0.6, Target: math.NaN(), Weight: 1}}
	none := tinyWorld()
	for i := range none.Regions {
		none.Regions[i].CountyCode = ""
	}
	oneMissing := tinyWorld()
	oneMissing.Regions[2].CountyCode = ""
	for _, c := range []struct {
		name string
		w    *world.World
		why  string
	}{
		{"no counties", none, "not measurable: the world has no counties (its regions file has neither a county nor a county_code column)"},
		{"a region without", oneMissing, "not measurable: region C has no county; give every region its county"},
	} {
		s := tinyStats(c.w, tg)
		rows := Compare(tg, s)
		if r := rows[0]; !math.IsNaN(s.SameCountyShare) || !r.Checked || r.OK || !r.WorldLacks || !strings.HasPrefix(r.Detail, c.why) {
			t.Errorf("%s: share %v, row %+v; want NaN, a miss the world lacks, %q", c.name, s.SameCountyShare, r, c.why)
		}
		if got := Loss(tg, s); got != 0 {
			t.Errorf("%s: loss %v, want 0 (no parameter can change it)", c.name, got)
		}
	}

	// A world with counties and a window without moves: not measurable in
	// the run, and penalised, as before.
	s := tinyStats(tinyWorld(), &targets.Targets{StartYear: 2005})
	if r := Compare(tg, s)[0]; r.WorldLacks || r.OK || r.Detail != "not measurable: no moves between regions in the window" {
		t.Errorf("empty window: row %+v", r)
	}
	if got := Loss(tg, s); got != MissingPenalty {
		t.Errorf("empty window: loss %v, want %v", got, float64(MissingPenalty))
	}
}

// TestClassesNotInWorld: a target of centrality classes no region of the
// world is in is not measurable in any of its rows, with that reason and
// the classes the world has; such rows are missed (when checked) but add
// nothing to the loss. They were a measured "+0.00 pp" miss (a class absent
// from the world added nothing to the sum), "the window is empty" and
// "a run without grew_up.csv?", and added 100 each to the loss.
func TestClassesNotInWorld(t *testing.T) {
	w := tinyWorld() // classes 1, 3 and 6
	size, within, share := 2.0, 1.5, 0.1
	tg := &targets.Targets{
		CentralityGain: []targets.ClassShare{
			{Classes: []int{2, 4}, Gain: true, PerThousand: &size, Within: &within, Weight: 1},
			{Classes: []int{5}, Gain: false, PerThousand: &size, ReportOnly: true, Weight: 1},
		},
		GrewUp: []targets.GrewUpShare{{Classes: []int{2}, Age: 35, Share: 0.5, Within: &share, Weight: 1}},
	}
	s := tinyStats(w, tg)
	rows := Compare(tg, s)[1:] // after the untargeted same-county share
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4: %+v", len(rows), rows)
	}
	for i, want := range []struct {
		classes string
		checked bool
	}{{"classes 2,4", true}, {"classes 2,4", true}, {"class 5", false}, {"class 2", true}} {
		r := rows[i]
		why := "not measurable: no region of the world is in " + want.classes + " (its regions are in classes 1,3,6)"
		if !math.IsNaN(r.Simulated) || !r.WorldLacks || r.Checked != want.checked || r.OK == want.checked || !strings.HasPrefix(r.Detail, why) {
			t.Errorf("row %d %+v\nwant NaN, checked %v, %q", i, r, want.checked, why)
		}
	}
	if ok, checked := Met(rows); ok != 0 || checked != 3 {
		t.Errorf("%d of %d met, want 0 of 3", ok, checked)
	}
	if got := Loss(tg, s); got != 0 {
		t.Errorf("loss %v, want 0 (no parameter can change a statistic of classes the world lacks)", got)
	}

	// A class the world has among them: measured, the absent ones adding
	// nothing.
	tg.CentralityGain[0].Classes = []int{2, 3}
	if r := Compare(tg, s)[1]; r.WorldLacks || math.Abs(r.Simulated-100*s.ClassShareChange[3]) > 1e-12 {
		t.Errorf("classes 2 and 3: %+v, want class 3's change %v pp", r, 100*s.ClassShareChange[3])
	}

	// A genuinely empty window keeps its reason and its penalty.
	tg = &targets.Targets{StartYear: 2005, CentralityGain: []targets.ClassShare{{Classes: []int{1}, Gain: true, PerThousand: &size, Within: &within, Weight: 1}}}
	s = tinyStats(w, tg)
	for _, r := range Compare(tg, s) {
		if !r.Checked {
			continue // the untargeted same-county share
		}
		if r.WorldLacks || r.OK || r.Detail != "not measurable: the window is empty" {
			t.Errorf("empty window: row %+v", r)
		}
	}
	if got := Loss(tg, s); got != 2*MissingPenalty {
		t.Errorf("empty window: loss %v, want %v", got, 2*MissingPenalty)
	}

	// A run that records no one by where they grew up says so.
	tg = &targets.Targets{GrewUp: []targets.GrewUpShare{{Classes: []int{1}, Age: 35, Share: 0.5, Within: &share, Weight: 1}}}
	s = tinyStats(w, tg)
	if r := Compare(tg, s)[1]; r.WorldLacks || r.OK || !strings.Contains(r.Detail, "a run without grew_up.csv") {
		t.Errorf("no grew-up counts: row %+v", r)
	}
}

// TestGrossRates works the gross domestic rates of tinyRun out by hand,
// and checks the rows of a [[gross_migration]] reference: shown, not
// checked, and not measurable where a code is not the world's.
func TestGrossRates(t *testing.T) {
	acc := NewAccumulator(tinyWorld(), nil)
	for _, y := range tinyRun() {
		acc.Add(y)
	}
	s := acc.Stats()
	// Residents on 1 January 2000 and 2001: A 100 and 102 (+2 −1 +7 −6),
	// B 50 and 45, C 50 and 54. Moves in: A 7 + 2, B 4, C 5; out: A 6,
	// B 9 + 2, C 1.
	in, out, why := s.GrossRates([]string{"A", "B"})
	if why != "" || in != 1000*13.0/297 || out != 1000*17.0/297 {
		t.Errorf("A and B: in %v, out %v (%s); want %v and %v", in, out, why, 1000*13.0/297, 1000*17.0/297)
	}
	if in, out, _ := s.GrossRates([]string{"C"}); in != 1000*5.0/104 || out != 1000*1.0/104 {
		t.Errorf("C: in %v, out %v; want %v and %v", in, out, 1000*5.0/104, 1000*1.0/104)
	}
	for codes, want := range map[string]string{"C X": "the world has no region X;", "X Y C": "the world has no regions X and 1 more;"} {
		in, out, why := s.GrossRates(strings.Fields(codes))
		if !math.IsNaN(in) || !math.IsNaN(out) || !strings.HasPrefix(why, want) {
			t.Errorf("%s: %v, %v, %q; want NaN and %q", codes, in, out, why, want)
		}
	}
	tg := &targets.Targets{Gross: []targets.GrossMigration{
		{Name: "A and B", Regions: []string{"A", "B"}, In: 40, Out: 50},
		{Name: "X", Regions: []string{"X"}, In: 30, Out: 30},
	}}
	rows := Compare(tg, s)
	if ok, checked := Met(rows); checked != 0 || ok != 0 || len(rows) < 4 {
		t.Fatalf("%d rows, %d of %d checked met; want 4 reference rows, none checked", len(rows), ok, checked)
	}
	byID := map[string]Row{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	r := byID["gross_migration.1.in"]
	if r.Name != "moves in per 1000, A and B" || r.Target != 40 || r.Simulated != 1000*13.0/297 ||
		math.Abs(r.Error-(1000*13.0/297-40)/40) > 1e-12 || r.Checked || !r.OK {
		t.Errorf("in row %+v", r)
	}
	if r := byID["gross_migration.2.out"]; !math.IsNaN(r.Simulated) || !r.WorldLacks || !strings.Contains(r.Detail, "no region X") {
		t.Errorf("row of a region not in the world: %+v", r)
	}
	if l := Loss(tg, s); l != 0 {
		t.Errorf("loss %g of references, want 0", l)
	}
	// Checked within ±5 per 1000: in (43.8 against 40) is met, out (57.2
	// against 50) is not; each rate is a term ((sim − target)/within)².
	five := 5.0
	tg.Gross[0].Within, tg.Gross[0].Weight = &five, 2
	tg.Gross = tg.Gross[:1]
	rows = Compare(tg, s)
	if ok, checked := Met(rows); checked != 2 || ok != 1 {
		t.Errorf("%d of %d checked rows met, want 1 of 2", ok, checked)
	}
	in, out, _ = s.GrossRates([]string{"A", "B"})
	want := 2*math.Pow((in-40)/5, 2) + 2*math.Pow((out-50)/5, 2)
	if l := Loss(tg, s); math.Abs(l-want) > 1e-12 {
		t.Errorf("loss %g, want %g", l, want)
	}
}

// TestLivingShare works the living arrangements of tinyRun out by hand:
// counted rows only (the start row's are left out), each age group once,
// by sex; and the rows and loss terms of [[living_arrangement]] targets.
func TestLivingShare(t *testing.T) {
	run := tinyRun()
	const f, m = 0, 1
	g2024, g2529, g6779 := record.LivingAge(22), record.LivingAge(27), record.LivingAge(70)
	run[0].Living = make([]record.Living, 3)
	run[0].Living[0][f][g2024][record.LivingCouple] = 100 // the start row: not counted
	run[1].Living = make([]record.Living, 3)
	a, c := &run[1].Living[0], &run[1].Living[2]
	a[f][g2024][record.LivingCouple], a[f][g2024][record.LivingAlone] = 3, 1
	a[m][g2024][record.LivingCouple], a[m][g2024][record.LivingWithParents] = 2, 2
	c[f][g2529][record.LivingAlone] = 4
	c[m][g6779][record.LivingAlone], c[m][g6779][record.LivingCouple] = 1, 3
	run[2].Living = make([]record.Living, 3)
	b := &run[2].Living[1]
	b[f][g2024][record.LivingCouple], b[f][g2024][record.LivingAlone] = 1, 3

	acc := NewAccumulator(tinyWorld(), nil)
	for _, y := range run {
		acc.Add(y)
	}
	s := acc.Stats()
	if s.LivingRows != 2 {
		t.Errorf("%d rows of living arrangements, want 2", s.LivingRows)
	}
	// Aged 20–29: 16 adults over the two rows, 6 in a couple; women 12, 8
	// of them alone; men 67+: 4, 1 alone; nobody aged 30–66.
	for _, c := range []struct {
		lo, hi      int
		sex, living string
		want        float64
	}{{20, 29, "", "couple", 6.0 / 16}, {20, 24, "", "couple", 6.0 / 12}, {20, 29, "f", "alone", 8.0 / 12},
		{20, 29, "m", "with_parents", 2.0 / 4}, {67, world.MaxAge, "m", "alone", 1.0 / 4}, {30, 66, "", "couple", math.NaN()}} {
		got := s.LivingShare(c.lo, c.hi, c.sex, c.living)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%d-%d %q %s: %v, want %v", c.lo, c.hi, c.sex, c.living, got, c.want)
		}
	}

	within := 0.05
	tg := &targets.Targets{Living: []targets.LivingShare{
		{Lo: 20, Hi: 29, Living: "couple", Share: 0.3, Within: &within, Weight: 2},
		{Lo: 67, Hi: world.MaxAge, Sex: "m", Living: "alone", Share: 0.24, Weight: 1},
		{Lo: 30, Hi: 66, Living: "couple", Share: 0.67, Within: &within, Weight: 1},
	}}
	rows := Compare(tg, s)
	byID := map[string]Row{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	if r := byID["living_arrangement.20-29.couple"]; r.Name != "adults in a couple, 20-29" || !r.Checked || r.OK || r.Simulated != 6.0/16 || r.Min != 0.25 || r.Max != 0.35 {
		t.Errorf("checked row %+v; want 0.375 against 0.25-0.35, not met", r)
	}
	if r := byID["living_arrangement.67+.alone.m"]; r.Name != "adults living alone, 67+, men" || r.Checked || !r.OK || r.Simulated != 0.25 {
		t.Errorf("reference row %+v", r)
	}
	if r := byID["living_arrangement.30-66.couple"]; !r.Checked || r.OK || !math.IsNaN(r.Simulated) || !strings.HasPrefix(r.Detail, "not measurable") {
		t.Errorf("row of an age group nobody is in %+v; want not measurable and not met", r)
	}
	if ok, checked := Met(rows); checked != 2 || ok != 0 {
		t.Errorf("%d of %d checked rows met, want 0 of 2", ok, checked)
	}
	want := 2*math.Pow((6.0/16-0.3)/0.05, 2) + MissingPenalty
	if l := Loss(tg, s); math.Abs(l-want) > 1e-9 {
		t.Errorf("loss %g, want %g", l, want)
	}
}
