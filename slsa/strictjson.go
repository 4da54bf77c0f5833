package slsa

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the strict reader in front of encoding/json. encoding/json
// (v1) is lenient in ways that let two readers of the same signed bytes see
// different statements: it keeps the last of duplicate keys, matches struct
// field names case-insensitively (so "PredicateType", or "ſubject" with a
// long s, sets predicateType/subject), and replaces invalid UTF-8 and lone
// surrogates with U+FFFD. checkJSON rejects all of that, and checks each
// field's JSON type against the Go type it decodes into, so malformed input
// gets one error naming the field path instead of a Go type name.

// maxDepth bounds nesting (encoding/json allows 10000).
const maxDepth = 512

// kind is what a schema node expects.
type kind uint8

const (
	kindAny    kind = iota // any JSON value
	kindObject             // a Go struct: known members, others ignored
	kindMap                // a Go map with string keys: every member is elem
	kindArray              // a Go slice: every element is elem
	kindString
	kindBool
	kindNumber
	kindBytes // base64 string ([]byte)
	kindTime  // RFC 3339 string (Time)
)

func (k kind) String() string {
	switch k {
	case kindObject, kindMap:
		return "an object"
	case kindArray:
		return "an array"
	case kindString:
		return "a string"
	case kindBool:
		return "true or false"
	case kindNumber:
		return "a number"
	case kindBytes:
		return "a base64 string"
	case kindTime:
		return "an RFC 3339 time string"
	}
	return "a value"
}

// schema describes the JSON a Go type accepts.
type schema struct {
	kind   kind
	elem   *schema            // kindMap, kindArray
	fields map[string]*schema // kindObject: exact JSON member names
	names  []string           // kindObject: member names, for case-folding checks
	alias  map[string]string  // kindObject: accepted alternative spelling -> member name
	// iface: a Go interface (any): every value below it is one too.
	iface bool
}

// aliases lists member spellings that real producers use instead of the
// spec's. slsa-github-generator (through in-toto-golang) writes v0.2
// "buildInvocationID" where the SLSA v0.2 spec says "buildInvocationId".
var aliases = map[reflect.Type]map[string]string{
	reflect.TypeFor[MetadataV02](): {"buildInvocationID": "buildInvocationId"},
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[reflect.Type]*schema{}
)

// schemaFor returns the schema of t, built from its json struct tags.
func schemaFor(t reflect.Type) *schema {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	return buildSchema(t)
}

var (
	timeType      = reflect.TypeFor[Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	numberType    = reflect.TypeFor[json.Number]()
	unmarshalType = reflect.TypeFor[json.Unmarshaler]()
)

func buildSchema(t reflect.Type) *schema {
	if s, ok := schemaCache[t]; ok {
		return s
	}
	s := &schema{}
	schemaCache[t] = s // before recursing, for recursive types
	switch {
	case t == timeType:
		s.kind = kindTime
	case t == rawType:
		s.kind = kindAny
	case t == numberType:
		s.kind = kindNumber
	case t.Kind() == reflect.Pointer:
		*s = *buildSchema(t.Elem())
	case reflect.PointerTo(t).Implements(unmarshalType) || t.Implements(unmarshalType):
		s.kind = kindAny // decodes itself
	default:
		switch t.Kind() {
		case reflect.String:
			s.kind = kindString
		case reflect.Bool:
			s.kind = kindBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			s.kind = kindNumber
		case reflect.Slice:
			if t.Elem().Kind() == reflect.Uint8 {
				s.kind = kindBytes
			} else {
				s.kind, s.elem = kindArray, buildSchema(t.Elem())
			}
		case reflect.Map:
			s.kind, s.elem = kindMap, buildSchema(t.Elem())
		case reflect.Struct:
			s.kind = kindObject
			s.fields = map[string]*schema{}
			addFields(s, t)
			s.alias = aliases[t]
		case reflect.Interface:
			s.kind, s.iface = kindAny, true
		default:
			s.kind = kindAny
		}
	}
	return s
}

// addFields adds the members of struct type t to s, flattening untagged
// embedded structs as encoding/json does.
func addFields(s *schema, t reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addFields(s, f.Type)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s.fields[name] = buildSchema(f.Type)
		s.names = append(s.names, name)
	}
}

// checkJSON checks that data is one JSON value (RFC 8259, UTF-8, no lone
// surrogate escapes, no duplicate member names, nesting at most maxDepth)
// whose shape fits sch, with nothing after it but whitespace. Errors are
// *FieldError values under root wrapping ErrMalformed.
func checkJSON(data []byte, sch *schema, root string) error {
	_, err := check(data, sch, root)
	return err
}

