package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/storetest"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/verify"
)

func TestIngestKeySigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := newStore(t, dsn, keyVerifier(t, verify.Policy{}))
		wheel := subject{"demo-0.1.0-py3-none-any.whl", map[string]string{"sha256": sha(1)}}
		sdist := subject{"demo-0.1.0.tar.gz", map[string]string{"sha256": sha(2), "sha512": strings.Repeat("ab", 64)}}
		att := envelope(t, testKey, statement(wheel, sdist))

		res, err := s.Ingest(ctx, append(append([]byte("\n  "), att...), '\n'))
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || !res[0].Created || res[0].ID != store.ContentID(att) || res[0].Line != 2 {
			t.Fatalf("ingest: %+v", res)
		}
		r := res[0]
		if r.Format != string(attestation.FormatDSSE) || r.PredicateType != "https://slsa.dev/provenance/v1" ||
			r.BuilderID != "https://pedigree.dev/local@v1" || r.SourceURI != "git+https://github.com/example/demo" ||
			r.SourceRef != "refs/tags/v0.1.0" || r.KeyID == "" || r.SignerIdentity != "" || r.SignedAt != nil || r.Publisher != nil ||
			!r.VerifiedAt.Equal(t0) {
			t.Fatalf("record metadata: %+v", r.Verified)
		}
		if len(r.Subjects) != 2 || r.Subjects[1].Name != sdist.Name || r.Subjects[1].Digest[digest.SHA512] != sdist.Digest["sha512"] {
			t.Fatalf("subjects: %+v", r.Subjects)
		}

		// The same bytes again, later: one record, reported as existing,
		// verified when it was first stored.
		later := store.New(s.Backend(), keyVerifier(t, verify.Policy{}), store.WithClock(func() time.Time { return t0.Add(time.Hour) }))
		res, err = later.Ingest(ctx, att)
		if err != nil || res[0].Created || !res[0].VerifiedAt.Equal(t0) {
			t.Fatalf("second ingest: %+v, %v", res, err)
		}
		got, err := s.Get(ctx, r.ID)
		if err != nil || !bytes.Equal(got.Raw, att) {
			t.Fatalf("Get: %v; raw identical %v", err, got != nil && bytes.Equal(got.Raw, att))
		}
		for _, key := range []store.SubjectKey{{Alg: "sha256", Hex: sha(1)}, {Alg: "sha256", Hex: sha(2)}, {Alg: "sha512", Hex: strings.Repeat("ab", 64)}} {
			recs, more, err := s.Lookup(ctx, store.Query{Subject: key})
			if err != nil || more || len(recs) != 1 || recs[0].ID != r.ID {
				t.Fatalf("Lookup %s: %d records, more %v, %v", key, len(recs), more, err)
			}
		}
		sum, err := s.Summarize(ctx, store.SubjectKey{Alg: "sha256", Hex: sha(1)})
		if err != nil || sum.Attestations != 1 || sum.Names[0] != wheel.Name || sum.Builders[0] != "https://pedigree.dev/local@v1" {
			t.Fatalf("Summarize: %+v, %v", sum, err)
		}
	})
}

func TestIngestBundleAndBatch(t *testing.T) {
	ctx := context.Background()
	s := sqliteStore(t, keyVerifier(t, verify.Policy{Provenance: verify.ProvenancePolicy{SourceURI: "github.com/example/demo"}}))
	a := keyBundle(t, testKey, statement(subject{"a.whl", map[string]string{"sha256": sha(10)}}))
	b := envelope(t, testKey, statement(subject{"b.whl", map[string]string{"sha256": sha(11)}}))
	c := envelope(t, testKey, statement(subject{"c.whl", map[string]string{"sha256": sha(12)}}))
	body := bytes.Join([][]byte{a, b, c, b}, []byte("\n"))
	res, err := s.Ingest(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line    int
		created bool
		format  attestation.Format
	}{{1, true, attestation.FormatBundle}, {2, true, attestation.FormatDSSE}, {3, true, attestation.FormatDSSE}, {4, false, attestation.FormatDSSE}}
	for i, w := range want {
		if res[i].Line != w.line || res[i].Created != w.created || res[i].Format != string(w.format) {
			t.Errorf("attestation %d: line %d created %v format %s; want %+v", i, res[i].Line, res[i].Created, res[i].Format, w)
		}
	}
}

