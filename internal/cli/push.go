package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/client"
	"github.com/pedigree-dev/pedigree/verify"
)

// storeTokenEnv names the variable pedigree push (and pedigree verify
// --server, for stores that need a token for reads) takes the token from.
const storeTokenEnv = "PEDIGREE_STORE_TOKEN"

// Limits of one request pedigree push sends: a file with more attestations
// is sent in several requests, each stored all or nothing.
const (
	pushMaxAttestations = 1000
	pushMaxBytes        = 8 << 20
)

// pushFile is the outcome for one file.
type pushFile struct {
	File         string           `json:"file"`
	Attestations []store.Ingested `json:"attestations"`
	Error        string           `json:"error,omitempty"`
	Problems     []store.Problem  `json:"problems,omitempty"`
}

func newPushCmd(a *app) *cobra.Command {
	var server, tokenEnv string
	cmd := &cobra.Command{
		Use:   "push --server URL FILE...",
		Short: "Send attestations to an attestation store (pedigree serve)",
		Long: `push sends each FILE (a DSSE envelope, a Sigstore bundle, a PEP 740
attestation, or a .jsonl of them) to the store at --server, which stores
the attestations that verify against its trust configuration and refuses
the others with its reason. A file is sent in one request (split in
requests of up to 1,000 attestations or 8 MiB for large .jsonl files); a
request is stored all or nothing.

The token comes from $` + storeTokenEnv + ` (or the variable --token-env names).

Exit codes: 0 everything stored, 1 the store refused an attestation,
2 usage, 3 I/O or network error.`,
		Example: `  $ export PEDIGREE_STORE_TOKEN=pdg_3AiZbUBt2b8IjfJAd92krXIwZ75IABSjbCjUJgL_bmo
  $ pedigree push --server http://127.0.0.1:8080 demo.intoto.jsonl forged.intoto.jsonl
  demo.intoto.jsonl:1: stored 4dd5340a1a5a4542f880cc913073ec970ae5e3946f211de70ddb481f36423b6c (already stored): pedigree_demo-0.1.0-py3-none-any.whl, pedigree_demo-0.1.0.tar.gz
  forged.intoto.jsonl:1: REFUSED: attestation rejected: signature verification failed: DSSE envelope: signed by keyid 3438c62c241ec9c540bafa161601921ac8a3cda3177b38f53492fcc16ffd1e6e, given 4883990fbeba4dac309d3cc97809b0d39505b2b963e4273946fe3de15d03021b: envelope is not signed by any of the given keys
  forged.intoto.jsonl: nothing of the request was stored`,
		Args: cobra.MinimumNArgs(1),
	}
	cmd.Flags().StringVar(&server, "server", "", "the store's URL, http://HOST:PORT (required)")
	cmd.Flags().StringVar(&tokenEnv, "token-env", storeTokenEnv, "environment variable holding the store's token")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if server == "" {
			return usageError("push: --server is required")
		}
		tok := a.getenv(tokenEnv)
		if tok == "" {
			return usageError("push: $%s is empty: set it to a token from 'pedigree serve token create'", tokenEnv)
		}
		c, err := client.New(server, client.WithToken(tok), client.WithUserAgent("pedigree/"+version))
		if err != nil {
			return usageError("push: --server: %v", err)
		}
		var results []pushFile
		ok := true
		for _, path := range args {
			data, err := readFileLimited(path, attestation.MaxFileSize)
			if err != nil {
				return err
			}
			r, err := pushOne(a.ctx, c, path, data)
			if err != nil {
				return err
			}
			if r.Error != "" {
				ok = false
			}
			results = append(results, r)
			if format.value != formatJSON {
				if err := writePushText(a, r); err != nil {
					return err
				}
			}
		}
		if format.value == formatJSON {
			if err := writeJSON(a.stdout, results); err != nil {
				return err
			}
		}
		if !ok {
			return silentFailure()
		}
		return nil
	}
	return cmd
}

