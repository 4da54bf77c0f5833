package pspf

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendPyJSON appends v as Python's json.dumps(v, sort_keys=True,
// separators=(",", ":")) writes it (ensure_ascii on). v is built from
// map[string]any, string, bool, nil and Epoch, what Record.value makes.
// Keys sort by code point, which for valid UTF-8 is Go's byte order. A
// string that is not valid UTF-8 fails with ErrInvalidString, naming the
// path.
func appendPyJSON(b []byte, path string, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case Epoch:
		return append(b, v.String()...), nil
	case string:
		return appendPyString(b, path, v)
	case map[string]any:
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				b = append(b, ',')
			}
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			var err error
			if b, err = appendPyString(b, sub, k); err != nil {
				return nil, err
			}
			b = append(b, ':')
			if b, err = appendPyJSON(b, sub, v[k]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	}
	panic(fmt.Sprintf("pspf: appendPyJSON: unsupported type %T", v))
}

const lowerHex = "0123456789abcdef"

// appendPyString appends s as a JSON string escaped the way Python's
// ensure_ascii encoder does: \" \\ \b \f \n \r \t, every other character
// outside ' '..'~' as \uxxxx (lowercase), and characters beyond the BMP as
// a UTF-16 surrogate pair. '/', '<', '>' and '&' stay as they are.
func appendPyString(b []byte, path, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%s: want valid UTF-8 text: %w", path, ErrInvalidString)
	}
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\b':
			b = append(b, `\b`...)
		case r == '\f':
			b = append(b, `\f`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r >= ' ' && r <= '~':
			b = append(b, byte(r))
		case r >= 0x10000:
			r -= 0x10000
			b = appendU4(b, 0xd800|(r>>10)&0x3ff)
			b = appendU4(b, 0xdc00|r&0x3ff)
		default:
			b = appendU4(b, r)
		}
	}
	return append(b, '"'), nil
}

func appendU4(b []byte, r rune) []byte {
	return append(b, '\\', 'u', lowerHex[r>>12&0xf], lowerHex[r>>8&0xf], lowerHex[r>>4&0xf], lowerHex[r&0xf])
}
