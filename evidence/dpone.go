package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/hmacenv"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Files of a folder dpone's `supply-chain attest` writes: FileDponeIndex,
// its index, tells such a folder from pedigree's.
const (
	FileDponeIndex  = "supply_chain_attestation.json"
	dponeMarkdown   = "supply_chain_attestation.md"
	dponeProvenance = "provenance.intoto.json"
)

// DponeIndex is the part of dpone's supply_chain_attestation.json that
// pedigree reads.
type DponeIndex struct {
	Release string `json:"release"`
	// Passed is dpone's verdict; nil when the index lacks it.
	Passed    *bool           `json:"passed"`
	Blockers  []string        `json:"blockers"`
	Artifacts []DponeArtifact `json:"artifacts"`
}

// DponeArtifact is one release artifact a dpone index lists.
type DponeArtifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// ParseDponeIndex decodes dpone's supply_chain_attestation.json; fields
// pedigree does not read are ignored. It fails with ErrMalformedIndex for
// input over MaxIndexSize or JSON of another shape.
func ParseDponeIndex(data []byte) (*DponeIndex, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(data), MaxIndexSize, ErrMalformedIndex)
	}
	var ix DponeIndex
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedIndex, err)
	}
	return &ix, nil
}

// verifyDpone checks a dpone evidence folder as far as its format allows:
// the HMAC envelope over the provenance, and the checksums the index lists.
// Its index and Markdown summary are covered by nothing, which the report
// notes.
func verifyDpone(ctx context.Context, opts VerifyOptions, files map[string]*entry, r *Report) {
	r.Notes = append(r.Notes,
		"dpone format: "+FileDponeIndex+" and "+dponeMarkdown+" are covered by no checksum or MAC, so changes to them cannot be detected",
		"dpone format: its SBOMs are not SPDX or CycloneDX documents and are not checked against the schemas")
	ixFile := files[FileDponeIndex]
	var b *DponeIndex
	if ixFile.data != nil {
		b, _ = ParseDponeIndex(ixFile.data)
	}
	if b == nil || b.Passed == nil {
		r.add(FileDponeIndex, FindingMalformed, "not a dpone supply_chain_attestation.json")
		return
	}
	r.Release = b.Release
	if len(b.Blockers) > 0 {
		r.add(FileDponeIndex, FindingBlockers, "dpone recorded blockers: %s", strings.Join(b.Blockers, ", "))
	}

	// The artifacts the index lists, found in the folder by file name.
	listed := map[string]string{}
	for i, a := range b.Artifacts {
		name := path.Base(strings.ReplaceAll(a.Path, `\`, "/"))
		if name == "." || name == "/" || name == ".." || name == "" {
			r.add(FileDponeIndex, FindingUnsafePath, "artifacts[%d].path %q names no file", i, a.Path)
			continue
		}
		listed[name] = a.SHA256
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		e := files[name]
		switch {
		case !e.regular:
			r.add(name, FindingAdded, "not a regular file")
		case name == FileDponeIndex || name == dponeMarkdown:
		case !hasKey(listed, name):
			r.add(name, FindingAdded, "not listed in %s", FileDponeIndex)
		}
	}

	// The HMAC envelope.
	bound := map[string]bool{}
	hmacFile := files[FileHMAC]
	switch {
	case hmacFile == nil:
		if !opts.AllowUnsigned {
			r.add(FileHMAC, FindingNoKey, "dpone wrote no HMAC envelope (it was run without a signing key); pass --allow-unsigned to check the checksums only")
		}
	case hmacFile.data == nil:
		r.add(FileHMAC, FindingMalformed, "too large")
	default:
		env, err := hmacenv.Parse(hmacFile.data)
		if err != nil {
			r.add(FileHMAC, FindingMalformed, "%v", err)
			break
		}
		canonical := bytes.Equal(env.Marshal(), hmacFile.data)
		if !canonical {
			r.add(FileHMAC, FindingChanged, "not byte for byte the envelope dpone writes for these values (it was edited)")
		}
		signedName := path.Base(strings.ReplaceAll(env.SignedPath, `\`, "/"))
		signedFile := files[signedName]
		if signedFile == nil || !signedFile.regular {
			r.add(signedName, FindingMissing, "the HMAC envelope signs %s, which is not in the folder", env.SignedPath)
			break
		}
		if len(opts.HMACKey) == 0 {
			r.add(FileHMAC, FindingNoKey, "the evidence has an HMAC envelope (key id %s) but no key was given: pass --hmac-key-env VAR", env.KeyID)
			break
		}
		switch err := env.Verify(opts.HMACKey, signedFile.sha256); {
		case errors.Is(err, hmacenv.ErrMACMismatch):
			r.add(FileHMAC, FindingSignature, "the MAC does not match: a wrong key, or the envelope's signed_sha256 was changed")
		case errors.Is(err, hmacenv.ErrDigestMismatch):
			r.add(signedName, FindingChanged, "changed since the HMAC envelope signed it (sha256 %s, signed %s)", signedFile.sha256, env.SignedSHA256)
		case err != nil:
			r.add(FileHMAC, FindingSignature, "%v", err)
		default:
			bound[signedName] = true
			if canonical {
				bound[FileHMAC] = true
			}
			r.Verified = append(r.Verified, "HMAC-SHA256 with key id "+env.KeyID+" (dpone envelope over "+signedName+")")
		}
	}

	// The checksums.
	for _, name := range slices.Sorted(maps.Keys(listed)) {
		f, want := files[name], listed[name]
		switch {
		case f == nil || !f.regular:
			r.add(name, FindingMissing, "listed in %s but missing", FileDponeIndex)
		case f.sha256 == want:
		case bound[name]:
			r.add(FileDponeIndex, FindingIndexMismatch, "lists sha256 %s for %s, but %s is the signed one (sha256 %s)", want, name, name, f.sha256)
		case !r.has(name):
			r.add(name, FindingChanged, "sha256 %s, %s lists %s", f.sha256, FileDponeIndex, want)
		}
	}

	// The provenance, for its subjects.
	var subjects []slsa.ResourceDescriptor
	if f := files[dponeProvenance]; f != nil && f.data != nil {
		st, err := slsa.DecodeStatement(f.data)
		if err != nil {
			if !r.has(dponeProvenance) {
				r.add(dponeProvenance, FindingMalformed, "%v", err)
			}
		} else {
			subjects = st.Subject
			for _, s := range st.Subject {
				r.Subjects = append(r.Subjects, Subject{Name: path.Base(s.Name), Path: s.Name, SHA256: s.Digest[digest.SHA256]})
			}
		}
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int { return strings.Compare(a.File, b.File) })
	checkSubjectFiles(ctx, opts.Subjects, subjects, r)
}
