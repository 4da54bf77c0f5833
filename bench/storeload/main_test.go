package main

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"sqlite:/tmp/pedigree-storeload/store.db", "sqlite:/tmp/pedigree-storeload/store.db"},
		{"postgres://bench@127.0.0.1:55432/pedigree_bench_1?sslmode=disable", "postgres://bench@127.0.0.1:55432/pedigree_bench_1"},
		{"postgres://bench:s3cret@127.0.0.1:55432/db", "postgres://bench:xxxxx@127.0.0.1:55432/db"},
		{"postgres://bench@127.0.0.1/db?password=s3cret", "postgres://bench@127.0.0.1/db"},
	}
	for _, tt := range tests {
		if got := redact(tt.dsn); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
