// Package digest computes and represents artifact digests: a Set of
// algorithm -> hex values as in-toto spells them, streaming multi-algorithm
// hashing of files with constant memory, parallel hashing of many files,
// Go's dirhash "h1" directory hash (dirHash1), and the subject lists users
// hand to pedigree (file paths, globs, directories, sha256sum output,
// slsa-github-generator's base64-subjects, JSON ResourceDescriptors).
//
// Hashing: a Hasher computes several algorithms in one pass over a stream;
// Reader and File hash one stream or file, Files many files on every core
// (results in input order, the first error cancelling the rest), HashDir a
// directory's dirHash1 (H1 and ParseH1 convert to and from Go's "h1:"
// form), and ExpandPaths turns command-line arguments (files, directories,
// globs, "-") into hashed subjects. Memory stays flat: each worker reads
// through one 1 MiB buffer (two when a single file is read ahead).
//
// Subject lists: ParseSHA256Sum, ParseBase64Subjects, ParseJSONSubjects and
// ParseSubjectList read them, size-limited, with the line number in every
// error; EncodeSHA256Sum, EncodeSums, EncodeTagged and EncodeBase64Subjects
// write them.
//
// Symbolic links inside a directory: links to regular files are followed
// (their content is what a reader of the tree gets, and what Go's dirhash
// hashes); links to directories are not (they could loop or pull in files
// from elsewhere) and, like dangling links and special files, are an error
// (ErrUnsupportedFile) rather than skipped, so that a hash never silently
// covers less than the tree on disk. Paths named by the caller are followed.
package digest
