// Package progress draws a one-line progress bar for long jobs (hashing
// gigabytes, verifying thousands of attestations) on a terminal, and stays
// silent everywhere else: when the writer is not a terminal (a pipe, a
// file, CI logs), nothing is ever written, so output stays clean for
// machines.
//
// The bar appears only once the job has run for a while (Options.Delay),
// redraws at most every Options.Interval, and Finish erases it. A Bar is
// safe for concurrent use.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Options configures a Bar. The zero value gives the defaults.
type Options struct {
	// Label is printed before the bar ("hashing").
	Label string
	// Delay is how long a job must run before the bar appears, so quick
	// jobs print nothing; default 500ms. Negative means at once.
	Delay time.Duration
	// Interval is the minimum time between redraws; default 100ms.
	// Negative means every update redraws.
	Interval time.Duration
	// Bytes formats the counts as sizes (KiB, MiB, ...) with a rate;
	// otherwise they are plain counts ("120/10000").
	Bytes bool
	// Width of the whole line in columns; 0 asks the terminal (80 when it
	// cannot tell).
	Width int
	// Terminal forces the terminal check's answer: nil checks whether w is
	// an *os.File on a terminal. Tests and callers that know better set it.
	Terminal *bool
	// Now is the clock; nil means time.Now. For tests.
	Now func() time.Time
}

// Bar is a progress bar on one terminal line.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	opts     Options
	enabled  bool
	start    time.Time
	last     time.Time
	drawn    bool
	finished bool
	done     int64
	total    int64
}

// New returns a Bar writing to w. When w is not a terminal (see
// Options.Terminal), the Bar does nothing at all.
func New(w io.Writer, opts Options) *Bar {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Delay == 0 {
		opts.Delay = 500 * time.Millisecond
	}
	if opts.Interval == 0 {
		opts.Interval = 100 * time.Millisecond
	}
	enabled := false
	if opts.Terminal != nil {
		enabled = *opts.Terminal
	} else if f, ok := w.(*os.File); ok {
		enabled = term.IsTerminal(int(f.Fd()))
		if enabled && opts.Width == 0 {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
				opts.Width = cols
			}
		}
	}
	if opts.Width <= 0 {
		opts.Width = 80
	}
	now := opts.Now()
	return &Bar{w: w, opts: opts, enabled: enabled && w != nil, start: now}
}

// Enabled reports whether the Bar draws anything.
func (b *Bar) Enabled() bool { return b.enabled }

// Set records progress: done units out of total (total <= 0 when unknown).
// It redraws when the job has run longer than the delay and the last
// redraw is older than the interval.
func (b *Bar) Set(done, total int64) {
	if !b.enabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done, b.total = done, total
	b.maybeDraw()
}

// Add records n more units done.
func (b *Bar) Add(n int64) {
	if !b.enabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.maybeDraw()
}

// Finish erases the bar, if it was drawn, leaving the cursor at the start
// of an empty line. Later calls to Set and Add draw nothing.
func (b *Bar) Finish() {
	if !b.enabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn && !b.finished {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
	b.finished = true
}

func (b *Bar) maybeDraw() {
	if b.finished {
		return
	}
	now := b.opts.Now()
	if now.Sub(b.start) < b.opts.Delay {
		return
	}
	if b.drawn && now.Sub(b.last) < b.opts.Interval {
		return
	}
	b.last = now
	b.drawn = true
	fmt.Fprint(b.w, "\r"+b.render(now)+"\x1b[K")
}

// render returns the bar's line (without the carriage return).
func (b *Bar) render(now time.Time) string {
	var counts string
	elapsed := now.Sub(b.start).Seconds()
	if b.opts.Bytes {
		// Fixed widths keep the bar from jumping as the numbers grow.
		counts = fmt.Sprintf("%9s", size(b.done))
		if b.total > 0 {
			counts += " / " + size(b.total)
		}
		if elapsed > 0 {
			counts += fmt.Sprintf("  %9s/s", size(int64(float64(b.done)/elapsed)))
		}
	} else {
		counts = fmt.Sprint(b.done)
		if b.total > 0 {
			counts += "/" + fmt.Sprint(b.total)
		}
	}
	label := b.opts.Label
	if label != "" {
		label += " "
	}
	if b.total <= 0 {
		return truncate(label+counts, b.opts.Width-1)
	}
	frac := float64(b.done) / float64(b.total)
	frac = min(max(frac, 0), 1)
	pct := fmt.Sprintf("%3d%%", int(frac*100))
	// label [=====>    ] 45%  counts
	barWidth := b.opts.Width - 1 - len(label) - len(pct) - len(counts) - 5
	if barWidth < 10 {
		return truncate(label+pct+"  "+counts, b.opts.Width-1)
	}
	fill := int(frac * float64(barWidth))
	bar := strings.Repeat("=", fill)
	if fill < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	return label + "[" + bar + "] " + pct + "  " + counts
}

func truncate(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		return s[:n]
	}
	return s
}

// size formats n bytes with a binary unit.
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
