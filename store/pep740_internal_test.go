package store

import "testing"

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
