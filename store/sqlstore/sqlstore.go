package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/store"
)

// Errors returned by this package besides store's, wrapped with the detail.
var (
	// ErrDSN: the database string is neither sqlite:PATH nor a PostgreSQL
	// URL, or names a directory that does not exist.
	ErrDSN = errors.New("invalid database")
	// ErrSchemaTooNew: the database was migrated by a newer pedigree.
	ErrSchemaTooNew = errors.New("database schema is newer than this pedigree")
	// ErrClosed: the DB was closed.
	ErrClosed = errors.New("database closed")
)

// DB is a store.Backend on SQLite or PostgreSQL. It is safe for concurrent
// use.
type DB struct {
	d       dialect
	w, r    *sql.DB // writer and reader pools (the same pool for PostgreSQL)
	applied []int

	maxBatch int
	queue    chan *commit
	stop     chan struct{}
	done     chan struct{}
	closing  sync.Once
	mu       sync.RWMutex // held for reading while enqueueing, for writing by Close
	closed   bool
}

var _ store.Backend = (*DB)(nil)

// Option configures Open.
type Option func(*config)

type config struct {
	maxBatch int
	pgConns  int
}

// WithMaxBatch bounds how many records one group-commit transaction holds
// (default 2,000; a single Insert larger than that is one transaction on
// its own).
func WithMaxBatch(n int) Option { return func(c *config) { c.maxBatch = max(n, 1) } }

// WithMaxConns sets the PostgreSQL connection pool size (default 16).
func WithMaxConns(n int) Option { return func(c *config) { c.pgConns = max(n, 2) } }

// Open opens the database named by dsn, "sqlite:PATH" (the file is created
// when missing) or "postgres://USER@HOST:PORT/DB?…", and brings its schema
// up to date. It fails with ErrDSN, ErrSchemaTooNew, or the database's
// connection or migration error.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	c := config{maxBatch: 2000, pgConns: 16}
	for _, o := range opts {
		o(&c)
	}
	t, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	db := &DB{d: t.dialect, maxBatch: c.maxBatch}
	switch t.dialect.name {
	case "sqlite":
		db.w, db.r, err = openSQLite(ctx, t.path)
	default:
		db.w, err = openPostgres(ctx, t.url, c.pgConns)
		db.r = db.w
	}
	if err != nil {
		return nil, err
	}
	if db.applied, err = migrate(ctx, db.w, db.d, time.Now()); err != nil {
		db.closeDBs()
		return nil, err
	}
	db.queue = make(chan *commit, 1024)
	db.stop = make(chan struct{})
	db.done = make(chan struct{})
	go db.committer()
	return db, nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// Applied returns the migration versions Open applied (none when the
// schema was up to date).
func (db *DB) Applied() []int { return slices.Clone(db.applied) }

// Ping checks that the database answers a query. It fails with the
// database's error (or ctx's).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close waits for the writes already submitted, then closes the database.
// Inserts after Close fail with ErrClosed. It returns the error of closing
// the connection pools; a second Close does nothing and returns nil.
func (db *DB) Close() error {
	var err error
	db.closing.Do(func() {
		db.mu.Lock()
		db.closed = true
		db.mu.Unlock()
		close(db.stop)
		<-db.done
		err = db.closeDBs()
	})
	return err
}

func (db *DB) closeDBs() error {
	var errs []error
	if db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	errs = append(errs, db.w.Close())
	return errors.Join(errs...)
}

// commit is one Insert waiting for the committer.
type commit struct {
	ctx     context.Context
	recs    []*store.Record
	created []bool
	err     error
	done    chan struct{}
}

// Insert stores the records not stored yet (see store.Backend). Concurrent
// calls are grouped into one transaction; Insert returns once the
// transaction holding recs committed (or failed: then nothing of recs is
// stored). It fails with ErrClosed, ctx's error, or the database's.
func (db *DB) Insert(ctx context.Context, recs []*store.Record) ([]bool, error) {
	for i, r := range recs {
		if r.ID != store.ContentID(r.Raw) {
			return nil, fmt.Errorf("record %d: id %s is not the SHA-256 of its bytes", i, r.ID)
		}
	}
	c := &commit{ctx: ctx, recs: recs, done: make(chan struct{})}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return nil, ErrClosed
	}
	select {
	case db.queue <- c:
	case <-ctx.Done():
		db.mu.RUnlock()
		return nil, ctx.Err()
	}
	db.mu.RUnlock()
	// Once queued, the commit is carried out even if ctx ends, and the
	// caller waits for its outcome: a caller never reports failure for
	// records that were stored, nor success for records that were not.
	<-c.done
	return c.created, c.err
}

