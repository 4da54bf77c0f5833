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
// lossless) and read as RFC 3339 with any offset and fraction.
type Time struct {
	time.Time
}

// NewTime returns t as a provenance Time in UTC.
func NewTime(t time.Time) *Time { return &Time{t.UTC()} }

// MarshalJSON writes the time in UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	u := t.UTC()
	layout := TimestampFormat
	if u.Nanosecond() != 0 {
		layout = time.RFC3339Nano
	}
	return json.Marshal(u.Format(layout))
}

// UnmarshalJSON reads an RFC 3339 time.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want an RFC 3339 time string: %w", ErrInvalidTime)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("want an RFC 3339 time, got %q: %w", s, ErrInvalidTime)
	}
	t.Time = v
	return nil
}
