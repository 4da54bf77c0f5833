// Package provenance assembles SLSA v1.0 build provenance: an in-toto
// Statement v1 whose subjects are the artifacts built and whose predicate
// describes the build context (see package buildenv), as RFC 8785
// canonical JSON ready to be signed.
//
// It also turns container images into subjects: an image reference pinned
// by digest (ImageSubject) and the manifests of an OCI image layout
// (OCILayoutSubjects).
package provenance

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// Errors returned by this package, wrapped with the subject or field
// concerned.
var (
	// ErrNoSubjects: there is nothing to attest.
	ErrNoSubjects = errors.New("no subjects")
	// ErrDuplicateSubject: a subject name appears twice with different
	// digests for the same algorithm.
	ErrDuplicateSubject = errors.New("subject listed twice with different digests")
	// ErrNoBuildContext: Options.Build is nil.
	ErrNoBuildContext = errors.New("no build context")
	// ErrImageRef: an image reference is not NAME@sha256:HEX.
	ErrImageRef = errors.New("invalid image reference")
	// ErrOCILayout: a directory is not a readable OCI image layout.
	ErrOCILayout = errors.New("invalid OCI image layout")
	// ErrSourceLayout: the statement would not record the build's source
	// the way its buildType says: an external parameter given in place of
	// the build context's source parameter, or a build context whose
	// source parameter, source and first dependency disagree.
	ErrSourceLayout = errors.New("source not recorded as the buildType says")
)

// Options are the inputs of Generate.
type Options struct {
	// Subjects are the artifacts attested, in the order given. Exact
	// duplicates are kept once; a name with two different digests of one
	// algorithm is ErrDuplicateSubject.
	Subjects []slsa.ResourceDescriptor
	// Build is the detected build context (buildenv.Detect); required.
	Build *buildenv.Context
	// BuilderID, BuildType and InvocationID replace the detected values
	// when non-empty.
	BuilderID, BuildType, InvocationID string
	// ExternalParameters and InternalParameters are merged over the
	// detected ones (a key given here replaces the detected key).
	ExternalParameters, InternalParameters map[string]any
	// ResolvedDependencies are appended after the detected source
	// dependency: the packages of a lock file, for instance. Whether the
	// first dependency is the source is said by the source parameter
	// (buildenv.Context.SourceParameter), never by its position alone.
	ResolvedDependencies []slsa.ResourceDescriptor
	// Byproducts are recorded in runDetails.byproducts.
	Byproducts []slsa.ResourceDescriptor
	// StartedOn and FinishedOn are the build's times, truncated to whole
	// seconds; zero times are left out.
	StartedOn, FinishedOn time.Time
	// DeriveInvocationID makes the invocation id, when neither the build
	// context nor InvocationID gives one, a name-based UUID computed from
	// the rest of the statement, so that the same inputs give the same
	// bytes (set it when SOURCE_DATE_EPOCH is set). Otherwise such an id is
	// a random UUID.
	DeriveInvocationID bool
}

// Generate builds the SLSA v1 provenance statement described by opts and
// returns it with its RFC 8785 canonical JSON encoding, the bytes to sign.
// The statement has passed slsa's Validate and, when it keeps the build
// context's buildType, records the source as that buildType says
// (docs/buildtypes/): the source parameter present exactly when the context
// knows a source, naming its repository and ref, and resolvedDependencies[0]
// its git dependency. Errors: ErrNoSubjects, ErrDuplicateSubject,
// ErrNoBuildContext, or a *slsa.FieldError naming the invalid field
// (wrapping ErrSourceLayout when the source would be recorded otherwise).
func Generate(opts Options) (*slsa.Statement, []byte, error) {
	if opts.Build == nil {
		return nil, nil, ErrNoBuildContext
	}
	subjects, err := uniqueSubjects(opts.Subjects)
	if err != nil {
		return nil, nil, err
	}
	b := opts.Build
	pred := &slsa.ProvenanceV1{
		BuildDefinition: slsa.BuildDefinition{
			BuildType:          or(opts.BuildType, b.BuildType),
			ExternalParameters: merge(b.ExternalParameters, opts.ExternalParameters),
			InternalParameters: merge(b.InternalParameters, opts.InternalParameters),
			ResolvedDependencies: append(slices.Clone(b.ResolvedDependencies),
				opts.ResolvedDependencies...),
		},
		RunDetails: slsa.RunDetails{
			Builder:    slsa.Builder{ID: or(opts.BuilderID, b.BuilderID)},
			Byproducts: slices.Clone(opts.Byproducts),
		},
	}
	if len(pred.BuildDefinition.InternalParameters) == 0 {
		pred.BuildDefinition.InternalParameters = nil
	}
	if err := checkSource(&pred.BuildDefinition, b); err != nil {
		return nil, nil, err
	}
	md := &slsa.BuildMetadata{InvocationID: or(opts.InvocationID, b.InvocationID)}
	if !opts.StartedOn.IsZero() {
		md.StartedOn = slsa.NewTime(opts.StartedOn.Truncate(time.Second))
	}
	if !opts.FinishedOn.IsZero() {
		md.FinishedOn = slsa.NewTime(opts.FinishedOn.Truncate(time.Second))
	}
	pred.RunDetails.Metadata = md

	if md.InvocationID == "" && !opts.DeriveInvocationID {
		var u [16]byte
		rand.Read(u[:])
		md.InvocationID = uuidURN(u, 4)
	}
	st, err := slsa.NewStatement(subjects, slsa.PredicateProvenanceV1, pred)
	if err != nil {
		return nil, nil, err
	}
	payload, err := slsa.Canonical(st)
	if err != nil {
		return nil, nil, err
	}
	if md.InvocationID != "" {
		return st, payload, nil
	}
	// Derive the id from everything else: the canonical statement without
	// an invocation id.
	sum := sha256.Sum256(payload)
	var u [16]byte
	copy(u[:], sum[:16])
	md.InvocationID = uuidURN(u, 8)
	if st, err = slsa.NewStatement(subjects, slsa.PredicateProvenanceV1, pred); err != nil {
		return nil, nil, err
	}
	if payload, err = slsa.Canonical(st); err != nil {
		return nil, nil, err
	}
	return st, payload, nil
}

