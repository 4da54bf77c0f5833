package pypi

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strings"
)

// Wheel is what ReadWheel learned from a wheel without extracting it.
type Wheel struct {
	// Filename is the parsed file name.
	Filename Filename `json:"filename"`
	// DistInfo is the .dist-info directory ("name-1.0.dist-info").
	DistInfo string     `json:"distInfo"`
	Metadata *Metadata  `json:"metadata"`
	Info     *WheelInfo `json:"wheel"`
	// Entries is the number of files in the zip (directories excluded);
	// UncompressedSize their total size.
	Entries          int   `json:"entries"`
	UncompressedSize int64 `json:"uncompressedSize"`
	// Record is the outcome of checking every file against RECORD.
	Record RecordCheck `json:"record"`
	// SBOMs are the PEP 770 SBOMs under .dist-info/sboms/.
	SBOMs []EmbeddedSBOM `json:"sboms,omitempty"`
}

// RecordProblem kinds.
const (
	RecordMissing     = "missing"     // listed in RECORD, absent from the wheel
	RecordUnlisted    = "unlisted"    // in the wheel, absent from RECORD
	RecordMismatch    = "mismatch"    // content hash differs
	RecordSize        = "size"        // size differs
	RecordUnhashed    = "unhashed"    // listed without a hash (only .pyc and RECORD itself may be)
	RecordUnsupported = "unsupported" // hash algorithm weaker than sha256
	RecordDuplicate   = "duplicate"   // listed twice
	RecordUnreadable  = "unreadable"  // the zip entry does not decompress or fails its CRC
)

// RecordProblem is one disagreement between a wheel and its RECORD.
type RecordProblem struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
}

// RecordCheck is the result of verifying a wheel against its RECORD.
type RecordCheck struct {
	// Entries is the number of RECORD rows; Verified how many files'
	// hashes and sizes matched; Unhashed how many rows carry no hash (the
	// RECORD itself, .pyc files).
	Entries  int `json:"entries"`
	Verified int `json:"verified"`
	Unhashed int `json:"unhashed"`
	// Problems lists every disagreement, in RECORD then zip order.
	Problems []RecordProblem `json:"problems,omitempty"`
}

// OK reports whether RECORD matched the wheel.
func (c RecordCheck) OK() bool { return len(c.Problems) == 0 }

