// Package parallel runs work on several goroutines and hands the results on in order.
package parallel

import "sync"

// Ordered runs a function on items on several goroutines and hands the results on in the
// order the items were submitted: parallel work, sequential results.
type Ordered[T, R any] struct {
	jobs    chan *orderedJob[T, R]
	queue   chan *orderedJob[T, R]
	workers sync.WaitGroup
	emitted chan struct{}
}

type orderedJob[T, R any] struct {
	item   T
	result R
	done   chan struct{}
}

// NewOrdered starts workers goroutines running work, and one calling emit with each result
// in order. Close stops them.
func NewOrdered[T, R any](workers int, work func(T) R, emit func(R)) *Ordered[T, R] {
	o := &Ordered[T, R]{
		jobs:    make(chan *orderedJob[T, R], workers),
		queue:   make(chan *orderedJob[T, R], workers*2),
		emitted: make(chan struct{}),
	}
	for range workers {
		o.workers.Go(func() {
			for j := range o.jobs {
				j.result = work(j.item)
				close(j.done)
			}
		})
	}
	go func() {
		defer close(o.emitted)
		for j := range o.queue {
			<-j.done
			emit(j.result)
		}
	}()
	return o
}

// Submit queues an item. It waits while 2×workers items are in flight, so that a fast
// producer cannot run ahead of the workers without bound.
func (o *Ordered[T, R]) Submit(item T) {
	j := &orderedJob[T, R]{item: item, done: make(chan struct{})}
	o.queue <- j
	o.jobs <- j
}

// Close waits until every submitted item's result has been emitted, and stops the
// goroutines. Submit must not be called after Close.
func (o *Ordered[T, R]) Close() {
	close(o.jobs)
	close(o.queue)
	o.workers.Wait()
	<-o.emitted
}