// committer writes queued commits, grouping those waiting into one
// transaction of up to maxBatch records. When a group fails, its commits
// are retried one by one so that one bad commit does not fail the others.
func (db *DB) committer() {
	defer close(db.done)
	for {
		var first *commit
		select {
		case first = <-db.queue:
		case <-db.stop:
			// Drain what was queued before Close.
			for {
				select {
				case c := <-db.queue:
					db.write([]*commit{c})
				default:
					return
				}
			}
		}
		group := []*commit{first}
		n := len(first.recs)
	gather:
		for n < db.maxBatch {
			select {
			case c := <-db.queue:
				group = append(group, c)
				n += len(c.recs)
			default:
				break gather
			}
		}
		db.write(group)
	}
}

// write commits a group, or each of its commits alone when the group fails.
func (db *DB) write(group []*commit) {
	live := group[:0:0]
	for _, c := range group {
		if err := c.ctx.Err(); err != nil {
			c.err = err // not started: nothing stored
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	err := db.writeGroup(live)
	if err == nil || len(live) == 1 {
		for _, c := range live {
			if err != nil {
				c.created, c.err = nil, err
			}
			close(c.done)
		}
		return
	}
	for _, c := range live {
		if err := db.writeGroup([]*commit{c}); err != nil {
			c.created, c.err = nil, err
		}
		close(c.done)
	}
}

const insertAttestation = `INSERT INTO attestations
	(id, raw, format, predicate_type, builder_id, source_uri, source_ref, signer_identity, signer_issuer, key_id, publisher, signed_at, verified_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO NOTHING`

// subjectRowsPerInsert bounds one multi-row subjects INSERT (5 parameters
// a row, well under SQLite's and PostgreSQL's parameter limits).
const subjectRowsPerInsert = 500

// writeGroup inserts every record of the group in one transaction.
func (db *DB) writeGroup(group []*commit) (err error) {
	// The transaction is not tied to any caller's context: once started it
	// runs to commit or rollback.
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, db.d.rebind(insertAttestation))
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	defer stmt.Close()
	created := make([][]bool, len(group))
	for gi, c := range group {
		created[gi] = make([]bool, len(c.recs))
		for i, r := range c.recs {
			var signed sql.NullInt64
			if r.SignedAt != nil {
				signed = sql.NullInt64{Int64: r.SignedAt.UnixMicro(), Valid: true}
			}
			res, err := stmt.ExecContext(ctx, r.ID, r.Raw, r.Format, r.PredicateType, r.BuilderID, r.SourceURI, r.SourceRef,
				r.SignerIdentity, r.SignerIssuer, r.KeyID, string(r.Publisher), signed, r.VerifiedAt.UnixMicro())
			if err != nil {
				return fmt.Errorf("insert attestation %s: %w", r.ID, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("insert attestation %s: %w", r.ID, err)
			}
			if n == 0 {
				continue // already stored
			}
			created[gi][i] = true
			if err := db.insertSubjects(ctx, tx, r); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert: commit: %w", err)
	}
	for gi, c := range group {
		c.created = created[gi]
	}
	return nil
}

// insertSubjects adds a record's subject index rows.
func (db *DB) insertSubjects(ctx context.Context, tx *sql.Tx, r *store.Record) error {
	type row struct {
		pos      int
		name     string
		alg, hex string
	}
	var rows []row
	for pos, s := range r.Subjects {
		for _, alg := range s.Digest.Algorithms() {
			rows = append(rows, row{pos: pos, name: s.Name, alg: alg, hex: s.Digest[alg]})
		}
	}
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), subjectRowsPerInsert)]
		rows = rows[len(chunk):]
		var q strings.Builder
		q.WriteString("INSERT INTO subjects (attestation_id, position, name, alg, hex) VALUES ")
		args := make([]any, 0, 5*len(chunk))
		for i, rw := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, r.ID, rw.pos, rw.name, rw.alg, rw.hex)
		}
		if _, err := tx.ExecContext(ctx, db.d.rebind(q.String()), args...); err != nil {
			return fmt.Errorf("insert subjects of %s: %w", r.ID, err)
		}
	}
	return nil
}

const recordColumns = `a.id, a.raw, a.format, a.predicate_type, a.builder_id, a.source_uri, a.source_ref,
	a.signer_identity, a.signer_issuer, a.key_id, a.publisher, a.signed_at, a.verified_at`

type scanner interface{ Scan(dest ...any) error }

