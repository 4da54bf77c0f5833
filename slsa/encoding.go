package slsa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cyberphone/json-canonicalization/go/src/webpki.org/jsoncanonicalizer"
)

// Canonical returns v as RFC 8785 (JSON Canonicalization Scheme) bytes:
// members sorted by UTF-16 code units, no insignificant whitespace, numbers
// in ECMAScript form, strings minimally escaped. These are the bytes to
// sign. v is marshalled with encoding/json first (pass a json.RawMessage to
// canonicalize JSON text). The result must be an object or an array.
//
// RFC 8785 represents every number as an IEEE 754 double. Rather than let an
// integer such as 12345678901234567891 silently become 12345678901234567000
// in signed bytes, Canonical returns an error wrapping ErrCanonical for a
// number it would write as an integer beyond ±(2^53-1), I-JSON's safe range
// (RFC 7493); such values belong in strings. Canonical(Canonical(v)) equals
// Canonical(v).
// Errors from marshalling v are returned wrapping ErrInvalidField, and
// invalid JSON in a json.RawMessage wraps ErrMalformed.
func Canonical(v any) ([]byte, error) {
	b, err := marshal(v)
	if err != nil {
		return nil, err
	}
	if err := checkJSON(b, nil, ""); err != nil {
		return nil, err
	}
	if b[0] != '{' && b[0] != '[' {
		return nil, fmt.Errorf("want a JSON object or array at the top level: %w", ErrCanonical)
	}
	if err := checkIntegers(b); err != nil {
		return nil, err
	}
	out, err := jsoncanonicalizer.Transform(b)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCanonical)
	}
	return out, nil
}

// Indent returns v as JSON for people to read: members sorted by name,
// two-space indentation, no HTML escaping, numbers exactly as given, and a
// final newline. v is marshalled with encoding/json first. Errors wrap
// ErrInvalidField (v cannot be marshalled) or ErrMalformed (invalid JSON in
// a json.RawMessage).
func Indent(v any) ([]byte, error) {
	b, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	if err := decodeStrict(b, &generic, ""); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrInvalidField)
	}
	return out.Bytes(), nil
}

// marshal is json.Marshal with errors wrapped in the package's sentinels.
// Marshal compacts json.RawMessage values and fails on invalid ones.
func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err == nil {
		return b, nil
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return nil, fmt.Errorf("invalid JSON: %v: %w", se, ErrMalformed)
	case errors.Is(err, ErrInvalidTime):
		return nil, fmt.Errorf("cannot encode: %w", err)
	}
	return nil, fmt.Errorf("%v: %w", err, ErrInvalidField)
}

// checkIntegers returns an error wrapping ErrCanonical for the first number
// in data (valid JSON) that RFC 8785 would write as an integer outside
// ±(2^53-1): an integer literal out of that range (a double may not hold
// it, and RFC 8785 prints the shortest digits that identify the double, so
// 20000000000000128 would come out as 20000000000000130), or a fraction or
// exponent whose value is at least 2^53 and below 10^21 (printed without an
// exponent, it would become such an integer literal, and the output would
// not canonicalize again). This is I-JSON's safe range (RFC 7493 §2.2), the
// line the Python rfc8785 package draws too; it keeps Canonical idempotent.
func checkIntegers(data []byte) error {
	inString := false
	for i := 0; i < len(data); i++ {
		b := data[i]
		if inString {
			switch b {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		if b == '"' {
			inString = true
			continue
		}
		if b != '-' && !isDigit(b) {
			continue
		}
		j := i
		for j < len(data) && strings.IndexByte("+-.eE0123456789", data[j]) >= 0 {
			j++
		}
		if lit := string(data[i:j]); !safeNumber(lit) {
			return fmt.Errorf("number %s at offset %d is an integer beyond ±(2^53-1), which RFC 8785's IEEE 754 doubles do not keep exactly (put it in a string): %w", truncate(lit, 40), i, ErrCanonical)
		}
		i = j - 1
	}
	return nil
}

// maxSafeInteger is 2^53-1.
const maxSafeInteger = "9007199254740991"

// safeNumber reports whether RFC 8785 writes the number literal lit (valid
// JSON) as something other than an integer beyond ±(2^53-1).
func safeNumber(lit string) bool {
	digits := strings.TrimPrefix(lit, "-")
	if !strings.ContainsAny(digits, ".eE") {
		return len(digits) < len(maxSafeInteger) ||
			len(digits) == len(maxSafeInteger) && digits <= maxSafeInteger
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return false // beyond the double range
	}
	return f < 1<<53 || f >= 1e21
}

// jsonEqual reports whether two JSON texts hold the same value: objects
// compare by member regardless of order, numbers by decimal value ("1.0"
// equals "1", "1e2" equals "100"). Invalid JSON equals nothing.
func jsonEqual(a, b []byte) bool {
	va, errA := decodeGeneric(a)
	vb, errB := decodeGeneric(b)
	if errA != nil || errB != nil {
		return false
	}
	return genericEqual(va, vb)
}

// valueEqual reports whether two Go values marshal to equal JSON, treating
// nil and empty maps and slices as equal.
func valueEqual(a, b any) bool {
	ba, errA := json.Marshal(a)
	bb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return false
	}
	return genericEqual(emptyToNil(mustGeneric(ba)), emptyToNil(mustGeneric(bb)))
}

func mustGeneric(b []byte) any {
	v, err := decodeGeneric(b)
	if err != nil {
		return err // never equal to a decoded value
	}
	return v
}

// emptyToNil maps an empty object or array to nil ("unset is the same as
// set-but-empty").
func emptyToNil(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

func decodeGeneric(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data: %w", ErrMalformed)
	}
	return v, nil
}

func genericEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && numberEqual(string(x), string(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !genericEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !genericEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// numberEqual compares two JSON number literals by exact decimal value.
func numberEqual(a, b string) bool {
	if a == b {
		return true
	}
	na, okA := normalizeNumber(a)
	nb, okB := normalizeNumber(b)
	return okA && okB && na == nb
}

// normalizeNumber rewrites a JSON number literal as sign, significant digits
// and exponent ("-12.50e1" -> "-125e0"), so equal values compare equal as
// strings.
func normalizeNumber(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expStr, hasExp := strings.Cut(strings.ToLower(s), "e")
	exp := int64(0)
	if hasExp {
		e, err := strconv.ParseInt(expStr, 10, 32)
		if err != nil {
			return "", false
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	exp -= int64(len(frac))
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", true
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	sign := ""
	if neg {
		sign = "-"
	}
	return sign + trimmed + "e" + strconv.FormatInt(exp, 10), true
}