// Err returns nil when RECORD matched, else an error wrapping
// ErrRecordMismatch that names the first problem and how many there are.
func (c RecordCheck) Err() error {
	if len(c.Problems) == 0 {
		return nil
	}
	p := c.Problems[0]
	more := ""
	if n := len(c.Problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	msg := p.Path + ": " + p.Kind
	if p.Detail != "" {
		msg += " (" + p.Detail + ")"
	}
	return fmt.Errorf("%s%s: %w", msg, more, ErrRecordMismatch)
}

// EmbeddedSBOM is a PEP 770 SBOM found under .dist-info/sboms/.
type EmbeddedSBOM struct {
	// Path is the entry's path in the wheel.
	Path string `json:"path"`
	// Format is "CycloneDX <specVersion>", "SPDX-<version>" or "unknown".
	Format string `json:"format"`
	Size   int64  `json:"size"`
	// SHA256 is the lowercase hex digest of the content.
	SHA256 string `json:"sha256"`
	// Data is the SBOM's content.
	Data []byte `json:"-"`
}

// OpenWheel reads the wheel at path; see ReadWheel for what it checks and
// the errors it returns. A file that cannot be opened is the *fs.PathError.
func OpenWheel(path string, opts ArchiveOptions) (*Wheel, error) {
	return openArchive(path, opts, ReadWheel)
}

// ReadWheel reads a wheel in place: it parses the file name (name is the
// base name; its name and version must agree with the .dist-info
// directory and METADATA), finds the one .dist-info directory, parses
// METADATA and WHEEL, verifies every file against RECORD (hash and size;
// only .pyc files and RECORD itself may be unhashed; a file missing from
// RECORD is a problem too) and collects PEP 770 SBOMs.
//
// A wheel whose RECORD disagrees with its content is still returned, with
// the disagreements in Record.Problems (Record.Err wraps
// ErrRecordMismatch). Structural problems are errors: not a zip, too many
// entries or too large (ErrTooLarge), unsafe or duplicate entry names
// (ErrUnsafePath), a bad file name (ErrFilename), missing or several
// .dist-info directories, a missing METADATA, WHEEL or RECORD, or a name
// or version mismatch (ErrWheel), malformed METADATA (ErrMetadata) or
// RECORD (ErrRecord).
func ReadWheel(r io.ReaderAt, size int64, name string, opts ArchiveOptions) (*Wheel, error) {
	fn, err := ParseWheelFilename(name)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a zip archive: %v: %w", name, err, ErrWheel)
	}
	if err := opts.checkEntries(len(zr.File)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	w := &Wheel{Filename: fn}
	files := map[string]*zip.File{}
	var order []string
	distInfos := map[string]bool{}
	var total uint64
	for _, f := range zr.File {
		if err := CheckEntryName(f.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue // a directory entry
		}
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("%s: %q: entry occurs twice: %w", name, truncate(f.Name), ErrUnsafePath)
		}
		files[f.Name] = f
		order = append(order, f.Name)
		total += f.UncompressedSize64
		if total > uint64(opts.maxTotal()) {
			return nil, fmt.Errorf("%s: %w", name, opts.totalSizeError())
		}
		if top, _, ok := strings.Cut(f.Name, "/"); ok && strings.HasSuffix(top, ".dist-info") {
			distInfos[top] = true
		}
	}
	w.Entries = len(order)
	w.UncompressedSize = int64(total)
	if len(distInfos) != 1 {
		return nil, fmt.Errorf("%s: want exactly one .dist-info directory, found %d: %w", name, len(distInfos), ErrWheel)
	}
	for d := range distInfos {
		w.DistInfo = d
	}
	stem := strings.TrimSuffix(w.DistInfo, ".dist-info")
	diName, diVersion, ok := strings.Cut(stem, "-")
	if !ok || NormalizeName(diName) != fn.NormalizedName || !SameVersion(diVersion, fn.Version) {
		return nil, fmt.Errorf("%s: .dist-info directory %q does not match the file name: %w", name, w.DistInfo, ErrWheel)
	}
	budget := &readBudget{left: opts.maxTotal()}
	readSmall := func(base string) ([]byte, error) {
		p := w.DistInfo + "/" + base
		f, ok := files[p]
		if !ok {
			return nil, fmt.Errorf("%s: %s: missing: %w", name, p, ErrWheel)
		}
		data, err := readEntry(f, opts.maxMetadata(), budget, ErrWheel)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, p, err)
		}
		return data, nil
	}
	data, err := readSmall("METADATA")
	if err != nil {
		return nil, err
	}
	if w.Metadata, err = ParseMetadata(data); err != nil {
		return nil, fmt.Errorf("%s: METADATA: %w", name, err)
	}
	if NormalizeName(w.Metadata.Name) != fn.NormalizedName || !SameVersion(w.Metadata.Version, fn.Version) {
		return nil, fmt.Errorf("%s: METADATA names %s %s: %w", name, truncate(w.Metadata.Name), truncate(w.Metadata.Version), ErrWheel)
	}
	if data, err = readSmall("WHEEL"); err != nil {
		return nil, err
	}
	if w.Info, err = ParseWheelInfo(data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if data, err = readSmall("RECORD"); err != nil {
		return nil, err
	}
	record, err := ParseRecord(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	w.Record = verifyRecord(record, files, order, w.DistInfo, budget)
	if budget.exceeded {
		return nil, fmt.Errorf("%s: content read over %d bytes: %w", name, opts.maxTotal(), ErrTooLarge)
	}
	for _, p := range order {
		if !strings.HasPrefix(p, w.DistInfo+"/sboms/") {
			continue
		}
		data, err := readEntry(files[p], opts.maxMetadata(), budget, ErrWheel)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, p, err)
		}
		sum := sha256.Sum256(data)
		w.SBOMs = append(w.SBOMs, EmbeddedSBOM{Path: p, Format: SBOMFormat(data), Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data})
	}
	return w, nil
}

