// Package web is the browser app of `settle serve`: a single page, embedded
// in the binary (web/static: hand-written HTML, CSS and JavaScript, no
// build step, no CDN), that runs simulations on the server and shows them
// as they happen, for classrooms and policy meetings.
//
// Start with New, which returns a Server (an http.Handler). The page asks
// the JSON API for the worlds, the intervention catalogue (from
// sim/intervention) and each world's map (NewMap: Norway's municipal
// borders simplified for the screen, or invented Voronoi cells for a world
// without borders). Pressing Run posts a Spec; the server turns it into
// scenario TOML and checks it with sim/scenario exactly as `settle run`
// would, waits for a slot in its Queue (a bounded number of simulations at
// once, the rest waiting first come, first served, told their place), then
// streams one Frame per simulated year as Server-Sent Events. A simulation
// stops when its page goes away: the request's context ends.
//
// Nothing is read from disk but the *.toml files of Options.ScenariosDir,
// through an os.Root.
package web
