package sigstore_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/sigstore"
)

// BenchmarkVerifyBundle measures verifications per second of one bundle
// verified over and over by one long-lived Verifier, from 1 and 2
// goroutines: a certificate-signed message signature (SCT, SET, inclusion
// proof, checkpoint, chain), a certificate-signed DSSE bundle, and a
// key-signed DSSE bundle.
func BenchmarkVerifyBundle(b *testing.B) {
	artifact := fileDigest(b, filepath.Join("testdata", "a.txt"))
	beacon := &sigstore.Identity{Issuer: beaconIssuer, SAN: beaconIdentity}
	k := testKeys(b)[0]
	keyData, err := sigstore.NewDSSEBundle(signDSSE(b, k.priv, testStatement(b), false), k.priv.Public())
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name   string
		bundle *sigstore.Bundle
		v      *sigstore.Verifier
		o      sigstore.VerifyOptions
	}{
		{"message-signature", parseTestBundle(b, "happy-path-v0.3.sigstore.json"), publicGoodVerifier(b), sigstore.VerifyOptions{ArtifactDigest: artifact, Identity: beacon}},
		{"dsse-certificate", parseTestBundle(b, "happy-path-intoto-in-dsse-v3.sigstore.json"), publicGoodVerifier(b), sigstore.VerifyOptions{Identity: beacon}},
		{"dsse-key-p256", mustParse(b, keyData), publicGoodVerifier(b, sigstore.WithPublicKeys(k.priv.Public())), sigstore.VerifyOptions{}},
	}
	for _, c := range cases {
		for _, workers := range []int{1, 2} {
			b.Run(c.name+"/goroutines="+string(rune('0'+workers)), func(b *testing.B) {
				b.ReportAllocs()
				start := time.Now()
				var wg sync.WaitGroup
				per := (b.N + workers - 1) / workers
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < per; i++ {
							if _, err := c.v.VerifyBundle(c.bundle, c.o); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.ReportMetric(float64(per*workers)/time.Since(start).Seconds(), "verifications/s")
			})
		}
	}
}
