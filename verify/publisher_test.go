package verify

import (
	"errors"
	"testing"

	"github.com/pedigree-dev/pedigree/sigstore"
)

func TestParsePublisher(t *testing.T) {
	tests := []struct {
		in      string
		want    TrustedPublisher
		wantErr error
	}{
		{in: "github:o/r", want: TrustedPublisher{Kind: "github", Repository: "o/r"}},
		{in: "github:o/r@release.yml", want: TrustedPublisher{Kind: "github", Repository: "o/r", Workflow: "release.yml"}},
		{in: "GitHub:o/r@release.yml", want: TrustedPublisher{Kind: "github", Repository: "o/r", Workflow: "release.yml"}},
		{in: "gitlab:group/sub/proj@ci/.gitlab-ci.yml", want: TrustedPublisher{Kind: "gitlab", Repository: "group/sub/proj", Workflow: "ci/.gitlab-ci.yml"}},
		{in: "gitlab:group/proj", want: TrustedPublisher{Kind: "gitlab", Repository: "group/proj"}},
		{in: "o/r", wantErr: ErrInvalidPolicy},
		{in: "github:o", wantErr: ErrInvalidPolicy},
		{in: "github:o/r/x", wantErr: ErrInvalidPolicy},
		{in: "github:o//r", wantErr: ErrInvalidPolicy},
		{in: "github:o/r@", wantErr: ErrInvalidPolicy},
		{in: "github:o/r@.github/workflows/x.yml", wantErr: ErrInvalidPolicy},
		{in: "github:o/r@a@b", wantErr: ErrInvalidPolicy},
		{in: "gitlab:proj", wantErr: ErrInvalidPolicy},
		{in: "gitlab:g/../p", wantErr: ErrInvalidPolicy},
		{in: "bitbucket:o/r", wantErr: ErrInvalidPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePublisher(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParsePublisher(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Fatalf("ParsePublisher(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if err == nil {
				if again, _ := ParsePublisher(got.String()); again != got {
					t.Fatalf("String() %q does not round-trip", got.String())
				}
			}
		})
	}
}

func TestTrustedPublisherCheck(t *testing.T) {
	gitlab := &sigstore.Certificate{
		Issuer:                 "https://gitlab.com",
		SourceRepositoryURI:    "https://gitlab.com/group/proj",
		SourceRepositoryDigest: "0123456789abcdef0123456789abcdef01234567",
		SourceRepositoryRef:    "refs/tags/v1.0.0",
		BuildConfigURI:         "https://gitlab.com/group/proj//.gitlab-ci.yml@refs/tags/v1.0.0",
	}
	tests := []struct {
		name      string
		file      string
		cert      *sigstore.Certificate
		publisher string
		wantErr   error
	}{
		{name: "github repository and workflow", file: pypiSLSA, publisher: "github:trailofbits/pypi-attestations@release.yml"},
		{name: "github repository", file: pypiPublish, publisher: "github:trailofbits/pypi-attestations"},
		{name: "github other workflow", file: pypiSLSA, publisher: "github:trailofbits/pypi-attestations@ci.yml", wantErr: ErrPublisherMismatch},
		{name: "github other repository", file: pypiSLSA, publisher: "github:evil/pypi-attestations@release.yml", wantErr: ErrPublisherMismatch},
		{name: "github case differs", file: pypiSLSA, publisher: "github:TrailOfBits/pypi-attestations", wantErr: ErrPublisherMismatch},
		{name: "gitlab signer for github publisher", cert: gitlab, publisher: "github:group/proj", wantErr: ErrPublisherMismatch},
		{name: "email identity", file: "pypi/rfc8785-0.1.2-py3-none-any.whl.attestation", publisher: "github:trailofbits/rfc8785.py", wantErr: ErrPublisherMismatch},
		{name: "gitlab project and file", cert: gitlab, publisher: "gitlab:group/proj@.gitlab-ci.yml"},
		{name: "gitlab project", cert: gitlab, publisher: "gitlab:group/proj"},
		{name: "gitlab other file", cert: gitlab, publisher: "gitlab:group/proj@build.yml", wantErr: ErrPublisherMismatch},
		{name: "gitlab other project", cert: gitlab, publisher: "gitlab:group/other", wantErr: ErrPublisherMismatch},
		{name: "no certificate", publisher: "github:o/r", wantErr: ErrPublisherMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePublisher(tt.publisher)
			if err != nil {
				t.Fatal(err)
			}
			cert := tt.cert
			if tt.file != "" {
				cert = loadVector(t, tt.file).cert
			}
			if err := p.Check(cert); !errors.Is(err, tt.wantErr) {
				t.Fatalf("Check() = %v, want %v", err, tt.wantErr)
			}
		})
	}
	t.Run("workflow at the certificate's commit, not its ref", func(t *testing.T) {
		c := *gitlab
		c.BuildConfigURI = "https://gitlab.com/group/proj//.gitlab-ci.yml@" + c.SourceRepositoryDigest
		p, _ := ParsePublisher("gitlab:group/proj@.gitlab-ci.yml")
		if err := p.Check(&c); err != nil {
			t.Fatal(err)
		}
		c.SourceRepositoryDigest, c.SourceRepositoryRef = "", ""
		if err := p.Check(&c); !errors.Is(err, ErrPublisherMismatch) {
			t.Fatalf("no commit or ref: got %v", err)
		}
	})
}
