package pypi

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RecordEntry is one row of a RECORD file.
type RecordEntry struct {
	// Path is the file's path inside the wheel, '/'-separated.
	Path string `json:"path"`
	// Algorithm and Digest are the hash (Digest converted from RECORD's
	// URL-safe base64 to lowercase hex); both empty for an unhashed entry.
	Algorithm string `json:"algorithm,omitempty"`
	Digest    string `json:"digest,omitempty"`
	// Size is the size in bytes, -1 when the row leaves it empty.
	Size int64 `json:"size"`
}

// recordHashSizes are the digest sizes (bytes) of the algorithms RECORD
// may use; md5 and sha1 are parsed so that verification can refuse them
// with a clear reason.
var recordHashSizes = map[string]int{"sha256": 32, "sha384": 48, "sha512": 64, "sha224": 28, "sha1": 20, "md5": 16}

// ParseRecord parses a RECORD file (CSV rows "path,algorithm=digest,size",
// digest in URL-safe base64 without padding). Every row must have three
// fields, a non-empty path, a hash of a known algorithm whose value
// decodes to that algorithm's size, and a size that is empty or a
// non-negative decimal. Errors wrap ErrRecord (or ErrTooLarge) and name the
// row.
func ParseRecord(data []byte) ([]RecordEntry, error) {
	if len(data) > DefaultMaxMetadataSize {
		return nil, fmt.Errorf("RECORD: %d bytes: %w", len(data), ErrTooLarge)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var out []RecordEntry
	for row := 1; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("RECORD row %d: %v: %w", row, err, ErrRecord)
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if len(rec) != 3 {
			return nil, fmt.Errorf("RECORD row %d: want 3 fields, got %d: %w", row, len(rec), ErrRecord)
		}
		e := RecordEntry{Path: rec[0], Size: -1}
		if e.Path == "" {
			return nil, fmt.Errorf("RECORD row %d: empty path: %w", row, ErrRecord)
		}
		if h := rec[1]; h != "" {
			alg, value, ok := strings.Cut(h, "=")
			alg = strings.ToLower(alg)
			size, known := recordHashSizes[alg]
			if !ok || !known {
				return nil, fmt.Errorf("RECORD row %d (%s): hash %q: want sha256=<urlsafe-base64>: %w", row, truncate(e.Path), truncate(h), ErrRecord)
			}
			raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
			if err != nil || len(raw) != size {
				return nil, fmt.Errorf("RECORD row %d (%s): %s digest: want URL-safe base64 of %d bytes: %w", row, truncate(e.Path), alg, size, ErrRecord)
			}
			e.Algorithm, e.Digest = alg, hex.EncodeToString(raw)
		}
		if s := rec[2]; s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("RECORD row %d (%s): size %q: %w", row, truncate(e.Path), truncate(s), ErrRecord)
			}
			e.Size = n
		}
		out = append(out, e)
	}
	return out, nil
}
