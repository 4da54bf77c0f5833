package digest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Errors of the subject list parsers and encoders. Parser errors start with
// the line number: "line 3: want 64 hex characters, got 63: malformed
// subject list"; every one wraps ErrSubjectList except ErrNoSubjects and
// ErrTooLarge, and a bad digest value wraps ErrInvalidDigest or ErrEmpty
// as well.
var (
	// ErrSubjectList: a subject list is malformed.
	ErrSubjectList = errors.New("malformed subject list")
	// ErrDuplicateSubject: a name is listed twice with different digests
	// of the same algorithm.
	ErrDuplicateSubject = errors.New("subject listed twice with different digests")
	// ErrNoSubjects: a subject list, or a path expansion, holds no subject.
	ErrNoSubjects = errors.New("no subjects")
	// ErrTooLarge: the input is larger than MaxSubjectListSize.
	ErrTooLarge = errors.New("subject list too large")
	// ErrMissingAlgorithm: a subject lacks the digest an encoding needs.
	ErrMissingAlgorithm = errors.New("digest algorithm missing")
	// ErrUnsupportedName: a subject name cannot be written in an encoding
	// without changing when read back.
	ErrUnsupportedName = errors.New("subject name not representable")
)

// MaxSubjectListSize bounds every subject list the parsers read (16 MiB:
// about 150,000 sha256sum lines).
const MaxSubjectListSize = 16 << 20

// Subject is one artifact named in an attestation: a name and its digests,
// the in-toto ResourceDescriptor fields a subject needs.
type Subject struct {
	Name   string `json:"name"`
	Digest Set    `json:"digest"`
}

// tagNames maps algorithms to the tags of coreutils' "--tag" (BSD) lines,
// "SHA256 (name) = hex"; pedigree adds tags for what coreutils lacks.
var tagNames = map[string]string{
	MD5:        "MD5",
	SHA1:       "SHA1",
	SHA224:     "SHA224",
	SHA256:     "SHA256",
	SHA384:     "SHA384",
	SHA512:     "SHA512",
	SHA512_224: "SHA512-224",
	SHA512_256: "SHA512-256",
	SHA3_224:   "SHA3-224",
	SHA3_256:   "SHA3-256",
	SHA3_384:   "SHA3-384",
	SHA3_512:   "SHA3-512",
	Blake2b:    "BLAKE2b",
	SM3:        "SM3",
	DirHash1:   "dirHash1",
}

// tagAlgorithm returns the algorithm of a BSD tag, or "".
func tagAlgorithm(tag string) string {
	for alg, t := range tagNames {
		if t == tag {
			return alg
		}
	}
	return ""
}

// readLimited reads all of r, failing with ErrTooLarge beyond max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("more than %d bytes: %w", max, ErrTooLarge)
	}
	return bytes.TrimPrefix(data, []byte("\uFEFF")), nil
}

// listBuilder collects subjects in first-seen order. A name seen again
// merges: the digests of an algorithm both carry must agree
// (ErrDuplicateSubject otherwise); other algorithms are added.
type listBuilder struct {
	subjects []Subject
	index    map[string]int
	lines    []int
}

func (b *listBuilder) add(line int, name, alg, value string) error {
	if b.index == nil {
		b.index = make(map[string]int)
	}
	i, ok := b.index[name]
	if !ok {
		b.index[name] = len(b.subjects)
		b.subjects = append(b.subjects, Subject{Name: name, Digest: Set{alg: value}})
		b.lines = append(b.lines, line)
		return nil
	}
	s := b.subjects[i]
	if old, ok := s.Digest[alg]; ok {
		if old != value {
			return fmt.Errorf("line %d: %q has %s %s, but line %d gave %s: %w: %w", line, name, alg, value, b.lines[i], old, ErrDuplicateSubject, ErrSubjectList)
		}
		return nil
	}
	s.Digest[alg] = value
	return nil
}

func (b *listBuilder) result() ([]Subject, error) {
	if len(b.subjects) == 0 {
		return nil, ErrNoSubjects
	}
	return b.subjects, nil
}

// lineError formats a parse error at a line, wrapping ErrSubjectList.
func lineError(line int, format string, args ...any) error {
	return fmt.Errorf("line %d: %s: %w", line, fmt.Sprintf(format, args...), ErrSubjectList)
}

// lineWrap is lineError for an error of its own (ErrInvalidDigest...),
// which stays visible to errors.Is.
func lineWrap(line int, what string, err error) error {
	return fmt.Errorf("line %d: %s: %w: %w", line, what, err, ErrSubjectList)
}

// sumLine is one parsed checksum line.
type sumLine struct {
	name, alg, value string
}

