package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestFor: every index runs exactly once whatever the number of workers;
// a cancelled context stops the work and is returned.
func TestFor(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		const n = 10000
		var counts [n]atomic.Int32
		if err := For(context.Background(), workers, n, func(i int) { counts[i].Add(1) }); err != nil {
			t.Fatal(err)
		}
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("%d workers: index %d ran %d times", workers, i, c)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		var ran atomic.Int32
		err := For(ctx, workers, n, func(i int) {
			ran.Add(1)
			if i == 5 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) || ran.Load() == n {
			t.Fatalf("%d workers: cancelled: %v after %d of %d items", workers, err, ran.Load(), n)
		}
	}
}
