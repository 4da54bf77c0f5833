package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/store"
	"github.com/pedigree-dev/pedigree/store/server"
	"github.com/pedigree-dev/pedigree/store/sqlstore"
)

// defaultDB is where pedigree serve keeps its attestations unless --db says
// otherwise.
const defaultDB = "sqlite:pedigree.db"

func newServeCmd(a *app) *cobra.Command {
	f := &verifyFlags{}
	var (
		listen          string
		db              string
		readToken       bool
		maxBody         int64
		shutdownTimeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the attestation store: accept attestations that verify, serve them by digest",
		Long: `serve runs pedigree's attestation store, an HTTP API (docs/api.md) that accepts
only attestations that verify against its trust configuration, keeps them
content-addressed (an attestation's ID is the SHA-256 of its bytes) and
indexes them by subject digest, for pedigree verify --server and for anyone
speaking HTTP, including Python tooling that reads PEP 740 provenance.

The database is a SQLite file (--db sqlite:PATH, created on first start) or
PostgreSQL (--db postgres://USER@HOST/DB), which several servers behind a
load balancer can share. Its schema is migrated when the server starts.

The trust configuration is pedigree verify's: --key for key-signed
attestations, or the Sigstore trusted root (--trusted-root, by default the
public-good root built in) with an identity policy (--cert-identity and
--cert-oidc-issuer, --publisher, --source-uri, --builder-id). Each
attestation is verified as pedigree verify would verify every artifact it
names.

Writes need a token (pedigree serve token create); reads are open unless
--read-token-required. The server stops on SIGINT or SIGTERM after the
requests in flight finish.`,
		Example: `  $ pedigree serve token create --db sqlite:store.db --name ci
  token "ci" created; it is shown only now, keep it secret:
  pdg_3AiZbUBt2b8IjfJAd92krXIwZ75IABSjbCjUJgL_bmo

  $ pedigree serve --db sqlite:store.db --key release.pub
  time=2026-11-22T03:41:41.379Z level=INFO msg="pedigree serve: listening" url=http://127.0.0.1:8080 database=sqlite schema=1 reads=open`,
		Args: cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on, HOST:PORT")
	addDBFlag(cmd, &db)
	fl.BoolVar(&readToken, "read-token-required", false, "require a token for reads too (everything but /healthz)")
	fl.Int64Var(&maxBody, "max-body", server.DefaultMaxBodySize, "largest request body accepted, in bytes")
	fl.DurationVar(&shutdownTimeout, "shutdown-timeout", server.DefaultTimeouts.Shutdown, "how long to wait for requests in flight on SIGINT or SIGTERM")
	addTrustFlags(cmd, f)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		pol, err := f.trustPolicy()
		if err != nil {
			return err
		}
		if len(f.keys) == 0 && pol.Identity == nil && pol.Publisher == nil && pol.Provenance.IsZero() {
			return usageError("serve: give a trust configuration: --key for key-signed attestations, or an identity policy (--cert-identity with --cert-oidc-issuer, --publisher, --source-uri or --builder-id); otherwise nothing could be stored")
		}
		if maxBody < 1024 {
			return usageError("serve: --max-body %d: want at least 1024 bytes", maxBody)
		}
		v, err := newVerifier(f)
		if errors.Is(err, errUnusableTrust) {
			return usageError("serve: %v", err)
		}
		if err != nil {
			return err
		}
		pv, err := store.NewPolicyVerifier(v, pol)
		if err != nil {
			return usageError("serve: %v", err)
		}
		log := slog.New(slog.NewTextHandler(a.stderr, nil))
		sdb, err := openDB(a, db)
		if err != nil {
			return err
		}
		defer sdb.Close()
		l, err := net.Listen("tcp", listen)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		opts := []server.Option{server.WithLogger(log), server.WithMaxBodySize(maxBody), server.WithTimeouts(server.Timeouts{Shutdown: shutdownTimeout})}
		reads := "open"
		if readToken {
			opts = append(opts, server.WithReadTokenRequired())
			reads = "token"
		}
		srv := server.New(store.New(sdb, pv), opts...)
		log.Info("pedigree serve: listening", "url", "http://"+l.Addr().String(), "database", sdb.Dialect(), "schema", sqlstore.SchemaVersion(), "reads", reads)
		if err := srv.Serve(a.ctx, l); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if err := sdb.Close(); err != nil {
			return fmt.Errorf("serve: closing the database: %w", err)
		}
		log.Info("pedigree serve: stopped")
		return nil
	}
	cmd.AddCommand(newTokenCmd(a))
	return cmd
}