// parseSumLine parses one line of sha256sum output. It returns ok=false for
// a blank or comment line. GNU rules (gnu=true): leading blanks are
// skipped; a line starting with a backslash has an escaped name (\\, \n,
// \r); an untagged line is 64 hex digits, a space or tab, an optional mode
// character (' ' text, '*' binary) and the name, kept as is; a tagged line
// is "TAG (name) = hex". The slsa-github-generator rules (gnu=false) take
// untagged lines only and trim the name, dropping a '*' binary marker too.
// Hex digits are lowercased in both.
func parseSumLine(n int, line string, gnu bool) (sumLine, bool, error) {
	line = strings.TrimSuffix(line, "\r")
	if gnu {
		line = strings.TrimLeft(line, " \t")
	} else {
		line = strings.TrimSpace(line)
	}
	if line == "" || line[0] == '#' {
		return sumLine{}, false, nil
	}
	escaped := false
	if gnu && line[0] == '\\' {
		escaped = true
		line = line[1:]
	}
	hexEnd := strings.IndexAny(line, " \t")
	if hexEnd < 0 {
		hexEnd = len(line)
	}
	field := line[:hexEnd]
	if gnu && !isHex(field) {
		if tag, rest, ok := strings.Cut(line, " ("); ok && tagAlgorithm(tag) != "" {
			return parseTagged(n, tagAlgorithm(tag), rest, escaped)
		}
	}
	if len(field) != 64 {
		return sumLine{}, false, lineError(n, "want 64 hex characters, got %d", len(field))
	}
	value := strings.ToLower(field)
	if !isHex(value) {
		return sumLine{}, false, lineError(n, "want 64 hex characters, got %q", field)
	}
	rest := line[hexEnd:]
	if rest == "" {
		return sumLine{}, false, lineError(n, "want a file name after the digest")
	}
	var name string
	if gnu {
		rest = rest[1:] // the separator
		if rest != "" && (rest[0] == ' ' || rest[0] == '*') {
			rest = rest[1:] // the mode character
		}
		name = rest
	} else {
		name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "*"))
	}
	if escaped {
		var err error
		if name, err = unescapeName(name); err != nil {
			return sumLine{}, false, lineError(n, "%v", err)
		}
	}
	if name == "" {
		return sumLine{}, false, lineError(n, "want a file name after the digest")
	}
	return sumLine{name: name, alg: SHA256, value: value}, true, nil
}

// parseTagged parses the part of a tagged line after "TAG (".
func parseTagged(n int, alg, rest string, escaped bool) (sumLine, bool, error) {
	i := strings.LastIndex(rest, ") = ")
	if i < 0 {
		return sumLine{}, false, lineError(n, "want \"(name) = digest\" after the algorithm tag")
	}
	name, value := rest[:i], strings.TrimSpace(rest[i+len(") = "):])
	if escaped {
		var err error
		if name, err = unescapeName(name); err != nil {
			return sumLine{}, false, lineError(n, "%v", err)
		}
	}
	if name == "" {
		return sumLine{}, false, lineError(n, "want a file name in the parentheses")
	}
	if alg == DirHash1 && strings.HasPrefix(value, h1Prefix) {
		v, err := ParseH1(value)
		if err != nil {
			return sumLine{}, false, lineWrap(n, alg, err)
		}
		value = v
	}
	value = strings.ToLower(value)
	if err := ValidateValue(alg, value); err != nil {
		return sumLine{}, false, lineWrap(n, alg, err)
	}
	return sumLine{name: name, alg: alg, value: value}, true, nil
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// unescapeName undoes coreutils' escaping of names holding a backslash,
// newline or carriage return.
func unescapeName(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", errors.New("name ends with a lone backslash")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("unknown escape \\%c in name", s[i])
		}
	}
	return b.String(), nil
}

// escapeName escapes a name as coreutils does, reporting whether it had to.
func escapeName(s string) (string, bool) {
	if !strings.ContainsAny(s, "\\\n\r") {
		return s, false
	}
	r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)
	return r.Replace(s), true
}

// parseSums parses checksum lines with the GNU or slsa-github-generator rules.
func parseSums(data []byte, gnu bool) ([]Subject, error) {
	var b listBuilder
	n := 0
	for len(data) > 0 {
		n++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		l, ok, err := parseSumLine(n, string(line), gnu)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if err := b.add(n, l.name, l.alg, l.value); err != nil {
			return nil, err
		}
	}
	return b.result()
}

// ParseSHA256Sum parses the output of sha256sum (text or binary mode, and
// the "--tag" form "SHA256 (name) = hex", whose other algorithms are read
// too) as the GNU tool's -c reads it: blank lines and '#' comments are
// skipped, CRLF endings accepted, escaped names ("\" first) decoded. Hex is
// lowercased. A name on several lines must agree on each algorithm. At most
// MaxSubjectListSize bytes are read. Errors carry the line number and wrap
// ErrSubjectList (and ErrDuplicateSubject or ErrInvalidDigest where that is
// the cause), or are ErrNoSubjects or ErrTooLarge.
func ParseSHA256Sum(r io.Reader) ([]Subject, error) {
	data, err := readLimited(r, MaxSubjectListSize)
	if err != nil {
		return nil, err
	}
	return parseSums(data, true)
}

