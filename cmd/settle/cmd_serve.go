package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/settle-sim/settle/sim/output"
	"github.com/settle-sim/settle/sim/scenario"
	"github.com/settle-sim/settle/sim/synth"
	"github.com/settle-sim/settle/sim/world"
	"github.com/settle-sim/settle/web"
)

func init() {
	register(command{"serve", "the web app for classrooms and meetings: run scenarios in a browser and watch the map", cmdServe})
}

const serveHelpHead = `Usage: settle serve [flags]

Serves the Settle web app: a map of Norway's municipalities (or of the
teaching world) that animates year by year as a simulation runs on this
machine, with charts, a scenario panel with the interventions, baseline
comparison and a teaching mode. Open the address it prints in a browser.
Everything the page needs is in the binary; nothing is fetched from the
internet. It reads only the *.toml scenario files of the scenarios folder
(and of its subfolders, one level down).

At most --max-runs simulations run at once; further users wait in a queue
and see their place in it. A simulation stops when its page is closed.
Ctrl-C stops the server.

By default only this machine can connect (127.0.0.1). To let a classroom
connect, give an address on the network, e.g. --addr 0.0.0.0:8080: then
anyone who can reach it can run simulations (within the limits below).

Flags:
`

// serveOptions are the options of settle serve.
type serveOptions struct {
	Addr       string
	Scenarios  string
	MaxRuns    int
	MaxQueue   int
	MaxPersons int
	MaxYears   int
	Workers    int
	Quiet      bool

	// ready, when set, is called with the address listened on once the
	// server accepts connections (tests listen on port 0).
	ready func(addr string)
}

func serveFlags(opts *serveOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (default 127.0.0.1:8080, this machine only; port 0 picks a free one)")
	fs.StringVar(&opts.Scenarios, "scenarios", "scenarios", "the `DIR` whose *.toml scenario files (and those one folder down) the app may load (default scenarios; \"\" for none)")
	fs.IntVar(&opts.MaxRuns, "max-runs", 2, "run at most `N` simulations at once (default 2)")
	fs.IntVar(&opts.MaxQueue, "max-queue", 20, "let at most `N` users wait for a free slot (default 20); more are told to try later")
	fs.IntVar(&opts.MaxPersons, "max-persons", web.DefaultMaxPersons, "the largest population `N` a user may simulate (default 1200000: Norway\nat scale 0.216, about 0.1 s a simulated year on two cores; the teaching world whole)")
	fs.IntVar(&opts.MaxYears, "max-years", 50, "the longest run a user may ask for, `N` years (default 50)")
	fs.IntVar(&opts.Workers, "workers", 0, "`N` goroutines per simulation (default: the CPUs divided among the\n--max-runs simulations, here "+strconv.Itoa(max(1, runtime.NumCPU()/2))+"); the results are the same for any N")
	fs.BoolVar(&opts.Quiet, "quiet", false, "print only the address and errors, not every run")
	return fs
}

func serveHelp() string {
	var o serveOptions
	return serveHelpHead + flagsHelp(serveFlags(&o), "addr", "scenarios", "max-runs", "max-queue", "max-persons", "max-years", "workers", "quiet") + "\n" + exitCodesNoRun
}

func parseServe(args []string, stdout io.Writer) (serveOptions, error) {
	var opts serveOptions
	fs := serveFlags(&opts)
	pos, err := parseArgs(fs, args, serveHelp(), stdout)
	if err != nil {
		return opts, err
	}
	if len(pos) > 0 {
		return opts, usagef("settle serve takes no arguments, got %q; a scenario is loaded in the page (files from --scenarios)", pos)
	}
	return opts, opts.check()
}