// check is checkJSON that also reports whether a number occurs where sch
// has a Go interface: only there does decoding need json.Number.
func check(data []byte, sch *schema, root string) (ifaceNumbers bool, err error) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return false, &FieldError{Path: root, Err: fmt.Errorf("invalid UTF-8 at offset %d: %w", off, ErrMalformed)}
	}
	c := checkers.Get().(*checker)
	defer c.release()
	c.data, c.root = data, root
	c.skipSpace()
	if sch != nil && sch.kind != kindAny && bytes.HasPrefix(data[c.pos:], []byte("null")) {
		return false, c.fail("want %s, got null", sch.kind)
	}
	if err := c.value(sch, 0); err != nil {
		return false, err
	}
	c.skipSpace()
	if c.pos != len(data) {
		return false, &FieldError{Path: root, Err: fmt.Errorf("unexpected data after the JSON value at offset %d: %w", c.pos, ErrMalformed)}
	}
	return c.ifaceNumbers, nil
}

type checker struct {
	data  []byte
	root  string // the path of the whole value, for errors
	stack []step // the path below root of the value being checked
	pos   int
	// ifaceNumbers: a number was found where the schema has an interface.
	ifaceNumbers bool
	buf          []byte // scratch for decoded strings
}

// checkers keeps checkers, with their path stack and scratch buffer, for
// reuse: checking allocates nothing of its own for valid input.
var checkers = sync.Pool{New: func() any { return &checker{stack: make([]step, 0, 16)} }}

// release empties c, dropping its references to the input, and returns it
// to the pool.
func (c *checker) release() {
	clear(c.stack[:cap(c.stack)])
	buf := c.buf[:0]
	if cap(buf) > 64<<10 {
		buf = nil // a huge escaped string's buffer is not worth keeping
	}
	*c = checker{stack: c.stack[:0], buf: buf}
	checkers.Put(c)
}

// step is one level of the path to the value being checked: a member's
// name, or an array element's index (name nil).
type step struct {
	name  []byte
	index int
}

// path returns the path of the value being checked, built from the stack
// only when an error names it, so that checking valid JSON builds no path
// strings.
func (c *checker) path() string {
	p := c.root
	for _, st := range c.stack {
		if st.name == nil {
			p = index(p, st.index)
		} else {
			p = member(p, string(st.name))
		}
	}
	return p
}

func (c *checker) fail(format string, args ...any) error {
	return &FieldError{Path: c.path(), Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrMalformed)}
}

