package store

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/internal/parallel"
)

// Verifier verifies one submitted attestation, given as its bytes exactly
// as submitted, against a trust configuration, and says what it
// established. It returns an error wrapping ErrMalformed when the bytes are
// not an attestation at all; any other error is the reason the attestation
// does not verify (the store rejects it with that reason), except ctx's own
// error. A Verifier must be safe for concurrent use.
type Verifier interface {
	Verify(ctx context.Context, raw []byte) (*Verified, error)
}

// Backend persists records and tokens. Package store/sqlstore implements it
// on SQLite and PostgreSQL. Methods fail with ErrNotFound where documented,
// ErrInvalidQuery for a bad query, or an I/O error of the database.
type Backend interface {
	// Insert stores the records that are not stored yet, atomically (all
	// or none), and reports for each whether it was created (false: a
	// record with that ID was already there).
	Insert(ctx context.Context, recs []*Record) (created []bool, err error)
	// Get returns the record with that ID, or ErrNotFound.
	Get(ctx context.Context, id string) (*Record, error)
	// Lookup returns the records with a subject digest, oldest first, at
	// most q.Limit of them (DefaultLimit when 0), and whether there are
	// more.
	Lookup(ctx context.Context, q Query) (recs []*Record, more bool, err error)
	// Summarize describes the records with a subject digest, or
	// ErrNotFound when there is none.
	Summarize(ctx context.Context, k SubjectKey) (*Summary, error)
	// ByName returns the records with a subject of that name, oldest
	// first, at most limit of them.
	ByName(ctx context.Context, name string, limit int) ([]*Record, error)
	// CreateToken stores a token, or fails with ErrTokenExists.
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns the token with that hash, or ErrNotFound.
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	// Tokens lists the tokens by name.
	Tokens(ctx context.Context) ([]Token, error)
	// DeleteToken removes the token with that name, or fails with
	// ErrNotFound.
	DeleteToken(ctx context.Context, name string) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Store is the attestation store: verification on ingest in front of a
// Backend. It is safe for concurrent use.
type Store struct {
	b       Backend
	v       Verifier
	now     func() time.Time
	workers int
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the Store take VerifiedAt times from now (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithWorkers sets how many attestations of one body are verified at once
// (default GOMAXPROCS; values below 1 mean 1).
func WithWorkers(n int) Option { return func(s *Store) { s.workers = max(n, 1) } }

// New returns a Store that verifies attestations with v and keeps them in
// b. v may be nil for a Store that only serves reads and tokens; Ingest
// then rejects everything.
func New(b Backend, v Verifier, opts ...Option) *Store {
	s := &Store{b: b, v: v, now: time.Now, workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Backend returns the Store's backend.
func (s *Store) Backend() Backend { return s.b }

// Ingested is the outcome for one attestation of an accepted body.
type Ingested struct {
	// Line is where the attestation starts in the body.
	Line int `json:"line"`
	// Created is false when the store already held the attestation.
	Created bool `json:"created"`
	Record
}

// Problem is why one attestation of a body was not accepted.
type Problem struct {
	Line  int    `json:"line"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error"`
	err   error
}

// Err returns the problem's error, which wraps ErrMalformed or ErrRejected.
func (p Problem) Err() error { return p.err }

// IngestError lists the attestations of a body that were not accepted.
// When a body has any, nothing of it is stored. It unwraps to each
// problem's error, so errors.Is finds ErrMalformed or ErrRejected.
type IngestError struct {
	Problems []Problem
}

// Error returns the first problem's message, with how many more there are.
func (e *IngestError) Error() string {
	msg := e.Problems[0].err.Error()
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Unwrap returns the problems' errors.
func (e *IngestError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.err
	}
	return out
}

// Ingest verifies every attestation of body (see Split) and stores them
// all, or none when any fails. Attestations already stored are verified
// again (the trust configuration may have changed) and reported with
// Created false and the time the store first verified them. It fails with an error wrapping ErrEmpty, ErrTooLarge or
// ErrMalformed when the body cannot be split, with an *IngestError (wrapping
// ErrMalformed or ErrRejected) when attestations fail, or with ctx's or the
// Backend's error.
func (s *Store) Ingest(ctx context.Context, body []byte) ([]Ingested, error) {
	subs, err := Split(body)
	if err != nil {
		return nil, err
	}
	several := len(subs) > 1
	// Verify each distinct attestation once.
	first := map[string]int{}
	var distinct []int
	for i, sub := range subs {
		if _, ok := first[sub.ID]; !ok {
			first[sub.ID] = i
			distinct = append(distinct, i)
		}
	}
	results := make([]*Verified, len(subs))
	errs := make([]error, len(subs))
	if err := parallel.For(ctx, s.workers, len(distinct), func(k int) {
		i := distinct[k]
		results[i], errs[i] = s.verify(ctx, subs[i], several)
	}); err != nil {
		return nil, err
	}
	var problems []Problem
	for _, i := range distinct {
		if errs[i] != nil {
			problems = append(problems, Problem{Line: subs[i].Line, ID: subs[i].ID, Error: errs[i].Error(), err: errs[i]})
		}
	}
	if len(problems) > 0 {
		return nil, &IngestError{Problems: problems}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	recs := make([]*Record, len(subs))
	for i, sub := range subs {
		recs[i] = &Record{ID: sub.ID, Verified: *results[first[sub.ID]], VerifiedAt: now, Raw: sub.Raw}
	}
	created, err := s.b.Insert(ctx, recs)
	if err != nil {
		return nil, err
	}
	out := make([]Ingested, len(subs))
	for i, sub := range subs {
		rec := *recs[i]
		if !created[i] {
			// Report when the store first verified it, as reads do.
			if stored, err := s.b.Get(ctx, sub.ID); err == nil {
				rec.VerifiedAt = stored.VerifiedAt
			}
		}
		out[i] = Ingested{Line: sub.Line, Created: created[i], Record: rec}
	}
	return out, nil
}

// verify verifies one submission and checks that the result can be indexed.
func (s *Store) verify(ctx context.Context, sub Submission, several bool) (*Verified, error) {
	src := sub.Source(several)
	if s.v == nil {
		return nil, fmt.Errorf("%s: this store has no trust configuration: %w", src, ErrRejected)
	}
	v, err := s.v.Verify(ctx, sub.Raw)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, ErrMalformed):
		return nil, fmt.Errorf("%s: %w", src, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w: %w", src, ErrRejected, err)
	case v == nil:
		return nil, fmt.Errorf("%s: the verifier returned nothing: %w", src, ErrRejected)
	}
	if len(subjectKeys(v.Subjects)) == 0 {
		return nil, fmt.Errorf("%s: no subject digest to index the attestation by: %w", src, ErrRejected)
	}
	for i, sub := range v.Subjects {
		if err := sub.Digest.Validate(); err != nil {
			return nil, fmt.Errorf("%s: subject[%d].digest: %w: %w", src, i, ErrRejected, err)
		}
		if strings.ContainsRune(sub.Name, 0) {
			return nil, fmt.Errorf("%s: subject[%d].name: a NUL character: %w", src, i, ErrRejected)
		}
	}
	for _, f := range []struct{ name, value string }{
		{"format", v.Format}, {"predicateType", v.PredicateType}, {"builder id", v.BuilderID},
		{"source URI", v.SourceURI}, {"source ref", v.SourceRef}, {"signer identity", v.SignerIdentity},
		{"signer issuer", v.SignerIssuer}, {"key id", v.KeyID}, {"publisher", string(v.Publisher)},
	} {
		if strings.ContainsRune(f.value, 0) {
			return nil, fmt.Errorf("%s: %s: a NUL character: %w", src, f.name, ErrRejected)
		}
	}
	return v, nil
}

// ValidateID checks an attestation ID: 64 lowercase hex characters. Errors
// wrap ErrInvalidQuery.
func ValidateID(id string) error {
	if len(id) != 64 {
		return fmt.Errorf("attestation id: want 64 lowercase hex characters, got %d: %w", len(id), ErrInvalidQuery)
	}
	if strings.Trim(id, "0123456789abcdef") != "" {
		return fmt.Errorf("attestation id: want lowercase hex: %w", ErrInvalidQuery)
	}
	return nil
}

// Get returns the attestation with that ID. It fails with ErrInvalidQuery,
// ErrNotFound or the Backend's error.
func (s *Store) Get(ctx context.Context, id string) (*Record, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	return s.b.Get(ctx, id)
}

// Lookup returns the attestations with a subject digest (see Query), and
// whether there are more than the limit. It fails with ErrInvalidQuery or
// the Backend's error; no match is an empty result, not an error.
func (s *Store) Lookup(ctx context.Context, q Query) ([]*Record, bool, error) {
	if err := q.Validate(); err != nil {
		return nil, false, err
	}
	return s.b.Lookup(ctx, q) // a Backend takes Limit 0 as DefaultLimit
}

// Summarize describes what the store holds about a subject digest. It
// fails with ErrNotFound when it holds nothing, or the Backend's error.
func (s *Store) Summarize(ctx context.Context, k SubjectKey) (*Summary, error) {
	return s.b.Summarize(ctx, k)
}

// Authenticate checks a bearer token and returns its name. The token is
// looked up by its SHA-256 and the hashes compared in constant time. It
// fails with ErrUnauthorized (malformed or unknown token) or the Backend's
// error.
func (s *Store) Authenticate(ctx context.Context, token string) (string, error) {
	if err := CheckTokenSyntax(token); err != nil {
		return "", err
	}
	h := HashToken(token)
	t, err := s.b.TokenByHash(ctx, h)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("token: unknown: %w", ErrUnauthorized)
	}
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare(h, t.Hash) != 1 {
		return "", fmt.Errorf("token: unknown: %w", ErrUnauthorized)
	}
	return t.Name, nil
}

// CreateToken makes a new write token named name, stores its hash and
// returns the token, which is never stored or shown again. It fails with
// ErrInvalidToken, ErrTokenExists or the Backend's error.
func (s *Store) CreateToken(ctx context.Context, name string) (string, error) {
	if err := ValidateTokenName(name); err != nil {
		return "", err
	}
	tok, h, err := NewToken()
	if err != nil {
		return "", err
	}
	if err := s.b.CreateToken(ctx, Token{Name: name, Hash: h, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}); err != nil {
		return "", err
	}
	return tok, nil
}