// checkSource checks that bd records b's source as b's buildType says:
// with a source, the source parameter is an object whose repository and
// ref are the source's (each absent when unknown) and resolvedDependencies[0]
// is its git dependency (buildenv.Source.Dependency); without one, the
// parameter is absent, so that no dependency (a lock's git package, say)
// reads as the source. A buildType other than the context's is the
// caller's to describe and is not checked.
func checkSource(bd *slsa.BuildDefinition, b *buildenv.Context) error {
	if bd.BuildType != b.BuildType {
		return nil
	}
	key := b.SourceParameter()
	path := "predicate.buildDefinition.externalParameters." + key
	fail := func(format string, args ...any) error {
		return &slsa.FieldError{Path: path, Err: fmt.Errorf(format+": %w", append(args, ErrSourceLayout)...)}
	}
	v, present := bd.ExternalParameters[key]
	if b.Source.Commit == "" {
		if present {
			return fail("the build context knows no source, so this parameter, which would name one, must be absent (give the source with --source-uri and --source-commit)")
		}
		return nil
	}
	if !present {
		return fail("missing, yet the build context knows a source (commit %s): the parameter says resolvedDependencies[0] is it", b.Source.Commit)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fail("want the object the build context records the source in (give the source with --source-uri and --source-commit, not as a parameter)")
	}
	for _, f := range []struct{ name, want string }{{"repository", b.Source.Repository}, {"ref", b.Source.Ref}} {
		got, present := m[f.name]
		if (f.want == "" && present) || (f.want != "" && got != f.want) {
			return fail("%s is %v, but the source is %q", f.name, got, f.want)
		}
	}
	want := b.Source.Dependency()
	deps := bd.ResolvedDependencies
	if len(deps) == 0 || deps[0].URI != want.URI || deps[0].Digest[digest.GitCommit] != b.Source.Commit {
		return &slsa.FieldError{Path: "predicate.buildDefinition.resolvedDependencies[0]", Err: fmt.Errorf("want the source's git dependency (uri %q, gitCommit %s) first: %w", want.URI, b.Source.Commit, ErrSourceLayout)}
	}
	return nil
}

// uuidURN formats 16 bytes as an RFC 9562 UUID URN of the given version
// (4: random, 8: custom, here SHA-256 based).
func uuidURN(u [16]byte, version byte) string {
	u[6] = u[6]&0x0f | version<<4
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func merge(base, over map[string]any) map[string]any {
	m := maps.Clone(base)
	if m == nil {
		m = map[string]any{}
	}
	maps.Copy(m, over)
	return m
}

// uniqueSubjects drops exact duplicates and fails on a name listed with
// different digests of one algorithm.
func uniqueSubjects(in []slsa.ResourceDescriptor) ([]slsa.ResourceDescriptor, error) {
	if len(in) == 0 {
		return nil, ErrNoSubjects
	}
	out := make([]slsa.ResourceDescriptor, 0, len(in))
	seen := make(map[string]int, len(in)) // name -> index in out
	for i, s := range in {
		j, ok := seen[s.Name]
		if !ok || s.Name == "" {
			seen[s.Name] = len(out)
			out = append(out, s)
			continue
		}
		prev := out[j]
		for alg, v := range s.Digest {
			if w, ok := prev.Digest[alg]; ok && w != v {
				return nil, fmt.Errorf("subject[%d] %q: %s %s and %s: %w", i, s.Name, alg, w, v, ErrDuplicateSubject)
			}
		}
		if !prev.Digest.Equal(s.Digest) {
			merged := prev.Digest.Clone()
			maps.Copy(merged, s.Digest)
			out[j].Digest = merged
		}
	}
	return out, nil
}

// FromDigest converts the digest package's subjects to resource
// descriptors.
func FromDigest(subjects []digest.Subject) []slsa.ResourceDescriptor {
	out := make([]slsa.ResourceDescriptor, len(subjects))
	for i, s := range subjects {
		out[i] = slsa.ResourceDescriptor{Name: s.Name, Digest: s.Digest.Clone()}
	}
	return out
}

// ParseParameter splits a K=V flag value into its key and value; it fails
// (wrapping slsa.ErrInvalidField) when there is no '=' or the key is empty.
func ParseParameter(kv string) (string, string, error) {
	k, v, ok := strings.Cut(kv, "=")
	if !ok || k == "" {
		return "", "", fmt.Errorf("%q: want KEY=VALUE: %w", kv, slsa.ErrInvalidField)
	}
	return k, v, nil
}