func (c *checker) skipSpace() {
	for c.pos < len(c.data) {
		switch c.data[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// describe names the JSON value starting at the current position.
func (c *checker) describe() string {
	if c.pos >= len(c.data) {
		return "end of input"
	}
	switch b := c.data[c.pos]; {
	case b == '{':
		return "an object"
	case b == '[':
		return "an array"
	case b == '"':
		return "a string"
	case b == 't' || b == 'f':
		return "a boolean"
	case b == '-' || isDigit(b):
		return "a number"
	default:
		return fmt.Sprintf("%q", rune(b))
	}
}

func (c *checker) value(sch *schema, depth int) error {
	if c.pos >= len(c.data) {
		return c.fail("unexpected end of input")
	}
	if depth > maxDepth {
		return &FieldError{Path: truncate(c.path(), 40), Err: fmt.Errorf("nested more than %d levels deep at offset %d: %w", maxDepth, c.pos, ErrMalformed)}
	}
	k := kindAny
	if sch != nil {
		k = sch.kind
	}
	b := c.data[c.pos]
	if b == 'n' { // null is accepted for every Go type, as encoding/json does
		return c.literal("null")
	}
	want := func() error {
		return c.fail("want %s, got %s", k, c.describe())
	}
	switch b {
	case '{':
		if k != kindAny && k != kindObject && k != kindMap {
			return want()
		}
		return c.object(sch, depth)
	case '[':
		if k != kindAny && k != kindArray {
			return want()
		}
		var elem *schema
		if k == kindArray || sch != nil && sch.iface {
			elem = sch.elem
			if sch.iface {
				elem = sch // the elements are interfaces too
			}
		}
		return c.array(elem, depth)
	case '"':
		if k != kindAny && k != kindString && k != kindBytes && k != kindTime {
			return want()
		}
		start := c.pos
		s, _, err := c.str()
		if err != nil {
			return err
		}
		switch k {
		case kindBytes:
			// encoding/json decodes []byte with base64.StdEncoding, which
			// skips \r and \n.
			if _, err := base64.StdEncoding.DecodeString(string(s)); err != nil {
				return c.fail("want standard base64 (offset %d)", start)
			}
		case kindTime:
			if _, err := ParseTime(string(s)); err != nil {
				return &FieldError{Path: c.path(), Err: err}
			}
		}
		return nil
	case 't', 'f':
		if k != kindAny && k != kindBool {
			return want()
		}
		if b == 't' {
			return c.literal("true")
		}
		return c.literal("false")
	}
	if b == '-' || isDigit(b) {
		if k != kindAny && k != kindNumber {
			return want()
		}
		if sch != nil && sch.iface {
			c.ifaceNumbers = true
		}
		return c.number()
	}
	return c.fail("invalid character %q at offset %d", rune(b), c.pos)
}

func (c *checker) literal(lit string) error {
	if !bytes.HasPrefix(c.data[c.pos:], []byte(lit)) {
		return c.fail("invalid literal at offset %d", c.pos)
	}
	c.pos += len(lit)
	return nil
}

// number checks the RFC 8259 number grammar.
func (c *checker) number() error {
	end := numberEnd(c.data, c.pos)
	if end < 0 {
		return c.fail("invalid number at offset %d", c.pos)
	}
	c.pos = end
	return nil
}

// numberEnd returns the offset just past the RFC 8259 number starting at
// offset i of d, or -1 when none starts there.
func numberEnd[T string | []byte](d T, i int) int {
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	default:
		return -1
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	return i
}

// str reads a string token and returns its decoded value: a slice of the
// input when the token has no escape (stable is then true), else of the
// scratch buffer, valid only until the next call. It rejects control
// characters and lone surrogates.
func (c *checker) str() (b []byte, stable bool, err error) {
	start := c.pos
	c.pos++ // opening quote
	d := c.data
	// The common case: no escape, the value is the input's bytes.
	for i := c.pos; i < len(d); i++ {
		if ch := d[i]; ch == '"' {
			c.pos = i + 1
			return d[start+1 : i], true, nil
		} else if ch == '\\' || ch < 0x20 {
			break
		}
	}
	c.buf = c.buf[:0]
	for c.pos < len(d) {
		b := d[c.pos]
		switch {
		case b == '"':
			c.pos++
			return c.buf, false, nil
		case b < 0x20:
			return nil, false, c.fail("control character in string at offset %d", c.pos)
		case b == '\\':
			if c.pos+1 >= len(d) {
				return nil, false, c.fail("unterminated string at offset %d", start)
			}
			e := d[c.pos+1]
			c.pos += 2
			switch e {
			case '"', '\\', '/':
				c.buf = append(c.buf, e)
			case 'b':
				c.buf = append(c.buf, '\b')
			case 'f':
				c.buf = append(c.buf, '\f')
			case 'n':
				c.buf = append(c.buf, '\n')
			case 'r':
				c.buf = append(c.buf, '\r')
			case 't':
				c.buf = append(c.buf, '\t')
			case 'u':
				r, ok := c.hex4()
				if !ok {
					return nil, false, c.fail("invalid \\u escape at offset %d", c.pos-2)
				}
				if utf16.IsSurrogate(r) {
					// A high surrogate must be followed by an escaped low one.
					at := c.pos - 6
					if r >= 0xDC00 || c.pos+1 >= len(d) || d[c.pos] != '\\' || d[c.pos+1] != 'u' {
						return nil, false, c.fail("lone UTF-16 surrogate escape at offset %d", at)
					}
					c.pos += 2
					r2, ok := c.hex4()
					if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
						return nil, false, c.fail("lone UTF-16 surrogate escape at offset %d", at)
					}
					r = utf16.DecodeRune(r, r2)
				}
				c.buf = utf8.AppendRune(c.buf, r)
			default:
				return nil, false, c.fail("invalid escape %q at offset %d", "\\"+string(rune(e)), c.pos-2)
			}
		default:
			c.buf = append(c.buf, b)
			c.pos++
		}
	}
	return nil, false, c.fail("unterminated string at offset %d", start)
}

func (c *checker) hex4() (rune, bool) {
	if c.pos+4 > len(c.data) {
		return 0, false
	}
	var r rune
	for _, b := range c.data[c.pos : c.pos+4] {
		var v byte
		switch {
		case isDigit(b):
			v = b - '0'
		case 'a' <= b && b <= 'f':
			v = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			v = b - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	c.pos += 4
	return r, true
}

// memberSet remembers the member names of one object, to find duplicates:
// in a fixed array while the object is small, in a map beyond.
type memberSet struct {
	list [16][]byte
	n    int
	m    map[string]bool
}

// add records name (which must stay valid: the input's bytes or a copy) and
// reports whether it was new.
func (ms *memberSet) add(name []byte) bool {
	if ms.m != nil {
		if ms.m[string(name)] {
			return false
		}
		ms.m[string(name)] = true
		return true
	}
	for _, n := range ms.list[:ms.n] {
		if bytes.Equal(n, name) {
			return false
		}
	}
	if ms.n < len(ms.list) {
		ms.list[ms.n] = name
		ms.n++
		return true
	}
	ms.m = make(map[string]bool, 2*len(ms.list))
	for _, n := range ms.list {
		ms.m[string(n)] = true
	}
	ms.m[string(name)] = true
	return true
}

func (c *checker) object(sch *schema, depth int) error {
	c.pos++ // {
	c.skipSpace()
	if c.pos < len(c.data) && c.data[c.pos] == '}' {
		c.pos++
		return nil
	}
	var seen memberSet
	for {
		if c.pos >= len(c.data) || c.data[c.pos] != '"' {
			return c.fail("want a member name at offset %d", c.pos)
		}
		name, stable, err := c.str()
		if err != nil {
			return err
		}
		if !stable {
			name = bytes.Clone(name) // the scratch buffer is reused
		}
		c.stack = append(c.stack, step{name: name})
		canonical := name
		var child *schema
		if sch != nil {
			switch {
			case sch.iface:
				child = sch // the members are interfaces too
			case sch.kind == kindMap:
				child = sch.elem
			case sch.kind == kindObject:
				if a, ok := sch.alias[string(name)]; ok {
					canonical = []byte(a)
				}
				if f, ok := sch.fields[string(canonical)]; ok {
					child = f
				} else {
					for _, n := range sch.names {
						if strings.EqualFold(n, string(name)) {
							return c.fail("member name is case-sensitive: want %q", n)
						}
					}
				}
			}
		}
		if !seen.add(canonical) {
			if !bytes.Equal(canonical, name) {
				return c.fail("duplicate member (also spelled %q)", canonical)
			}
			return c.fail("duplicate member")
		}
		c.skipSpace()
		if c.pos >= len(c.data) || c.data[c.pos] != ':' {
			return c.fail("want ':' at offset %d", c.pos)
		}
		c.pos++
		c.skipSpace()
		if err := c.value(child, depth+1); err != nil {
			return err
		}
		c.stack = c.stack[:len(c.stack)-1]
		if more, err := c.next('}', "object"); !more {
			return err
		}
	}
}

func (c *checker) array(elem *schema, depth int) error {
	c.pos++ // [
	c.skipSpace()
	if c.pos < len(c.data) && c.data[c.pos] == ']' {
		c.pos++
		return nil
	}
	for i := 0; ; i++ {
		c.stack = append(c.stack, step{index: i})
		if err := c.value(elem, depth+1); err != nil {
			return err
		}
		c.stack = c.stack[:len(c.stack)-1]
		if more, err := c.next(']', "array"); !more {
			return err
		}
	}
}

// next reads what follows a member of an object or an element of an array
// (in names which): a ',', after which another comes (more is true), or
// end, the closing bracket.
func (c *checker) next(end byte, in string) (more bool, err error) {
	c.skipSpace()
	if c.pos >= len(c.data) {
		return false, c.fail("unexpected end of input in %s", in)
	}
	switch c.data[c.pos] {
	case ',':
		c.pos++
		c.skipSpace()
		return true, nil
	case end:
		c.pos++
		return false, nil
	}
	return false, c.fail("want ',' or '%c' at offset %d", end, c.pos)
}

// decodeStrict checks data with checkJSON against v's type and then decodes
// it into v with json.Number for numbers in interfaces. Errors are *FieldError values
// under root wrapping ErrMalformed (or ErrInvalidTime for a bad time).
func decodeStrict(data []byte, v any, root string) error {
	t := reflect.TypeOf(v)
	ifaceNumbers, err := check(data, schemaFor(t), root)
	if err != nil {
		return err
	}
	if ifaceNumbers {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		err = dec.Decode(v)
	} else {
		// No number goes into an interface, so UseNumber would change
		// nothing, and json.Unmarshal decodes in place, without copying
		// the input into a growing buffer as a Decoder does.
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		// checkJSON accepted it, so this is a value encoding/json refuses
		// for its own reasons (a number too large for an int field, say).
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &FieldError{Path: joinPath(root, te.Field), Err: fmt.Errorf("cannot decode %s: %w", te.Value, ErrMalformed)}
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			return prefixErr(root, fe)
		}
		if errors.Is(err, ErrInvalidTime) {
			return &FieldError{Path: root, Err: err}
		}
		return &FieldError{Path: root, Err: fmt.Errorf("%v: %w", err, ErrMalformed)}
	}
	return nil
}
