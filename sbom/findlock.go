package sbom

import (
	"os"
	"path/filepath"
)

// LockNames are the lock files FindLock looks for, in the order it prefers
// them: the standard one first, then the tools' own, then pip's.
var LockNames = []string{"pylock.toml", "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "requirements.txt"}

// FindLock returns the path of the first of LockNames that is a regular
// file in dir, or "" when there is none.
func FindLock(dir string) string {
	for _, name := range LockNames {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}
