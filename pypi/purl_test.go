package pypi_test

import (
	"testing"

	"github.com/pedigree-dev/pedigree/pypi"
)

func TestPURL(t *testing.T) {
	tests := []struct {
		name, version string
		opts          pypi.PURLOptions
		want          string
	}{
		{"wheel", "0.43.0", pypi.PURLOptions{}, "pkg:pypi/wheel@0.43.0"},
		{"Pedigree_Demo", "0.1.0", pypi.PURLOptions{}, "pkg:pypi/pedigree-demo@0.1.0"},
		{"zope.interface", "7.0", pypi.PURLOptions{}, "pkg:pypi/zope-interface@7.0"},
		{"wheel", "0.43.0", pypi.PURLOptions{FileName: "wheel-0.43.0-py3-none-any.whl"}, "pkg:pypi/wheel@0.43.0?file_name=wheel-0.43.0-py3-none-any.whl"},
		{"wheel", "0.43.0", pypi.PURLOptions{RepositoryURL: "https://pypi.org/simple/"}, "pkg:pypi/wheel@0.43.0"},
		{"acme", "1.0+local.1", pypi.PURLOptions{RepositoryURL: "https://pypi.example.com/simple", FileName: "acme-1.0+local.1.tar.gz"},
			"pkg:pypi/acme@1.0%2Blocal.1?file_name=acme-1.0%2Blocal.1.tar.gz&repository_url=https:%2F%2Fpypi.example.com%2Fsimple"},
		{"acme", "", pypi.PURLOptions{}, "pkg:pypi/acme"},
	}
	for _, tt := range tests {
		if got := pypi.PURL(tt.name, tt.version, tt.opts); got != tt.want {
			t.Errorf("PURL(%q, %q, %+v) = %q, want %q", tt.name, tt.version, tt.opts, got, tt.want)
		}
	}
}
