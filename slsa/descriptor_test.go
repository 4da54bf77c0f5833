package slsa_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// TestResourceDescriptorValidate: one case per rule of the in-toto
// ResourceDescriptor spec (and the digest set spec).
func TestResourceDescriptorValidate(t *testing.T) {
	tests := []struct {
		name    string
		rd      slsa.ResourceDescriptor
		wantErr error
		wantMsg string
	}{
		{"digest only", slsa.ResourceDescriptor{Digest: digest.Set{"sha256": sha256A}}, nil, ""},
		{"uri only", slsa.ResourceDescriptor{URI: "pkg:pypi/requests@2.32.3"}, nil, ""},
		{"content only", slsa.ResourceDescriptor{Content: []byte("hello")}, nil, ""},
		{"all fields", slsa.ResourceDescriptor{
			URI: "git+https://github.com/o/r@refs/tags/v1", Digest: digest.Set{"gitCommit": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"},
			Name: "r", DownloadLocation: "https://example.com/r.tar.gz", MediaType: "application/x-tar",
			Content: []byte{0, 1}, Annotations: map[string]any{"twoPartyReview": false, "n": json.Number("1")},
		}, nil, ""},
		{"nothing but a name", slsa.ResourceDescriptor{Name: "a"}, slsa.ErrMissingField, "want at least one of uri, digest and content: missing field"},
		{"empty digest set counts as unset", slsa.ResourceDescriptor{Digest: digest.Set{}}, slsa.ErrMissingField, "want at least one of uri, digest and content: missing field"},
		{"uri not a URI", slsa.ResourceDescriptor{URI: "/relative/path"}, slsa.ErrInvalidURI, `uri: want a scheme followed by ':' in "/relative/path": invalid URI`},
		{"downloadLocation not a URI", slsa.ResourceDescriptor{URI: "pkg:pypi/a", DownloadLocation: "https://exa mple.com"}, slsa.ErrInvalidURI, `downloadLocation: host: invalid character ' ' at offset 3 in "https://exa mple.com": invalid URI`},
		{"sha256 too short", slsa.ResourceDescriptor{Digest: digest.Set{"sha256": sha256A[:63]}}, slsa.ErrInvalidDigest, "digest.sha256: want 64 lowercase hex characters, got 63: invalid digest"},
		{"sha512 not hex", slsa.ResourceDescriptor{Digest: digest.Set{"sha512": strings.Repeat("g", 128)}}, slsa.ErrInvalidDigest, "digest.sha512: want lowercase hex, got 'g' at offset 0: invalid digest"},
		{"gitCommit sha-256 length ok, other length not", slsa.ResourceDescriptor{Digest: digest.Set{"gitCommit": sha256A, "gitTree": "abc"}}, slsa.ErrInvalidDigest, "digest.gitTree: want 40 or 64 lowercase hex characters, got 3: invalid digest"},
		{"md5 length", slsa.ResourceDescriptor{Digest: digest.Set{"md5": sha256A}}, slsa.ErrInvalidDigest, "digest.md5: want 32 lowercase hex characters, got 64: invalid digest"},
		{"dirHash1 length", slsa.ResourceDescriptor{Digest: digest.Set{"dirHash1": "h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48="}}, slsa.ErrInvalidDigest, "digest.dirHash1: want 64 lowercase hex characters, got 47: invalid digest"},
		{"unknown algorithm kept", slsa.ResourceDescriptor{Digest: digest.Set{"x-custom": "Not Hex At All"}}, nil, ""},
		{"unknown algorithm with empty value", slsa.ResourceDescriptor{Digest: digest.Set{"x-custom": ""}}, slsa.ErrInvalidDigest, `digest["x-custom"]: want a value: empty digest`},
		{"empty algorithm name", slsa.ResourceDescriptor{Digest: digest.Set{"": sha256A}}, slsa.ErrInvalidDigest, "digest: empty algorithm name: empty digest"},
		{"name not UTF-8", slsa.ResourceDescriptor{Name: "a\xffb", Digest: digest.Set{"sha256": sha256A}}, slsa.ErrInvalidField, "name: not valid UTF-8: invalid field"},
		{"mediaType not UTF-8", slsa.ResourceDescriptor{MediaType: "\xc3", Digest: digest.Set{"sha256": sha256A}}, slsa.ErrInvalidField, "mediaType: not valid UTF-8: invalid field"},
		{"annotation not UTF-8", slsa.ResourceDescriptor{Digest: digest.Set{"sha256": sha256A}, Annotations: map[string]any{"k": []any{"\xff"}}}, slsa.ErrInvalidField, "annotations: string is not valid UTF-8: invalid field"},
		{"annotation with a literal backslash-ufffd is fine", slsa.ResourceDescriptor{Digest: digest.Set{"sha256": sha256A}, Annotations: map[string]any{"k": `\ufffd`}}, nil, ""},
		{"annotation not JSON", slsa.ResourceDescriptor{Digest: digest.Set{"sha256": sha256A}, Annotations: map[string]any{"f": func() {}}}, slsa.ErrInvalidField, "annotations: cannot encode as JSON: json: unsupported type: func(): invalid field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, tt.rd.Validate(), tt.wantErr, tt.wantMsg)
		})
	}
}

