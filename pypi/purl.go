package pypi

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// DefaultRepositoryURL is PyPI's simple index. A PURL leaves its
// repository_url qualifier out for it (and for its other spellings, see
// IsDefaultRepository).
const DefaultRepositoryURL = "https://pypi.org/simple"

// PURLOptions are the optional qualifiers of a pkg:pypi package URL.
type PURLOptions struct {
	// FileName, when set, becomes the file_name qualifier, naming one
	// distribution file of the release.
	FileName string
	// RepositoryURL, when set and not PyPI, becomes the repository_url
	// qualifier (a private index).
	RepositoryURL string
}

// PURL returns the package URL "pkg:pypi/{name}@{version}" with the name in
// its PEP 503 normalized form (the form purl-spec's pypi definition is
// moving to, which also lowercases and turns '_' into '-' as the older text
// required) and the version as given; qualifiers come out sorted and
// percent-encoded. An empty version is left out. PURL does not fail: it
// does not validate name or version.
func PURL(name, version string, opts PURLOptions) string {
	var q packageurl.Qualifiers
	if opts.FileName != "" {
		q = append(q, packageurl.Qualifier{Key: "file_name", Value: opts.FileName})
	}
	if opts.RepositoryURL != "" && !IsDefaultRepository(opts.RepositoryURL) {
		q = append(q, packageurl.Qualifier{Key: "repository_url", Value: opts.RepositoryURL})
	}
	return packageurl.NewPackageURL(packageurl.TypePyPi, "", NormalizeName(name), version, q, "").ToString()
}

// IsDefaultRepository reports whether url names PyPI itself
// (https://pypi.org, its /simple index, the legacy pypi.python.org host,
// or files.pythonhosted.org), with or without a trailing slash.
func IsDefaultRepository(url string) bool {
	u := strings.TrimRight(strings.ToLower(url), "/")
	for _, host := range []string{"https://pypi.org", "https://pypi.python.org", "https://files.pythonhosted.org"} {
		if u == host || u == host+"/simple" || u == host+"/pypi" {
			return true
		}
	}
	return false
}
