package slsa_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/slsa"
)

func TestTimeJSON(t *testing.T) {
	tests := []struct {
		in   string
		want string // written back; "" means rejected
	}{
		{`"2026-01-01T00:00:00Z"`, `"2026-01-01T00:00:00Z"`},
		{`"2026-01-01T01:30:00+01:30"`, `"2026-01-01T00:00:00Z"`},
		{`"2025-12-31T19:00:00-05:00"`, `"2026-01-01T00:00:00Z"`},
		{`"2026-11-22T01:49:17.066362+00:00"`, `"2026-11-22T01:49:17.066362Z"`},
		{`"1985-04-12T23:20:50.52Z"`, `"1985-04-12T23:20:50.52Z"`},
		{`"2026-01-01T00:00:00.000Z"`, `"2026-01-01T00:00:00Z"`},
		{`"2026-01-01T00:00:00.123456789Z"`, `"2026-01-01T00:00:00.123456789Z"`},
		{`"0000-01-01T00:00:00Z"`, `"0000-01-01T00:00:00Z"`},
		{`"9999-12-31T23:59:59Z"`, `"9999-12-31T23:59:59Z"`},
		{`"0000-01-01T00:00:00+01:00"`, ""}, // year -1 in UTC
		{`"9999-12-31T23:00:00-01:00"`, ""}, // year 10000 in UTC
		{`"2026-01-01"`, ""},
		{`"2026-01-01 00:00:00Z"`, ""},
		{`"2026-01-01T00:00:00"`, ""},
		{`"2026-13-01T00:00:00Z"`, ""},
		{`"2026-01-01T00:00:60Z"`, ""},
		{`""`, ""},
		{`1767225600`, ""},
	}
	for _, tt := range tests {
		var got slsa.Time
		err := json.Unmarshal([]byte(tt.in), &got)
		if tt.want == "" {
			if !errors.Is(err, slsa.ErrInvalidTime) {
				t.Errorf("%s: got %v, want ErrInvalidTime", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		b, err := json.Marshal(got)
		if err != nil || string(b) != tt.want {
			t.Errorf("%s: written as %s (%v), want %s", tt.in, b, err, tt.want)
			continue
		}
		// decode -> encode -> decode is lossless.
		var again slsa.Time
		if err := json.Unmarshal(b, &again); err != nil || !again.Equal(got.Time) {
			t.Errorf("%s: round trip gave %v (%v)", tt.in, again, err)
		}
	}
}

func TestNewTimeAndParseTime(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tm := slsa.NewTime(time.Date(2026, 1, 1, 1, 0, 0, 0, cet))
	if tm.Location() != time.UTC || tm.String() != "2026-01-01T00:00:00Z" {
		t.Errorf("NewTime: %v in %v", tm, tm.Location())
	}
	p, err := slsa.ParseTime("2026-01-01T01:00:00+01:00")
	if err != nil || !p.Equal(tm.Time) || p.Location() != time.UTC {
		t.Errorf("ParseTime: %v %v", p, err)
	}
	if _, err := slsa.ParseTime("soon"); !errors.Is(err, slsa.ErrInvalidTime) || err.Error() != `want an RFC 3339 time, got "soon": invalid time` {
		t.Errorf("ParseTime(soon): %v", err)
	}
	if _, err := json.Marshal(slsa.NewTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))); !errors.Is(err, slsa.ErrInvalidTime) {
		t.Errorf("marshal year 10000: %v", err)
	}
	// TimestampFormat is the Python slsa library's TIMESTAMP_FORMAT.
	if got := time.Unix(1767225600, 0).UTC().Format(slsa.TimestampFormat); got != "2026-01-01T00:00:00Z" {
		t.Errorf("TimestampFormat: %s", got)
	}
}
