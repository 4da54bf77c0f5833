package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openDescriptor returns a duplicate of this process's descriptor when path
// is, or leads through symbolic links to, an entry of /proc/self/fd, such as
// /dev/stdout (-> /proc/self/fd/1) or /dev/fd/3 that the shell pointed at a
// file: renaming over the path would replace the link, not write the file,
// and reopening it would write from the start, over what the process
// already wrote there. It returns nil, nil when path is no such link.
func openDescriptor(path string) (*os.File, error) {
	self, err := filepath.EvalSymlinks("/proc/self/fd")
	if err != nil {
		return nil, nil
	}
	for range 8 { // links followed at most
		target, err := os.Readlink(path)
		if err != nil {
			return nil, nil // not a link, and descriptors are links
		}
		if dir, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil && dir == self {
			fd, err := strconv.Atoi(filepath.Base(path))
			if err != nil {
				return nil, nil
			}
			dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
			if err != nil {
				return nil, err
			}
			return os.NewFile(uintptr(dup), path), nil
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return nil, nil
}