func scanRecord(s scanner) (*store.Record, error) {
	var (
		r        store.Record
		pub      string
		signed   sql.NullInt64
		verified int64
	)
	if err := s.Scan(&r.ID, &r.Raw, &r.Format, &r.PredicateType, &r.BuilderID, &r.SourceURI, &r.SourceRef,
		&r.SignerIdentity, &r.SignerIssuer, &r.KeyID, &pub, &signed, &verified); err != nil {
		return nil, err
	}
	if pub != "" {
		r.Publisher = json.RawMessage(pub)
	}
	if signed.Valid {
		t := time.UnixMicro(signed.Int64).UTC()
		r.SignedAt = &t
	}
	r.VerifiedAt = time.UnixMicro(verified).UTC()
	return &r, nil
}

// Get returns the record with that ID and its subjects. It fails with
// store.ErrNotFound, or the database's error.
func (db *DB) Get(ctx context.Context, id string) (*store.Record, error) {
	row := db.r.QueryRowContext(ctx, db.d.rebind("SELECT "+recordColumns+" FROM attestations a WHERE a.id = ?"), id)
	r, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attestation %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("attestation %s: %w", id, err)
	}
	rows, err := db.r.QueryContext(ctx, db.d.rebind("SELECT position, name, alg, hex FROM subjects WHERE attestation_id = ? ORDER BY position, alg"), id)
	if err != nil {
		return nil, fmt.Errorf("attestation %s: subjects: %w", id, err)
	}
	defer rows.Close()
	r.Subjects = []store.Subject{}
	for rows.Next() {
		var (
			pos            int
			name, alg, hex string
		)
		if err := rows.Scan(&pos, &name, &alg, &hex); err != nil {
			return nil, fmt.Errorf("attestation %s: subjects: %w", id, err)
		}
		for len(r.Subjects) <= pos {
			r.Subjects = append(r.Subjects, store.Subject{Digest: digest.Set{}})
		}
		r.Subjects[pos].Name = name
		r.Subjects[pos].Digest[alg] = hex
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("attestation %s: subjects: %w", id, err)
	}
	return r, nil
}

