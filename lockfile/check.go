package lockfile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/pypi"
)

// ErrNotDistribution: a file named on the command line is not a wheel or
// sdist by its name.
var ErrNotDistribution = errors.New("not a distribution file")

// Status is the outcome of checking one distribution file against a lock.
type Status string

// Check statuses.
const (
	// StatusMatched: the file's project and version are locked and its
	// hash is one of the locked hashes.
	StatusMatched Status = "matched"
	// StatusMissingFromLock: no locked package has the file's project and
	// version.
	StatusMissingFromLock Status = "missing-from-lock"
	// StatusHashMismatch: the project and version are locked, but the
	// file's hash is none of the locked ones (or the lock has no hash for
	// them).
	StatusHashMismatch Status = "hash-mismatch"
)

// CheckOptions configure Check.
type CheckOptions struct {
	// Workers is the number of files hashed at once (GOMAXPROCS when 0).
	Workers int
	// AllowAbsent makes locked packages without any file among the
	// distributions a report entry that does not fail the check (a
	// wheelhouse for one platform, or without dev packages). Files that
	// are present must match either way.
	AllowAbsent bool
	// Progress, when set, is called as files are hashed (see
	// digest.Options.Progress).
	Progress func(doneBytes, totalBytes int64)
}

// FileResult is the check of one distribution file.
type FileResult struct {
	// Path is the file's path as found (argument, or directory + name).
	Path string `json:"path"`
	// Name and Version are the project and version its file name gives.
	Name    string `json:"name"`
	Version string `json:"version"`
	Size    int64  `json:"size"`
	// Digest holds the file's sha256 and any other algorithm the lock
	// uses (lowercase hex).
	Digest digest.Set `json:"digest"`
	Status Status     `json:"status"`
	// Package and Location name the locked package it matched or was
	// compared with.
	Package  string `json:"package,omitempty"`
	Location string `json:"location,omitempty"`
	// Detail explains a failure.
	Detail string `json:"detail,omitempty"`
}

// AbsentPackage is a locked package none of whose files was found.
type AbsentPackage struct {
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Location string `json:"location,omitempty"`
	// Reason says why the package cannot be present when it is not an
	// index or URL package (VCS, path).
	Reason string `json:"reason,omitempty"`
}

// CheckSummary counts a report's outcomes.
type CheckSummary struct {
	Files           int `json:"files"`
	Matched         int `json:"matched"`
	MissingFromLock int `json:"missingFromLock"`
	HashMismatch    int `json:"hashMismatch"`
	LockedButAbsent int `json:"lockedButAbsent"`
	Problems        int `json:"lockProblems"`
}

// CheckReport is the result of Check.
type CheckReport struct {
	Lock   string `json:"lock"`
	Format Format `json:"format"`
	// OK is true when every file matched, the lock has no problems, and
	// (unless AllowAbsent) no locked package is absent.
	OK      bool            `json:"ok"`
	Summary CheckSummary    `json:"summary"`
	Files   []FileResult    `json:"files"`
	Absent  []AbsentPackage `json:"lockedButAbsent"`
	// Problems are the lock's own problems (Lock.Problems), each of which
	// fails the check: pip refuses such a file in --require-hashes mode.
	Problems []string `json:"lockProblems,omitempty"`
	// Ignored are files in DIST directories whose names are not wheel or
	// sdist names.
	Ignored []string `json:"ignored,omitempty"`
}

// Check does what pip's --require-hashes mode does for a wheelhouse,
// before anything is installed: every distribution file among paths
// (files, and the wheel and sdist files directly inside directories) must
// belong to a locked package by name and version and match one of that
// package's locked hashes; every locked package should have a file there.
// Files are hashed in parallel (digest.Files) with sha256 plus whatever
// other algorithms the lock uses. The report lists each file's status and
// the locked-but-absent packages; report.OK says whether the check
// passed. Check returns an error only when it cannot check: a path that
// cannot be read (an *fs.PathError), a file given by name that is not a
// distribution (ErrNotDistribution), or ctx's error.
func Check(ctx context.Context, l *Lock, paths []string, opts CheckOptions) (*CheckReport, error) {
	rep := &CheckReport{Lock: l.Path, Format: l.Format, Files: []FileResult{}, Absent: []AbsentPackage{}}
	files, ignored, err := distributionFiles(paths)
	if err != nil {
		return nil, err
	}
	rep.Ignored = ignored
	algs := lockAlgorithms(l)
	results, err := digest.Files(ctx, files, digest.Options{Algorithms: algs, Workers: opts.Workers, Progress: opts.Progress})
	if err != nil {
		return nil, err
	}
	found := map[int]bool{} // package index -> a file matched or was compared
	for _, res := range results {
		fr := checkFile(l, algs, res, found)
		rep.Files = append(rep.Files, fr)
		switch fr.Status {
		case StatusMatched:
			rep.Summary.Matched++
		case StatusMissingFromLock:
			rep.Summary.MissingFromLock++
		case StatusHashMismatch:
			rep.Summary.HashMismatch++
		}
	}
	rep.Summary.Files = len(rep.Files)
	// A package counts as present when a file of its name and version was
	// found (pdm and requirements files may list one several times).
	present := map[string]bool{}
	for i := range found {
		present[l.Packages[i].NormalizedName+"=="+l.Packages[i].Version] = true
	}
	for i := range l.Packages {
		p := &l.Packages[i]
		key := p.NormalizedName + "==" + p.Version
		if present[key] || p.Source.Kind == SourceEditable || p.Source.Kind == SourceVirtual {
			continue
		}
		present[key] = true // report each name and version once
		a := AbsentPackage{Name: p.Name, Version: p.Version, Location: p.Location}
		switch p.Source.Kind {
		case SourceVCS:
			a.Reason = "version-control source: no distribution file to check"
		case SourcePath:
			a.Reason = "local path source"
		}
		rep.Absent = append(rep.Absent, a)
	}
	rep.Summary.LockedButAbsent = len(rep.Absent)
	for _, p := range l.Problems {
		rep.Problems = append(rep.Problems, p.Error())
	}
	rep.Summary.Problems = len(rep.Problems)
	rep.OK = rep.Summary.Matched == rep.Summary.Files && len(rep.Problems) == 0 &&
		(opts.AllowAbsent || len(rep.Absent) == 0)
	return rep, nil
}

