package store

import (
	"encoding/json"
	"testing"

	"github.com/pedigree-dev/pedigree/sigstore"
)

func TestPublisherFor(t *testing.T) {
	gh := "https://github.com/o/r"
	tests := []struct {
		name string
		cert *sigstore.Certificate
		want string
	}{
		{"key-signed", nil, ""},
		{"GitHub", &sigstore.Certificate{Issuer: issuerGitHub, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: gh + "/.github/workflows/release.yml@refs/tags/v1"},
			`{"kind":"GitHub","repository":"o/r","workflow":"release.yml"}`},
		{"GitHub, reusable workflow elsewhere", &sigstore.Certificate{Issuer: issuerGitHub, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: "https://github.com/other/repo/.github/workflows/release.yml@refs/tags/v1"}, ""},
		{"GitHub, build config at another ref", &sigstore.Certificate{Issuer: issuerGitHub, SourceRepositoryURI: gh, SourceRepositoryRef: "refs/tags/v1",
			BuildConfigURI: gh + "/.github/workflows/release.yml@refs/heads/evil"}, ""},
		{"GitLab", &sigstore.Certificate{Issuer: issuerGitLab, SourceRepositoryURI: "https://gitlab.com/g/sub/p", SourceRepositoryDigest: "abc",
			BuildConfigURI: "https://gitlab.com/g/sub/p//.gitlab-ci.yml@abc"},
			`{"kind":"GitLab","repository":"g/sub/p","workflow_filepath":".gitlab-ci.yml"}`},
		{"Google", &sigstore.Certificate{Issuer: issuerGoogle, SubjectAlternativeName: "me@example.com"},
			`{"kind":"Google","email":"me@example.com"}`},
		{"another issuer", &sigstore.Certificate{Issuer: "https://github.com/login/oauth", SubjectAlternativeName: "me@example.com"}, ""},
		{"GitHub issuer, repository elsewhere", &sigstore.Certificate{Issuer: issuerGitHub, SourceRepositoryURI: "https://example.com/o/r"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if p := publisherFor(tt.cert); p != nil {
				b, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestBundleAttestation(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"DSSE with certificate and log entry", `{"verificationMaterial":{"certificate":{"rawBytes":"AQI="},"tlogEntries":[{"logIndex":"1"}]},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="}]}}`, true},
		{"certificate chain", `{"verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AQI="}]},"tlogEntries":[{}]},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="}]}}`, true},
		{"no log entry", `{"verificationMaterial":{"certificate":{"rawBytes":"AQI="}},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="}]}}`, false},
		{"public key", `{"verificationMaterial":{"publicKey":{"hint":"x"},"tlogEntries":[{}]},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="}]}}`, false},
		{"two signatures", `{"verificationMaterial":{"certificate":{"rawBytes":"AQI="},"tlogEntries":[{}]},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="},{"sig":"AwQ="}]}}`, false},
		{"other payload type", `{"verificationMaterial":{"certificate":{"rawBytes":"AQI="},"tlogEntries":[{}]},"dsseEnvelope":{"payload":"e30=","payloadType":"text/plain","signatures":[{"sig":"AwQ="}]}}`, false},
		{"message signature", `{"verificationMaterial":{"certificate":{"rawBytes":"AQI="},"tlogEntries":[{}]},"messageSignature":{"signature":"AwQ="}}`, false},
		{"not JSON", `{`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bundleAttestation([]byte(tt.raw))
			if (a != nil) != tt.ok {
				t.Fatalf("got %+v, want ok=%v", a, tt.ok)
			}
			if a != nil && (string(a.VerificationMaterial.Certificate) != "\x01\x02" || string(a.Envelope.Signature) != "\x03\x04" || string(a.Envelope.Statement) != "{}") {
				t.Fatalf("mapped wrongly: %+v", a)
			}
		})
	}
}

func FuzzBundleAttestation(f *testing.F) {
	f.Add([]byte(`{"verificationMaterial":{"certificate":{"rawBytes":"AQI="},"tlogEntries":[{}]},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AwQ="}]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if a := bundleAttestation(raw); a != nil && (len(a.VerificationMaterial.Certificate) == 0 || len(a.VerificationMaterial.TransparencyEntries) == 0) {
			t.Fatalf("incomplete attestation object from %q", raw)
		}
	})
}
