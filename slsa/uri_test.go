package slsa_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/slsa"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in   string
		want string // normalized; "" means invalid
	}{
		// Real URIs from the vectors and the in-toto spec's examples.
		{"https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v1"},
		{"https://slsa.dev/container-based-build/v0.1?draft", "https://slsa.dev/container-based-build/v0.1?draft"},
		{"git+https://github.com/slsa-framework/example-package@refs/tags/v14.2", "git+https://github.com/slsa-framework/example-package@refs/tags/v14.2"},
		{"pkg:deb/debian/stunnel@5.50-3?arch=amd64", "pkg:deb/debian/stunnel@5.50-3?arch=amd64"},
		{"pkg:pypi/django@1.11.1#sub/path", "pkg:pypi/django@1.11.1#sub/path"},
		{"git+https://android.googlesource.com/platform/vendor/foo/bar@16244f4e7524d44a8f3060905eaf9190e96e9fb0#prebuilts/Foo/Foo.apk", "git+https://android.googlesource.com/platform/vendor/foo/bar@16244f4e7524d44a8f3060905eaf9190e96e9fb0#prebuilts/Foo/Foo.apk"},
		// §6.2.2.1: scheme and host lowercase, percent-encodings uppercase,
		// everything else (userinfo, path, query, fragment) untouched.
		{"HTTPS://User:PW@GitHub.COM:443/Org/Repo?Q=A%2f#F%3a", "https://User:PW@github.com:443/Org/Repo?Q=A%2F#F%3A"},
		{"Git+HTTPS://GITHUB.com/o/r", "git+https://github.com/o/r"},
		{"https://%7Eh%c3%a9.example/", "https://%7Eh%C3%A9.example/"},
		{"http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"},
		{"http://[v1.Fe:ED]/", "http://[v1.fe:ed]/"},
		{"http://192.168.0.1/", "http://192.168.0.1/"},
		{"file:///etc/hosts", "file:///etc/hosts"},
		{"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"},
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"x:", "x:"},
		{"https://example.com:/", "https://example.com:/"},
		{"https://example.com?", "https://example.com?"},
		{"https://example.com/a//b/../c", "https://example.com/a//b/../c"},
		// Not URIs.
		{"", ""},
		{"local-ci", ""},
		{"/absolute/path", ""},
		{"relative/path", ""},
		{"1http://example.com", ""},
		{"ht_tp://example.com", ""},
		{":x", ""},
		{"https://exa mple.com", ""},
		{"https://example.com/a b", ""},
		{"https://example.com/%zz", ""},
		{"https://example.com/%4", ""},
		{"https://example.com:80a/", ""},
		{"https://[::1/", ""},
		{"https://[::1]x/", ""},
		{"https://[fe80::1%25eth0]/", ""},
		{"https://[1.2.3.4]/", ""},
		{"https://[v1]/", ""},
		{"https://a@b@c/", ""},
		{"https://example.com/é", ""},
		{"https://example.com/#a#b", ""},
		{"https://example.com/\x00", ""},
		{"bash@sha256:9e2ba52487d945504d250de186cb4fe2e3ba023ed2921dd6ac8b97ed43e76af9", ""},
		{"https://" + strings.Repeat("a", 64<<10), ""},
	}
	for _, tt := range tests {
		got, err := slsa.ParseTypeURI(tt.in)
		rgot, rerr := slsa.ParseResourceURI(tt.in)
		if string(got) != string(rgot) || (err == nil) != (rerr == nil) {
			t.Errorf("%q: TypeURI and ResourceURI disagree", tt.in)
		}
		if tt.want == "" {
			if err == nil {
				t.Errorf("%q: accepted as %q", tt.in, got)
			} else if !errors.Is(err, slsa.ErrInvalidURI) {
				t.Errorf("%q: error %v does not wrap ErrInvalidURI", tt.in, err)
			}
			if slsa.TypeURI(tt.in).Validate() == nil || slsa.ResourceURI(tt.in).Validate() == nil {
				t.Errorf("%q: Validate accepted it", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%q: normalized to %q, want %q", tt.in, got, tt.want)
		}
		if again, err := got.Normalize(); err != nil || again != got {
			t.Errorf("%q: normalizing twice gives %q, %v", tt.in, again, err)
		}
		if r, err := slsa.ResourceURI(tt.in).Normalize(); err != nil || string(r) != tt.want {
			t.Errorf("%q: ResourceURI.Normalize = %q, %v", tt.in, r, err)
		}
		if slsa.TypeURI(tt.in).Validate() != nil || slsa.ResourceURI(tt.in).Validate() != nil {
			t.Errorf("%q: Validate rejected it", tt.in)
		}
	}
}

func TestURIEqual(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{"https://slsa.dev/provenance/v1", "HTTPS://SLSA.DEV/provenance/v1", true},
		{"https://example.com/%7e", "https://example.com/%7E", true},
		{"https://example.com/a", "https://example.com/A", false},
		{"https://example.com/%7E", "https://example.com/~", false}, // §6.2.2.2 is not applied
		{"https://User@example.com/", "https://user@example.com/", false},
		{"not a uri", "not a uri", true},
		{"not a uri", "NOT A URI", false},
		{"", "", true},
		{"", "https://example.com", false},
	}
	for _, tt := range tests {
		if got := slsa.TypeURI(tt.a).Equal(slsa.TypeURI(tt.b)); got != tt.equal {
			t.Errorf("TypeURI(%q).Equal(%q) = %v, want %v", tt.a, tt.b, got, tt.equal)
		}
		if got := slsa.ResourceURI(tt.b).Equal(slsa.ResourceURI(tt.a)); got != tt.equal {
			t.Errorf("ResourceURI(%q).Equal(%q) = %v, want %v", tt.b, tt.a, got, tt.equal)
		}
	}
	if slsa.TypeURI("x:y").String() != "x:y" || slsa.ResourceURI("x:y").String() != "x:y" {
		t.Error("String")
	}
}

func TestURIErrorMessage(t *testing.T) {
	_, err := slsa.ParseResourceURI("https://example.com/a b")
	want := `path: invalid character ' ' at offset 2 in "https://example.com/a b": invalid URI`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
