package pspf

import (
	"errors"
	"math"
	"testing"
)

func TestPyFloatRepr(t *testing.T) {
	// Expected values are Python 3's repr(float) / json.dumps(float).
	tests := []struct {
		f    float64
		want string
	}{
		{1743379200.5, "1743379200.5"},
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1e16, "1e+16"},
		{1e15, "1000000000000000.0"},
		{1.5e-5, "1.5e-05"},
		{0.0001, "0.0001"},
		{123.456, "123.456"},
		{1e100, "1e+100"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{-1.5, "-1.5"},
		{12345678901234567.0, "1.2345678901234568e+16"},
	}
	for _, tt := range tests {
		if got := pyFloatRepr(tt.f); got != tt.want {
			t.Errorf("pyFloatRepr(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestEpochISO8601(t *testing.T) {
	// Expected values are Python's datetime.fromtimestamp(x, tz=UTC).isoformat().
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{in: "0", want: "1970-01-01T00:00:00+00:00"},
		{in: "-1", want: "1969-12-31T23:59:59+00:00"},
		{in: "1743379200", want: "2025-03-31T00:00:00+00:00"},
		{in: "253402300799", want: "9999-12-31T23:59:59+00:00"},
		{in: "253402300800", wantErr: ErrOutOfRange},
		{in: "-62135596800", want: "0001-01-01T00:00:00+00:00"},
		{in: "-62135596801", wantErr: ErrOutOfRange},
		{in: "1743379200.5", want: "2025-03-31T00:00:00.500000+00:00"},
		{in: "1743379200.1", want: "2025-03-31T00:00:00.100000+00:00"},
		{in: "-1.5", want: "1969-12-31T23:59:58.500000+00:00"},
		{in: "0.0000005", want: "1970-01-01T00:00:00+00:00"},        // half to even: 0
		{in: "0.0000015", want: "1970-01-01T00:00:00.000002+00:00"}, // half to even: 2
		{in: "1.5e-5", want: "1970-01-01T00:00:00.000015+00:00"},
		{in: "253402300799.9999999", wantErr: ErrOutOfRange}, // the double is 253402300800.0
		{in: "1e100", wantErr: ErrOutOfRange},
		{in: "99999999999999999999", wantErr: ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseEpoch(tt.in)
			if err == nil {
				var got string
				got, err = e.ISO8601()
				if err == nil && got != tt.want {
					t.Errorf("ISO8601 = %s, want %s", got, tt.want)
				}
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseEpoch(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		isFloat bool
		wantErr error
	}{
		{in: "0", want: "0"},
		{in: "-0", want: "0"},
		{in: "-1", want: "-1"},
		{in: "1743379200", want: "1743379200"},
		{in: "1743379200.5", want: "1743379200.5", isFloat: true},
		{in: "1743379200.0", want: "1743379200.0", isFloat: true},
		{in: "1e3", want: "1000.0", isFloat: true},
		{in: "1.5E-5", want: "1.5e-05", isFloat: true},
		{in: "", wantErr: ErrInvalidTimestamp},
		{in: "-", wantErr: ErrInvalidTimestamp},
		{in: "abc", wantErr: ErrInvalidTimestamp},
		{in: "yesterday", wantErr: ErrInvalidTimestamp},
		{in: "+5", wantErr: ErrInvalidTimestamp},
		{in: " 5", wantErr: ErrInvalidTimestamp},
		{in: "1_000", wantErr: ErrInvalidTimestamp},
		{in: "1.", wantErr: ErrInvalidTimestamp},
		{in: ".5", wantErr: ErrInvalidTimestamp},
		{in: "NaN", wantErr: ErrInvalidTimestamp},
		{in: "Inf", wantErr: ErrInvalidTimestamp},
		{in: "0x10", wantErr: ErrInvalidTimestamp},
		{in: "1e99999", wantErr: ErrInvalidTimestamp},
		{in: "1e400", wantErr: ErrOutOfRange},
		{in: "9223372036854775808", wantErr: ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseEpoch(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if e.String() != tt.want || e.IsFloat() != tt.isFloat {
				t.Errorf("got %s (float %v), want %s (float %v)", e, e.IsFloat(), tt.want, tt.isFloat)
			}
		})
	}
}

func TestCheckSourceDateEpoch(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr error
	}{
		{in: "", want: false},
		{in: "   ", want: false},
		{in: "\t\n", want: false},
		{in: "0", want: true},
		{in: "1743379200", want: true},
		{in: "-1", want: true},
		{in: "abc", wantErr: ErrInvalidSourceDateEpoch},
		{in: "1.5", wantErr: ErrInvalidSourceDateEpoch},
		{in: " 1", wantErr: ErrInvalidSourceDateEpoch},
		{in: "-", wantErr: ErrInvalidSourceDateEpoch},
	}
	for _, tt := range tests {
		got, err := CheckSourceDateEpoch(tt.in)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("CheckSourceDateEpoch(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseEpoch(f *testing.F) {
	for _, s := range []string{"0", "-1", "1743379200", "1743379200.5", "1e+16", "253402300800", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEpoch(s)
		if err != nil {
			return
		}
		again, err := ParseEpoch(e.String())
		if err != nil {
			t.Fatalf("ParseEpoch(%q) -> %s does not parse: %v", s, e, err)
		}
		if again.String() != e.String() {
			t.Fatalf("round trip %q -> %s -> %s", s, e, again)
		}
		if ts, err := e.ISO8601(); err == nil {
			if _, err := e.Time(); err != nil || ts == "" {
				t.Fatalf("ISO8601 and Time disagree for %s", e)
			}
		}
	})
}
