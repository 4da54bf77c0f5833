package cli

import (
	"crypto"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/keys"
)

// signingKeyFlags are --key and --passphrase-env of the commands that sign
// (attest, sbom --attest, evidence create, pspf record).
type signingKeyFlags struct {
	key           string
	passphraseEnv string
}

// addSigningKeyFlags registers --key and --passphrase-env on cmd; when says
// when the key is used ("with --attest: "), or is empty.
func addSigningKeyFlags(cmd *cobra.Command, f *signingKeyFlags, when string) {
	cmd.Flags().StringVar(&f.key, "key", "", when+"sign with the private key in `PATH` (PKCS#8 PEM, as pedigree keygen writes)")
	cmd.Flags().StringVar(&f.passphraseEnv, "passphrase-env", "", when+"the --key passphrase is in this environment `VARIABLE`")
}

// signer reads the --key private key, decrypting it with the passphrase in
// the --passphrase-env variable when there is one; nil without --key. A
// key file that is missing or unreadable is an I/O error (exit 3); one that
// is not a usable key, or lacks its passphrase, a usage error (exit 2).
func (f *signingKeyFlags) signer(a *app) (crypto.Signer, error) {
	if f.key == "" {
		return nil, nil
	}
	data, err := readFileLimited(f.key, keys.MaxPEMSize)
	if err != nil {
		return nil, fmt.Errorf("--key: %w", err)
	}
	var pass []byte
	if f.passphraseEnv != "" {
		if pass, err = a.secretEnv("--passphrase-env", f.passphraseEnv); err != nil {
			return nil, err
		}
	}
	signer, err := keys.ParsePrivateKeyPEM(data, pass)
	switch {
	case errors.Is(err, keys.ErrEncrypted):
		return nil, usageError("--key %s: the key is encrypted: name the variable holding its passphrase with --passphrase-env", f.key)
	case err != nil:
		return nil, usageError("--key %s: %v", f.key, err)
	}
	return signer, nil
}

// secretEnv returns the value of the environment variable a --xxx-env flag
// names (a passphrase, an HMAC key): secrets never come from the command
// line. An unset or empty variable is a usage error (exit 2).
func (a *app) secretEnv(flag, variable string) ([]byte, error) {
	v := a.getenv(variable)
	if v == "" {
		return nil, usageError("%s %s: the variable is unset or empty", flag, variable)
	}
	return []byte(v), nil
}

// loadPublicKeys reads the public keys of a --key flag that checks
// signatures (evidence verify, inspect): public key PEM files, or the
// public half of unencrypted private key PEM files. A file that is missing
// or unreadable is an I/O error (exit 3); one that holds no usable key a
// usage error (exit 2).
func loadPublicKeys(paths []string) ([]crypto.PublicKey, error) {
	var pubs []crypto.PublicKey
	for _, path := range paths {
		data, err := readFileLimited(path, keys.MaxPEMSize)
		if err != nil {
			return nil, fmt.Errorf("--key: %w", err)
		}
		pub, err := keys.ParsePublicKeyPEM(data)
		if err != nil {
			signer, perr := keys.ParsePrivateKeyPEM(data, nil)
			if perr != nil {
				return nil, usageError("--key %s: %v", path, err)
			}
			pub = signer.Public()
		}
		pubs = append(pubs, pub)
	}
	return pubs, nil
}
