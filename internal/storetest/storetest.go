// Package storetest gives the store's tests real databases: a SQLite file in
// a temporary directory, and a PostgreSQL schema of its own in the cluster
// PEDIGREE_TEST_POSTGRES_URL names (.ci/run starts one with
// .ci/postgres.sh). Without that variable the PostgreSQL tests are skipped
// with a message saying so.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// PostgresEnv is the variable naming the test cluster.
const PostgresEnv = "PEDIGREE_TEST_POSTGRES_URL"

// SQLite returns a DSN for a new SQLite file in t's temporary directory.
func SQLite(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "store.db")
}

// Postgres returns a DSN whose search_path is a new, empty schema, dropped
// when the test ends. It skips the test when PEDIGREE_TEST_POSTGRES_URL is
// unset.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv) // a test helper may read the environment; library code never does
	if base == "" {
		t.Skipf("skipped: %s is not set (run .ci/postgres.sh start DIR, or .ci/run, for the PostgreSQL tests)", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "pedigree_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("postgres: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("postgres: drop schema: %v", err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs f as a subtest on a fresh SQLite file and a fresh PostgreSQL
// schema (skipped without PEDIGREE_TEST_POSTGRES_URL).
func Each(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
}
