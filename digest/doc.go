// Package digest computes and represents artifact digests: a Set of
// algorithm -> hex values as in-toto spells them, streaming multi-algorithm
// hashing of files with constant memory, parallel hashing of many files,
// Go's dirhash "h1" directory hash (dirHash1), and the subject lists users
// hand to pedigree (file paths, globs, directories, sha256sum output,
// slsa-github-generator's base64-subjects, JSON ResourceDescriptors).
package digest