// ParseBase64Subjects parses slsa-github-generator's base64-subjects: the
// base64 of sha256sum output (line breaks in the base64 are ignored). As
// that generator does, blank lines are skipped, digests must be exactly 64
// hex characters and are lowercased, and names are trimmed; unlike it, a
// leading '*' (sha256sum's binary-mode marker) is dropped from a name, and
// a name listed twice with the same digest is kept once (it rejects any
// repeat). Errors carry the line number of the decoded text and wrap
// ErrSubjectList (and ErrDuplicateSubject where that is the cause), or are
// ErrNoSubjects or ErrTooLarge.
func ParseBase64Subjects(s string) ([]Subject, error) {
	if len(s) > base64.StdEncoding.EncodedLen(MaxSubjectListSize)+MaxSubjectListSize/32 {
		return nil, fmt.Errorf("base64 subjects: %w", ErrTooLarge)
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("base64 subjects: %v: %w", err, ErrSubjectList)
	}
	return parseSums(bytes.TrimPrefix(data, []byte("\uFEFF")), false)
}

// jsonSubject holds the ResourceDescriptor fields a subject list needs.
type jsonSubject struct {
	Name   *string           `json:"name"`
	Digest map[string]string `json:"digest"`
}

// ParseJSONSubjects parses a JSON array of in-toto ResourceDescriptors,
// reading each one's name (required) and digest (required, non-empty;
// values of known algorithms must be lowercase hex of the right length);
// other fields are ignored. A name listed twice must agree on each
// algorithm. At most MaxSubjectListSize bytes are read. Errors carry the
// line number and the element ("line 4: subject[1].digest.sha256: ...") and
// wrap ErrSubjectList (and ErrDuplicateSubject, ErrInvalidDigest or
// ErrEmpty where that is the cause), or are ErrNoSubjects or ErrTooLarge.
func ParseJSONSubjects(r io.Reader) ([]Subject, error) {
	data, err := readLimited(r, MaxSubjectListSize)
	if err != nil {
		return nil, err
	}
	return parseJSON(data)
}

func parseJSON(data []byte) ([]Subject, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(data, 0, err)
	}
	if tok != json.Delim('[') {
		return nil, lineError(lineAt(data, skipJSONSpace(data, 0)), "want a JSON array of subjects")
	}
	var b listBuilder
	for i := 0; dec.More(); i++ {
		start := skipJSONSpace(data, dec.InputOffset())
		line := lineAt(data, start)
		var js jsonSubject
		if err := dec.Decode(&js); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				field := te.Field
				if field != "" {
					field = "." + field
				}
				return nil, lineError(line, "subject[%d]%s: want %v, got JSON %s", i, field, te.Type, te.Value)
			}
			return nil, jsonError(data, start, err)
		}
		if js.Name == nil || *js.Name == "" {
			return nil, lineError(line, "subject[%d].name: want a name", i)
		}
		if len(js.Digest) == 0 {
			return nil, lineError(line, "subject[%d].digest: want at least one digest", i)
		}
		set := Set(js.Digest)
		for _, alg := range set.Algorithms() {
			if alg == "" {
				return nil, lineError(line, "subject[%d].digest: want an algorithm name, got \"\"", i)
			}
			if err := ValidateValue(alg, set[alg]); err != nil {
				return nil, lineWrap(line, fmt.Sprintf("subject[%d].digest.%s", i, alg), err)
			}
			if err := b.add(line, *js.Name, alg, set[alg]); err != nil {
				return nil, err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, jsonError(data, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, lineError(lineAt(data, skipJSONSpace(data, dec.InputOffset())), "want nothing after the JSON array")
	}
	return b.result()
}

// jsonError turns a decoding error into a line error.
func jsonError(data []byte, offset int64, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = se.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return lineError(lineAt(data, int64(len(data))), "unexpected end of JSON")
	}
	return lineError(lineAt(data, offset), "%v", err)
}

// skipJSONSpace returns the offset of the first byte at or after off that
// is neither JSON whitespace nor a comma.
func skipJSONSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineAt returns the 1-based line number of the byte at off.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// ParseSubjectList parses a subject list in any of the forms pedigree reads,
// told apart by content: a JSON array of ResourceDescriptors (first
// non-blank character '['), base64-subjects (a single token without
// blanks; sha256sum lines always have one), or sha256sum output. Errors are
// those of ParseJSONSubjects, ParseBase64Subjects and ParseSHA256Sum.
func ParseSubjectList(r io.Reader) ([]Subject, error) {
	data, err := readLimited(r, MaxSubjectListSize)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		return parseJSON(data)
	case len(trimmed) > 0 && !bytes.ContainsAny(trimmed, " \t"):
		return ParseBase64Subjects(string(trimmed))
	default:
		return parseSums(data, true)
	}
}

