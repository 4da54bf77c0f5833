package sbom

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

const (
	toolName   = "pedigree"
	timeFormat = "2006-01-02T15:04:05Z"
)

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

// safeIRI reports whether s can be written where the schemas want a URI or
// IRI reference: it parses as a URL and holds no spaces or control
// characters.
func safeIRI(s string) bool {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
