package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/keys"
)

func newKeygenCmd(a *app) *cobra.Command {
	var (
		algorithm     string
		output        string
		passphraseEnv string
	)
	cmd := &cobra.Command{
		Use:   "keygen -o NAME",
		Short: "Generate a key pair for signing provenance (NAME.key, NAME.pub)",
		Long: `Generate a signing key pair: NAME.key, the private key as PKCS#8 PEM (mode 0600),
and NAME.pub, the public key as SPKI PEM (mode 0644). keygen never overwrites
either file.

With --passphrase-env VAR the private key is encrypted with the passphrase held
in the environment variable VAR (PBES2: PBKDF2-HMAC-SHA256, 600,000 iterations,
AES-256-CBC: the "ENCRYPTED PRIVATE KEY" format openssl and Python's
cryptography read). The passphrase is never taken from the command line.

The key id printed is the SHA-256 of the public key's DER SubjectPublicKeyInfo,
the keyid pedigree writes into DSSE signatures.`,
		Example: `  $ pedigree keygen -o release
  wrote release.key: ed25519 private key, PKCS#8, not encrypted (use --passphrase-env VAR to encrypt it)
  wrote release.pub: public key, keyid e234f8ac7842c7217474897d79c3dac4ea9fb9294d19c723db8d5ecef538364c

  $ export RELEASE_PASSPHRASE=...   # from your secret store
  $ pedigree keygen --algorithm ecdsa-p256 --passphrase-env RELEASE_PASSPHRASE -o ci
  wrote ci.key: ecdsa-p256 private key, PKCS#8, encrypted with the passphrase in $RELEASE_PASSPHRASE
  wrote ci.pub: public key, keyid 5fe58c63fd911ce9e73fc90b7c61ea2f8a0b5296f644f05a633b337785e666ce`,
		Args: cobra.NoArgs,
	}
	names := make([]string, 0, 4)
	for _, alg := range keys.Algorithms() {
		names = append(names, string(alg))
	}
	cmd.Flags().StringVar(&algorithm, "algorithm", string(keys.Ed25519), "key algorithm: "+strings.Join(names, ", "))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write NAME.key and NAME.pub (required)")
	cmd.Flags().StringVar(&passphraseEnv, "passphrase-env", "", "encrypt the private key with the passphrase in this environment `VARIABLE`")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		alg, err := keys.ParseAlgorithm(algorithm)
		if err != nil {
			return usageError("--algorithm: %v", err)
		}
		if output == "" {
			return usageError("keygen: -o NAME is required (writes NAME.key and NAME.pub)")
		}
		if strings.HasSuffix(output, ".key") || strings.HasSuffix(output, ".pub") {
			return usageError("keygen: -o takes a name without extension: -o %s writes %[1]s.key and %[1]s.pub", strings.TrimSuffix(strings.TrimSuffix(output, ".key"), ".pub"))
		}
		var passphrase []byte
		if passphraseEnv != "" {
			if passphrase, err = a.secretEnv("--passphrase-env", passphraseEnv); err != nil {
				return err
			}
		}
		keyPath, pubPath := output+".key", output+".pub"
		for _, p := range []string{keyPath, pubPath} {
			if _, err := os.Lstat(p); err == nil {
				return usageError("%s already exists: keygen never overwrites a key; choose another -o NAME", p)
			}
		}

		signer, err := keys.Generate(alg)
		if err != nil {
			return err
		}
		privPEM, err := keys.MarshalPrivateKeyPEM(signer, passphrase)
		if err != nil {
			return err
		}
		pubPEM, err := keys.MarshalPublicKeyPEM(signer.Public())
		if err != nil {
			return err
		}
		keyID, err := keys.ID(signer.Public())
		if err != nil {
			return err
		}
		if err := writeNew(keyPath, privPEM, 0o600); err != nil {
			return err
		}
		if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
			os.Remove(keyPath) // keep the pair together: no private key without its public half
			return err
		}

		if format.value == formatJSON {
			return writeJSON(a.stdout, struct {
				Algorithm  string `json:"algorithm"`
				PrivateKey string `json:"privateKey"`
				PublicKey  string `json:"publicKey"`
				KeyID      string `json:"keyId"`
				Encrypted  bool   `json:"encrypted"`
			}{string(alg), keyPath, pubPath, keyID, len(passphrase) > 0})
		}
		enc := "encrypted with the passphrase in $" + passphraseEnv
		if len(passphrase) == 0 {
			enc = "not encrypted (use --passphrase-env VAR to encrypt it)"
		}
		fmt.Fprintf(a.stdout, "wrote %s: %s private key, PKCS#8, %s\n", keyPath, alg, enc)
		fmt.Fprintf(a.stdout, "wrote %s: public key, keyid %s\n", pubPath, keyID)
		return nil
	}
	return cmd
}

// writeNew writes data to a new file (never replacing one) with perm,
// turning "already exists" into a usage error.
func writeNew(path string, data []byte, perm os.FileMode) error {
	return outputError(atomicfile.WriteFile(path, data, atomicfile.Options{Perm: perm}))
}
