package lockfile

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHash(t *testing.T) {
	hex256 := "55c570405f142630c6b9f72fe09d9b67cf1477fcf543ae5b8dcb1f5b7377da81"
	tests := []struct {
		in, alg, value string
		wantErr        error
	}{
		{in: "sha256:" + hex256, alg: "sha256", value: hex256},
		{in: "SHA256:" + strings.ToUpper(hex256), alg: "sha256", value: hex256},
		{in: "sha256=" + hex256, alg: "sha256", value: hex256},
		// The same digest as URL-safe base64 without padding (RECORD's
		// form), and as standard padded base64.
		{in: "sha256=VcVwQF8UJjDGufcv4J2bZ88Ud_z1Q65bjcsfW3N32oE", alg: "sha256", value: hex256},
		{in: "sha256:VcVwQF8UJjDGufcv4J2bZ88Ud/z1Q65bjcsfW3N32oE=", alg: "sha256", value: hex256},
		{in: "sha-256:" + hex256, alg: "sha256", value: hex256},
		{in: "md5:d41d8cd98f00b204e9800998ecf8427e", alg: "md5", value: "d41d8cd98f00b204e9800998ecf8427e"},
		{in: "sha256:" + hex256[:63], wantErr: ErrHash},
		{in: "sha256:" + strings.Repeat("g", 64), wantErr: ErrHash},
		{in: "crc32:abcd", wantErr: ErrHash},
		{in: "gitCommit:" + hex256[:40], wantErr: ErrHash},
		{in: hex256, wantErr: ErrHash},
		{in: ":" + hex256, wantErr: ErrHash},
	}
	for _, tt := range tests {
		alg, value, err := parseHash(tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("parseHash(%q) error %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if alg != tt.alg || value != tt.value {
			t.Errorf("parseHash(%q) = %q, %q", tt.in, alg, value)
		}
	}
}
