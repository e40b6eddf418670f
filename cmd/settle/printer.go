package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// printer is the one way settle writes to the terminal. Results and
// summaries go to stdout, errors and progress to stderr. Quiet drops
// everything but errors and the one line that says where results are.
// Progress (a spinner, a bar) is drawn only when stderr is a terminal and
// the printer is not quiet, so pipes and logs never see control codes.
type printer struct {
	stdout, stderr io.Writer
	quiet          bool
	progress       bool
}

func newPrinter(stdout, stderr io.Writer, quiet bool) *printer {
	p := &printer{stdout: stdout, stderr: stderr, quiet: quiet}
	if f, ok := stderr.(*os.File); ok && !quiet {
		p.progress = term.IsTerminal(int(f.Fd()))
	}
	return p
}

// Printf writes to stdout unless quiet.
func (p *printer) Printf(format string, args ...any) {
	if !p.quiet {
		fmt.Fprintf(p.stdout, format, args...)
	}
}

// Stdout is where tables go: stdout, or io.Discard when quiet.
func (p *printer) Stdout() io.Writer {
	if p.quiet {
		return io.Discard
	}
	return p.stdout
}

// Resultf writes to stdout even when quiet: what a script needs (where the
// results are).
func (p *printer) Resultf(format string, args ...any) {
	fmt.Fprintf(p.stdout, format, args...)
}

// Errorf writes a line to stderr, always.
func (p *printer) Errorf(format string, args ...any) {
	fmt.Fprintf(p.stderr, format+"\n", args...)
}

// Phase shows a spinner with desc on a terminal until the returned function
// is called.
func (p *printer) Phase(desc string) (done func()) {
	if !p.progress {
		return func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(p.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
	)
	bar.RenderBlank()
	return func() { bar.Finish() }
}

// progressBar counts finished steps (years) on a terminal, with their rate
// in its description once the first is done (the library's own rate read
// "0 years/hr" until then).
type progressBar struct {
	bar        *progressbar.ProgressBar
	desc, unit string
	start      time.Time
	done       int // steps added since start (Skip's not counted)
}

// Bar starts a bar of n steps, or an invisible one when there is no
// terminal.
func (p *printer) Bar(n int, desc, unit string) *progressBar {
	if !p.progress || n <= 0 {
		return &progressBar{}
	}
	bar := progressbar.NewOptions(n,
		progressbar.OptionSetWriter(p.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(50*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	bar.RenderBlank()
	return &progressBar{bar: bar, desc: desc, unit: unit, start: time.Now()}
}

// Add counts one more step.
func (b *progressBar) Add() {
	if b.bar == nil {
		return
	}
	b.done++
	b.bar.Add(1)
	b.bar.Describe(b.desc + ", " + rateText(b.done, time.Since(b.start), b.unit))
}

// Skip moves the bar on by n steps done before it started (a resumed
// sweep's), which its rate leaves out.
func (b *progressBar) Skip(n int) {
	if b.bar != nil && n > 0 {
		b.bar.Add(n)
	}
}

// rateText is n steps in d as a rate with three digits: per second, or per
// minute or hour when that is below one.
func rateText(n int, d time.Duration, unit string) string {
	r := float64(n) / max(d.Seconds(), 1e-9)
	switch {
	case r >= 1:
		return fmt.Sprintf("%.3g %s/s", r, unit)
	case r*60 >= 1:
		return fmt.Sprintf("%.3g %s/min", r*60, unit)
	}
	return fmt.Sprintf("%.3g %s/hr", r*3600, unit)
}

// Done removes the bar, finished or not.
func (b *progressBar) Done() {
	if b.bar == nil {
		return
	}
	if !b.bar.IsFinished() {
		b.bar.Clear()
		b.bar.Exit()
	}
}
