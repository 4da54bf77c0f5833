package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// migration is one step of the schema. Statements are written once for both
// dialects; {{blob}} stands for the binary column type. Times are BIGINT
// microseconds since the Unix epoch (UTC) in both.
type migration struct {
	version int
	name    string
	stmts   []string
}

// migrations is the schema's history: append, never edit a released step.
var migrations = []migration{
	{1, "attestations, subject index, tokens", []string{
		`CREATE TABLE attestations (
			id              TEXT PRIMARY KEY,    -- lowercase hex SHA-256 of raw
			raw             {{blob}} NOT NULL,   -- the attestation as submitted
			format          TEXT NOT NULL,
			predicate_type  TEXT NOT NULL,
			builder_id      TEXT NOT NULL,
			source_uri      TEXT NOT NULL,
			source_ref      TEXT NOT NULL,
			signer_identity TEXT NOT NULL,
			signer_issuer   TEXT NOT NULL,
			key_id          TEXT NOT NULL,
			publisher       TEXT NOT NULL,       -- PEP 740 publisher JSON, or ''
			signed_at       BIGINT,              -- earliest verified signing time, or NULL
			verified_at     BIGINT NOT NULL
		)`,
		`CREATE INDEX attestations_by_verified_at ON attestations (verified_at, id)`,
		`CREATE TABLE subjects (
			attestation_id TEXT NOT NULL REFERENCES attestations (id) ON DELETE CASCADE,
			position       INTEGER NOT NULL,     -- the subject's index in the statement
			name           TEXT NOT NULL,
			alg            TEXT NOT NULL,
			hex            TEXT NOT NULL,
			PRIMARY KEY (attestation_id, position, alg)
		)`,
		`CREATE INDEX subjects_by_digest ON subjects (alg, hex, attestation_id)`,
		`CREATE INDEX subjects_by_name ON subjects (name, attestation_id)`,
		`CREATE TABLE tokens (
			name       TEXT PRIMARY KEY,
			hash       {{blob}} NOT NULL UNIQUE, -- SHA-256 of the token
			created_at BIGINT NOT NULL
		)`,
	}},
}

// SchemaVersion is the schema version this build of pedigree creates and
// understands.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// migrate applies the migrations the database lacks, each recorded in
// schema_migrations, all in one transaction that holds the dialect's
// migration lock, so that servers starting together do not race. It fails
// with ErrSchemaTooNew when the database is ahead of this build.
func migrate(ctx context.Context, db *sql.DB, d dialect, now time.Time) (applied []int, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := d.lockMigrations(ctx, tx); err != nil {
		return nil, fmt.Errorf("migrations: lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var current sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&current); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	if int(current.Int64) > SchemaVersion() {
		return nil, fmt.Errorf("database schema version %d, this pedigree knows up to %d: %w", current.Int64, SchemaVersion(), ErrSchemaTooNew)
	}
	for _, m := range migrations {
		if m.version <= int(current.Int64) {
			continue
		}
		for i, s := range m.stmts {
			if _, err := tx.ExecContext(ctx, strings.ReplaceAll(s, "{{blob}}", d.blob)); err != nil {
				return nil, fmt.Errorf("migration %d (%s), statement %d: %w", m.version, m.name, i+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, now.UnixMicro()); err != nil {
			return nil, fmt.Errorf("migration %d: %w", m.version, err)
		}
		applied = append(applied, m.version)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("migrations: commit: %w", err)
	}
	return applied, nil
}
