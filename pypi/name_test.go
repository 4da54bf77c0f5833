package pypi_test

import (
	"errors"
	"testing"

	"github.com/pedigree-dev/pedigree/pypi"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want, escaped string }{
		{"Django", "django", "django"},
		{"zope.interface", "zope-interface", "zope_interface"},
		{"FrIeNdLy-_-bArD", "friendly-bard", "friendly_bard"},
		{"dots-._allowed", "dots-allowed", "dots_allowed"},
		{"pedigree_demo", "pedigree-demo", "pedigree_demo"},
		{"a", "a", "a"},
	}
	for _, tt := range tests {
		if got := pypi.NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := pypi.EscapeName(tt.in); got != tt.escaped {
			t.Errorf("EscapeName(%q) = %q, want %q", tt.in, got, tt.escaped)
		}
		if !pypi.ValidName(tt.in) {
			t.Errorf("ValidName(%q) = false", tt.in)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a b", "a/b", "ä", ".a"} {
		if pypi.ValidName(bad) {
			t.Errorf("ValidName(%q) = true", bad)
		}
		if err := pypi.CheckName(bad); !errors.Is(err, pypi.ErrName) {
			t.Errorf("CheckName(%q) = %v", bad, err)
		}
	}
}

func TestNormalizeVersion(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  error
	}{
		{in: "1.0", want: "1.0"},
		{in: "v1.0", want: "1.0"},
		{in: "1.0-Beta.2", want: "1.0b2"},
		{in: "1.0alpha", want: "1.0a0"},
		{in: "1.0c1", want: "1.0rc1"},
		{in: "1.0-1", want: "1.0.post1"},
		{in: "1.0.POST", want: "1.0.post0"},
		{in: "1.0rev3", want: "1.0.post3"},
		{in: "1.0.dev", want: "1.0.dev0"},
		{in: "0!01.002", want: "1.2"},
		{in: "2!1.0", want: "2!1.0"},
		{in: "1.2.3+gcr.2", want: "1.2.3+gcr.2"},
		{in: "1.2.3+Ubuntu-1_x", want: "1.2.3+ubuntu.1.x"},
		{in: " 2026.7.22 ", want: "2026.7.22"},
		{in: "1.0.*", wantErr: pypi.ErrVersion},
		{in: "", wantErr: pypi.ErrVersion},
		{in: "one", wantErr: pypi.ErrVersion},
	}
	for _, tt := range tests {
		got, err := pypi.NormalizeVersion(tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("NormalizeVersion(%q) error %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("NormalizeVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSameVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1.0", "1.0.0", true},
		{"1.0", "v1.0", true},
		{"1.0rc1", "1.0-RC-1", true},
		{"1.0", "1.0.1", false},
		{"1.0", "1.0+local", false},
		{"1.0.post1", "1.0-1", true},
		{"weird", "weird", true},
		{"weird", "Weird", false},
	}
	for _, tt := range tests {
		if got := pypi.SameVersion(tt.a, tt.b); got != tt.want {
			t.Errorf("SameVersion(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
