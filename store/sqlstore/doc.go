// Package sqlstore keeps pedigree's attestation store in SQL: an embedded
// SQLite file (modernc.org/sqlite, pure Go, WAL mode) or a PostgreSQL
// database (jackc/pgx) shared by several stateless servers. Both run the
// same schema from one versioned list of migrations, applied when the
// database is opened; the dialect differences (binary column type,
// placeholders, migration locking, connection setup) are isolated in
// dialect.go.
//
// Writes go through one committer per DB that groups concurrent inserts
// into a single transaction (group commit): each caller is answered only
// after the transaction holding its records committed, so an acknowledged
// record is durable, and many callers share one fsync.
package sqlstore
