package pypi

import (
	"fmt"
	"strings"
)

// MaxRequirementLength bounds one PEP 508 requirement string.
const MaxRequirementLength = 64 << 10

// Requirement is a parsed PEP 508 dependency specification, as in
// Requires-Dist or a requirements file:
// "name[extra1,extra2] >=1.0,<2 ; python_version < '3.11'" or
// "name @ https://host/name-1.0-py3-none-any.whl".
type Requirement struct {
	// Name is the project name as written.
	Name string `json:"name"`
	// Extras are the requested extras, as written.
	Extras []string `json:"extras,omitempty"`
	// Specifier is the version specifier with whitespace removed
	// (">=1.0,<2"); empty for any version or a URL requirement.
	Specifier string `json:"specifier,omitempty"`
	// URL is the direct reference of a "name @ url" requirement.
	URL string `json:"url,omitempty"`
	// Marker is the environment marker after ';', trimmed; empty if none.
	Marker string `json:"marker,omitempty"`
}

// specifierOps lists PEP 440 comparison operators, longest first.
var specifierOps = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseRequirement parses a PEP 508 requirement. It also accepts the
// parenthesized specifier form ("pytest (>=6,!=8.1.*)") that older
// metadata and poetry.lock extras use. It returns an error wrapping
// ErrRequirement that says what is wrong and where.
func ParseRequirement(s string) (Requirement, error) {
	p := &reqParser{s: s}
	r, err := p.parse()
	if err != nil {
		return Requirement{}, fmt.Errorf("%q: %w", truncate(s), err)
	}
	return r, nil
}

type reqParser struct {
	s string
	i int
}

func (p *reqParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at offset %d: %w", fmt.Sprintf(format, args...), p.i, ErrRequirement)
}

func (p *reqParser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *reqParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}

func (p *reqParser) name() (string, error) {
	start := p.i
	for p.i < len(p.s) && isNameByte(p.s[p.i]) {
		p.i++
	}
	n := p.s[start:p.i]
	if n == "" {
		return "", p.errorf("want a project name")
	}
	if !ValidName(n) {
		p.i = start
		return "", p.errorf("invalid name %q", truncate(n))
	}
	return n, nil
}

func (p *reqParser) parse() (Requirement, error) {
	var r Requirement
	if len(p.s) > MaxRequirementLength {
		return r, fmt.Errorf("longer than %d bytes: %w", MaxRequirementLength, ErrTooLarge)
	}
	p.ws()
	var err error
	if r.Name, err = p.name(); err != nil {
		return r, err
	}
	p.ws()
	if p.peek() == '[' {
		p.i++
		for {
			p.ws()
			if p.peek() == ']' {
				p.i++
				break
			}
			e, err := p.name()
			if err != nil {
				return r, p.errorf("want an extra name or ']'")
			}
			r.Extras = append(r.Extras, e)
			p.ws()
			switch p.peek() {
			case ',':
				p.i++
			case ']':
			default:
				return r, p.errorf("want ',' or ']' in extras")
			}
		}
		p.ws()
	}
	switch c := p.peek(); {
	case c == '@':
		p.i++
		p.ws()
		start := p.i
		for p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		r.URL = p.s[start:p.i]
		if r.URL == "" || !strings.Contains(r.URL, ":") {
			p.i = start
			return r, p.errorf("want a URL after '@'")
		}
		p.ws()
		// A marker after a URL needs whitespace before ';' (the URL may
		// contain ';'), which the loop above guarantees.
	case c == '(':
		p.i++
		if r.Specifier, err = p.specifiers(')'); err != nil {
			return r, err
		}
		if p.peek() != ')' {
			return r, p.errorf("want ')'")
		}
		p.i++
		p.ws()
	case c == '=' || c == '!' || c == '<' || c == '>' || c == '~':
		if r.Specifier, err = p.specifiers(0); err != nil {
			return r, err
		}
	}
	p.ws()
	if p.peek() == ';' {
		p.i++
		r.Marker = strings.TrimSpace(p.s[p.i:])
		if err := checkMarker(r.Marker); err != nil {
			return r, p.errorf("marker: %v", err)
		}
		p.i = len(p.s)
	}
	p.ws()
	if p.i != len(p.s) {
		return r, p.errorf("unexpected %q", truncate(p.s[p.i:]))
	}
	return r, nil
}

// specifiers reads "op version (, op version)*" up to ';', the closing
// byte or the end.
func (p *reqParser) specifiers(closing byte) (string, error) {
	var parts []string
	for {
		p.ws()
		op := ""
		for _, o := range specifierOps {
			if strings.HasPrefix(p.s[p.i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return "", p.errorf("want a version operator")
		}
		p.i += len(op)
		p.ws()
		start := p.i
		for p.i < len(p.s) {
			c := p.s[p.i]
			if c == ',' || c == ';' || c == ' ' || c == '\t' || (closing != 0 && c == closing) {
				break
			}
			if op != "===" && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".*+!_-", c) >= 0) {
				return "", p.errorf("invalid character %q in version", c)
			}
			p.i++
		}
		v := p.s[start:p.i]
		if v == "" {
			return "", p.errorf("want a version after %q", op)
		}
		parts = append(parts, op+v)
		p.ws()
		if p.peek() != ',' {
			return strings.Join(parts, ","), nil
		}
		p.i++
	}
}

// checkMarker does a light syntax check of an environment marker: not
// empty, quotes closed, parentheses balanced.
func checkMarker(m string) error {
	if m == "" {
		return fmt.Errorf("empty")
	}
	depth := 0
	var quote byte
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return fmt.Errorf("unbalanced ')'")
			}
		}
	}
	if quote != 0 {
		return fmt.Errorf("unterminated string")
	}
	if depth != 0 {
		return fmt.Errorf("unbalanced '('")
	}
	return nil
}

// Pinned returns the exact version a requirement pins ("==1.2.3" or
// "===1.2.3", without wildcards or other clauses) and whether it pins one.
func (r Requirement) Pinned() (string, bool) {
	return PinnedVersion(r.Specifier)
}

// PinnedVersion returns the version of a specifier that is one exact pin:
// "==V" (without '*') or "===V".
func PinnedVersion(spec string) (string, bool) {
	spec = strings.TrimSpace(spec)
	if strings.Contains(spec, ",") {
		return "", false
	}
	if v, ok := strings.CutPrefix(spec, "==="); ok && v != "" {
		return v, true
	}
	if v, ok := strings.CutPrefix(spec, "=="); ok && v != "" && !strings.Contains(v, "*") {
		return strings.TrimSpace(v), true
	}
	return "", false
}

// String writes the requirement back in PEP 508 form.
func (r Requirement) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	if len(r.Extras) > 0 {
		b.WriteString("[" + strings.Join(r.Extras, ",") + "]")
	}
	if r.URL != "" {
		b.WriteString(" @ " + r.URL)
	} else {
		b.WriteString(r.Specifier)
	}
	if r.Marker != "" {
		if r.URL != "" {
			b.WriteString(" ")
		}
		b.WriteString("; " + r.Marker)
	}
	return b.String()
}
