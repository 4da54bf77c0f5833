package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/internal/storetest"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/sqlstore"
)

func open(t *testing.T, dsn string, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func hexOf(b byte, n int) string { return strings.Repeat(fmt.Sprintf("%02x", b), n/2) }

// record makes a record whose raw bytes depend on seed, with one subject
// per digest given.
func record(seed string, at time.Time, subjects ...store.Subject) *store.Record {
	raw := []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"` + seed + `","signatures":[{"sig":"AA=="}]}`)
	return &store.Record{
		ID:         store.ContentID(raw),
		Raw:        raw,
		VerifiedAt: at.UTC().Truncate(time.Microsecond),
		Verified: store.Verified{
			Format:        "dsse-envelope",
			PredicateType: "https://slsa.dev/provenance/v1",
			BuilderID:     "https://example.com/builder/" + seed,
			SourceURI:     "git+https://github.com/o/r",
			SourceRef:     "refs/tags/v1",
			KeyID:         "key-" + seed,
			Subjects:      subjects,
		},
	}
}

func subj(name string, b byte) store.Subject {
	return store.Subject{Name: name, Digest: digest.Set{digest.SHA256: hexOf(b, 64)}}
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		signed := t0.Add(-time.Hour)
		r1 := record("one", t0, subj("a-1.0-py3-none-any.whl", 0xaa), store.Subject{Name: "a-1.0.tar.gz", Digest: digest.Set{digest.SHA256: hexOf(0xbb, 64), digest.SHA512: hexOf(0xcc, 128)}})
		r1.SignedAt = &signed
		r1.SignerIdentity, r1.SignerIssuer = "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1", "https://token.actions.githubusercontent.com"
		r1.Publisher = []byte(`{"kind":"GitHub","repository":"o/r","workflow":"release.yml"}`)
		r2 := record("two", t0.Add(time.Second), subj("a-1.0-py3-none-any.whl", 0xaa))

		created, err := db.Insert(ctx, []*store.Record{r1, r2, r1})
		if err != nil {
			t.Fatal(err)
		}
		if want := []bool{true, true, false}; fmt.Sprint(created) != fmt.Sprint(want) {
			t.Fatalf("created %v, want %v", created, want)
		}
		created, err = db.Insert(ctx, []*store.Record{r1})
		if err != nil || created[0] {
			t.Fatalf("second insert: created %v, err %v; want false, nil", created, err)
		}

		got, err := db.Get(ctx, r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Raw, r1.Raw) {
			t.Fatalf("raw %q, want %q", got.Raw, r1.Raw)
		}
		if fmt.Sprintf("%+v", got.Verified) != fmt.Sprintf("%+v", r1.Verified) || !got.VerifiedAt.Equal(r1.VerifiedAt) || !got.SignedAt.Equal(signed) {
			t.Fatalf("got\n%+v\nwant\n%+v", got, r1)
		}

		if _, err := db.Get(ctx, hexOf(0x11, 64)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get unknown: %v, want ErrNotFound", err)
		}
	})
}

func TestLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		var recs []*store.Record
		for i := range 5 {
			r := record(fmt.Sprint(i), t0.Add(time.Duration(5-i)*time.Minute), subj("x.whl", 0x01), subj(fmt.Sprintf("y%d.whl", i), byte(0x10+i)))
			if i == 3 {
				r.PredicateType = "https://spdx.dev/Document"
			}
			recs = append(recs, r)
		}
		if _, err := db.Insert(ctx, recs); err != nil {
			t.Fatal(err)
		}
		key := store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0x01, 64)}
		tests := []struct {
			name     string
			q        store.Query
			wantIDs  []string
			wantMore bool
			wantErr  error
		}{
			{"all, oldest first", store.Query{Subject: key}, []string{recs[4].ID, recs[3].ID, recs[2].ID, recs[1].ID, recs[0].ID}, false, nil},
			{"limit", store.Query{Subject: key, Limit: 2}, []string{recs[4].ID, recs[3].ID}, true, nil},
			{"limit exact", store.Query{Subject: key, Limit: 5}, []string{recs[4].ID, recs[3].ID, recs[2].ID, recs[1].ID, recs[0].ID}, false, nil},
			{"predicate type", store.Query{Subject: key, PredicateType: "https://spdx.dev/Document"}, []string{recs[3].ID}, false, nil},
			{"one subject", store.Query{Subject: store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0x12, 64)}}, []string{recs[2].ID}, false, nil},
			{"unknown digest", store.Query{Subject: store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0x99, 64)}}, nil, false, nil},
			{"other algorithm", store.Query{Subject: store.SubjectKey{Alg: digest.SHA512, Hex: hexOf(0x01, 64)}}, nil, false, nil},
			{"limit too big", store.Query{Subject: key, Limit: store.MaxLimit + 1}, nil, false, store.ErrInvalidQuery},
			{"no digest", store.Query{}, nil, false, store.ErrInvalidQuery},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, more, err := db.Lookup(ctx, tt.q)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				var ids []string
				for _, r := range got {
					ids = append(ids, r.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tt.wantIDs) || more != tt.wantMore {
					t.Fatalf("ids %v more %v, want %v %v", ids, more, tt.wantIDs, tt.wantMore)
				}
			})
		}
		byName, err := db.ByName(ctx, "y2.whl", 10)
		if err != nil || len(byName) != 1 || byName[0].ID != recs[2].ID || !bytes.Equal(byName[0].Raw, recs[2].Raw) {
			t.Fatalf("ByName: %v %v", byName, err)
		}
		if byName, err := db.ByName(ctx, "x.whl", 2); err != nil || len(byName) != 2 {
			t.Fatalf("ByName limit 2: %d records, %v", len(byName), err)
		}
		if _, err := db.ByName(ctx, "x.whl", 0); !errors.Is(err, store.ErrInvalidQuery) {
			t.Fatalf("ByName limit 0: %v, want ErrInvalidQuery", err)
		}
	})
}

func TestSummarize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		s1, s2 := t0.Add(-2*time.Hour), t0.Add(-time.Hour)
		a := record("a", t0, subj("pkg-1.0.tar.gz", 0x42))
		a.SignedAt = &s2
		a.SignerIdentity = "https://github.com/o/r/.github/workflows/r.yml@refs/heads/main"
		a.KeyID = ""
		b := record("b", t0.Add(time.Minute), subj("pkg-1.0.tar.gz", 0x42))
		c := record("c", t0.Add(2*time.Minute), subj("renamed.tar.gz", 0x42))
		c.SignedAt = &s1
		c.PredicateType = "https://in-toto.io/attestation/vulns/v0.2"
		c.BuilderID, c.SourceURI, c.SourceRef = "", "", ""
		if _, err := db.Insert(ctx, []*store.Record{a, b, c}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Summarize(ctx, store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0x42, 64)})
		if err != nil {
			t.Fatal(err)
		}
		want := &store.Summary{
			Digest:         "sha256:" + hexOf(0x42, 64),
			Names:          []string{"pkg-1.0.tar.gz", "renamed.tar.gz"},
			Attestations:   3,
			PredicateTypes: []string{"https://in-toto.io/attestation/vulns/v0.2", "https://slsa.dev/provenance/v1"},
			Builders:       []string{"https://example.com/builder/a", "https://example.com/builder/b"},
			Sources:        []string{"git+https://github.com/o/r"},
			Signers:        []string{"https://github.com/o/r/.github/workflows/r.yml@refs/heads/main"},
			KeyIDs:         []string{"key-b", "key-c"},
			FirstVerified:  t0,
			LastVerified:   t0.Add(2 * time.Minute),
			FirstSigned:    &s1,
			LastSigned:     &s2,
		}
		if fmt.Sprintf("%+v %v %v", *got, *got.FirstSigned, *got.LastSigned) != fmt.Sprintf("%+v %v %v", *want, s1, s2) {
			t.Fatalf("got\n%+v\nwant\n%+v", *got, *want)
		}
		if _, err := db.Summarize(ctx, store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0x43, 64)}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown subject: %v, want ErrNotFound", err)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		s := store.New(db, nil, store.WithClock(func() time.Time { return t0 }))
		tok, err := s.CreateToken(ctx, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, "ci"); !errors.Is(err, store.ErrTokenExists) {
			t.Fatalf("same name again: %v, want ErrTokenExists", err)
		}
		if name, err := s.Authenticate(ctx, tok); err != nil || name != "ci" {
			t.Fatalf("Authenticate: %q, %v", name, err)
		}
		other, _, _ := store.NewToken()
		for _, bad := range []string{"", "pdg_", tok[:len(tok)-1], tok + "x", other, strings.Replace(tok, "pdg_", "pdx_", 1)} {
			if _, err := s.Authenticate(ctx, bad); !errors.Is(err, store.ErrUnauthorized) {
				t.Errorf("Authenticate(%q): %v, want ErrUnauthorized", bad, err)
			}
		}
		list, err := db.Tokens(ctx)
		if err != nil || len(list) != 1 || list[0].Name != "ci" || !list[0].CreatedAt.Equal(t0) || !bytes.Equal(list[0].Hash, store.HashToken(tok)) {
			t.Fatalf("Tokens: %+v, %v", list, err)
		}
		if err := db.DeleteToken(ctx, "ci"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, tok); !errors.Is(err, store.ErrUnauthorized) {
			t.Fatalf("deleted token: %v, want ErrUnauthorized", err)
		}
		if err := db.DeleteToken(ctx, "ci"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete twice: %v, want ErrNotFound", err)
		}
	})
}

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(db.Applied()); got != fmt.Sprint([]int{1}) {
			t.Fatalf("first open applied %s, want [1]", got)
		}
		r := record("kept", t0, subj("k.whl", 7))
		if _, err := db.Insert(ctx, []*store.Record{r}); err != nil {
			t.Fatal(err)
		}
		db.Close()

		db = open(t, dsn)
		if len(db.Applied()) != 0 {
			t.Fatalf("second open applied %v, want none", db.Applied())
		}
		if _, err := db.Get(ctx, r.ID); err != nil {
			t.Fatalf("record lost across reopen: %v", err)
		}
		db.Close()

		// A database a newer pedigree migrated is refused, untouched.
		raw := rawDB(t, dsn)
		q := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)"
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlstore.Open(ctx, dsn); !errors.Is(err, sqlstore.ErrSchemaTooNew) {
			t.Fatalf("newer schema: %v, want ErrSchemaTooNew", err)
		}
	})
}

// TestConcurrentOpen starts several servers' worth of Opens on one empty
// database at once: the migration runs once and every Open succeeds.
func TestConcurrentOpen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		applied := make([][]int, 6)
		errs := make([]error, 6)
		for i := range applied {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := sqlstore.Open(ctx, dsn)
				if err != nil {
					errs[i] = err
					return
				}
				applied[i] = db.Applied()
				db.Close()
			}()
		}
		wg.Wait()
		n := 0
		for i := range applied {
			if errs[i] != nil {
				t.Fatalf("Open %d: %v", i, errs[i])
			}
			n += len(applied[i])
		}
		if n != 1 {
			t.Fatalf("migration 1 applied %d times, want once", n)
		}
	})
}

// TestGroupCommit inserts from many goroutines at once: every insert is
// acknowledged with the right created flags and every record is stored.
func TestGroupCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn, sqlstore.WithMaxBatch(7))
		const writers, each = 16, 20
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					r := record(fmt.Sprintf("w%d-%d", w, i), t0, subj("g.whl", byte(w)))
					// Every writer also submits a record all of them share.
					shared := record("shared", t0, subj("s.whl", 0xee))
					created, err := db.Insert(ctx, []*store.Record{r, shared})
					if err != nil {
						errs <- err
						return
					}
					if !created[0] {
						errs <- fmt.Errorf("%s: created false for a new record", r.ID)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for w := range writers {
			recs, _, err := db.Lookup(ctx, store.Query{Subject: store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(byte(w), 64)}, Limit: 100})
			if err != nil || len(recs) != each {
				t.Fatalf("writer %d: %d records, %v; want %d", w, len(recs), err, each)
			}
		}
		if recs, _, err := db.Lookup(ctx, store.Query{Subject: store.SubjectKey{Alg: digest.SHA256, Hex: hexOf(0xee, 64)}}); err != nil || len(recs) != 1 {
			t.Fatalf("shared record: %d copies, %v; want 1", len(recs), err)
		}
	})
}

// TestGroupFailureIsolated: a record the database refuses (PostgreSQL text
// cannot hold NUL) fails its own Insert, not the others grouped with it.
func TestGroupFailureIsolated(t *testing.T) {
	ctx := context.Background()
	db := open(t, storetest.Postgres(t), sqlstore.WithMaxBatch(1000))
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("ok-%d.whl", i)
			if i == 7 {
				name = "bad\x00.whl"
			}
			_, errs[i] = db.Insert(ctx, []*store.Record{record(fmt.Sprint(i), t0, subj(name, byte(i)))})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	recs, err := db.ByName(ctx, "ok-3.whl", 10)
	if err != nil || len(recs) != 1 {
		t.Fatalf("ok-3.whl: %d records, %v", len(recs), err)
	}
}

func TestInsertChecksID(t *testing.T) {
	db := open(t, storetest.SQLite(t))
	r := record("x", t0, subj("x.whl", 1))
	r.Raw = append(r.Raw, ' ')
	if _, err := db.Insert(context.Background(), []*store.Record{r}); err == nil {
		t.Fatal("a record whose ID is not its bytes' SHA-256 was stored")
	}
}

func TestClose(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := db.Insert(context.Background(), []*store.Record{record("late", t0, subj("l.whl", 1))}); !errors.Is(err, sqlstore.ErrClosed) {
		t.Fatalf("Insert after Close: %v, want ErrClosed", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		dsn     string
		wantErr error
	}{
		{"", sqlstore.ErrDSN},
		{"mysql://x", sqlstore.ErrDSN},
		{"sqlite:", sqlstore.ErrDSN},
		{"sqlite:/nonexistent-dir/x.db", sqlstore.ErrDSN},
		{"sqlite:/tmp/a?b.db", sqlstore.ErrDSN},
		{"/tmp/plain-path.db", sqlstore.ErrDSN},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			if _, err := sqlstore.Open(context.Background(), tt.dsn); !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestLargeStatement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		var subjects []store.Subject
		for i := range 10_000 {
			subjects = append(subjects, store.Subject{Name: fmt.Sprintf("f%05d", i), Digest: digest.Set{digest.SHA256: fmt.Sprintf("%064x", i)}})
		}
		r := record("big", t0, subjects...)
		if _, err := db.Insert(ctx, []*store.Record{r}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Get(ctx, r.ID)
		if err != nil || len(got.Subjects) != 10_000 || got.Subjects[9999].Name != "f09999" {
			t.Fatalf("Get: %d subjects, %v", len(got.Subjects), err)
		}
		recs, _, err := db.Lookup(ctx, store.Query{Subject: store.SubjectKey{Alg: digest.SHA256, Hex: fmt.Sprintf("%064x", 4321)}})
		if err != nil || len(recs) != 1 {
			t.Fatalf("Lookup: %d, %v", len(recs), err)
		}
	})
}

// rawDB opens the test database directly, for tests that tamper with it.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		driver, name = "sqlite", p
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSQLiteWAL(t *testing.T) {
	dsn := storetest.SQLite(t)
	open(t, dsn)
	var mode string
	if err := rawDB(t, dsn).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v; want wal", mode, err)
	}
}
