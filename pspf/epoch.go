package pspf

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The range of seconds since 1970 that Python's datetime can represent
// (0001-01-01T00:00:00 to 9999-12-31T23:59:59, UTC).
const (
	minSeconds = -62135596800
	maxSeconds = 253402300799
)

// Epoch is a build time in seconds since 1970-01-01T00:00:00Z as flavor
// records it in "source_date_epoch": an integer (what flavor's builder and
// SOURCE_DATE_EPOCH give) or, when build_provenance is called directly with
// one, a float, which flavor writes as Python's repr and which puts
// microseconds into "build_timestamp".
type Epoch struct {
	seconds int64
	float   float64
	isFloat bool
}

// IntEpoch returns the integer epoch s.
func IntEpoch(s int64) Epoch { return Epoch{seconds: s} }

// FloatEpoch returns a fractional epoch; it fails with ErrInvalidTimestamp
// for NaN and infinities, which JSON cannot carry.
func FloatEpoch(f float64) (Epoch, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Epoch{}, fmt.Errorf("%v: %w", f, ErrInvalidTimestamp)
	}
	return Epoch{float: f, isFloat: true}, nil
}

// ParseEpoch reads a build timestamp: a decimal integer with an optional
// leading '-' ("1743379200", "-1"), or a decimal number with a fraction or
// an exponent ("1743379200.5"), which becomes a float epoch. Leading '+',
// spaces and underscores are refused. It fails with ErrInvalidTimestamp, or
// ErrOutOfRange for an integer that does not fit in 64 bits.
func ParseEpoch(s string) (Epoch, error) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return Epoch{}, fmt.Errorf("%q: want a decimal number of seconds since 1970: %w", s, ErrInvalidTimestamp)
	}
	if isDigits(digits) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Epoch{}, fmt.Errorf("%q: %w", s, ErrOutOfRange)
		}
		return IntEpoch(n), nil
	}
	if !isDecimalFloat(digits) {
		return Epoch{}, fmt.Errorf("%q: want a decimal number of seconds since 1970: %w", s, ErrInvalidTimestamp)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Epoch{}, fmt.Errorf("%q: %w", s, ErrOutOfRange)
	}
	return FloatEpoch(f)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDecimalFloat matches digits [. digits] [e|E [+|-] digits] (no sign).
func isDecimalFloat(s string) bool {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		exp = strings.TrimLeft(exp, "+-")
		if len(exp) > 4 || !isDigits(exp) {
			return false
		}
	}
	whole, frac, hasDot := strings.Cut(mant, ".")
	if !isDigits(whole) {
		return false
	}
	return !hasDot || isDigits(frac)
}

// IsFloat reports whether the epoch is fractional (written as a JSON float).
func (e Epoch) IsFloat() bool { return e.isFloat }

// String returns the epoch as flavor writes it in JSON: the integer, or
// Python's repr of the float ("1743379200.5", "1e+16").
func (e Epoch) String() string {
	if e.isFloat {
		return pyFloatRepr(e.float)
	}
	return strconv.FormatInt(e.seconds, 10)
}

// Time returns the epoch as a UTC time, rounded to microseconds half to
// even as Python's datetime.fromtimestamp does. It fails with ErrOutOfRange
// outside the years 1 to 9999.
func (e Epoch) Time() (time.Time, error) {
	sec, usec := e.seconds, int64(0)
	if e.isFloat {
		whole, frac := math.Modf(e.float)
		us := math.RoundToEven(frac * 1e6)
		if us >= 1e6 {
			us -= 1e6
			whole++
		} else if us < 0 {
			us += 1e6
			whole--
		}
		if whole < minSeconds || whole > maxSeconds {
			return time.Time{}, fmt.Errorf("%s: want a time in the years 1 to 9999: %w", e, ErrOutOfRange)
		}
		sec, usec = int64(whole), int64(us)
	}
	if sec < minSeconds || sec > maxSeconds {
		return time.Time{}, fmt.Errorf("%s: want a time in the years 1 to 9999: %w", e, ErrOutOfRange)
	}
	return time.Unix(sec, usec*1000).UTC(), nil
}

// ISO8601 returns the epoch as flavor's "build_timestamp": Python's
// datetime.isoformat() in UTC, "2025-03-31T00:00:00+00:00", with
// ".ffffff" microseconds only when they are not zero. It fails with
// ErrOutOfRange outside the years 1 to 9999.
func (e Epoch) ISO8601() (string, error) {
	t, err := e.Time()
	if err != nil {
		return "", err
	}
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02T15:04:05.000000+00:00"), nil
	}
	return t.Format("2006-01-02T15:04:05+00:00"), nil
}

// pyFloatRepr formats f as Python's float.__repr__ does: the shortest
// digits that round-trip, positional for decimal exponents -4 <= exp < 16
// (with ".0" when integral), else scientific with a two-digit minimum
// exponent ("1e+16", "1.5e-05").
func pyFloatRepr(f float64) string {
	s := strconv.FormatFloat(f, 'e', -1, 64) // "-d.ddde±XX"
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expStr, _ := strings.Cut(s, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expStr)
	decpt := exp + 1 // position of the decimal point relative to digits

	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case decpt <= -4 || decpt > 16:
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case decpt <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -decpt))
		b.WriteString(digits)
	case decpt >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", decpt-len(digits)))
		b.WriteString(".0")
	default:
		b.WriteString(digits[:decpt])
		b.WriteByte('.')
		b.WriteString(digits[decpt:])
	}
	return b.String()
}