func TestAddDigest(t *testing.T) {
	var rd slsa.ResourceDescriptor
	if err := rd.AddDigest("sha256", sha256A); err != nil {
		t.Fatal(err)
	}
	if err := rd.AddDigest("x-custom", "anything"); err != nil {
		t.Fatalf("unknown algorithm: %v", err)
	}
	tests := []struct {
		name       string
		alg, value string
		wantErr    error // both must match
		wantDigest error
		wantMsg    string
	}{
		{"algorithm already present", "sha256", sha256B, slsa.ErrInvalidDigest, digest.ErrDuplicateAlgorithm, "digest: sha256: digest algorithm already present"},
		{"same value again", "sha256", sha256A, slsa.ErrInvalidDigest, digest.ErrDuplicateAlgorithm, "digest: sha256: digest algorithm already present"},
		{"malformed value", "sha512", "abc", slsa.ErrInvalidDigest, digest.ErrInvalidDigest, "digest: sha512: want 128 lowercase hex characters, got 3: invalid digest"},
		{"empty value", "sha1", "", slsa.ErrInvalidDigest, digest.ErrEmpty, "digest: sha1: want a value: empty digest"},
		{"empty algorithm", "", sha256A, slsa.ErrInvalidDigest, digest.ErrEmpty, "digest: algorithm name: empty digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rd.AddDigest(tt.alg, tt.value)
			if !errors.Is(err, tt.wantErr) || !errors.Is(err, tt.wantDigest) || err.Error() != tt.wantMsg {
				t.Errorf("got %v, want %s", err, tt.wantMsg)
			}
		})
	}
	if len(rd.Digest) != 2 || rd.Digest["sha256"] != sha256A {
		t.Errorf("failed AddDigest calls changed the set: %v", rd.Digest)
	}
}

func TestResourceDescriptorEqual(t *testing.T) {
	base := slsa.ResourceDescriptor{
		URI: "https://example.com/a", Digest: digest.Set{"sha256": sha256A}, Name: "a",
		DownloadLocation: "https://example.com/dl/a", MediaType: "text/plain", Content: []byte("x"),
		Annotations: map[string]any{"n": json.Number("1"), "s": "v"},
	}
	mod := func(f func(*slsa.ResourceDescriptor)) slsa.ResourceDescriptor {
		c := base
		c.Digest = base.Digest.Clone()
		f(&c)
		return c
	}
	tests := []struct {
		name  string
		other slsa.ResourceDescriptor
		equal bool
	}{
		{"same", mod(func(*slsa.ResourceDescriptor) {}), true},
		{"uri host case", mod(func(d *slsa.ResourceDescriptor) { d.URI = "HTTPS://EXAMPLE.COM/a" }), true},
		{"uri path case", mod(func(d *slsa.ResourceDescriptor) { d.URI = "https://example.com/A" }), false},
		{"annotation number as int", mod(func(d *slsa.ResourceDescriptor) { d.Annotations = map[string]any{"n": 1, "s": "v"} }), true},
		{"annotation differs", mod(func(d *slsa.ResourceDescriptor) { d.Annotations = map[string]any{"n": 2, "s": "v"} }), false},
		{"extra digest", mod(func(d *slsa.ResourceDescriptor) { d.Digest["sha1"] = strings.Repeat("0", 40) }), false},
		{"name", mod(func(d *slsa.ResourceDescriptor) { d.Name = "b" }), false},
		{"downloadLocation", mod(func(d *slsa.ResourceDescriptor) { d.DownloadLocation = "" }), false},
		{"mediaType", mod(func(d *slsa.ResourceDescriptor) { d.MediaType = "" }), false},
		{"content", mod(func(d *slsa.ResourceDescriptor) { d.Content = []byte("y") }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if base.Equal(&tt.other) != tt.equal || tt.other.Equal(&base) != tt.equal {
				t.Errorf("Equal = %v, want %v", base.Equal(&tt.other), tt.equal)
			}
		})
	}
	empty1 := slsa.ResourceDescriptor{URI: "pkg:a", Annotations: map[string]any{}, Content: []byte{}}
	empty2 := slsa.ResourceDescriptor{URI: "pkg:a"}
	if !empty1.Equal(&empty2) {
		t.Error("empty and nil annotations and content should be equal")
	}
}

// TestResourceDescriptorJSON: field names as the spec spells them, content
// in base64, empty fields omitted.
func TestResourceDescriptorJSON(t *testing.T) {
	rd := slsa.ResourceDescriptor{
		URI: "pkg:pypi/a@1", Digest: digest.Set{"sha256": sha256A}, Name: "a", DownloadLocation: "https://example.com/a",
		MediaType: "text/plain", Content: []byte("hi"), Annotations: map[string]any{"k": "v"},
	}
	b, err := json.Marshal(rd)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"uri":"pkg:pypi/a@1","digest":{"sha256":"` + sha256A + `"},"name":"a","downloadLocation":"https://example.com/a","mediaType":"text/plain","content":"aGk=","annotations":{"k":"v"}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if b, _ := json.Marshal(slsa.ResourceDescriptor{URI: "pkg:a"}); string(b) != `{"uri":"pkg:a"}` {
		t.Errorf("empty fields not omitted: %s", b)
	}
}
