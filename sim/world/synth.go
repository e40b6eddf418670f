package world

import (
	"math"
)

// This file synthesises what the regional data lacks. Every method is
// deterministic and documented with its source or reasoning; each works
// from the region's centrality, its population, its area and the travel
// matrix, so it applies to user worlds as well as to Norway.

// centralityThresholds are the lowest centrality index of classes 1–5
// (class 6 is below the last). They are read off the 2024 data: SSB's
// classes 1–6 in municipalities-2024.csv span 940–1000, 870–923, 775–867,
// 670–774, 567–669 and 293–564.
var centralityThresholds = [5]float64{940, 870, 775, 670, 567}

// Centrality derivation from reachable population, for worlds without SSB
// indices. SSB's index weighs the jobs and services reachable within 90
// minutes, most of all those within 60; the population within 60 minutes
// (P60) is the simplest proxy. The index is linear in its logarithm,
//
//	index = centralitySlope·ln(P60) + centralityIntercept,
//
// clamped to [0, 1000]: 164 index points per tenfold population. The
// coefficients are a least-squares fit on Norway's 357 municipalities with
// the estimated travel times; the classes it implies equal SSB's for 193 of
// them and are within one class for 345 (a test keeps this).
const (
	centralityReachMinutes = 60
	centralitySlope        = 71.3
	centralityIntercept    = -130.9
)

// peripheryIndex is the typical centrality index of the least central
// class: about the median of Norway's class 6 (indices 293–564). The
// synthesised attributes interpolate between it and index 1000.
const peripheryIndex = 450

// Reach radii used by the synthesis.
const (
	// CommuteMinutes is the one-way travel time of a labour-market region
	// (MODEL.md: an accepted commute of about 45–60 minutes; 45 minutes by
	// car is the usual yardstick in Norwegian regional statistics, as in
	// "jobs within 45 minutes").
	CommuteMinutes = 45
	// serviceMinutes is the reach of everyday services (shops, doctors,
	// kindergartens): half an hour.
	serviceMinutes = 30
)

// Commuting model used for JobsPerWorker. A share jobsLocal of each
// region's employed residents hold jobs that serve the local population
// wherever it lives (schools, kindergartens, primary health and care, local
// shops: education, health and social work and retail employ about 40 % in
// Norway, SSB employment by industry, but much of it concentrates in
// centres too; a quarter is taken as tied to residents). The rest work in
// region j within CommuteMinutes (their own region always included, at its
// internal travel time) with probability proportional to
// Pop_j^(1+jobsAgglomeration) · exp(−t/jobsDecayMinutes): the exponent
// concentrates jobs in the larger places of a labour market, as
// agglomeration economies do. The constants reproduce that about a third
// of the employed work outside their municipality of residence (SSB
// commuting statistics, table 03321: about a third in recent years; the
// model gives 0.32 for Norway) and about 1.3 jobs per employed resident in Oslo.
const (
	jobsLocal         = 0.25
	jobsAgglomeration = 0.45
	jobsDecayMinutes  = 40.0
)

// synthesise fills the fields of every region that the data lacks. The
// travel matrix must be final.
func synthesise(w *World) {
	n := w.N()
	pop := make([]float64, n)
	for i := range w.Regions {
		pop[i] = math.Max(float64(w.Regions[i].Population), 1)
	}
	fillCentrality(w)

	p30 := w.ReachablePopulation(serviceMinutes)

	// Normalised centrality u in [0, 1]: 1 at index 1000, 0 at and below
	// peripheryIndex. Used by several attributes below.
	u := make([]float64, n)
	for i := range w.Regions {
		u[i] = clamp01((w.Regions[i].CentralityIndex - peripheryIndex) / (1000 - peripheryIndex))
	}

	setAgeShift(w, u, pop)
	setEducationBias(w, u, pop)
	setPriceIndex(w, u, pop)
	for i := range w.Regions {
		w.Regions[i].DwellingsPerHH = 1 + vacancyShare(u[i])
	}
	setJobsPerWorker(w, pop)
	setAmenities(w, u, pop, p30)
}

// fillCentrality completes missing centrality: an index from the population
// within 60 minutes (see centralitySlope), clamped into the band of a
// given class; a class from the index by centralityThresholds.
func fillCentrality(w *World) {
	var p60 []float64
	for i := range w.Regions {
		r := &w.Regions[i]
		if !math.IsNaN(r.CentralityIndex) {
			if r.Centrality == 0 {
				r.Centrality = CentralityClass(r.CentralityIndex)
			}
			continue
		}
		if p60 == nil {
			p60 = w.ReachablePopulation(centralityReachMinutes)
		}
		idx := CentralityIndexFromReach(p60[i])
		if r.Centrality != 0 {
			lo, hi := classBand(r.Centrality)
			idx = math.Min(math.Max(idx, lo), hi)
		}
		r.CentralityIndex = idx
		if r.Centrality == 0 {
			r.Centrality = CentralityClass(idx)
			w.DerivedClasses++
		}
	}
}

