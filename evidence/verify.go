package evidence

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/hmacenv"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/sbom"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Bundle formats Verify recognizes.
const (
	FormatPedigree = "pedigree"
	FormatDpone    = "dpone"
)

// VerifyOptions are the inputs of Verify.
type VerifyOptions struct {
	// Dir is the bundle folder.
	Dir string
	// Subjects are artifact files that must be subjects of the provenance.
	Subjects []string
	// PublicKeys check the DSSE signatures of provenance.intoto.jsonl.
	PublicKeys []crypto.PublicKey
	// HMACKey checks signature.hmac-sha256.json.
	HMACKey []byte
	// AllowUnsigned accepts evidence created without a signature (its
	// integrity is still checked). Signed evidence always needs a key.
	AllowUnsigned bool
}

// Finding is one problem Verify found, naming the file concerned (relative
// to the folder, or a subject path as given).
type Finding struct {
	File    string `json:"file"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String returns "file: message".
func (f Finding) String() string { return f.File + ": " + f.Message }

// Report is the outcome of Verify. The evidence verified when Findings is
// empty.
type Report struct {
	Dir     string `json:"dir"`
	Format  string `json:"format"` // FormatPedigree or FormatDpone
	Release string `json:"release,omitempty"`
	// Subjects are the release artifacts the evidence is about.
	Subjects []Subject `json:"subjects"`
	// Files counts the files checked.
	Files int `json:"files"`
	// Verified says which signatures verified ("DSSE ed25519 key ...").
	Verified []string `json:"verified"`
	// Notes are facts worth knowing that are not failures (what dpone's
	// format leaves unprotected).
	Notes    []string  `json:"notes,omitempty"`
	Findings []Finding `json:"findings"`
	// Index is the parsed evidence.json (pedigree format), when readable.
	Index *Index `json:"-"`
}

// OK reports whether the evidence verified.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

func (r *Report) add(file, code, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{File: file, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) has(file string) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.File == file })
}

// Verify re-checks an evidence folder: every checksum in its index, the
// signature or MAC (constant time), the provenance against the subjects
// (and the subject files given), the SBOMs against their schemas, and that
// the folder holds nothing else. Problems are Findings in the Report; the
// error is for a folder that cannot be read (wrapping fs errors) or holds
// no evidence (ErrNotEvidence).
func Verify(ctx context.Context, opts VerifyOptions) (*Report, error) {
	files, err := readFolder(opts.Dir)
	if err != nil {
		return nil, err
	}
	r := &Report{Dir: opts.Dir, Format: FormatPedigree, Subjects: []Subject{}, Verified: []string{}, Findings: []Finding{}}
	switch {
	case files[FileIndex] != nil:
		verifyPedigree(ctx, opts, files, r)
	case files[FileDponeIndex] != nil:
		r.Format = FormatDpone
		verifyDpone(ctx, opts, files, r)
	default:
		return nil, fmt.Errorf("%s: no %s (pedigree) or %s (dpone): %w", opts.Dir, FileIndex, FileDponeIndex, ErrNotEvidence)
	}
	r.Files = len(files)
	return r, nil
}

// line is one line of provenance.intoto.jsonl.
type line struct {
	n         int
	env       *dsse.Envelope // nil for a bare statement
	payload   []byte
	statement *slsa.Statement
}

func verifyPedigree(ctx context.Context, opts VerifyOptions, files map[string]*entry, r *Report) {
	// evidence.json.
	ixFile := files[FileIndex]
	var ix *Index
	if !ixFile.regular {
		r.add(FileIndex, FindingMalformed, "not a regular file")
	} else if ixFile.data == nil {
		r.add(FileIndex, FindingMalformed, "larger than %d bytes", MaxIndexSize)
	} else if parsed, err := ParseIndex(ixFile.data); errors.Is(err, ErrSchemaVersion) {
		r.add(FileIndex, FindingSchemaVersion, "%v", err)
		return
	} else if err != nil {
		r.add(FileIndex, FindingMalformed, "%v", err)
	} else {
		ix = parsed
		r.Index = ix
		r.Release = ix.Release
	}

	// The folder against the index's list.
	listed := map[string]File{}
	if ix != nil {
		for i, f := range ix.Files {
			if _, err := atomicfile.SafeJoin(opts.Dir, f.Path); err != nil || strings.Contains(f.Path, "/") {
				r.add(FileIndex, FindingUnsafePath, "files[%d].path %q is not a file name inside the folder", i, f.Path)
				continue
			}
			if f.Path == FileIndex {
				r.add(FileIndex, FindingMalformed, "files[%d]: lists evidence.json itself", i)
				continue
			}
			if _, dup := listed[f.Path]; dup {
				r.add(FileIndex, FindingMalformed, "files[%d]: %s listed twice", i, f.Path)
			}
			listed[f.Path] = f
		}
		if len(ix.Blockers) > 0 {
			r.add(FileIndex, FindingBlockers, "records %s: %s", plural(len(ix.Blockers), "blocker"), ix.Blockers[0])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		e := files[name]
		switch {
		case name == FileIndex:
		case !e.regular:
			r.add(name, FindingAdded, "not a regular file; a bundle holds only the files its index lists")
		case ix != nil && !hasKey(listed, name):
			r.add(name, FindingAdded, "not listed in evidence.json (an added file is a change)")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(listed)) {
		if files[name] == nil {
			r.add(name, FindingMissing, "listed in evidence.json but missing")
		}
	}

	// The signature layer.
	bound := map[string]bool{} // files whose bytes a verified signature covers
	jsonlFile := files[FileProvenance]
	var lines []line
	dsseVerified, hmacVerified := false, false
	signedLines, bareLines := 0, 0
	var dsseKeyIDs []string
	if jsonlFile == nil || !jsonlFile.regular {
		r.add(FileProvenance, FindingMissing, "the provenance is missing")
	} else if jsonlFile.data == nil {
		r.add(FileProvenance, FindingMalformed, "larger than %d bytes", maxKeptFile)
	} else {
		lines = parseLines(jsonlFile.data, r)
		for i := range lines {
			if lines[i].env != nil {
				signedLines++
			} else {
				bareLines++
			}
		}
		if signedLines > 0 && bareLines > 0 {
			r.add(FileProvenance, FindingMalformed, "mixes signed and unsigned lines")
		}
		if signedLines > 0 && len(opts.PublicKeys) > 0 {
			dsseVerified = !r.has(FileProvenance)
			for i := range lines {
				l := &lines[i]
				if l.env == nil {
					continue
				}
				_, ids, err := l.env.Verify(opts.PublicKeys...)
				if err != nil {
					r.add(FileProvenance, FindingSignature, "line %d: the DSSE signature does not verify with the key given: %v", l.n, err)
					dsseVerified = false
					continue
				}
				dsseKeyIDs = append(dsseKeyIDs, ids...)
			}
		} else if signedLines == 0 && len(opts.PublicKeys) > 0 {
			r.add(FileProvenance, FindingSignature, "not DSSE-signed, but --key was given: the signature was removed or the evidence was made unsigned")
		}
	}
	hmacFile := files[FileHMAC]
	var henv *hmacenv.Envelope
	if hmacFile != nil && hmacFile.regular {
		var err error
		if hmacFile.data == nil {
			err = fmt.Errorf("larger than %d bytes", hmacenv.MaxSize)
		} else {
			henv, err = hmacenv.Parse(hmacFile.data)
		}
		switch {
		case err != nil:
			r.add(FileHMAC, FindingMalformed, "%v", err)
			henv = nil
		case !bytes.Equal(henv.Marshal(), hmacFile.data):
			r.add(FileHMAC, FindingChanged, "not byte for byte the envelope pedigree writes for these values (it was edited)")
		}
		if henv != nil && len(opts.HMACKey) > 0 && jsonlFile != nil && jsonlFile.regular {
			switch err := henv.Verify(opts.HMACKey, jsonlFile.sha256); {
			case errors.Is(err, hmacenv.ErrMACMismatch):
				r.add(FileHMAC, FindingSignature, "the MAC does not match: a wrong key, or the envelope's signed_sha256 was changed")
			case errors.Is(err, hmacenv.ErrDigestMismatch):
				r.add(FileProvenance, FindingChanged, "changed since the HMAC envelope signed it (sha256 %s, signed %s)", jsonlFile.sha256, henv.SignedSHA256)
			case err != nil:
				r.add(FileHMAC, FindingSignature, "%v", err)
			default:
				hmacVerified = !r.has(FileHMAC)
			}
		}
	} else if len(opts.HMACKey) > 0 {
		r.add(FileHMAC, FindingMissing, "an HMAC key was given but the evidence has no HMAC envelope")
	}

	signed := signedLines > 0 || hmacFile != nil
	switch {
	case dsseVerified || hmacVerified:
	case signed && len(opts.PublicKeys) == 0 && len(opts.HMACKey) == 0:
		r.add(FileProvenance, FindingNoKey, "the evidence is signed (%s) but no key was given: pass --key PUBLIC_KEY and/or --hmac-key-env VAR", describeSigning(signedLines > 0, hmacFile != nil))
	case !signed && !opts.AllowUnsigned:
		r.add(FileProvenance, FindingNoKey, "the evidence is unsigned: anyone could have written it; pass --allow-unsigned to check its integrity only")
	}
	if dsseVerified {
		bound[FileProvenance] = true
		r.Verified = append(r.Verified, "DSSE signature by key "+strings.Join(slices.Compact(slices.Sorted(slices.Values(dsseKeyIDs))), ", "))
	}
	if hmacVerified {
		bound[FileProvenance] = true
		r.Verified = append(r.Verified, "HMAC-SHA256 with key id "+henv.KeyID)
	}
	trusted := dsseVerified || hmacVerified || (!signed && opts.AllowUnsigned)

	// The statements.
	var prov, ev *slsa.Statement
	for _, l := range lines {
		if l.statement == nil {
			continue
		}
		switch {
		case slsa.TypeURI(l.statement.PredicateType).Equal(slsa.PredicateProvenanceV1):
			if prov != nil {
				r.add(FileProvenance, FindingProvenance, "line %d: a second SLSA provenance statement", l.n)
			}
			prov = l.statement
		case l.statement.PredicateType == PredicateType:
			if ev != nil {
				r.add(FileProvenance, FindingProvenance, "line %d: a second release-evidence statement", l.n)
			}
			ev = l.statement
		default:
			r.add(FileProvenance, FindingProvenance, "line %d: unexpected predicate type %q", l.n, l.statement.PredicateType)
		}
	}
	if len(lines) > 0 && prov == nil {
		r.add(FileProvenance, FindingProvenance, "no SLSA v1 provenance statement")
	}
	if len(lines) > 0 && ev == nil {
		r.add(FileProvenance, FindingProvenance, "no release-evidence statement (%s)", PredicateType)
	}
	var pred *Predicate
	if ev != nil {
		p, err := decodePredicate(ev.Predicate)
		if err != nil {
			r.add(FileProvenance, FindingProvenance, "release-evidence statement: %v", err)
		} else {
			pred = p
			r.Subjects = p.Subjects
			if r.Release == "" {
				r.Release = p.Release
			}
		}
	}

	// The files the release-evidence statement signs.
	if ev != nil {
		want := []string{FileSummary, FileCycloneDX, FileSPDX}
		var got []string
		for _, s := range ev.Subject {
			got = append(got, s.Name)
			f := files[s.Name]
			if !slices.Contains(want, s.Name) {
				continue
			}
			switch {
			case f == nil || !f.regular:
				r.add(s.Name, FindingMissing, "signed in the release-evidence statement but missing")
			case f.sha256 != s.Digest[digest.SHA256]:
				r.add(s.Name, FindingChanged, "changed since it was signed (sha256 %s, signed %s)", f.sha256, s.Digest[digest.SHA256])
			case trusted:
				bound[s.Name] = true
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			r.add(FileProvenance, FindingProvenance, "the release-evidence statement's subjects are %v, want %v", got, want)
		}
	}

	// The statements and the envelope agree with each other.
	if pred != nil && prov != nil {
		if !sameSubjects(prov.Subject, pred.Subjects) {
			r.add(FileProvenance, FindingSubject, "the provenance's subjects differ from the release-evidence statement's")
		}
	}
	if pred != nil {
		switch s := pred.Signature; {
		case s.DSSE != nil && signedLines == 0:
			r.add(FileProvenance, FindingChanged, "the evidence statement says DSSE-signed with key %s, but the lines are not signed", s.DSSE.KeyID)
		case s.DSSE == nil && signedLines > 0:
			r.add(FileProvenance, FindingChanged, "DSSE-signed, but the evidence statement records no DSSE signature")
		case s.DSSE != nil:
			for _, l := range lines {
				if l.env == nil {
					continue // a bare line among signed ones: reported above
				}
				for _, sig := range l.env.Signatures {
					if sig.KeyID != s.DSSE.KeyID {
						r.add(FileProvenance, FindingChanged, "line %d: signature keyid %q, the evidence statement records %q", l.n, sig.KeyID, s.DSSE.KeyID)
					}
				}
			}
			if dsseVerified && !slices.Contains(dsseKeyIDs, s.DSSE.KeyID) {
				r.add(FileProvenance, FindingSignature, "verified with key %s, but the evidence statement records key %s", strings.Join(dsseKeyIDs, ", "), s.DSSE.KeyID)
			}
		}
		switch s := pred.Signature.HMAC; {
		case s != nil && hmacFile == nil:
			r.add(FileHMAC, FindingMissing, "the evidence statement records an HMAC envelope (key id %s), but it is missing", s.KeyID)
		case s == nil && hmacFile != nil:
			r.add(FileHMAC, FindingAdded, "the evidence statement records no HMAC envelope")
		case s != nil && henv != nil:
			if henv.KeyID != s.KeyID || henv.SignedPath != s.SignedPath {
				r.add(FileHMAC, FindingChanged, "key_id %q and signed_path %q differ from the signed evidence statement's %q and %q", henv.KeyID, henv.SignedPath, s.KeyID, s.SignedPath)
			} else if hmacVerified && trusted {
				bound[FileHMAC] = true
			}
		}
	}

	// Checksums listed in evidence.json. A mismatch is the file's fault
	// unless a signature vouches for the file.
	for _, name := range slices.Sorted(maps.Keys(listed)) {
		f, l := files[name], listed[name]
		if f == nil || !f.regular || (f.sha256 == l.SHA256 && f.size == l.Size) {
			continue
		}
		if bound[name] {
			r.add(FileIndex, FindingIndexMismatch, "lists sha256 %s (%d bytes) for %s, but %s is the signed one (sha256 %s, %d bytes)", l.SHA256, l.Size, name, name, f.sha256, f.size)
		} else if !r.has(name) {
			r.add(name, FindingChanged, "sha256 %s (%d bytes), evidence.json lists %s (%d bytes)", f.sha256, f.size, l.SHA256, l.Size)
		}
	}

	// evidence.json is a function of the signed predicate and the files.
	if pred != nil && trusted && ix != nil && !r.has(FileIndex) {
		want := &Index{SchemaVersion: SchemaVersion, Predicate: *pred, Blockers: []Blocker{}}
		names := []string{FileSPDX, FileCycloneDX, FileProvenance, FileSummary}
		if pred.Signature.HMAC != nil {
			names = append(names, FileHMAC)
		}
		slices.Sort(names)
		for _, name := range names {
			f, l := files[name], listed[name]
			entry := l
			if f != nil && f.regular && !(r.has(name) && hasKey(listed, name)) {
				entry = File{Path: name, SHA256: f.sha256, Size: f.size}
			}
			entry.Path = name
			want.Files = append(want.Files, entry)
		}
		if wb, err := want.Marshal(); err == nil && !bytes.Equal(wb, ixFile.data) {
			r.add(FileIndex, FindingIndexMismatch, "differs from the index the signed statements and the files imply (%s)", firstDifference(ixFile.data, wb))
		}
	}

	// The SBOMs against their schemas.
	for name, format := range map[string]sbom.Format{FileSPDX: sbom.FormatSPDXJSON, FileCycloneDX: sbom.FormatCycloneDXJSON} {
		f := files[name]
		if f == nil || !f.regular || f.data == nil || r.has(name) {
			continue
		}
		if err := sbom.Validate(format, f.data); err != nil {
			r.add(name, FindingSBOMSchema, "%v", err)
		}
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int { return strings.Compare(a.File, b.File) })

	// The subject files given.
	var subjects []slsa.ResourceDescriptor
	if prov != nil {
		subjects = prov.Subject
	}
	checkSubjectFiles(ctx, opts.Subjects, subjects, r)
}

func hasKey[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }

func describeSigning(dsseSigned, hmacSigned bool) string {
	switch {
	case dsseSigned && hmacSigned:
		return "DSSE and HMAC"
	case dsseSigned:
		return "DSSE"
	}
	return "HMAC"
}

// parseLines reads provenance.intoto.jsonl: each non-empty line a DSSE
// envelope (exactly as json.Marshal writes dsse.Envelope) or a bare
// statement (its canonical JSON). Problems are findings on the file.
func parseLines(data []byte, r *Report) []line {
	var out []line
	if !bytes.HasSuffix(data, []byte("\n")) {
		r.add(FileProvenance, FindingChanged, "does not end with a newline as written")
	}
	for i, raw := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		n := i + 1
		if len(raw) == 0 {
			r.add(FileProvenance, FindingChanged, "line %d is empty", n)
			continue
		}
		l := line{n: n}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(raw, &probe); err != nil {
			r.add(FileProvenance, FindingMalformed, "line %d: not a JSON object: %v", n, err)
			continue
		}
		if _, ok := probe["payloadType"]; ok {
			env, err := dsse.Parse(raw)
			if err != nil {
				r.add(FileProvenance, FindingMalformed, "line %d: %v", n, err)
				continue
			}
			if again, _ := json.Marshal(env); !bytes.Equal(again, raw) {
				r.add(FileProvenance, FindingChanged, "line %d: not byte for byte the envelope pedigree wrote (it was edited)", n)
			}
			if env.PayloadType != slsa.PayloadType {
				r.add(FileProvenance, FindingMalformed, "line %d: payloadType %q, want %q", n, env.PayloadType, slsa.PayloadType)
				continue
			}
			l.env, l.payload = env, env.Payload
		} else {
			l.payload = raw
		}
		st, err := slsa.ParseStatement(l.payload)
		if err != nil {
			r.add(FileProvenance, FindingMalformed, "line %d: %v", n, err)
			continue
		}
		if l.env == nil {
			if canon, err := slsa.Canonical(st); err != nil || !bytes.Equal(canon, raw) {
				r.add(FileProvenance, FindingChanged, "line %d: not the canonical statement pedigree wrote (it was edited)", n)
			}
		}
		l.statement = st
		out = append(out, l)
	}
	return out
}

// decodePredicate reads a release-evidence predicate strictly.
func decodePredicate(raw json.RawMessage) (*Predicate, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var p Predicate
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedIndex, err)
	}
	return &p, nil
}

func sameSubjects(prov []slsa.ResourceDescriptor, subjects []Subject) bool {
	if len(prov) != len(subjects) {
		return false
	}
	for i, s := range subjects {
		if prov[i].Name != s.Name || prov[i].Digest[digest.SHA256] != s.SHA256 {
			return false
		}
	}
	return true
}

// checkSubjectFiles checks that each file given is a subject of the
// provenance, by digest.
func checkSubjectFiles(ctx context.Context, paths []string, subjects []slsa.ResourceDescriptor, r *Report) {
	for _, p := range paths {
		set, _, err := digest.File(ctx, p, digest.SHA256)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				r.add(p, FindingMissing, "the subject file does not exist")
			} else {
				r.add(p, FindingMissing, "cannot be read: %v", err)
			}
			continue
		}
		found := false
		for _, s := range subjects {
			if s.Digest.Matches(set) {
				found = true
				if s.Name != filepath.Base(p) {
					r.Notes = append(r.Notes, fmt.Sprintf("%s is the subject recorded as %s", p, s.Name))
				}
				break
			}
		}
		if !found {
			r.add(p, FindingSubject, "sha256 %s is not a subject of the provenance", set[digest.SHA256])
		}
	}
}

// firstDifference describes where two texts first differ, by line.
func firstDifference(got, want []byte) string {
	gl := strings.Split(string(got), "\n")
	wl := strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			return fmt.Sprintf("line %d is %q, want %q", i+1, truncate(strings.TrimSpace(g), 80), truncate(strings.TrimSpace(w), 80))
		}
	}
	return "they differ"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