// addDBFlag registers --db, the store's database, stored in *db, on serve
// and its token commands; openDB opens it.
func addDBFlag(cmd *cobra.Command, db *string) {
	cmd.Flags().StringVar(db, "db", defaultDB, "database: sqlite:PATH or postgres://USER@HOST:PORT/DB")
}

// openDB opens the store's database; a malformed --db is a usage error.
func openDB(a *app, dsn string) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(a.ctx, dsn)
	if errors.Is(err, sqlstore.ErrDSN) {
		return nil, usageError("--db: %v", err)
	}
	return db, err
}

func newTokenCmd(a *app) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke the store's write tokens",
	}, newTokenCreateCmd(a), newTokenListCmd(a), newTokenRevokeCmd(a))
}

func newTokenCreateCmd(a *app) *cobra.Command {
	var db, name string
	cmd := &cobra.Command{
		Use:   "create --name NAME [--db DSN]",
		Short: "Create a write token and print it, once (last line)",
		Long: `create makes a random token (32 bytes), stores only its SHA-256 in the
database and prints the token on the last line of its output. It is never
shown again: give it to the client (pedigree push reads it from
$` + storeTokenEnv + `).`,
		Example: `  $ pedigree serve token create --db sqlite:store.db --name ci
  token "ci" created; it is shown only now, keep it secret:
  pdg_3AiZbUBt2b8IjfJAd92krXIwZ75IABSjbCjUJgL_bmo`,
		Args: cobra.NoArgs,
	}
	addDBFlag(cmd, &db)
	cmd.Flags().StringVar(&name, "name", "", "the token's name, e.g. the CI system using it (required)")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := store.ValidateTokenName(name); err != nil {
			return usageError("serve token create: --name: %v", err)
		}
		sdb, err := openDB(a, db)
		if err != nil {
			return err
		}
		defer sdb.Close()
		tok, err := store.New(sdb, nil, store.WithClock(a.now)).CreateToken(a.ctx, name)
		if errors.Is(err, store.ErrTokenExists) {
			return failed(fmt.Errorf("serve token create: %w (revoke it first, or pick another name)", err))
		}
		if err != nil {
			return err
		}
		if format.value == formatJSON {
			return writeJSON(a.stdout, map[string]string{"name": name, "token": tok})
		}
		_, err = fmt.Fprintf(a.stdout, "token %q created; it is shown only now, keep it secret:\n%s\n", name, tok)
		return err
	}
	return cmd
}

func newTokenListCmd(a *app) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "list [--db DSN]",
		Short: "List the tokens by name (never the tokens themselves)",
		Example: `  $ pedigree serve token list --db sqlite:store.db
  ci	2026-11-22T03:41:41Z
  docs	2026-11-22T03:41:41Z`,
		Args: cobra.NoArgs,
	}
	addDBFlag(cmd, &db)
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		sdb, err := openDB(a, db)
		if err != nil {
			return err
		}
		defer sdb.Close()
		toks, err := sdb.Tokens(a.ctx)
		if err != nil {
			return err
		}
		if format.value == formatJSON {
			return writeJSON(a.stdout, toks)
		}
		var b strings.Builder
		for _, t := range toks {
			fmt.Fprintf(&b, "%s\t%s\n", t.Name, t.CreatedAt.Format(time.RFC3339))
		}
		_, err = fmt.Fprint(a.stdout, b.String())
		return err
	}
	return cmd
}

func newTokenRevokeCmd(a *app) *cobra.Command {
	var db, name string
	cmd := &cobra.Command{
		Use:   "revoke --name NAME [--db DSN]",
		Short: "Revoke a token: writes with it are refused from now on",
		Example: `  $ pedigree serve token revoke --db sqlite:store.db --name ci
  token "ci" revoked`,
		Args: cobra.NoArgs,
	}
	addDBFlag(cmd, &db)
	cmd.Flags().StringVar(&name, "name", "", "the token's name (required)")
	format := addFormatFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if name == "" {
			return usageError("serve token revoke: --name is required")
		}
		sdb, err := openDB(a, db)
		if err != nil {
			return err
		}
		defer sdb.Close()
		if err := sdb.DeleteToken(a.ctx, name); errors.Is(err, store.ErrNotFound) {
			return failed(fmt.Errorf("serve token revoke: no token named %q", name))
		} else if err != nil {
			return err
		}
		if format.value == formatJSON {
			return writeJSON(a.stdout, map[string]any{"name": name, "revoked": true})
		}
		_, err = fmt.Fprintf(a.stdout, "token %q revoked\n", name)
		return err
	}
	return cmd
}
