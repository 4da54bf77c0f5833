// Package lockfile reads Python lock files into one model, Lock: pip
// requirements files (including pip-tools and uv pip compile output),
// Pipfile.lock, poetry.lock, uv.lock, pylock.toml (PEP 751) and pdm.lock.
//
// A Lock lists packages; each Package keeps its name (as written and PEP 503
// normalized), version, markers, groups and scope, where it comes from
// (Source: an index, a VCS commit, a URL, a path, an editable or virtual
// project), the distribution files the lock pins with their hashes
// converted to lowercase hex (File), and its dependencies when the lock
// records a graph.
//
// Parse reads bytes that are already in memory; ParseFile reads a file and,
// for requirements files, follows -r/-c includes relative to the including
// file. Both are size-limited and fail with errors wrapping ErrFormat,
// ErrSyntax, ErrUnsupportedVersion, ErrHash or ErrTooLarge, with the field
// path or line. Problems that pip reports per line (an unpinned requirement
// in hash-checking mode, an unknown option) do not stop a requirements file
// from parsing: they are collected in Lock.Problems, and Lock.Err returns
// them joined, so a strict caller (pedigree lock check) fails closed while
// an SBOM generator can still list what the file names.
//
// Check compares distribution files against a Lock the way pip's
// --require-hashes mode does, and ResolvedDependencies turns a Lock into
// SLSA resolvedDependencies.
package lockfile