// queryRecords runs a query returning recordColumns.
func (db *DB) queryRecords(ctx context.Context, q string, args ...any) ([]*store.Record, error) {
	rows, err := db.r.QueryContext(ctx, db.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Lookup returns the records with subject digest q.Subject, oldest first
// (see store.Backend). The records carry no Subjects (their Raw does). It
// fails with store.ErrInvalidQuery (see store.Query.Validate), or the
// database's error; no match is an empty result.
func (db *DB) Lookup(ctx context.Context, q store.Query) ([]*store.Record, bool, error) {
	if err := q.Validate(); err != nil {
		return nil, false, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	query := "SELECT " + recordColumns + ` FROM attestations a
		WHERE a.id IN (SELECT s.attestation_id FROM subjects s WHERE s.alg = ? AND s.hex = ?)`
	args := []any{q.Subject.Alg, q.Subject.Hex}
	if q.PredicateType != "" {
		query += " AND a.predicate_type = ?"
		args = append(args, q.PredicateType)
	}
	query += " ORDER BY a.verified_at, a.id LIMIT ?"
	args = append(args, limit+1)
	recs, err := db.queryRecords(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("lookup %s: %w", q.Subject, err)
	}
	more := len(recs) > limit
	if more {
		recs = recs[:limit]
	}
	return recs, more, nil
}

// ByName returns the records with a subject named name, oldest first, at
// most limit (1 to store.MaxLimit) of them. The records carry no Subjects.
// It fails with store.ErrInvalidQuery for a limit out of range, or the
// database's error; no match is an empty result.
func (db *DB) ByName(ctx context.Context, name string, limit int) ([]*store.Record, error) {
	if limit < 1 || limit > store.MaxLimit {
		return nil, fmt.Errorf("limit: want 1 to %d, got %d: %w", store.MaxLimit, limit, store.ErrInvalidQuery)
	}
	recs, err := db.queryRecords(ctx, "SELECT "+recordColumns+` FROM attestations a
		WHERE a.id IN (SELECT s.attestation_id FROM subjects s WHERE s.name = ?)
		ORDER BY a.verified_at, a.id LIMIT ?`, name, limit)
	if err != nil {
		return nil, fmt.Errorf("subjects named %q: %w", name, err)
	}
	return recs, nil
}

// Summarize describes the records with subject digest k. It fails with
// store.ErrNotFound when there is none, or the database's error.
func (db *DB) Summarize(ctx context.Context, k store.SubjectKey) (*store.Summary, error) {
	rows, err := db.r.QueryContext(ctx, db.d.rebind(`SELECT a.predicate_type, a.builder_id, a.source_uri, a.signer_identity, a.key_id,
			COUNT(*), MIN(a.verified_at), MAX(a.verified_at), MIN(a.signed_at), MAX(a.signed_at)
		FROM attestations a
		WHERE a.id IN (SELECT s.attestation_id FROM subjects s WHERE s.alg = ? AND s.hex = ?)
		GROUP BY a.predicate_type, a.builder_id, a.source_uri, a.signer_identity, a.key_id`), k.Alg, k.Hex)
	if err != nil {
		return nil, fmt.Errorf("summary %s: %w", k, err)
	}
	defer rows.Close()
	sum := &store.Summary{Digest: k.String()}
	sets := [5]map[string]bool{{}, {}, {}, {}, {}}
	var firstV, lastV int64
	var firstS, lastS sql.NullInt64
	for rows.Next() {
		var (
			vals       [5]string
			n          int
			minV, maxV int64
			minS, maxS sql.NullInt64
		)
		if err := rows.Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &n, &minV, &maxV, &minS, &maxS); err != nil {
			return nil, fmt.Errorf("summary %s: %w", k, err)
		}
		for i, v := range vals {
			if v != "" {
				sets[i][v] = true
			}
		}
		if sum.Attestations == 0 || minV < firstV {
			firstV = minV
		}
		if sum.Attestations == 0 || maxV > lastV {
			lastV = maxV
		}
		if minS.Valid && (!firstS.Valid || minS.Int64 < firstS.Int64) {
			firstS = minS
		}
		if maxS.Valid && (!lastS.Valid || maxS.Int64 > lastS.Int64) {
			lastS = maxS
		}
		sum.Attestations += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary %s: %w", k, err)
	}
	if sum.Attestations == 0 {
		return nil, fmt.Errorf("subject %s: %w", k, store.ErrNotFound)
	}
	sorted := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for v := range m {
			out = append(out, v)
		}
		slices.Sort(out)
		return out
	}
	sum.PredicateTypes, sum.Builders, sum.Sources, sum.Signers, sum.KeyIDs = sorted(sets[0]), sorted(sets[1]), sorted(sets[2]), sorted(sets[3]), sorted(sets[4])
	sum.FirstVerified, sum.LastVerified = time.UnixMicro(firstV).UTC(), time.UnixMicro(lastV).UTC()
	if firstS.Valid {
		f, l := time.UnixMicro(firstS.Int64).UTC(), time.UnixMicro(lastS.Int64).UTC()
		sum.FirstSigned, sum.LastSigned = &f, &l
	}
	names, err := db.r.QueryContext(ctx, db.d.rebind("SELECT DISTINCT name FROM subjects WHERE alg = ? AND hex = ? AND name <> '' ORDER BY name LIMIT 100"), k.Alg, k.Hex)
	if err != nil {
		return nil, fmt.Errorf("summary %s: names: %w", k, err)
	}
	defer names.Close()
	sum.Names = []string{}
	for names.Next() {
		var n string
		if err := names.Scan(&n); err != nil {
			return nil, fmt.Errorf("summary %s: names: %w", k, err)
		}
		sum.Names = append(sum.Names, n)
	}
	if err := names.Err(); err != nil {
		return nil, fmt.Errorf("summary %s: names: %w", k, err)
	}
	return sum, nil
}

// CreateToken stores a token, or fails with store.ErrTokenExists.
func (db *DB) CreateToken(ctx context.Context, t store.Token) error {
	res, err := db.w.ExecContext(ctx, db.d.rebind("INSERT INTO tokens (name, hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING"),
		t.Name, t.Hash, t.CreatedAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("token %s: %w", t.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("token %s: %w", t.Name, err)
	} else if n == 0 {
		return fmt.Errorf("token %s: %w", t.Name, store.ErrTokenExists)
	}
	return nil
}

// TokenByHash returns the token with that hash, or store.ErrNotFound.
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (*store.Token, error) {
	var (
		t       store.Token
		created int64
	)
	err := db.r.QueryRowContext(ctx, db.d.rebind("SELECT name, hash, created_at FROM tokens WHERE hash = ?"), hash).Scan(&t.Name, &t.Hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token: %w", store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	t.CreatedAt = time.UnixMicro(created).UTC()
	return &t, nil
}

// Tokens lists the tokens by name (their hashes included). It fails with
// the database's error.
func (db *DB) Tokens(ctx context.Context) ([]store.Token, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT name, hash, created_at FROM tokens ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	out := []store.Token{}
	for rows.Next() {
		var (
			t       store.Token
			created int64
		)
		if err := rows.Scan(&t.Name, &t.Hash, &created); err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		t.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken removes the token named name, or fails with
// store.ErrNotFound.
func (db *DB) DeleteToken(ctx context.Context, name string) error {
	res, err := db.w.ExecContext(ctx, db.d.rebind("DELETE FROM tokens WHERE name = ?"), name)
	if err != nil {
		return fmt.Errorf("token %s: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("token %s: %w", name, err)
	} else if n == 0 {
		return fmt.Errorf("token %s: %w", name, store.ErrNotFound)
	}
	return nil
}