// EncodeSHA256Sum writes one "HEX  NAME" line per subject, the text-mode
// output of sha256sum, which `sha256sum -c` checks. Names holding a
// backslash, newline or carriage return are escaped as sha256sum does (the
// line starts with a backslash). A subject without a sha256 digest fails
// with ErrMissingAlgorithm; write errors are returned as they come.
func EncodeSHA256Sum(w io.Writer, subjects []Subject) error {
	return EncodeSums(w, subjects, SHA256)
}

// EncodeSums writes one untagged "HEX  NAME" line per subject with its
// digest of alg: the output of sha256sum, sha512sum and the like for that
// algorithm. Errors: ErrMissingAlgorithm, ErrInvalidDigest, or the write
// error.
func EncodeSums(w io.Writer, subjects []Subject, alg string) error {
	var b bytes.Buffer
	for i, s := range subjects {
		v, ok := s.Digest[alg]
		if !ok {
			return fmt.Errorf("subject[%d] %q: no %s digest: %w", i, s.Name, alg, ErrMissingAlgorithm)
		}
		if err := ValidateValue(alg, v); err != nil {
			return fmt.Errorf("subject[%d] %q: %s: %w", i, s.Name, alg, err)
		}
		if s.Name == "" {
			return fmt.Errorf("subject[%d]: empty name: %w", i, ErrUnsupportedName)
		}
		name, esc := escapeName(s.Name)
		if esc {
			b.WriteByte('\\')
		}
		b.WriteString(v)
		b.WriteString("  ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// EncodeTagged writes coreutils' tagged lines, "SHA256 (NAME) = HEX", one
// per subject and algorithm (in the order of algs, or every algorithm of
// the subject in sorted order when algs is empty); `cksum -c` checks them,
// and ParseSHA256Sum reads them back. A dirHash1 value is written as given,
// hex or the h1: form of H1 ("dirHash1 (NAME) = h1:..."). Errors: ErrMissingAlgorithm, ErrInvalidDigest,
// ErrUnsupportedAlgorithm (no tag for the algorithm), or the write error.
func EncodeTagged(w io.Writer, subjects []Subject, algs ...string) error {
	var b bytes.Buffer
	for i, s := range subjects {
		list := algs
		if len(list) == 0 {
			list = s.Digest.Algorithms()
		}
		if s.Name == "" {
			return fmt.Errorf("subject[%d]: empty name: %w", i, ErrUnsupportedName)
		}
		name, esc := escapeName(s.Name)
		for _, alg := range list {
			tag, ok := tagNames[alg]
			if !ok {
				return fmt.Errorf("subject[%d] %q: no tag for %s: %w", i, s.Name, alg, ErrUnsupportedAlgorithm)
			}
			v, ok := s.Digest[alg]
			if !ok {
				return fmt.Errorf("subject[%d] %q: no %s digest: %w", i, s.Name, alg, ErrMissingAlgorithm)
			}
			if alg == DirHash1 && strings.HasPrefix(v, h1Prefix) {
				if _, err := ParseH1(v); err != nil {
					return fmt.Errorf("subject[%d] %q: %s: %w", i, s.Name, alg, err)
				}
			} else if err := ValidateValue(alg, v); err != nil {
				return fmt.Errorf("subject[%d] %q: %s: %w", i, s.Name, alg, err)
			}
			if esc {
				b.WriteByte('\\')
			}
			fmt.Fprintf(&b, "%s (%s) = %s\n", tag, name, v)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// EncodeBase64Subjects returns the base64 of the sha256sum output for
// subjects: slsa-github-generator's base64-subjects. A subject without a
// sha256 digest fails with ErrMissingAlgorithm; a name the generator would
// read back differently (leading or trailing blanks, a leading '*', a
// newline, carriage return or backslash) fails with ErrUnsupportedName.
func EncodeBase64Subjects(subjects []Subject) (string, error) {
	for i, s := range subjects {
		if s.Name != strings.TrimSpace(s.Name) || strings.HasPrefix(s.Name, "*") || strings.ContainsAny(s.Name, "\\\n\r") {
			return "", fmt.Errorf("subject[%d] %q: base64-subjects cannot carry this name: %w", i, s.Name, ErrUnsupportedName)
		}
	}
	var b bytes.Buffer
	if err := EncodeSums(&b, subjects, SHA256); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b.Bytes()), nil
}
