// Package parallel runs the items of a job of known size on a bounded
// number of goroutines, for the packages that fan work out over their
// workers (store ingesting a body, verify checking signatures and
// evaluating artifacts).
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// For runs f(0..n-1) on up to workers goroutines (in the caller's
// goroutine when that is at most 1) and returns ctx's error if it ends
// first; items not yet started then are not run. Workers take the next
// index from a shared counter, so handing out an item costs an atomic add,
// not a channel handoff: cheap enough for items of a few microseconds as
// well as for signature checks. f must be safe to call concurrently.
func For(ctx context.Context, workers, n int, f func(i int)) error {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			f(i)
		}
		return nil
	}
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