// newRecordHash returns a hash for a RECORD algorithm pedigree accepts
// (sha256 or stronger), or nil.
func newRecordHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// verifyRecord checks every RECORD row against the zip and every zip file
// against RECORD.
func verifyRecord(record []RecordEntry, files map[string]*zip.File, order []string, distInfo string, budget *readBudget) RecordCheck {
	c := RecordCheck{Entries: len(record)}
	recordPath := distInfo + "/RECORD"
	listed := map[string]bool{}
	add := func(p, kind, detail string) {
		c.Problems = append(c.Problems, RecordProblem{Path: p, Kind: kind, Detail: detail})
	}
	for _, e := range record {
		if listed[e.Path] {
			add(e.Path, RecordDuplicate, "")
			continue
		}
		listed[e.Path] = true
		f, inZip := files[e.Path]
		if e.Algorithm == "" {
			c.Unhashed++
			switch {
			case e.Path == recordPath:
			case strings.HasSuffix(e.Path, ".pyc"):
			case !inZip:
				add(e.Path, RecordMissing, "")
			default:
				add(e.Path, RecordUnhashed, "only .pyc files and RECORD itself may be unhashed")
			}
			continue
		}
		if !inZip {
			add(e.Path, RecordMissing, "")
			continue
		}
		h := newRecordHash(e.Algorithm)
		if h == nil {
			add(e.Path, RecordUnsupported, e.Algorithm+" is not accepted; want sha256, sha384 or sha512")
			continue
		}
		rc, err := f.Open()
		if err != nil {
			add(e.Path, RecordUnreadable, err.Error())
			continue
		}
		n, err := io.Copy(io.MultiWriter(h, budget), rc)
		rc.Close()
		if budget.exceeded {
			return c
		}
		if err != nil {
			add(e.Path, RecordUnreadable, err.Error())
			continue
		}
		got := hex.EncodeToString(h.Sum(nil))
		switch {
		case got != e.Digest:
			add(e.Path, RecordMismatch, fmt.Sprintf("%s %s, RECORD says %s", e.Algorithm, got, e.Digest))
		case e.Size >= 0 && n != e.Size:
			add(e.Path, RecordSize, fmt.Sprintf("%d bytes, RECORD says %d", n, e.Size))
		default:
			c.Verified++
		}
	}
	var unlisted []string
	for _, p := range order {
		if listed[p] || p == distInfo+"/RECORD.jws" || p == distInfo+"/RECORD.p7s" {
			continue
		}
		unlisted = append(unlisted, p)
	}
	sort.Strings(unlisted)
	for _, p := range unlisted {
		add(p, RecordUnlisted, "")
	}
	return c
}

// SBOMFormat names an SBOM document's format from its content:
// "CycloneDX <specVersion>" or "SPDX-<n.n>" for JSON, tag-value SPDX and
// CycloneDX XML, "unknown" otherwise.
func SBOMFormat(data []byte) string {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) {
		var probe struct {
			BOMFormat   string `json:"bomFormat"`
			SpecVersion string `json:"specVersion"`
			SPDXVersion string `json:"spdxVersion"`
		}
		if json.Unmarshal(trimmed, &probe) == nil {
			switch {
			case probe.BOMFormat == "CycloneDX":
				return strings.TrimSpace("CycloneDX " + probe.SpecVersion)
			case strings.HasPrefix(probe.SPDXVersion, "SPDX-"):
				return probe.SPDXVersion
			}
		}
		return "unknown"
	}
	head := string(trimmed[:min(len(trimmed), 4096)])
	if i := strings.Index(head, "SPDXVersion:"); i >= 0 {
		v, _, _ := strings.Cut(strings.TrimSpace(head[i+len("SPDXVersion:"):]), "\n")
		return strings.TrimSpace(v)
	}
	if i := strings.Index(head, "http://cyclonedx.org/schema/bom/"); i >= 0 {
		v := head[i+len("http://cyclonedx.org/schema/bom/"):]
		if j := strings.IndexAny(v, `"'`); j >= 0 {
			return "CycloneDX " + path.Clean(v[:j])
		}
	}
	return "unknown"
}