// CentralityIndexFromReach returns the centrality index (0–1000) derived
// from the population reachable within 60 minutes (see centralitySlope).
func CentralityIndexFromReach(p60 float64) float64 {
	v := centralitySlope*math.Log(math.Max(p60, 1)) + centralityIntercept
	return math.Round(math.Min(math.Max(v, 0), 1000))
}

// CentralityClass returns the SSB centrality class (1–6) of an index.
func CentralityClass(index float64) int {
	for k, t := range centralityThresholds {
		if index >= t {
			return k + 1
		}
	}
	return 6
}

// classBand returns the index range of a class.
func classBand(class int) (lo, hi float64) {
	hi = 1000
	if class > 1 {
		hi = centralityThresholds[class-2] - 1
	}
	lo = 0
	if class < 6 {
		lo = centralityThresholds[class-1]
	}
	return lo, hi
}

// setAgeShift sets Region.AgeShift, the years by which the national age
// structure is shifted in the region: peripheral municipalities are older.
// SSB 07459 gives a median age of about 36 in Oslo against 40 nationally
// and 47–52 in many of the least central municipalities, where the young
// have moved out. The shift is interpolated linearly on the centrality
// index from −3 years at index 1000 to +6 at the typical class-6 index
// (u = 0, clamped below), then the population-weighted mean is subtracted
// so that the regions together keep the national structure.
func setAgeShift(w *World, u, pop []float64) {
	raw := make([]float64, len(u))
	for i := range u {
		raw[i] = 6 - 9*u[i]
	}
	m := weightedMean(raw, pop)
	for i := range w.Regions {
		w.Regions[i].AgeShift = raw[i] - m
	}
}

// setEducationBias sets Region.EducationBias, the multiplier on the
// national higher-education shares. SSB table 09429 (2023) gives about
// 55 % with higher education among residents 16+ in Oslo, 37 % nationally
// and 22–27 % in many of the least central municipalities; the large
// cities stand out above their centrality, and campus towns above their
// size (Tromsø, Sogndal, Volda, Ås). The raw bias is
// exp(0.4·u + 0.1·max(0, ln(pop/20,000)) + 2·min(s, 0.2)), with u the
// normalised centrality and s the study places per resident, normalised to
// a population-weighted mean of 1: Oslo gets about 1.5 and the least
// central class about 0.65.
func setEducationBias(w *World, u, pop []float64) {
	raw := make([]float64, len(u))
	for i := range u {
		s := float64(w.Regions[i].StudyPlaces) / pop[i]
		raw[i] = math.Exp(0.4*u[i] + 0.1*math.Max(0, math.Log(pop[i]/20000)) + 2*math.Min(s, 0.2))
	}
	m := weightedMean(raw, pop)
	for i := range w.Regions {
		w.Regions[i].EducationBias = raw[i] / m
	}
}

// setPriceIndex sets Region.PriceIndex, the dwelling price level. SSB's
// prices of used dwellings (table 06035, 2023) are about 2.4 times the
// national level in Oslo, 1.3–1.5 in the other large cities and below half
// of it in the least central municipalities: prices rise with centrality
// and, above the size of a small town, with the size of the local housing
// market. The raw index is exp(0.55·u + 0.33·max(0, ln(pop/20,000))),
// normalised to a population-weighted mean of 1.
func setPriceIndex(w *World, u, pop []float64) {
	raw := make([]float64, len(u))
	for i := range u {
		raw[i] = math.Exp(0.55*u[i] + 0.33*math.Max(0, math.Log(pop[i]/20000)))
	}
	m := weightedMean(raw, pop)
	for i := range w.Regions {
		w.Regions[i].PriceIndex = raw[i] / m
	}
}

// vacancyShare returns the share of dwellings without a resident household
// at normalised centrality u: about 4 % in the most central municipalities
// and 10 % in the least central, where dwellings are left by out-movers and
// kept as holiday homes (SSB dwelling statistics: roughly 8 % of dwellings
// have no registered resident nationally, more in the periphery).
func vacancyShare(u float64) float64 { return 0.10 - 0.06*u }

