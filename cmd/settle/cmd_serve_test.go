package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--addr", "8080"}, "give HOST:PORT"},
		{[]string{"--max-runs", "0"}, "--max-runs 0"},
		{[]string{"--max-queue", "-1"}, "--max-queue -1"},
		{[]string{"--max-persons", "10"}, "--max-persons 10"},
		// Below what Norway needs at its smallest scale (it was allowed, and
		// then no scale the server offered was accepted).
		{[]string{"--max-persons", "2000"}, "--max-persons 2000: give 2776 to 100000000 simulated persons (fewer cannot run norway-2024 even at the smallest scale it takes, 0.0005"},
		{[]string{"--max-years", "500"}, "give 1 to 200 years"},
		{[]string{"--workers", "-2"}, "--workers -2"},
		{[]string{"scenarios/rogfast.toml"}, "takes no arguments"},
		{[]string{"--max-run", "2"}, "did you mean --max-runs"},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), append([]string{"serve"}, c.args...), nil, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.msg) {
			t.Errorf("settle serve %v: exit %d, %q; want %d and %q", c.args, code, stderr.String(), exitUsage, c.msg)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"serve", "--help"}, nil, &stdout, &stderr); code != exitOK ||
		!strings.Contains(stdout.String(), "--max-runs N") || !strings.Contains(stdout.String(), "Exit codes") {
		t.Errorf("settle serve --help: exit %d\n%s", code, stdout.String())
	}
	stdout.Reset()
	runMain(context.Background(), []string{"--help"}, nil, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "  serve ") {
		t.Errorf("settle --help does not list serve:\n%s", stdout.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe starts the server on a free loopback port, fetches the page
// and the API, and stops it as Ctrl-C would.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts, err := parseServe([]string{"--addr", "127.0.0.1:0", "--scenarios", "../../scenarios"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	opts.ready = func(addr string) { addrc <- addr }
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, opts, &stdout, &stderr) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("runServe: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not start")
	}
	for _, path := range []string{"/", "/api/status", "/api/scenarios/rogfast.toml", "/static/app.js"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	// A name other than a loopback one is refused (DNS rebinding).
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/status", nil)
	req.Host = "settle.example.com"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host settle.example.com: %v %v, want 421", resp.StatusCode, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runServe after Ctrl-C: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if out := stdout.String(); !strings.Contains(out, "open http://"+addr) {
		t.Errorf("stdout %q does not give the address", out)
	}
	if stderr.String() != "" {
		t.Errorf("stderr %q on loopback, want nothing", stderr.String())
	}
}
