package slsa

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// TypeURI is an in-toto TypeURI: an RFC 3986 URI naming a type
// ("https://slsa.dev/provenance/v1"). The in-toto field types spec requires
// it case-normalized per RFC 3986 §6.2.2.1; ParseTypeURI and Normalize do
// that, and Equal compares normalized forms. Struct fields holding type URIs
// stay plain strings; convert with TypeURI(s).
type TypeURI string

// ResourceURI is an in-toto ResourceURI: an RFC 3986 URI identifying or
// locating a resource ("pkg:pypi/requests@2.32.3",
// "git+https://github.com/org/repo@refs/tags/v1"). Normalization and
// comparison are as for TypeURI.
type ResourceURI string

// ParseTypeURI checks that s is an RFC 3986 URI (with a scheme) and returns
// it case-normalized. It returns an error wrapping ErrInvalidURI.
func ParseTypeURI(s string) (TypeURI, error) {
	n, err := normalizeURI(s)
	return TypeURI(n), err
}

// Validate checks that u is an RFC 3986 URI with a scheme. It does not
// require u to be normalized. It returns an error wrapping ErrInvalidURI.
func (u TypeURI) Validate() error {
	_, err := normalizeURI(string(u))
	return err
}

// Normalize returns u case-normalized per RFC 3986 §6.2.2.1 (scheme and host
// in lowercase, percent-encodings in uppercase hex). It returns an error
// wrapping ErrInvalidURI if u is not a URI.
func (u TypeURI) Normalize() (TypeURI, error) { return ParseTypeURI(string(u)) }

// Equal reports whether u and v name the same type after case
// normalization. If either is not a valid URI they are compared exactly.
func (u TypeURI) Equal(v TypeURI) bool { return uriEqual(string(u), string(v)) }

// String returns u as a string.
func (u TypeURI) String() string { return string(u) }

// ParseResourceURI checks that s is an RFC 3986 URI (with a scheme) and
// returns it case-normalized. It returns an error wrapping ErrInvalidURI.
func ParseResourceURI(s string) (ResourceURI, error) {
	n, err := normalizeURI(s)
	return ResourceURI(n), err
}

// Validate checks that u is an RFC 3986 URI with a scheme. It does not
// require u to be normalized. It returns an error wrapping ErrInvalidURI.
func (u ResourceURI) Validate() error {
	_, err := normalizeURI(string(u))
	return err
}

// Normalize returns u case-normalized per RFC 3986 §6.2.2.1 (scheme and host
// in lowercase, percent-encodings in uppercase hex). It returns an error
// wrapping ErrInvalidURI if u is not a URI.
func (u ResourceURI) Normalize() (ResourceURI, error) { return ParseResourceURI(string(u)) }

// Equal reports whether u and v identify the same resource after case
// normalization. If either is not a valid URI they are compared exactly.
func (u ResourceURI) Equal(v ResourceURI) bool { return uriEqual(string(u), string(v)) }

// String returns u as a string.
func (u ResourceURI) String() string { return string(u) }

// requireTypeURI checks a required TypeURI field at path, what naming it
// in the error ("want the build type URI"). Errors are *FieldError values
// wrapping ErrMissingField or ErrInvalidURI.
func requireTypeURI(v, path, what string) error {
	if v == "" {
		return &FieldError{Path: path, Err: fmt.Errorf("want the %s URI: %w", what, ErrMissingField)}
	}
	if err := TypeURI(v).Validate(); err != nil {
		return &FieldError{Path: path, Err: err}
	}
	return nil
}

// checkResourceURI checks an optional ResourceURI field at path. Errors are
// *FieldError values wrapping ErrInvalidURI.
func checkResourceURI(v, path string) error {
	if v == "" {
		return nil
	}
	if err := ResourceURI(v).Validate(); err != nil {
		return &FieldError{Path: path, Err: err}
	}
	return nil
}

func uriEqual(a, b string) bool {
	if a == b {
		return true
	}
	na, errA := normalizeURI(a)
	nb, errB := normalizeURI(b)
	if errA != nil || errB != nil {
		return false
	}
	return na == nb
}

// maxURILength bounds the URIs normalizeURI accepts (64 KiB): far beyond any
// real type or resource URI, small enough to keep error messages and work
// bounded.
const maxURILength = 64 << 10

// Character classes of RFC 3986 §2 and §3.
const (
	alpha      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits     = "0123456789"
	unreserved = alpha + digits + "-._~"
	subDelims  = "!$&'()*+,;="
	pcharSet   = unreserved + subDelims + ":@"
	schemeSet  = alpha + digits + "+-."
)

var (
	pathClass     = newCharClass(pcharSet + "/")
	queryClass    = newCharClass(pcharSet + "/?")
	userinfoClass = newCharClass(unreserved + subDelims + ":")
	regNameClass  = newCharClass(unreserved + subDelims)
	schemeClass   = newCharClass(schemeSet)
	futureClass   = newCharClass(unreserved + subDelims + ":")
)

type charClass [256]bool

func newCharClass(chars string) *charClass {
	var c charClass
	for i := 0; i < len(chars); i++ {
		c[chars[i]] = true
	}
	return &c
}