// setJobsPerWorker sets Region.JobsPerWorker with the commuting model
// described at jobsLocal: jobs located in j per employed resident of j.
// Regional centres get more than 1 (in-commuting), their suburbs less than
// 1, isolated regions 1. The national total of jobs equals the national
// total of workers by construction.
func setJobsPerWorker(w *World, pop []float64) {
	jobs, _ := commuteModel(w, pop)
	for j := range w.Regions {
		w.Regions[j].JobsPerWorker = jobs[j] / pop[j]
	}
}

// commuteModel returns the workers' jobs located in each region (in units
// of residents) and the share of workers who work outside their region
// under the model described at jobsLocal. Cost O(n²).
func commuteModel(w *World, pop []float64) (jobs []float64, outShare float64) {
	n := w.N()
	attract := make([]float64, n)
	for j := range attract {
		attract[j] = math.Pow(pop[j], 1+jobsAgglomeration)
	}
	jobs = make([]float64, n)
	wt := make([]float64, n)
	out, total := 0.0, 0.0
	for i := 0; i < n; i++ {
		row := w.Minutes[i*n : (i+1)*n]
		sum := 0.0
		for j, t := range row {
			wt[j] = 0
			if t <= CommuteMinutes || j == i {
				wt[j] = attract[j] * math.Exp(-float64(t)/jobsDecayMinutes)
				sum += wt[j]
			}
		}
		mobile := (1 - jobsLocal) * pop[i]
		for j := range row {
			if wt[j] > 0 {
				jobs[j] += mobile * wt[j] / sum
			}
		}
		jobs[i] += jobsLocal * pop[i]
		out += mobile * (1 - wt[i]/sum)
		total += pop[i]
	}
	return jobs, out / total
}

// CommuterShare returns the share of employed residents who work outside
// their own region under the commuting model behind JobsPerWorker, for
// checking it against SSB's figure of about a third. Cost O(n²).
func (w *World) CommuterShare() float64 {
	pop := make([]float64, w.N())
	for i := range w.Regions {
		pop[i] = math.Max(float64(w.Regions[i].Population), 1)
	}
	_, s := commuteModel(w, pop)
	return s
}

// setAmenities sets Region.Amenities, each a score in [0, 1]:
//   - Broadband: 0.85 in the least central to 0.99 in the most central
//     (Nkom's broadband coverage surveys: well over 90 % of households
//     nationally can get 100 Mbit/s or more, fewer in sparsely settled
//     areas).
//   - Services: half centrality, half the log of the population within 30
//     minutes relative to the world's range (more services where more
//     people can reach them).
//   - Culture: half the log of the region's population, half the log of the
//     population within 30 minutes, relative to the world's range (culture
//     and urban life scale with the local market).
//   - Nature: high in the periphery and in large municipalities: 0.6·(1 − u)
//     plus 0.4·the log of the area relative to the world's range.
//   - Centre: the log of the region's population relative to the world's
//     range (a town centre needs a town).
func setAmenities(w *World, u, pop, p30 []float64) {
	n := w.N()
	lp := make([]float64, n)
	l30 := make([]float64, n)
	la := make([]float64, n)
	for i := range w.Regions {
		lp[i] = math.Log(pop[i])
		l30[i] = math.Log(math.Max(p30[i], 1))
		area := w.Regions[i].AreaKm2
		if area <= 0 {
			// Unknown area: the disc implied by the internal travel time.
			km := (float64(w.Minutes[i*n+i]) * RoadSpeedKmh / 60 / DetourFactor) / internalDistanceFactor
			area = km * km
		}
		la[i] = math.Log(math.Max(area, 1))
	}
	rp, r30, ra := rescale(lp), rescale(l30), rescale(la)
	for i := range w.Regions {
		w.Regions[i].Amenities = Amenities{
			Broadband: 0.85 + 0.14*u[i],
			Services:  clamp01(0.5*u[i] + 0.5*r30[i]),
			Culture:   clamp01(0.5*rp[i] + 0.5*r30[i]),
			Nature:    clamp01(0.6*(1-u[i]) + 0.4*ra[i]),
			Centre:    clamp01(rp[i]),
		}
	}
}

// rescale maps x linearly onto [0, 1] over its range (all 0.5 if constant).
func rescale(x []float64) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	out := make([]float64, len(x))
	for i, v := range x {
		if hi > lo {
			out[i] = (v - lo) / (hi - lo)
		} else {
			out[i] = 0.5
		}
	}
	return out
}

func weightedMean(x, w []float64) float64 {
	s, t := 0.0, 0.0
	for i := range x {
		s += x[i] * w[i]
		t += w[i]
	}
	return s / t
}

func clamp01(x float64) float64 { return math.Min(math.Max(x, 0), 1) }
