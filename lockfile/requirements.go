package lockfile

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// More sentinels for requirements files.
var (
	// ErrConflict: a requirements file pins one project to two different
	// versions or sources.
	ErrConflict = errors.New("conflicting requirements")
)

// maxIncludeDepth bounds -r/-c nesting.
const maxIncludeDepth = 16

// requirementHashAlgorithms are the algorithms pip accepts in --hash.
var requirementHashAlgorithms = []string{digest.SHA256, digest.SHA384, digest.SHA512}

// stripComment removes a comment as pip's COMMENT_RE, `(^|\s+)#.*$`,
// does: a '#' at the start of the line or after whitespace starts one.
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || isSpace(s[i-1])) {
			return s[:i]
		}
	}
	return s
}

// isCommentLine reports whether COMMENT_RE matches at the start of the
// line: its first non-blank character is '#'.
func isCommentLine(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n\f\v")
	return strings.HasPrefix(t, "#")
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// reqReader parses one requirements file and the files it includes.
type reqReader struct {
	lock *Lock
	// read returns an included file's bytes, or nil to leave includes
	// unresolved (Parse).
	read  func(path string) ([]byte, error)
	stack []string // include chain, for loop detection
	// hashRequired is set by --require-hashes.
	hashRequired bool
}

// logicalLine is a line after joining '\' continuations and removing
// comments, with the number of its first physical line.
type logicalLine struct {
	n    int
	text string
}

// logicalLines implements pip's join_lines and ignore_comments.
func logicalLines(data []byte) []logicalLine {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	raw := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []logicalLine
	var parts []string
	first := 0
	emit := func(n int, s string) {
		s = strings.TrimSpace(stripComment(s))
		if s != "" {
			out = append(out, logicalLine{n, s})
		}
	}
	for i, line := range raw {
		n := i + 1
		isComment := isCommentLine(line)
		if !strings.HasSuffix(line, `\`) || isComment {
			if isComment {
				line = " " + line
			}
			if parts != nil {
				parts = append(parts, line)
				emit(first, strings.Join(parts, ""))
				parts = nil
			} else {
				emit(n, line)
			}
			continue
		}
		if parts == nil {
			first = n
			parts = []string{}
		}
		parts = append(parts, strings.TrimRight(line, `\`))
	}
	if parts != nil {
		emit(first, strings.Join(parts, ""))
	}
	return out
}

// option describes one pip option allowed in a requirements file.
type option struct {
	long, short string
	value       bool
	perReq      bool // allowed after a requirement on the same line
}

var reqOptions = []option{
	{"--requirement", "-r", true, false},
	{"--constraint", "-c", true, false},
	{"--editable", "-e", true, false},
	{"--index-url", "-i", true, false},
	{"--extra-index-url", "", true, false},
	{"--no-index", "", false, false},
	{"--find-links", "-f", true, false},
	{"--no-binary", "", true, false},
	{"--only-binary", "", true, false},
	{"--prefer-binary", "", false, false},
	{"--require-hashes", "", false, false},
	{"--pre", "", false, false},
	{"--trusted-host", "", true, false},
	{"--use-feature", "", true, false},
	{"--hash", "", true, true},
	{"--config-settings", "", true, true},
	{"--global-option", "", true, true},
}

// lookupOption finds an option by its short name, long name or a unique
// prefix of a long name (optparse's rule).
func lookupOption(name string) (option, error) {
	if !strings.HasPrefix(name, "--") {
		for _, o := range reqOptions {
			if o.short == name {
				return o, nil
			}
		}
		return option{}, fmt.Errorf("no such option: %s", name)
	}
	var match []option
	for _, o := range reqOptions {
		if o.long == name {
			return o, nil
		}
		if strings.HasPrefix(o.long, name) {
			match = append(match, o)
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	if len(match) > 1 {
		return option{}, fmt.Errorf("ambiguous option: %s", name)
	}
	return option{}, fmt.Errorf("no such option: %s", name)
}

type optValue struct {
	opt   option
	value string
}

// splitWords splits like shlex.split in POSIX mode (quotes and
// backslash escapes).
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			if r == '"' {
				quote = 0
			} else if r == '\\' {
				escaped = true
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, in = true, true
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, errors.New("no closing quotation")
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// parseOptions parses the option part of a line.
func parseOptions(s string) ([]optValue, error) {
	words, err := splitWords(s)
	if err != nil {
		return nil, err
	}
	var out []optValue
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			return nil, fmt.Errorf("unexpected argument %q", truncate(w))
		}
		name, value, hasValue := w, "", false
		if strings.HasPrefix(w, "--") {
			name, value, hasValue = strings.Cut(w, "=")
		} else if len(w) > 2 {
			name, value, hasValue = w[:2], w[2:], true
		}
		o, err := lookupOption(name)
		if err != nil {
			return nil, err
		}
		if o.value && !hasValue {
			if i+1 >= len(words) {
				return nil, fmt.Errorf("%s option requires an argument", o.long)
			}
			i++
			value = words[i]
		} else if !o.value && hasValue {
			return nil, fmt.Errorf("%s option does not take a value", o.long)
		}
		out = append(out, optValue{o, value})
	}
	return out, nil
}

// breakArgsOptions is pip's break_args_options: words up to the first one
// starting with '-' are the requirement, the rest options.
func breakArgsOptions(line string) (string, string) {
	tokens := strings.Split(line, " ")
	for i, t := range tokens {
		if strings.HasPrefix(t, "-") {
			return strings.Join(tokens[:i], " "), strings.Join(tokens[i:], " ")
		}
	}
	return line, ""
}

// parseRequirements parses a requirements file (Format requirements).
func parseRequirements(path string, data []byte, read func(string) ([]byte, error)) (*Lock, error) {
	l := &Lock{Format: FormatRequirements, Path: path, Generator: requirementsGenerator(data)}
	r := &reqReader{lock: l, read: read}
	if err := r.file(path, data, false); err != nil {
		return nil, err
	}
	r.checkSet()
	return l, nil
}

// requirementsGenerator names pip-compile or uv from the header comment.
func requirementsGenerator(data []byte) string {
	head := data
	if len(head) > 2048 {
		head = head[:2048]
	}
	switch s := string(head); {
	case strings.Contains(s, "autogenerated by pip-compile"):
		return "pip-compile"
	case strings.Contains(s, "autogenerated by uv"):
		return "uv pip compile"
	}
	return ""
}

func (r *reqReader) problem(loc string, err error) {
	r.lock.Problems = append(r.lock.Problems, Problem{Location: loc, Err: err})
}

// file parses one file's lines; constraint marks a -c file.
func (r *reqReader) file(path string, data []byte, constraint bool) error {
	r.stack = append(r.stack, filepath.Clean(path))
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	for _, ll := range logicalLines(data) {
		loc := fmt.Sprintf("%s:%d", path, ll.n)
		args, opts := breakArgsOptions(ll.text)
		ovs, err := parseOptions(opts)
		if err != nil {
			r.problem(loc, fmt.Errorf("%v: %w", err, ErrSyntax))
			continue
		}
		if args != "" {
			r.requirement(loc, args, ovs, constraint)
			continue
		}
		for _, ov := range ovs {
			if err := r.fileOption(path, loc, ov, constraint); err != nil {
				return err
			}
		}
	}
	return nil
}

// fileOption handles an option on a line of its own.
func (r *reqReader) fileOption(path, loc string, ov optValue, constraint bool) error {
	switch ov.opt.long {
	case "--requirement", "--constraint":
		return r.include(path, loc, ov.value, constraint || ov.opt.long == "--constraint")
	case "--editable":
		r.editable(loc, ov.value, constraint)
	case "--index-url", "--extra-index-url":
		if !slices.Contains(r.lock.Indexes, ov.value) {
			r.lock.Indexes = append(r.lock.Indexes, ov.value)
		}
	case "--require-hashes":
		r.hashRequired = true
	default:
		if ov.opt.perReq {
			r.problem(loc, fmt.Errorf("%s needs a requirement on the same line: %w", ov.opt.long, ErrSyntax))
		}
	}
	return nil
}

// include follows -r/-c; only I/O errors of the opener and depth limits
// abort the parse, an unreadable file is a Problem.
func (r *reqReader) include(from, loc, target string, constraint bool) error {
	if strings.Contains(target, "://") {
		r.problem(loc, fmt.Errorf("%s: remote includes are not fetched: %w", target, ErrInclude))
		return nil
	}
	p := target
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from), target)
	}
	if r.read == nil {
		r.lock.Includes = append(r.lock.Includes, target)
		r.problem(loc, fmt.Errorf("%s: include not followed (Parse reads one file; ParseFile follows includes): %w", target, ErrInclude))
		return nil
	}
	if len(r.stack) > maxIncludeDepth {
		return fmt.Errorf("%s: includes nested deeper than %d: %w", loc, maxIncludeDepth, ErrTooLarge)
	}
	if slices.Contains(r.stack, filepath.Clean(p)) {
		r.problem(loc, fmt.Errorf("%s: include loop: %w", target, ErrInclude))
		return nil
	}
	data, err := r.read(p)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return fmt.Errorf("%s: %w", loc, err)
		}
		r.problem(loc, fmt.Errorf("%s: %w: %w", target, ErrInclude, err))
		return nil
	}
	r.lock.Includes = append(r.lock.Includes, p)
	return r.file(p, data, constraint)
}

// vcsSchemes are the prefixes pip recognizes for VCS URLs.
var vcsSchemes = []string{"git", "hg", "svn", "bzr"}

// vcsOf returns the VCS of a "git+https://..." URL.
func vcsOf(u string) (vcs, rest string, ok bool) {
	scheme, after, found := strings.Cut(u, "+")
	if !found || !slices.Contains(vcsSchemes, strings.ToLower(scheme)) || !strings.Contains(after, "://") {
		return "", "", false
	}
	return strings.ToLower(scheme), after, true
}

// isHexCommit reports whether s looks like a full commit id: 40 or 64
// hex digits, in either case.
func isHexCommit(s string) bool {
	_, err := hex.DecodeString(s)
	return (len(s) == 40 || len(s) == 64) && err == nil
}

// vcsSource parses "git+https://host/repo.git@rev#egg=name" into a
// Source; the fragment is returned for the caller (egg name).
func vcsSource(raw string) (Source, string) {
	vcs, rest, _ := vcsOf(raw)
	rest, frag := stripFragment(rest)
	src := Source{Kind: SourceVCS, VCS: vcs, URL: rest}
	// The revision is after the last '@' in the path (not the userinfo).
	if i := strings.LastIndexByte(rest, '@'); i > strings.Index(rest, "://")+3 && !strings.Contains(rest[i:], "/") {
		src.URL, src.Ref = rest[:i], rest[i+1:]
		if isHexCommit(src.Ref) {
			src.Commit = strings.ToLower(src.Ref)
		}
	}
	return src, frag
}

// fragmentParams splits "egg=name&sha256=..." into key/values.
func fragmentParams(frag string) [][2]string {
	var out [][2]string
	for _, kv := range strings.Split(frag, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "" {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// eggName returns the #egg= project name of a URL fragment.
func eggName(frag string) string {
	for _, kv := range fragmentParams(frag) {
		if kv[0] == "egg" {
			return strings.TrimSpace(kv[1])
		}
	}
	return ""
}

// fragmentHashes reads "#sha256=..." style hashes of a URL fragment.
func fragmentHashes(frag string) (digest.Set, error) {
	var set digest.Set
	for _, kv := range fragmentParams(frag) {
		k := strings.ToLower(kv[0])
		if k == "egg" || k == "subdirectory" || !digest.Known(k) {
			continue
		}
		alg, h, err := hashValue(k, kv[1])
		if err != nil {
			return nil, err
		}
		if set == nil {
			set = digest.Set{}
		}
		if err := set.Add(alg, h); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrHash, err)
		}
	}
	return set, nil
}

// looksLikePath is pip's test for a local path requirement.
func looksLikePath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") ||
		strings.Contains(s, "/") && !strings.Contains(s, "@") || strings.Contains(s, `\`)
}

// isURL reports whether s has a URL scheme pip handles.
func isURL(s string) bool {
	if _, _, ok := vcsOf(s); ok {
		return true
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "file:")
}

// requirement handles a requirement line with its per-requirement options.
func (r *reqReader) requirement(loc, arg string, ovs []optValue, constraint bool) {
	var hashes []string
	for _, ov := range ovs {
		switch ov.opt.long {
		case "--hash":
			hashes = append(hashes, ov.value)
		case "--config-settings", "--global-option":
		default:
			r.problem(loc, fmt.Errorf("%s is not allowed after a requirement: %w", ov.opt.long, ErrSyntax))
			return
		}
	}
	p, ok := r.requirementSpec(loc, arg)
	if !ok {
		return
	}
	for _, h := range hashes {
		alg, hexValue, err := parseHash(h)
		if err == nil && !slices.Contains(requirementHashAlgorithms, alg) {
			err = fmt.Errorf("%s: pip accepts sha256, sha384 and sha512 in --hash: %w", alg, ErrHash)
		}
		if err != nil {
			r.problem(loc, fmt.Errorf("--hash: %w", err))
			continue
		}
		if !hasHash(p.Files, alg, hexValue) {
			p.Files = append(p.Files, File{Hashes: digest.Set{alg: hexValue}})
		}
	}
	r.add(p, constraint)
}

// hasHash reports whether any file already carries alg=value.
func hasHash(files []File, alg, value string) bool {
	for _, f := range files {
		if f.Hashes[alg] == value {
			return true
		}
	}
	return false
}

// requirementSpec turns the requirement part of a line into a Package.
func (r *reqReader) requirementSpec(loc, arg string) (Package, bool) {
	arg = strings.TrimSpace(arg)
	if isURL(arg) || looksLikePath(arg) {
		return r.linkRequirement(loc, arg)
	}
	req, err := pypi.ParseRequirement(arg)
	if err != nil {
		r.problem(loc, fmt.Errorf("%w: %w", ErrSyntax, err))
		return Package{}, false
	}
	p := newPackage(req.Name, "")
	p.Location = loc
	p.Extras = req.Extras
	p.Markers = req.Marker
	if v, ok := req.Pinned(); ok {
		p.Version = v
	} else {
		p.Specifier = req.Specifier
	}
	p.Source = Source{Kind: SourceIndex}
	if req.URL != "" {
		src, file, err := urlSource(req.URL)
		if err != nil {
			r.problem(loc, err)
			return Package{}, false
		}
		p.Source = src
		if file != nil {
			p.Files = append(p.Files, *file)
			if p.Version == "" {
				if fn, err := pypi.ParseFilename(file.Name); err == nil {
					p.Version = fn.Version
				}
			}
		}
	}
	return p, true
}

// urlSource classifies a direct reference.
func urlSource(raw string) (Source, *File, error) {
	if _, _, ok := vcsOf(raw); ok {
		src, _ := vcsSource(raw)
		return src, nil, nil
	}
	base, frag := stripFragment(raw)
	hashes, err := fragmentHashes(frag)
	if err != nil {
		return Source{}, nil, err
	}
	if strings.HasPrefix(strings.ToLower(base), "file:") {
		p := strings.TrimPrefix(strings.TrimPrefix(base, "file:"), "//")
		if _, err := pypi.ParseFilename(filepath.Base(p)); err != nil {
			return Source{Kind: SourcePath, Path: p}, nil, nil
		}
		return Source{Kind: SourcePath, Path: p}, &File{Name: filepath.Base(p), Path: p, Hashes: hashes}, nil
	}
	return Source{Kind: SourceURL, URL: base}, &File{Name: urlFileName(base), URL: base, Hashes: hashes}, nil
}

// linkRequirement handles a bare URL or path line (pip's "link" form),
// "url ; marker" included.
func (r *reqReader) linkRequirement(loc, arg string) (Package, bool) {
	target, marker := arg, ""
	sep := ";"
	if isURL(arg) {
		sep = "; "
	}
	if i := strings.Index(arg, sep); i >= 0 {
		target, marker = strings.TrimSpace(arg[:i]), strings.TrimSpace(arg[i+len(sep):])
	}
	var p Package
	if isURL(target) {
		src, file, err := urlSource(target)
		if err != nil {
			r.problem(loc, err)
			return Package{}, false
		}
		_, frag := stripFragment(target)
		name := eggName(frag)
		p.Source = src
		if file != nil {
			p.Files = []File{*file}
			if fn, err := pypi.ParseFilename(file.Name); err == nil {
				if name == "" {
					name = fn.Name
				}
				p.Version = fn.Version
			}
		}
		if name == "" {
			r.problem(loc, fmt.Errorf("%s: cannot tell the project name (add #egg=name or use name @ url): %w", truncate(target), ErrSyntax))
			return Package{}, false
		}
		p.Name = name
	} else {
		base := filepath.Base(target)
		p.Source = Source{Kind: SourcePath, Path: target}
		if fn, err := pypi.ParseFilename(base); err == nil {
			p.Name, p.Version = fn.Name, fn.Version
			p.Files = []File{{Name: base, Path: target}}
		} else {
			r.problem(loc, fmt.Errorf("%s: local directory requirement: name unknown without building it: %w", target, ErrNotHashable))
			return Package{}, false
		}
	}
	p.NormalizedName = pypi.NormalizeName(p.Name)
	p.Scope = ScopeRuntime
	p.Markers = marker
	p.Location = loc
	return p, true
}

// editable handles "-e path" and "-e vcs+url#egg=name".
func (r *reqReader) editable(loc, target string, constraint bool) {
	var p Package
	if _, _, ok := vcsOf(target); ok {
		src, frag := vcsSource(target)
		p.Source = src
		p.Name = eggName(frag)
	} else if isURL(target) {
		r.problem(loc, fmt.Errorf("-e %s: an editable requirement must be a local path or a VCS URL (git+https://...): %w", truncate(target), ErrSyntax))
		return
	} else {
		path, frag := stripFragment(target)
		p.Source = Source{Kind: SourcePath, Path: path}
		p.Name = eggName(frag)
		if p.Name == "" {
			p.Name = filepath.Base(filepath.Clean(path))
		}
	}
	if p.Name == "" || !pypi.ValidName(p.Name) {
		r.problem(loc, fmt.Errorf("-e %s: cannot tell the project name (add #egg=name): %w", truncate(target), ErrSyntax))
		return
	}
	// An editable VCS checkout keeps its VCS URL and revision.
	p.Source.Kind = SourceEditable
	p.NormalizedName = pypi.NormalizeName(p.Name)
	p.Scope = ScopeRuntime
	p.Location = loc
	r.add(p, constraint)
}

// add records a package or constraint.
func (r *reqReader) add(p Package, constraint bool) {
	if constraint {
		r.lock.Constraints = append(r.lock.Constraints, p)
		return
	}
	r.lock.Packages = append(r.lock.Packages, p)
}

// checkSet applies pip's whole-set rules: conflicting duplicates, and in
// hash-checking mode pins and hashes for every requirement.
func (r *reqReader) checkSet() {
	l := r.lock
	seen := map[string]int{}
	for i, p := range l.Packages {
		if j, ok := seen[p.NormalizedName]; ok {
			q := l.Packages[j]
			if q.Version != p.Version || q.Specifier != p.Specifier || q.Source != p.Source || q.Markers != p.Markers {
				r.problem(p.Location, fmt.Errorf("%s given twice (also at %s): %w", p.Name, q.Location, ErrConflict))
			}
		} else {
			seen[p.NormalizedName] = i
		}
	}
	hashMode := r.hashRequired
	for _, p := range l.Packages {
		for _, f := range p.Files {
			if len(f.Hashes) > 0 {
				hashMode = true
			}
		}
	}
	l.HashChecking = hashMode
	if !hashMode {
		return
	}
	for _, p := range l.Packages {
		switch {
		case p.Source.Kind == SourceEditable:
			r.problem(p.Location, fmt.Errorf("%s: editable requirements cannot be installed when requiring hashes: %w", p.Name, ErrNotHashable))
			continue
		case p.Source.Kind == SourceVCS:
			r.problem(p.Location, fmt.Errorf("%s: version-control requirements cannot be checked by hash: %w", p.Name, ErrNotHashable))
			continue
		case p.Version == "" && (p.Source.Kind == SourceIndex):
			r.problem(p.Location, fmt.Errorf("%s%s: in hash-checking mode every requirement must be pinned with ==: %w", p.Name, p.Specifier, ErrUnpinned))
		}
		hashed := false
		for _, f := range p.Files {
			if len(f.Hashes) > 0 {
				hashed = true
			}
		}
		if !hashed {
			r.problem(p.Location, fmt.Errorf("%s: in hash-checking mode every requirement needs --hash: %w", p.Name, ErrMissingHash))
		}
	}
}
