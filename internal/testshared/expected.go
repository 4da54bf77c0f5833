package testshared

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ExpectedRow is one row of ../shared/vectors/EXPECTED.tsv: its cells by
// column name (id, expect, artifact, attestation, trusted_root, key,
// issuer, identity, identity_regexp, source_uri, builder_id, source_tag,
// source_versioned_tag, source_branch, note). Paths are relative to the
// vectors directory.
type ExpectedRow map[string]string

// Expected reads ../shared/vectors/EXPECTED.tsv and returns the vectors
// directory and the file's rows (blank lines are skipped). It skips the
// test as Dir does when the vectors are absent, and fails it when the file
// cannot be read, a row has not as many cells as the header, or there is
// no row.
func Expected(t testing.TB) (dir string, rows []ExpectedRow) {
	t.Helper()
	dir = Dir(t, "vectors")
	f, err := os.Open(filepath.Join(dir, "EXPECTED.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var header []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		if header == nil {
			header = cells
			continue
		}
		if len(cells) != len(header) {
			t.Fatalf("EXPECTED.tsv: row %q has %d cells, header %d", cells[0], len(cells), len(header))
		}
		row := ExpectedRow{}
		for i, h := range header {
			row[h] = cells[i]
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("EXPECTED.tsv: %v", err)
	}
	if len(rows) == 0 {
		t.Fatal("EXPECTED.tsv has no rows")
	}
	return dir, rows
}