// normalizeURI checks s against the RFC 3986 "URI" rule (scheme ":"
// hier-part ["?" query] ["#" fragment]) and returns it with the scheme and
// host lowercased and percent-encodings uppercased (§6.2.2.1). Nothing else
// changes: no percent-decoding, no dot-segment removal.
func normalizeURI(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("want a URI, got an empty string: %w", ErrInvalidURI)
	}
	if len(s) > maxURILength {
		return "", fmt.Errorf("URI is %d bytes, more than the %d allowed: %w", len(s), maxURILength, ErrInvalidURI)
	}
	fail := func(format string, args ...any) (string, error) {
		return "", fmt.Errorf("%s in %q: %w", fmt.Sprintf(format, args...), truncate(s, 200), ErrInvalidURI)
	}
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return fail("want a scheme followed by ':'")
	}
	scheme := s[:colon]
	if !isAlpha(scheme[0]) {
		return fail("scheme must start with a letter")
	}
	for i := 0; i < len(scheme); i++ {
		if !schemeClass[scheme[i]] {
			return fail("invalid character %q in scheme", scheme[i])
		}
	}

	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(strings.ToLower(scheme))
	b.WriteByte(':')

	rest := s[colon+1:]
	fragment, hasFragment := "", false
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, fragment, hasFragment = rest[:i], rest[i+1:], true
	}
	query, hasQuery := "", false
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query, hasQuery = rest[:i], rest[i+1:], true
	}

	path := rest
	if strings.HasPrefix(rest, "//") {
		authority := rest[2:]
		path = ""
		if i := strings.IndexByte(authority, '/'); i >= 0 {
			authority, path = authority[:i], authority[i:]
		}
		if err := writeAuthority(&b, authority); err != nil {
			return fail("%v", err)
		}
	}
	if err := writeComponent(&b, path, pathClass, false); err != nil {
		return fail("path: %v", err)
	}
	if hasQuery {
		b.WriteByte('?')
		if err := writeComponent(&b, query, queryClass, false); err != nil {
			return fail("query: %v", err)
		}
	}
	if hasFragment {
		b.WriteByte('#')
		if err := writeComponent(&b, fragment, queryClass, false); err != nil {
			return fail("fragment: %v", err)
		}
	}
	return b.String(), nil
}

// writeAuthority checks and writes [userinfo "@"] host [":" port], with the
// host lowercased.
func writeAuthority(b *strings.Builder, authority string) error {
	b.WriteString("//")
	if i := strings.IndexByte(authority, '@'); i >= 0 {
		if err := writeComponent(b, authority[:i], userinfoClass, false); err != nil {
			return fmt.Errorf("userinfo: %v", err)
		}
		b.WriteByte('@')
		authority = authority[i+1:]
	}
	host, port := authority, ""
	hasPort := false
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return errors.New("IP literal without ']'")
		}
		literal := host[1:end]
		after := host[end+1:]
		if after != "" {
			if after[0] != ':' {
				return fmt.Errorf("unexpected %q after IP literal", after)
			}
			port, hasPort = after[1:], true
		}
		if err := checkIPLiteral(literal); err != nil {
			return err
		}
		b.WriteByte('[')
		b.WriteString(strings.ToLower(literal))
		b.WriteByte(']')
	} else {
		if i := strings.IndexByte(host, ':'); i >= 0 {
			host, port, hasPort = host[:i], host[i+1:], true
		}
		if err := writeComponent(b, host, regNameClass, true); err != nil {
			return fmt.Errorf("host: %v", err)
		}
	}
	if hasPort {
		for i := 0; i < len(port); i++ {
			if !isDigit(port[i]) {
				return fmt.Errorf("port %q is not a number", port)
			}
		}
		b.WriteByte(':')
		b.WriteString(port)
	}
	return nil
}

// checkIPLiteral checks the inside of "[...]": an IPv6 address (RFC 3986
// has no zone identifiers) or an IPvFuture.
func checkIPLiteral(s string) error {
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		dot := strings.IndexByte(s, '.')
		if dot < 2 || dot == len(s)-1 {
			return fmt.Errorf("invalid IPvFuture %q", s)
		}
		for i := 1; i < dot; i++ {
			if !isHex(s[i]) {
				return fmt.Errorf("invalid IPvFuture %q", s)
			}
		}
		for i := dot + 1; i < len(s); i++ {
			if !futureClass[s[i]] {
				return fmt.Errorf("invalid IPvFuture %q", s)
			}
		}
		return nil
	}
	if strings.IndexByte(s, '%') >= 0 {
		return fmt.Errorf("invalid IPv6 address %q (zone identifiers are not allowed)", s)
	}
	addr, err := netip.ParseAddr(s)
	if err != nil || !addr.Is6() {
		return fmt.Errorf("invalid IPv6 address %q", s)
	}
	return nil
}

// writeComponent checks that s holds only characters of class and
// well-formed percent-encodings, and writes it with the encodings' hex in
// uppercase (and, for a host, everything else in lowercase).
func writeComponent(b *strings.Builder, s string, class *charClass, lower bool) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("invalid percent-encoding at offset %d", i)
			}
			b.WriteByte('%')
			b.WriteByte(upperHex(s[i+1]))
			b.WriteByte(upperHex(s[i+2]))
			i += 2
		case class[c]:
			if lower && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		default:
			return fmt.Errorf("invalid character %q at offset %d", c, i)
		}
	}
	return nil
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - ('a' - 'A')
	}
	return c
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
