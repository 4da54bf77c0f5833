package bundlejson

import (
	"encoding/json"
	"testing"
)

func TestMarshal(t *testing.T) {
	tests := []struct {
		name    string
		in      DSSE
		want    string
		wantErr bool
	}{
		{
			name: "key hint",
			in:   DSSE{KeyHint: "abc", PayloadType: "application/vnd.in-toto+json", Payload: []byte("{}"), Signature: []byte{1, 2}},
			want: `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"abc"}},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AQI="}]}}`,
		},
		{
			name: "certificate and log entries",
			in:   DSSE{Certificate: []byte{3}, TlogEntries: []json.RawMessage{json.RawMessage(`{"logIndex":"1"}`)}, PayloadType: "t", Payload: []byte("p"), Signature: []byte{4}},
			want: `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"certificate":{"rawBytes":"Aw=="},"tlogEntries":[{"logIndex":"1"}]},"dsseEnvelope":{"payload":"cA==","payloadType":"t","signatures":[{"sig":"BA=="}]}}`,
		},
		{
			name:    "log entry not JSON",
			in:      DSSE{Certificate: []byte{3}, TlogEntries: []json.RawMessage{json.RawMessage(`{`)}},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error: %v", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
