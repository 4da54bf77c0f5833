package sbom

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
)

const (
	toolName   = "pedigree"
	timeFormat = "2006-01-02T15:04:05Z"
)

// zeroUUID stands in for the content UUID while the document is encoded.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// contentUUID derives an RFC 9562 version 8 UUID from the SHA-256 of data:
// the same document content always gets the same serial number, different
// content a different one.
func contentUUID(data []byte) string {
	sum := sha256.Sum256(data)
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80 // version 8
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// fillContentUUID overwrites, in place, the zeroUUID that follows the
// first occurrence of prefix in data with the content UUID of data as it is
// (placeholder included), so the document's id depends on all the rest.
func fillContentUUID(data []byte, prefix string) {
	if i := bytes.Index(data, []byte(prefix+zeroUUID)); i >= 0 {
		copy(data[i+len(prefix):], contentUUID(data))
	}
}

// safeIRI reports whether s can be written where the schemas want a URI or
// IRI reference (the checks of the validator's iri-reference format): it
// parses as a URL, an IPv6 host is bracketed and valid, and it holds no
// backslash, space or control character. Values that fail are left out of
// the document rather than making it invalid.
func safeIRI(s string) bool {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if host := u.Hostname(); strings.Contains(host, ":") {
		return strings.Contains(u.Host, "[") && strings.Contains(u.Host, "]") && net.ParseIP(host) != nil
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
