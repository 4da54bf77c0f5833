package cli

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/pedigree-dev/pedigree/internal/atomicfile"
)

// readFileLimited reads a file of at most limit bytes. A file that cannot
// be opened or read is an I/O error (exit 3); a larger one is not what the
// command reads, a usage error (exit 2).
func readFileLimited(path string, limit int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, usageError("%s: more than %d bytes", path, limit)
	}
	return data, nil
}

// readHead reads the first n bytes of a file, or all of a shorter one:
// enough to tell what the file is.
func readHead(path string, n int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, n))
}

// isIOError reports whether err comes from the file system (a file that is
// missing, unreadable or not a file) rather than from the content: an I/O
// error, exit 3, whichever command read the file.
func isIOError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)
}

// outputError makes "exists, no --force" a usage error (exit 2).
func outputError(err error) error {
	if errors.Is(err, atomicfile.ErrExists) {
		return usageError("%v", err)
	}
	return err
}

// startsLikeJSONObject reports whether head, the start of a file, begins
// with "{" once a UTF-8 byte order mark and white space are skipped: the
// start of every attestation format.
func startsLikeJSONObject(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(head) > 0 && head[0] == '{'
}
