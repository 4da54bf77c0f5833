package sqlstore

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn      string
		wantName string
		wantPath string
		wantErr  error
	}{
		{"sqlite:store.db", "sqlite", "store.db", nil},
		{"sqlite:///var/lib/pedigree/store.db", "sqlite", "/var/lib/pedigree/store.db", nil},
		{"postgres://u@h:5432/db?sslmode=disable", "postgres", "", nil},
		{"postgresql://u@h/db", "postgres", "", nil},
		{"sqlite:", "", "", ErrDSN},
		{"sqlite:a#b", "", "", ErrDSN},
		{"file:store.db", "", "", ErrDSN},
		{"store.db", "", "", ErrDSN},
	}
	for _, tt := range tests {
		got, err := parseDSN(tt.dsn)
		if !errors.Is(err, tt.wantErr) || got.dialect.name != tt.wantName || got.path != tt.wantPath {
			t.Errorf("parseDSN(%q) = %+v, %v; want %s %q %v", tt.dsn, got, err, tt.wantName, tt.wantPath, tt.wantErr)
		}
	}
}

func TestRedact(t *testing.T) {
	got := redact("postgres://app:s3cret@db.example.com/pedigree")
	if strings.Contains(got, "s3cret") {
		t.Fatalf("password kept: %s", got)
	}
	for _, dsn := range []string{"mysql://app:s3cret@h/db", "postgres://app:s3cret@h/%zz"} {
		if _, err := parseDSN(dsn); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("error shows the password: %v", err)
		}
	}
}

func TestDollarPlaceholders(t *testing.T) {
	if got := dollarPlaceholders("a = ? AND b IN (?, ?)"); got != "a = $1 AND b IN ($2, $3)" {
		t.Fatal(got)
	}
}

func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"sqlite:x.db", "postgres://u:p@h/db", "sqlite:", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		tg, err := parseDSN(dsn)
		if err != nil {
			if !errors.Is(err, ErrDSN) {
				t.Fatalf("error without ErrDSN: %v", err)
			}
			return
		}
		if tg.dialect.name == "sqlite" && (tg.path == "" || strings.ContainsAny(tg.path, "?#")) {
			t.Fatalf("accepted SQLite path %q", tg.path)
		}
	})
}