// lockAlgorithms returns sha256 plus every other hashable algorithm the
// lock's files use, sorted.
func lockAlgorithms(l *Lock) []string {
	set := map[string]bool{digest.SHA256: true}
	supported := digest.Supported()
	for i := range l.Packages {
		for _, f := range l.Packages[i].Files {
			for alg := range f.Hashes {
				if slices.Contains(supported, alg) {
					set[alg] = true
				}
			}
		}
	}
	algs := make([]string, 0, len(set))
	for a := range set {
		algs = append(algs, a)
	}
	sort.Strings(algs)
	return algs
}

// distributionFiles expands paths: files as given (their names must be
// distribution names), directories to the distribution files directly
// inside them, sorted; duplicates removed.
func distributionFiles(paths []string) (files, ignored []string, err error) {
	seen := map[string]bool{}
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			if _, err := pypi.ParseFilename(filepath.Base(p)); err != nil {
				return nil, nil, fmt.Errorf("%s: %w: %w", p, ErrNotDistribution, err)
			}
			add(p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			full := filepath.Join(p, e.Name())
			if e.IsDir() {
				continue
			}
			if _, err := pypi.ParseFilename(e.Name()); err != nil {
				ignored = append(ignored, full)
				continue
			}
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(full); err != nil || !fi.Mode().IsRegular() {
					ignored = append(ignored, full)
					continue
				}
			} else if !e.Type().IsRegular() {
				ignored = append(ignored, full)
				continue
			}
			add(full)
		}
	}
	return files, ignored, nil
}

// candidates returns the indexes of locked packages a distribution file
// belongs to by name (and, for a legacy sdist name, by trying every locked
// name as a prefix of the stem).
func candidates(l *Lock, fn pypi.Filename, base string) (byName []int, byVersion []int, version string) {
	version = fn.Version
	byName = l.Find(fn.Name)
	if len(byName) == 0 && fn.Kind == pypi.KindSdist {
		stem := strings.TrimSuffix(base, fn.Extension)
		for i := range l.Packages {
			p := &l.Packages[i]
			if len(stem) > len(p.Name) && pypi.NormalizeName(stem[:len(p.Name)]) == p.NormalizedName && stem[len(p.Name)] == '-' {
				byName = append(byName, i)
				version = stem[len(p.Name)+1:]
			}
		}
	}
	for _, i := range byName {
		if pypi.SameVersion(l.Packages[i].Version, version) {
			byVersion = append(byVersion, i)
		}
	}
	return byName, byVersion, version
}

// checkFile classifies one hashed file; algs are the lock's algorithms
// (lockAlgorithms), which the file was hashed with.
func checkFile(l *Lock, algs []string, res digest.Result, found map[int]bool) FileResult {
	base := filepath.Base(res.Path)
	fn, _ := pypi.ParseFilename(base) // names were checked when listing
	byName, byVersion, version := candidates(l, fn, base)
	fr := FileResult{Path: res.Path, Name: fn.Name, Version: version, Size: res.Size, Digest: res.Digest}
	if len(byVersion) == 0 {
		fr.Status = StatusMissingFromLock
		if len(byName) == 0 {
			fr.Detail = fmt.Sprintf("%s is not in the lock", fn.NormalizedName)
		} else {
			var vs []string
			for _, i := range byName {
				if v := l.Packages[i].Version; v != "" && !slices.Contains(vs, v) {
					vs = append(vs, v)
				}
			}
			fr.Detail = fmt.Sprintf("the lock pins %s to %s, not %s", fn.NormalizedName, orNone(vs), version)
			fr.Package, fr.Location = l.Packages[byName[0]].Name, l.Packages[byName[0]].Location
		}
		return fr
	}
	for _, i := range byVersion {
		found[i] = true
	}
	first := &l.Packages[byVersion[0]]
	fr.Package, fr.Location = first.Name, first.Location
	hashes := 0
	for _, i := range byVersion {
		p := &l.Packages[i]
		for _, f := range p.Files {
			for alg, want := range f.Hashes {
				got, ok := res.Digest[alg]
				if !ok {
					continue
				}
				hashes++
				if got == want {
					fr.Status = StatusMatched
					fr.Package, fr.Location = p.Name, p.Location
					if f.Name != "" && f.Name != base {
						fr.Detail = "locked as " + f.Name
					}
					return fr
				}
			}
		}
	}
	fr.Status = StatusHashMismatch
	if hashes == 0 {
		fr.Detail = fmt.Sprintf("the lock has no %s hash for %s %s", strings.Join(algs, "/"), first.Name, first.Version)
	} else {
		fr.Detail = fmt.Sprintf("sha256 %s is none of the %d locked hashes", res.Digest[digest.SHA256], hashes)
	}
	return fr
}

func orNone(vs []string) string {
	if len(vs) == 0 {
		return "no version"
	}
	return strings.Join(vs, ", ")
}
