package pypi_test

import (
	"errors"
	"testing"

	"github.com/pedigree-dev/pedigree/pypi"
)

// TestRecordSamples parses the RECORD of four real installed wheels; the
// unhashed rows are RECORD itself and __pycache__ files (plus, for
// installed wheels, INSTALLER and REQUESTED, which an installer adds).
func TestRecordSamples(t *testing.T) {
	tests := []struct {
		dir               string
		entries, unhashed int
	}{
		{"attrs-26.1.0.dist-info", 55, 20},
		{"cryptography-48.0.0.dist-info", 195, 78},
		{"docker-7.1.0.dist-info", 139, 68},
		{"pydantic_core-2.46.4.dist-info", 13, 3},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			rec, err := pypi.ParseRecord(distInfoSample(t, tt.dir, "RECORD"))
			if err != nil {
				t.Fatal(err)
			}
			unhashed := 0
			for _, e := range rec {
				if e.Algorithm == "" {
					unhashed++
				} else if e.Algorithm != "sha256" || len(e.Digest) != 64 || e.Size < 0 {
					t.Errorf("row %+v", e)
				}
			}
			if len(rec) != tt.entries || unhashed != tt.unhashed {
				t.Fatalf("%d rows (%d unhashed), want %d (%d)", len(rec), unhashed, tt.entries, tt.unhashed)
			}
		})
	}
}

func TestParseRecord(t *testing.T) {
	rec, err := pypi.ParseRecord([]byte("\"a,b.py\",sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk,168\nx.dist-info/RECORD,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rec[0].Path != "a,b.py" || rec[0].Digest != "cffbadc054c6b6b547e968dc84a8061d5d21d87c29a1d6d4aaf3a280e3c75039" || rec[0].Size != 168 || rec[1].Size != -1 {
		t.Fatalf("got %+v", rec)
	}
	for _, bad := range []string{
		"a.py,sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk\n",    // two fields
		"a.py,sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUD,168\n", // short digest
		"a.py,crc32=AAAA,1\n", // unknown algorithm
		"a.py,sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk,-1\n",  // negative size
		",sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk,1\n",       // empty path
		"\"a.py,sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk,1\n", // bad quoting
	} {
		if _, err := pypi.ParseRecord([]byte(bad)); !errors.Is(err, pypi.ErrRecord) {
			t.Errorf("%q: error %v, want ErrRecord", bad, err)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("a.py,sha256=z_utwFTGtrVH6WjchKgGHV0h2HwpodbUqvOigOPHUDk,168\nx.dist-info/RECORD,,\n"))
	addDistInfoSeeds(f, "RECORD")
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := pypi.ParseRecord(data)
		if err != nil {
			if !errors.Is(err, pypi.ErrRecord) && !errors.Is(err, pypi.ErrTooLarge) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		for _, e := range rec {
			if e.Path == "" || (e.Algorithm == "") != (e.Digest == "") || e.Size < -1 {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
