// Package engine runs the simulation: it synthesises the population of a
// world, then advances it one year at a time through the eight steps of
// MODEL.md, in parallel and deterministically (the same scenario and seed
// give the same results for any number of workers).
//
// Start with New, then call Step once per simulated year.
package engine

import (
	"github.com/settle-sim/settle/sim/intervention"
	"github.com/settle-sim/settle/sim/params"
	"github.com/settle-sim/settle/sim/state"
)

// Config is what a simulation needs besides the world. A scenario.Scenario
// provides it (Scenario.Config).
type Config struct {
	Seed          uint64
	Scale         float64 // 0 < Scale ≤ 1: the sampled share of the population
	StartYear     int     // 0 = the world's start year
	Behaviour     params.Params
	Interventions []intervention.Spec
	// Projection names the national projection whose fertility, life
	// expectancy and net migration the run follows year by year
	// (world.Projections; "" = world.DefaultProjection, "constant" holds
	// the world's rates).
	Projection string
	// Workers is the number of goroutines (at most MaxWorkers); 0 =
	// runtime.NumCPU(). It never
	// changes the results.
	Workers int
}

// MaxWorkers is the most goroutines a simulation takes (Config.Workers).
const MaxWorkers = state.MaxWorkers
