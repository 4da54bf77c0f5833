package progress

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a manual clock for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Unix(1767225600, 0)} }
func yes() *bool                         { b := true; return &b }
func lines(s string) []string            { return strings.Split(strings.Trim(s, "\r"), "\r") }
func visible(frame string) string        { return strings.TrimSuffix(frame, "\x1b[K") }
func frames(buf *bytes.Buffer) []string  { return lines(buf.String()) }
func lastFrame(buf *bytes.Buffer) string { f := frames(buf); return visible(f[len(f)-1]) }
func countDraws(buf *bytes.Buffer) int   { return strings.Count(buf.String(), "\r") }
func newBar(buf *bytes.Buffer, c *clock, o Options) *Bar {
	o.Terminal, o.Now = yes(), c.now
	return New(buf, o)
}

func TestBarDelayThrottleFinish(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := newBar(&buf, c, Options{Label: "hashing", Bytes: true, Width: 72})
	b.Set(10, 100)
	if buf.Len() != 0 {
		t.Fatalf("drew before the delay: %q", buf.String())
	}
	c.advance(time.Second)
	b.Set(512<<20, 1<<30)
	want := "hashing [===========>          ]  50%  512.0 MiB / 1.0 GiB  512.0 MiB/s"
	if got := lastFrame(&buf); got != want {
		t.Fatalf("frame\n%q\nwant\n%q", got, want)
	}
	if len(want) != 72-1 {
		t.Fatalf("frame is %d columns, want 71", len(want))
	}
	// Within the interval: no redraw; after it: one.
	n := countDraws(&buf)
	c.advance(50 * time.Millisecond)
	b.Set(600<<20, 1<<30)
	if countDraws(&buf) != n {
		t.Fatal("redrew within the interval")
	}
	c.advance(60 * time.Millisecond)
	b.Add(1 << 20)
	if countDraws(&buf) != n+1 || !strings.Contains(lastFrame(&buf), "601.0 MiB / 1.0 GiB") {
		t.Fatalf("after the interval: %q", lastFrame(&buf))
	}
	b.Finish()
	if !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Fatalf("Finish did not erase the line: %q", buf.String())
	}
	size := buf.Len()
	c.advance(time.Hour)
	b.Set(1<<30, 1<<30)
	b.Finish()
	if buf.Len() != size {
		t.Fatal("drew after Finish")
	}
}

func TestBarForms(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		done, total int64
		want        string
	}{
		{"counts", Options{Label: "verifying", Width: 40}, 25, 100, "verifying [===>          ]  25%  25/100"},
		{"unknown total", Options{Label: "reading", Bytes: true, Width: 80}, 1536, 0, "reading   1.5 KiB    1.5 KiB/s"},
		{"narrow: no bar", Options{Label: "hashing", Bytes: true, Width: 50}, 1, 3, "hashing  33%        1 B / 3 B        1 B/s"},
		{"narrower: cut", Options{Label: "hashing", Bytes: true, Width: 40}, 1, 3, "hashing  33%        1 B / 3 B        1 "},
		{"very narrow: cut", Options{Label: "hashing", Width: 8}, 1, 3, "hashing"},
		{"done beyond total", Options{Width: 30}, 7, 5, "[=================] 100%  7/5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			c := newClock()
			tt.opts.Delay = -1
			b := newBar(&buf, c, tt.opts)
			c.advance(time.Second)
			b.Set(tt.done, tt.total)
			if got := lastFrame(&buf); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestBarSilent: not a terminal means not a byte, whatever happens.
func TestBarSilent(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	no := false
	for _, b := range []*Bar{
		New(f, Options{Delay: -1, Interval: -1}),                    // a regular file
		New(&buf, Options{Delay: -1, Interval: -1}),                 // not an *os.File
		New(&buf, Options{Delay: -1, Interval: -1, Terminal: &no}),  // told so
		New(nil, Options{Delay: -1, Interval: -1, Terminal: yes()}), // nowhere to write
	} {
		if b.Enabled() {
			t.Fatal("enabled off a terminal")
		}
		b.Set(1, 2)
		b.Add(1)
		b.Finish()
	}
	if fi, _ := f.Stat(); fi.Size() != 0 || buf.Len() != 0 {
		t.Fatalf("wrote %d bytes to the file and %q to the buffer", fi.Size(), buf.String())
	}
}

// TestBarConcurrent is for the race detector.
func TestBarConcurrent(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Options{Terminal: yes(), Delay: -1, Interval: -1})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Add(1)
			}
		}()
	}
	wg.Wait()
	b.Finish()
	if got := b.done; got != 800 {
		t.Fatalf("done = %d", got)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB", 3 << 50: "3.0 PiB"} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}
