//go:build !linux

package atomicfile

// renameNoReplace renames oldpath to newpath unless newpath exists. Outside
// Linux the check and the rename are two steps.
func renameNoReplace(oldpath, newpath string) error { return renameCheck(oldpath, newpath) }
