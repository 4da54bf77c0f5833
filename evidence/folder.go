package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxKeptFile bounds the files Verify keeps in memory to parse (64 MiB);
// larger ones are hashed as a stream.
const maxKeptFile = 64 << 20

// entry is one file of a folder: its size, SHA-256 and, when small enough,
// its bytes.
type entry struct {
	name    string
	size    int64
	sha256  string
	data    []byte // nil above maxKeptFile
	regular bool
}

// readFolder reads the top level of dir. Entries that are not regular files
// (directories, symlinks, devices) are returned with regular false.
func readFolder(dir string) (map[string]*entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*entry, len(des))
	for _, de := range des {
		e := &entry{name: de.Name(), regular: de.Type().IsRegular()}
		out[e.name] = e
		if !e.regular {
			continue
		}
		if err := e.read(filepath.Join(dir, de.Name())); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (e *entry) read(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	head := make([]byte, 0, 4096)
	buf := make([]byte, 1<<16)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			if int64(len(head))+int64(n) <= maxKeptFile {
				head = append(head, buf[:n]...)
			}
			e.size += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	e.sha256 = hex.EncodeToString(h.Sum(nil))
	if e.size <= maxKeptFile {
		e.data = head
	}
	return nil
}
