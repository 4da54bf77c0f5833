package lockfile

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
)

// decodeBase64Hex decodes s as base64 in any of its four spellings and, if
// it yields exactly size bytes, returns them as lowercase hex.
func decodeBase64Hex(s string, size int) (string, bool) {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		if b, err := enc.Strict().DecodeString(s); err == nil && len(b) == size {
			return hex.EncodeToString(b), true
		}
	}
	return "", false
}

// urlFileName returns the last path segment of a URL, percent-decoded, or
// "" when there is none.
func urlFileName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := u.Path
	if p == "" {
		p = u.Opaque
	}
	base := path.Base(p)
	if base == "." || base == "/" {
		return ""
	}
	return base
}

// fileName is a locked file's name: as the lock gives it, or else the last
// segment of its URL or of its path.
func fileName(name, rawURL, path string) string {
	switch {
	case name != "":
		return name
	case rawURL != "":
		return urlFileName(rawURL)
	}
	return pathBase(path)
}

// pathBase returns the last element of a '/' or '\' separated path.
func pathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// stripFragment returns raw without its "#..." fragment, and the fragment.
func stripFragment(raw string) (string, string) {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		return raw[:i], raw[i+1:]
	}
	return raw, ""
}
