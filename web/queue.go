package web

import (
	"context"
	"errors"
	"sync"
)

// ErrQueueFull is returned by Acquire when every slot is taken and the
// waiting line is at its limit.
var ErrQueueFull = errors.New("the server is busy: every simulation slot is taken and the waiting line is full; try again in a minute")

// Queue bounds the simulations running at once. Callers beyond the bound
// wait in first-in, first-out order and are told their position as it
// changes. The zero value is not usable; make one with NewQueue. A Queue is
// safe for concurrent use.
type Queue struct {
	mu      sync.Mutex
	slots   int // simulations allowed at once
	maxWait int // callers allowed to wait
	running int
	waiting []*waiter
}

type waiter struct {
	ready chan struct{} // closed when the waiter is given a slot
	moved chan struct{} // signalled (never blocking) when its position may have changed
}

// NewQueue returns a queue with slots simulations at once (at least 1) and
// at most maxWait callers waiting (0: none wait).
func NewQueue(slots, maxWait int) *Queue {
	return &Queue{slots: max(slots, 1), maxWait: max(maxWait, 0)}
}

// Acquire returns once the caller may run a simulation, with the function
// that frees its slot (call it exactly once; later calls do nothing).
// While the caller waits, position is called with its place in the line
// (1 = next) whenever it changes; position may be nil. Acquire returns
// ErrQueueFull at once when the line is full, and ctx's error when ctx is
// done first; the caller then holds no slot.
func (q *Queue) Acquire(ctx context.Context, position func(int)) (release func(), err error) {
	q.mu.Lock()
	if q.running < q.slots && len(q.waiting) == 0 {
		q.running++
		q.mu.Unlock()
		return q.releaser(), nil
	}
	if len(q.waiting) >= q.maxWait {
		q.mu.Unlock()
		return nil, ErrQueueFull
	}
	w := &waiter{ready: make(chan struct{}), moved: make(chan struct{}, 1)}
	q.waiting = append(q.waiting, w)
	pos := len(q.waiting)
	q.mu.Unlock()
	if position != nil {
		position(pos)
	}
	for {
		select {
		case <-w.ready:
			return q.releaser(), nil
		case <-w.moved:
			q.mu.Lock()
			now := q.index(w) + 1
			q.mu.Unlock()
			if now > 0 && now != pos && position != nil {
				pos = now
				position(pos)
			}
		case <-ctx.Done():
			q.mu.Lock()
			if i := q.index(w); i >= 0 {
				q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
				q.notifyLocked()
				q.mu.Unlock()
			} else {
				// Given a slot at the same moment: hand it on.
				q.mu.Unlock()
				q.releaser()()
			}
			return nil, ctx.Err()
		}
	}
}

// Status returns the simulations running and the callers waiting.
func (q *Queue) Status() (running, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.running, len(q.waiting)
}

func (q *Queue) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			defer q.mu.Unlock()
			q.running--
			if len(q.waiting) > 0 {
				w := q.waiting[0]
				q.waiting = q.waiting[1:]
				q.running++
				close(w.ready)
				q.notifyLocked()
			}
		})
	}
}

// index returns w's place in the line, or −1 when it is not waiting.
// The caller holds q.mu.
func (q *Queue) index(w *waiter) int {
	for i, x := range q.waiting {
		if x == w {
			return i
		}
	}
	return -1
}

// notifyLocked tells every waiter that the line moved. The caller holds q.mu.
func (q *Queue) notifyLocked() {
	for _, x := range q.waiting {
		select {
		case x.moved <- struct{}{}:
		default:
		}
	}
}
