package digest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Errors of ExpandPaths.
var (
	// ErrNoMatch: a glob matched no regular file.
	ErrNoMatch = errors.New("no file matches")
	// ErrStdin: "-" was given without Options.Stdin, or more than once.
	ErrStdin = errors.New("standard input not available")
)

// planned is one subject ExpandPaths will produce.
type planned struct {
	name  string
	path  string   // a file to hash (paths index: see ExpandPaths)
	stdin bool     // read Options.Stdin
	dir   string   // with DirHash: the directory whose dirHash1 is the digest
	files []string // with DirHash: the directory's names, sorted
}

// ExpandPaths turns command-line arguments into subjects and hashes them
// with opts (files in parallel, SHA-256 unless opts.Algorithms says
// otherwise). Each argument is:
//   - "-": opts.Stdin, named "-" (as sha256sum names it);
//   - an existing file: one subject named by the argument as given
//     (slashes made forward), so `sha256sum -c` finds it from the same
//     directory; symbolic links are followed;
//   - an existing directory: one subject per regular file below it, named
//     relative to the directory, in sorted order; with opts.DirHash, one
//     subject named by the directory with its dirHash1 instead. Links to
//     files are followed; links to directories, dangling links and special
//     files fail with ErrUnsupportedFile (see HashDir for why);
//   - otherwise, a glob (filepath.Match syntax, no "**"): the regular files
//     it matches, in sorted order (matched directories are skipped); none is
//     ErrNoMatch.
//
// Subjects come in argument order. A name produced twice must agree on its
// digests (ErrDuplicateSubject otherwise) and is kept once. Errors:
// ErrNoSubjects, ErrNoMatch, ErrStdin, ErrUnsupportedFile,
// ErrUnsupportedAlgorithm, filepath.ErrBadPattern, *fs.PathError.
func ExpandPaths(ctx context.Context, args []string, opts Options) ([]Subject, error) {
	algs, err := CheckAlgorithms(opts.Algorithms)
	if err != nil {
		return nil, err
	}
	var plan []planned
	stdinUsed := false
	var empty []string // arguments that named no file
	for _, arg := range args {
		if arg == "-" {
			if opts.Stdin == nil || stdinUsed {
				return nil, fmt.Errorf("%q: %w", arg, ErrStdin)
			}
			stdinUsed = true
			plan = append(plan, planned{name: "-", stdin: true})
			continue
		}
		p, err := expandArg(ctx, arg, opts.DirHash)
		if err != nil {
			return nil, err
		}
		if len(p) == 0 {
			empty = append(empty, arg)
		}
		plan = append(plan, p...)
	}
	if len(plan) == 0 {
		if len(empty) > 0 {
			return nil, fmt.Errorf("%s: no file to hash (an empty directory?): %w", strings.Join(empty, ", "), ErrNoSubjects)
		}
		return nil, ErrNoSubjects
	}

	// Hash every file once, in one parallel batch, so one progress bar
	// covers the whole job.
	hashAlgs := algs
	index := make(map[string]int)
	var paths []string
	addPath := func(p string) {
		if _, ok := index[p]; !ok {
			index[p] = len(paths)
			paths = append(paths, p)
		}
	}
	for _, p := range plan {
		switch {
		case p.dir != "":
			if !slices.Contains(hashAlgs, SHA256) {
				hashAlgs = append(slices.Clone(hashAlgs), SHA256)
			}
			if err := checkH1Names(p.dir, p.files); err != nil {
				return nil, err
			}
			for _, f := range p.files {
				addPath(filepath.Join(p.dir, filepath.FromSlash(f)))
			}
		case !p.stdin:
			addPath(p.path)
		}
	}
	var stdinSet Set
	if stdinUsed {
		if stdinSet, _, err = Reader(ctx, opts.Stdin, algs...); err != nil {
			return nil, fmt.Errorf("-: %w", err)
		}
	}
	fopts := opts
	fopts.Algorithms = hashAlgs
	results, err := Files(ctx, paths, fopts)
	if err != nil {
		return nil, err
	}

	var b listBuilder
	for _, p := range plan {
		var set Set
		switch {
		case p.stdin:
			set = stdinSet
		case p.dir != "":
			sums := make([]string, len(p.files))
			for i, f := range p.files {
				sums[i] = results[index[filepath.Join(p.dir, filepath.FromSlash(f))]].Digest[SHA256]
			}
			set = Set{DirHash1: summarize(p.files, sums)}
		default:
			full := results[index[p.path]].Digest
			set = make(Set, len(algs))
			for _, alg := range algs {
				set[alg] = full[alg]
			}
		}
		for _, alg := range set.Algorithms() {
			if err := b.add(0, p.name, alg, set[alg]); err != nil {
				return nil, fmt.Errorf("%q names two files with different %s digests: %w", p.name, alg, ErrDuplicateSubject)
			}
		}
	}
	return b.result()
}

// expandArg plans the subjects of one argument other than "-".
func expandArg(ctx context.Context, arg string, dirHash bool) ([]planned, error) {
	_, lerr := os.Lstat(arg)
	if lerr != nil && errors.Is(lerr, fs.ErrNotExist) && hasGlobMeta(arg) {
		return expandGlob(arg)
	}
	if lerr != nil {
		return nil, argError(arg, lerr)
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return nil, argError(arg, err)
	}
	if !fi.IsDir() {
		return []planned{{name: filepath.ToSlash(arg), path: arg}}, nil
	}
	names, err := listTree(ctx, arg)
	if err != nil {
		return nil, err
	}
	if dirHash {
		return []planned{{name: filepath.ToSlash(filepath.Clean(arg)), dir: arg, files: names}}, nil
	}
	out := make([]planned, len(names))
	for i, name := range names {
		out[i] = planned{name: name, path: filepath.Join(arg, filepath.FromSlash(name))}
	}
	return out, nil
}

// expandGlob plans the regular files matching pattern, sorted.
func expandGlob(pattern string) ([]planned, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", pattern, err)
	}
	slices.Sort(matches)
	var out []planned
	for _, m := range matches {
		fi, err := os.Stat(m)
		if err != nil {
			return nil, err
		}
		if fi.IsDir() {
			continue
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file (%v): %w", m, fi.Mode().Type(), ErrUnsupportedFile)
		}
		out = append(out, planned{name: filepath.ToSlash(m), path: m})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q: %w", pattern, ErrNoMatch)
	}
	return out, nil
}

// argError names the argument in a stat error rather than the system call:
// "dist/a.whl: no such file or directory". errors.Is still sees the cause.
func argError(arg string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", arg, pe.Err)
	}
	return err
}

// hasGlobMeta reports whether s holds a filepath.Match metacharacter.
func hasGlobMeta(s string) bool {
	return strings.ContainsAny(s, `*?[`)
}