// TestIngestRefused: bodies and attestations that must not be stored, each
// refused with the sentinel the server maps to its status code, and nothing
// of a refused body stored.
func TestIngestRefused(t *testing.T) {
	good := envelope(t, testKey, statement(subject{"good.whl", map[string]string{"sha256": sha(20)}}))
	other := envelope(t, otherKey, statement(subject{"other.whl", map[string]string{"sha256": sha(21)}}))
	tampered := bytes.Replace(envelope(t, testKey, statement(subject{"t.whl", map[string]string{"sha256": sha(22)}})), []byte(`"payload":"ey`), []byte(`"payload":"eX`), 1)
	unsigned := statement(subject{"u.whl", map[string]string{"sha256": sha(23)}})
	noDigest := envelope(t, testKey, statement(subject{"n.whl", map[string]string{"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}))
	tests := []struct {
		name     string
		pol      verify.Policy
		body     []byte
		wantErr  error
		wantText string
	}{
		{"empty", verify.Policy{}, []byte(" \n"), store.ErrEmpty, "empty body"},
		{"not JSON", verify.Policy{}, []byte("hello"), store.ErrMalformed, "line 1: invalid JSON"},
		{"array", verify.Policy{}, []byte(`[1,2]`), store.ErrMalformed, "want a JSON object"},
		{"truncated", verify.Policy{}, good[:len(good)/2], store.ErrMalformed, "invalid JSON"},
		{"unknown object", verify.Policy{}, []byte(`{"hello":"world"}`), store.ErrMalformed, "no attestation format"},
		{"bad envelope", verify.Policy{}, []byte(`{"payloadType":"x","payload":"!!","signatures":[]}`), store.ErrMalformed, ""},
		{"other key", verify.Policy{}, other, store.ErrRejected, "signature verification failed"},
		{"tampered payload", verify.Policy{}, tampered, store.ErrRejected, ""},
		{"unsigned statement", verify.Policy{}, unsigned, store.ErrRejected, "without a signature"},
		{"no verifiable digest", verify.Policy{}, noDigest, store.ErrRejected, "no subject has a sha256"},
		{"policy: other source", verify.Policy{Provenance: verify.ProvenancePolicy{SourceURI: "github.com/example/other"}}, good, verify.ErrSourceMismatch, "source repository mismatch"},
		{"one bad line refuses the body", verify.Policy{}, bytes.Join([][]byte{good, other}, []byte("\n")), store.ErrRejected, "line 2: "},
		{"one malformed line refuses the body", verify.Policy{}, bytes.Join([][]byte{good, []byte(`{"x":1}`)}, []byte("\n")), store.ErrMalformed, "line 2: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := sqliteStore(t, keyVerifier(t, tt.pol))
			_, err := s.Ingest(ctx, tt.body)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			t.Logf("%v", err)
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("err %q does not say %q", err, tt.wantText)
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Fatalf("err spans lines: %q", err)
			}
			recs, _, err := s.Lookup(ctx, store.Query{Subject: store.SubjectKey{Alg: "sha256", Hex: sha(20)}})
			if err != nil || len(recs) != 0 {
				t.Fatalf("a refused body left %d records (%v)", len(recs), err)
			}
		})
	}
}

func TestIngestWithoutVerifier(t *testing.T) {
	s := sqliteStore(t, nil)
	_, err := s.Ingest(context.Background(), envelope(t, testKey, statement(subject{"a.whl", map[string]string{"sha256": sha(1)}})))
	if !errors.Is(err, store.ErrRejected) {
		t.Fatalf("err %v, want ErrRejected", err)
	}
}

// FuzzPolicyVerifier feeds arbitrary bytes to the verifier the server runs
// on every submitted attestation: it must not panic, and whatever passes
// must carry subjects to index.
func FuzzPolicyVerifier(f *testing.F) {
	f.Add(envelope(f, testKey, statement(subject{"a.whl", map[string]string{"sha256": sha(1)}})))
	f.Add(keyBundle(f, testKey, statement(subject{"b.whl", map[string]string{"sha256": sha(2)}})))
	f.Add(statement(subject{"c.whl", map[string]string{"sha256": sha(3)}}))
	addSharedSeeds(f)
	v := keyVerifier(f, verify.Policy{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := v.Verify(context.Background(), raw)
		if err == nil && (got == nil || len(got.Subjects) == 0 || got.KeyID == "") {
			t.Fatalf("passed without subjects or key: %+v", got)
		}
	})
}