// pushOne sends one file. A refusal by the store (or a file that is not
// attestations) is reported in the result; transport and server errors are
// returned.
func pushOne(ctx context.Context, c *client.Client, path string, data []byte) (pushFile, error) {
	r := pushFile{File: path, Attestations: []store.Ingested{}}
	subs, err := store.Split(data)
	if err != nil {
		r.Error = err.Error()
		return r, nil
	}
	for len(subs) > 0 {
		// One request: as many attestations as the limits allow.
		n, size := 0, 0
		for n < len(subs) && n < pushMaxAttestations && (n == 0 || size+len(subs[n].Raw)+1 <= pushMaxBytes) {
			size += len(subs[n].Raw) + 1
			n++
		}
		chunk := subs[:n]
		subs = subs[n:]
		var body bytes.Buffer
		lineOf := map[int]int{} // line in the request -> line in the file
		line := 1
		for _, s := range chunk {
			lineOf[line] = s.Line
			body.Write(s.Raw)
			body.WriteByte('\n')
			line += 1 + bytes.Count(s.Raw, []byte("\n"))
		}
		resp, err := c.Push(ctx, body.Bytes())
		var ae *client.APIError
		if errors.As(err, &ae) && (errors.Is(err, store.ErrMalformed) || errors.Is(err, store.ErrRejected) || errors.Is(err, store.ErrTooLarge)) {
			r.Error = ae.Message
			for _, p := range ae.Problems {
				p.Line = lineOf[p.Line]
				p.Error = relineMessage(p.Error, lineOf)
				r.Problems = append(r.Problems, p)
			}
			if len(r.Problems) > 0 {
				r.Error = r.Problems[0].Error
			}
			return r, nil
		}
		if err != nil {
			return r, fmt.Errorf("push %s: %w", path, err)
		}
		for i, in := range resp.Attestations {
			in.Line = chunk[i].Line
			r.Attestations = append(r.Attestations, in)
		}
	}
	return r, nil
}

// relineMessage rewrites a leading "line N: " of a store message to the
// line in the file.
func relineMessage(msg string, lineOf map[int]int) string {
	var n int
	if _, err := fmt.Sscanf(msg, "line %d:", &n); err == nil {
		if l, ok := lineOf[n]; ok {
			return fmt.Sprintf("line %d:", l) + strings.TrimPrefix(msg, fmt.Sprintf("line %d:", n))
		}
	}
	return msg
}

func writePushText(a *app, r pushFile) error {
	var b strings.Builder
	for _, in := range r.Attestations {
		state := "new"
		if !in.Created {
			state = "already stored"
		}
		var names []string
		for _, s := range in.Subjects {
			if s.Name != "" {
				names = append(names, s.Name)
			}
		}
		what := strings.Join(names, ", ")
		if len(names) > 3 {
			what = fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
		}
		fmt.Fprintf(&b, "%s:%d: stored %s (%s): %s\n", r.File, in.Line, in.ID, state, what)
	}
	switch {
	case len(r.Problems) > 0:
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "%s:%d: REFUSED: %s\n", r.File, p.Line, strings.TrimPrefix(strings.TrimPrefix(p.Error, fmt.Sprintf("line %d: ", p.Line)), "body: "))
		}
		fmt.Fprintf(&b, "%s: nothing of the request was stored\n", r.File)
	case r.Error != "":
		fmt.Fprintf(&b, "%s: REFUSED: %s\n", r.File, r.Error)
	}
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}

// fetchAttestations asks the store at server for the attestations of each
// artifact, by its SHA-256 (or the digest given). Attestations that do not
// parse are returned as unreadable, to be reported as failures.
func fetchAttestations(a *app, server string, arts []verify.Artifact) ([]attestation.Item, []verify.Unreadable, error) {
	c, err := client.New(server, client.WithToken(a.getenv(storeTokenEnv)), client.WithUserAgent("pedigree/"+version))
	if err != nil {
		return nil, nil, usageError("verify: --server: %v", err)
	}
	var (
		items []attestation.Item
		bad   []verify.Unreadable
		seen  = map[string]bool{}
	)
	for _, art := range arts {
		key, err := artifactKey(a.ctx, art)
		if err != nil {
			return nil, nil, err
		}
		resp, err := c.Lookup(a.ctx, key, client.LookupOptions{Limit: store.MaxLimit})
		if err != nil {
			return nil, nil, fmt.Errorf("store %s: %w", server, err)
		}
		if resp.More {
			fmt.Fprintf(a.stderr, "pedigree: warning: the store holds more than %d attestations for %s; verifying with the first %d\n", store.MaxLimit, key, store.MaxLimit)
		}
		for _, it := range resp.Attestations {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			src := c.URL("/v1/attestations/" + it.ID)
			parsed, err := attestation.Parse(it.Attestation, src)
			if err != nil {
				bad = append(bad, verify.Unreadable{Source: src, Err: err})
				continue
			}
			items = append(items, parsed...)
		}
	}
	return items, bad, nil
}

// artifactKey is the digest to look an artifact up by: the SHA-256 of its
// file, or the digest given for it.
func artifactKey(ctx context.Context, art verify.Artifact) (store.SubjectKey, error) {
	if art.Path != "" {
		set, _, err := digest.File(ctx, art.Path, digest.SHA256)
		if err != nil {
			return store.SubjectKey{}, err
		}
		return store.SubjectKey{Alg: digest.SHA256, Hex: set[digest.SHA256]}, nil
	}
	for _, alg := range digest.ArtifactAlgorithms() {
		if v, ok := art.Digest[alg]; ok {
			return store.SubjectKey{Alg: alg, Hex: v}, nil
		}
	}
	return store.SubjectKey{}, fmt.Errorf("artifact %s: no sha256, sha384 or sha512 digest: %w", art.Name, os.ErrInvalid)
}
