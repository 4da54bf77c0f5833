package sbom

import (
	"strings"
	"testing"
)

func TestValidLicenseExpression(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"MIT", true},
		{"Apache-2.0 OR MIT", true},
		{"(Apache-2.0 OR BSD-3-Clause) AND MIT", true},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0", true},
		{"GPL-2.0+", true},
		{"LicenseRef-Proprietary", true},
		{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", true},
		{"((MIT))", true},
		{"", false},
		{"MIT OR", false},
		{"OR MIT", false},
		{"(MIT", false},
		{"MIT)", false},
		{"MIT AND AND BSD", false},
		{"MIT WITH", false},
		{"MIT WITH AND", false},
		{"BSD License", false},
		{"Apache Software License 2.0", false},
		{"MIT/X11", false},
		{"LicenseRef-", false},
		{"DocumentRef-x:MIT", false},
		{strings.Repeat("(", 40) + "MIT" + strings.Repeat(")", 40), false},
		{strings.Repeat("MIT AND ", 600) + "MIT", false},
	}
	for _, tt := range tests {
		if got := validLicenseExpression(tt.expr); got != tt.want {
			t.Errorf("validLicenseExpression(%.40q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func FuzzLicenseExpression(f *testing.F) {
	for _, s := range []string{"MIT", "Apache-2.0 OR (MIT AND BSD-2-Clause)", "GPL-2.0+ WITH x", "DocumentRef-a:LicenseRef-b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validLicenseExpression(s) {
			return
		}
		// A valid expression has balanced parentheses and only the
		// characters of ids, operators and references.
		if strings.Count(s, "(") != strings.Count(s, ")") {
			t.Fatalf("%q accepted with unbalanced parentheses", s)
		}
		if strings.ContainsFunc(s, func(r rune) bool {
			return !(r < 0x80 && (isIDChar(byte(r)) || strings.ContainsRune("+:() \t", r)))
		}) {
			t.Fatalf("%q accepted with a character outside the grammar", s)
		}
	})
}
