package pypi

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxNameLength bounds project names and versions accepted by the parsers
// (PyPI itself caps names far below this).
const MaxNameLength = 256

// nameRE is the PEP 508 project-name grammar (ASCII letters and digits,
// with '.', '_' and '-' inside).
var nameRE = regexp.MustCompile(`^(?i:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$`)

// ValidName reports whether name is a valid PEP 508 project name.
func ValidName(name string) bool {
	return len(name) <= MaxNameLength && nameRE.MatchString(name)
}

// CheckName returns nil for a valid PEP 508 project name, or an error
// wrapping ErrName that quotes it.
func CheckName(name string) error {
	if !ValidName(name) {
		return fmt.Errorf("%q: %w", truncate(name), ErrName)
	}
	return nil
}

// NormalizeName returns the PEP 503 normalized form of a project name:
// lowercase, with every run of '-', '_' and '.' replaced by one '-'. It does
// not validate the name.
func NormalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_' || c == '.':
			sep = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteByte(c)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// EscapeName returns the form a project name takes in wheel and PEP 625
// sdist file names: normalized, with '_' for the separator.
func EscapeName(name string) string {
	return strings.ReplaceAll(NormalizeName(name), "-", "_")
}

// truncate shortens s for use in an error message.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// versionRE is PEP 440's version grammar (as the packaging library spells
// it), anchored and case-insensitive.
var versionRE = regexp.MustCompile(`(?i)^\s*v?` +
	`(?:(?P<epoch>[0-9]+)!)?` +
	`(?P<release>[0-9]+(?:\.[0-9]+)*)` +
	`(?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?` +
	`(?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?` +
	`(?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?` +
	`(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$`)

// Version is a parsed PEP 440 version.
type Version struct {
	Epoch   string   // "" when absent (0)
	Release []string // numeric components without leading zeros
	Pre     string   // "a", "b" or "rc", "" when absent
	PreN    string
	Post    string // post-release number, "" when absent
	Dev     string // dev-release number, "" when absent
	Local   string // local version label, lowercased, '.'-separated
	HasPost bool
	HasDev  bool
}

// ParseVersion parses a PEP 440 version, accepting the spellings PEP 440
// normalizes ("1.0-Beta.2", "v1.0.POST"). It returns an error wrapping
// ErrVersion for anything else.
func ParseVersion(s string) (Version, error) {
	if len(s) > MaxNameLength {
		return Version{}, fmt.Errorf("%q: longer than %d bytes: %w", truncate(s), MaxNameLength, ErrVersion)
	}
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("%q: %w", truncate(s), ErrVersion)
	}
	g := func(name string) string { return m[versionRE.SubexpIndex(name)] }
	var v Version
	if e := trimZeros(g("epoch")); e != "" && e != "0" {
		v.Epoch = e
	}
	for _, part := range strings.Split(g("release"), ".") {
		v.Release = append(v.Release, trimZeros(part))
	}
	if l := strings.ToLower(g("pre_l")); l != "" {
		switch l {
		case "alpha", "a":
			v.Pre = "a"
		case "beta", "b":
			v.Pre = "b"
		default:
			v.Pre = "rc"
		}
		v.PreN = trimZeros(g("pre_n"))
		if v.PreN == "" {
			v.PreN = "0"
		}
	}
	if g("post") != "" {
		v.HasPost = true
		v.Post = trimZeros(g("post_n1") + g("post_n2"))
		if v.Post == "" {
			v.Post = "0"
		}
	}
	if g("dev") != "" {
		v.HasDev = true
		v.Dev = trimZeros(g("dev_n"))
		if v.Dev == "" {
			v.Dev = "0"
		}
	}
	if l := g("local"); l != "" {
		v.Local = strings.Map(func(r rune) rune {
			if r == '-' || r == '_' {
				return '.'
			}
			return r
		}, strings.ToLower(l))
	}
	return v, nil
}

// trimZeros strips leading zeros from a decimal number, keeping one "0".
func trimZeros(s string) string {
	if s == "" {
		return ""
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// String returns the normalized form of the version ("1!2.0rc1.post0.dev3+abc").
func (v Version) String() string {
	return v.format(v.Release)
}

func (v Version) format(release []string) string {
	var b strings.Builder
	if v.Epoch != "" {
		b.WriteString(v.Epoch + "!")
	}
	b.WriteString(strings.Join(release, "."))
	if v.Pre != "" {
		b.WriteString(v.Pre + v.PreN)
	}
	if v.HasPost {
		b.WriteString(".post" + v.Post)
	}
	if v.HasDev {
		b.WriteString(".dev" + v.Dev)
	}
	if v.Local != "" {
		b.WriteString("+" + v.Local)
	}
	return b.String()
}

// canonical is the normalized form with trailing zero release components
// dropped, so "1.0" and "1.0.0" compare equal as PEP 440 says they do.
func (v Version) canonical() string {
	r := v.Release
	for len(r) > 1 && r[len(r)-1] == "0" {
		r = r[:len(r)-1]
	}
	return v.format(r)
}

// NormalizeVersion returns the PEP 440 normalized form of a version, or an
// error wrapping ErrVersion when it is not a PEP 440 version.
func NormalizeVersion(s string) (string, error) {
	v, err := ParseVersion(s)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// SameVersion reports whether two versions are equal under PEP 440 ("1.0",
// "1.0.0" and "v1.0" are the same version). Strings that are not PEP 440
// versions are compared exactly.
func SameVersion(a, b string) bool {
	if a == b {
		return true
	}
	va, errA := ParseVersion(a)
	vb, errB := ParseVersion(b)
	if errA != nil || errB != nil {
		return false
	}
	return va.canonical() == vb.canonical()
}