// check validates the options (usage errors).
func (o *serveOptions) check() error {
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return usagef("--addr %q: give HOST:PORT, e.g. --addr 127.0.0.1:8080 (this machine only) or --addr 0.0.0.0:8080 (the network)", o.Addr)
	}
	if o.MaxRuns < 1 || o.MaxRuns > 64 {
		return usagef("--max-runs %d: give 1 to 64 simulations at once", o.MaxRuns)
	}
	if o.MaxQueue < 0 || o.MaxQueue > 10000 {
		return usagef("--max-queue %d: give 0 to 10000 waiting users", o.MaxQueue)
	}
	if least, name, scale := minServePersons(); o.MaxPersons < least {
		return usagef("--max-persons %d: give %d to 100000000 simulated persons (fewer cannot run %s even at the smallest scale it takes, %g)",
			o.MaxPersons, least, name, scale)
	} else if o.MaxPersons > 100_000_000 {
		return usagef("--max-persons %d: give %d to 100000000 simulated persons (Norway whole is 5550203)", o.MaxPersons, least)
	}
	if o.MaxYears < 1 || o.MaxYears > scenario.MaxYears {
		return usagef("--max-years %d: give 1 to %d years", o.MaxYears, scenario.MaxYears)
	}
	if o.Workers < 0 || o.Workers > maxWorkers {
		return workersError(o.Workers)
	}
	return nil
}

func cmdServe(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
	opts, err := parseServe(args, stdout)
	if err != nil {
		return err
	}
	return runServe(ctx, opts, stdout, stderr)
}

// runServe serves the web app until ctx is done (Ctrl-C), then stops the
// running simulations and returns nil.
func runServe(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) error {
	if err := opts.check(); err != nil {
		return err
	}
	p := newPrinter(stdout, stderr, false)
	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		if opts.Quiet {
			return
		}
		logMu.Lock()
		defer logMu.Unlock()
		p.Printf("%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	host, _, _ := net.SplitHostPort(opts.Addr)
	loopback := host == "localhost" || (net.ParseIP(host) != nil && net.ParseIP(host).IsLoopback())
	srv, err := web.New(web.Options{
		ScenariosDir: opts.Scenarios,
		MaxRuns:      opts.MaxRuns,
		MaxQueue:     opts.MaxQueue,
		Limits:       web.Limits{MaxPersons: opts.MaxPersons, MaxYears: opts.MaxYears},
		Workers:      opts.Workers,
		LoopbackOnly: loopback,
		Logf:         logf,
		ShuttingDown: ctx.Done(),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w; pick another port with --addr, e.g. --addr 127.0.0.1:8081", opts.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second, // the body; responses stream for as long as a run takes
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// Handlers' contexts end with ctx, so Ctrl-C stops running simulations.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	addr := ln.Addr().String()
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		// Listening on every address: name this machine by its network
		// addresses, which a classroom's devices reach without a name
		// server (they often cannot resolve its host name).
		urls := web.URLs(ln.Addr()) // localhost first, then the network's
		if len(urls) > 1 {
			p.Resultf("settle serve: open %s in a browser on this network, or %s here (Ctrl-C stops)\n", strings.Join(urls[1:], " or "), urls[0])
		} else {
			p.Resultf("settle serve: open %s here; this machine has no network address (Ctrl-C stops)\n", urls[0])
		}
	} else {
		p.Resultf("settle serve: open http://%s in a browser (Ctrl-C stops)\n", addr)
	}
	if !loopback {
		p.Errorf("note: listening on %s: anyone who can reach it can run simulations (at most %d at once, of at most %s persons)", addr, opts.MaxRuns, output.Group(int64(opts.MaxPersons)))
	}
	if opts.ready != nil {
		opts.ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		hs.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logf("stopped")
	return nil
}

// minServePersons is the least --max-persons: enough for the smallest
// scale every embedded world takes (synth.MinScale; below it the one
// person every region keeps would overstate the population), so that the
// server can run each of them at all; with the world that needs it and
// that scale.
func minServePersons() (least int, name string, scale float64) {
	least = 1000
	for _, e := range world.Embedded() {
		w, err := world.Load(e.Name, "")
		if err != nil {
			continue
		}
		x := synth.MinScale(w)
		if n := int(math.Ceil(x * float64(w.Population()))); n > least {
			least, name, scale = n, e.Name, x
		}
	}
	return least, name, scale
}
