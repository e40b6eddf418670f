package web

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitFor polls cond for up to 2 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestQueueFIFO(t *testing.T) {
	q := NewQueue(1, 3)
	relA, err := q.Acquire(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		name    string
		release func()
		err     error
	}
	got := make(chan result, 3)
	positions := map[string]chan int{"B": make(chan int, 8), "C": make(chan int, 8)}
	ctxC, cancelC := context.WithCancel(context.Background())
	defer cancelC()
	start := func(name string, ctx context.Context) {
		go func() {
			rel, err := q.Acquire(ctx, func(p int) { positions[name] <- p })
			got <- result{name, rel, err}
		}()
	}
	start("B", context.Background())
	if p := <-positions["B"]; p != 1 {
		t.Fatalf("B waits at position %d, want 1", p)
	}
	start("C", ctxC)
	if p := <-positions["C"]; p != 2 {
		t.Fatalf("C waits at position %d, want 2", p)
	}
	// A third waiter still fits; a fourth does not.
	ctxD, cancelD := context.WithCancel(context.Background())
	go q.Acquire(ctxD, nil)
	waitFor(t, "D waiting", func() bool { _, w := q.Status(); return w == 3 })
	if _, err := q.Acquire(context.Background(), nil); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("a fourth waiter: err %v, want ErrQueueFull", err)
	}
	cancelD()
	waitFor(t, "D gone", func() bool { _, w := q.Status(); return w == 2 })

	relA()
	r := <-got
	if r.name != "B" || r.err != nil {
		t.Fatalf("after A: %s got the slot (err %v), want B first in line", r.name, r.err)
	}
	relB := r.release
	if p := <-positions["C"]; p != 1 {
		t.Fatalf("C moved to position %d, want 1", p)
	}
	// C gives up while waiting: it leaves the line and holds nothing.
	cancelC()
	r = <-got
	if r.name != "C" || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("cancelled C: %s, err %v", r.name, r.err)
	}
	if running, waiting := q.Status(); running != 1 || waiting != 0 {
		t.Fatalf("running %d waiting %d, want 1 and 0", running, waiting)
	}
	relB()
	if running, _ := q.Status(); running != 0 {
		t.Fatalf("running %d after release, want 0", running)
	}
}

func TestQueueReleaseOnce(t *testing.T) {
	q := NewQueue(2, 0)
	rel, _ := q.Acquire(context.Background(), nil)
	rel()
	rel()
	if running, _ := q.Status(); running != 0 {
		t.Fatalf("running %d after releasing twice, want 0", running)
	}
	if _, err := q.Acquire(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}
