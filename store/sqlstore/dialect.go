package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// dialect holds what differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// blob is the type of binary columns.
	blob string
	// rebind turns the '?' placeholders the queries are written with into
	// the dialect's.
	rebind func(q string) string
	// lockMigrations serializes migrations across processes inside tx.
	lockMigrations func(ctx context.Context, tx *sql.Tx) error
}

var sqliteDialect = dialect{
	name:   "sqlite",
	blob:   "BLOB",
	rebind: func(q string) string { return q },
	// Write transactions begin IMMEDIATE (see openSQLite): the migration
	// transaction already holds SQLite's one write lock.
	lockMigrations: func(context.Context, *sql.Tx) error { return nil },
}

// migrationLockKey is the pg_advisory_xact_lock key for migrations
// (arbitrary, fixed: "pedigree" in ASCII, truncated).
const migrationLockKey = 0x7065646967726565

var postgresDialect = dialect{
	name:   "postgres",
	blob:   "BYTEA",
	rebind: dollarPlaceholders,
	lockMigrations: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLockKey))
		return err
	},
}

// dollarPlaceholders rewrites ? placeholders as $1, $2, ... (the queries
// in this package have no '?' inside literals).
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// target is a parsed --db value.
type target struct {
	dialect dialect
	// path is the SQLite file; url the PostgreSQL connection string.
	path string
	url  string
}

// parseDSN reads "sqlite:PATH" or "postgres://..." / "postgresql://...".
func parseDSN(dsn string) (target, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		p := strings.TrimPrefix(dsn, "sqlite:")
		p = strings.TrimPrefix(p, "//") // sqlite://PATH is accepted too
		if p == "" {
			return target{}, fmt.Errorf("database %q: want sqlite:PATH: %w", dsn, ErrDSN)
		}
		if strings.ContainsAny(p, "?#") {
			return target{}, fmt.Errorf("database %q: a SQLite path may not contain '?' or '#': %w", dsn, ErrDSN)
		}
		return target{dialect: sqliteDialect, path: p}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // without the URL, which may hold a password
			}
			return target{}, fmt.Errorf("database: not a URL: %v: %w", err, ErrDSN)
		}
		return target{dialect: postgresDialect, url: dsn}, nil
	}
	return target{}, fmt.Errorf("database %q: want sqlite:PATH or postgres://USER@HOST/DB: %w", redact(dsn), ErrDSN)
}

// redact hides a password in a connection string for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}

// sqlitePragmas are set on every SQLite connection: WAL journal, full
// sync (a committed transaction survives power loss), a busy timeout for
// readers meeting a checkpoint, and foreign keys.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"

// openSQLite opens the file for writing (one connection: SQLite has one
// writer; transactions begin IMMEDIATE so they never upgrade a read lock)
// and a read pool (query_only connections, many readers beside the writer
// in WAL mode). The file is created when missing; its directory must exist.
func openSQLite(ctx context.Context, path string) (w, r *sql.DB, err error) {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("database sqlite:%s: directory %s does not exist: %w", path, dir, ErrDSN)
	}
	w, err = sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Connect now, so that the file exists (in WAL mode) before readers
	// open it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("database sqlite:%s: %w", path, err)
	}
	r, err = sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return w, r, nil
}

// openPostgres opens one pool for reads and writes.
func openPostgres(ctx context.Context, dsn string, maxConns int) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w: %w", redact(dsn), ErrDSN, err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", redact(dsn), err)
	}
	return db, nil
}
