package slsa

import (
	"encoding/json"
	"fmt"
	"time"
)

// TimestampFormat is how pedigree writes timestamps: UTC, whole seconds, as
// the Python slsa library's TIMESTAMP_FORMAT does.
const TimestampFormat = "2006-01-02T15:04:05Z"

// Time is a timestamp in provenance. It is written in TimestampFormat (with
// a fraction only when the time has one, so decode -> encode -> decode is
// lossless) and read as RFC 3339 with any offset and fraction. Compare two
// Times with their embedded time.Time's Equal (offsets are not kept).
type Time struct {
	time.Time
}

// NewTime returns t as a provenance Time in UTC.
func NewTime(t time.Time) *Time { return &Time{t.UTC()} }

// ParseTime reads an RFC 3339 timestamp ("2026-01-01T00:00:00Z",
// "2026-01-01T01:00:00.5+01:00") and returns it in UTC. It returns an error
// wrapping ErrInvalidTime when s is not RFC 3339 or its year in UTC is
// outside 0000-9999 (such a time cannot be written back as RFC 3339).
func ParseTime(s string) (Time, error) {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Time{}, fmt.Errorf("want an RFC 3339 time, got %q: %w", truncate(s, 64), ErrInvalidTime)
	}
	t := Time{v.UTC()}
	if err := t.check(); err != nil {
		return Time{}, err
	}
	return t, nil
}

// Validate reports a time that cannot be written as RFC 3339 in UTC (year
// outside 0000-9999), wrapping ErrInvalidTime.
func (t Time) Validate() error { return t.check() }

// check reports times that RFC 3339 cannot represent in UTC.
func (t Time) check() error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("year %d in UTC is outside 0000-9999: %w", y, ErrInvalidTime)
	}
	return nil
}

// String returns the time as MarshalJSON writes it, without quotes.
func (t Time) String() string {
	u := t.UTC()
	if u.Nanosecond() != 0 {
		return u.Format(time.RFC3339Nano)
	}
	return u.Format(TimestampFormat)
}

// MarshalJSON writes the time in UTC. It returns an error wrapping
// ErrInvalidTime if the year in UTC is outside 0000-9999.
func (t Time) MarshalJSON() ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON reads an RFC 3339 time as ParseTime does. It returns an
// error wrapping ErrInvalidTime.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want an RFC 3339 time string: %w", ErrInvalidTime)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// timeEqual compares two optional times by instant.
func timeEqual(a, b *Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Time.Equal(b.Time)
}
