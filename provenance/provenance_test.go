package provenance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	intotoprov "github.com/in-toto/attestation/go/predicates/provenance/v1"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/buildenv/buildenvtest"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/slsa"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sde is the SOURCE_DATE_EPOCH of the tests (2026-01-01T00:00:00Z).
var sde = time.Unix(1767225600, 0).UTC()

func noGit(context.Context, string, ...string) (string, error) { return "", buildenv.ErrNoGit }

// localGit answers like a clean checkout of a GitHub repository.
func localGit(_ context.Context, _ string, args ...string) (string, error) {
	switch strings.Join(args, " ") {
	case "rev-parse --is-inside-work-tree":
		return "true\n", nil
	case "rev-parse --verify -q HEAD":
		return "4a7d1ed414474e4033ac29ccb8653d9b0123abcd\n", nil
	case "symbolic-ref -q HEAD":
		return "refs/heads/main\n", nil
	case "remote":
		return "origin\n", nil
	case "remote get-url origin":
		return "https://github.com/pedigree-dev/pedigree-demo.git\n", nil
	case "status --porcelain":
		return "", nil
	}
	return "", fmt.Errorf("unexpected git %v", args)
}

func context3(t testing.TB) map[string]*buildenv.Context {
	t.Helper()
	out := map[string]*buildenv.Context{}
	for name, opts := range map[string]buildenv.Options{
		"github": {Env: buildenvtest.Env(t, "github.env"), Git: noGit},
		"gitlab": {Env: buildenvtest.Env(t, "gitlab.env"), Git: noGit},
		"local":  {Env: map[string]string{}, Git: localGit, Args: []string{"pedigree", "attest", "dist/"}, GOOS: "linux", GOARCH: "amd64"},
	} {
		c, err := buildenv.Detect(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = c
	}
	return out
}

var demoSubjects = []slsa.ResourceDescriptor{
	{Name: "pedigree_demo-0.1.0-py3-none-any.whl", Digest: digest.Set{"sha256": "4a16299b240e546ac189be73e15a3e764103b9829b79aa467b02acd07ec1a1ad"}},
	{Name: "pedigree_demo-0.1.0.tar.gz", Digest: digest.Set{"sha256": "5f520d65d98235c4dd57892bcbe98d2da5d47dc7c9161014ace7735ec7342da2"}},
}

// TestGenerateContexts generates provenance for the three build contexts
// and checks each statement against a golden file, pedigree's own parser
// and in-toto's Go bindings.
func TestGenerateContexts(t *testing.T) {
	for name, build := range context3(t) {
		t.Run(name, func(t *testing.T) {
			st, payload, err := Generate(Options{
				Subjects: demoSubjects, Build: build, StartedOn: sde, FinishedOn: sde,
				DeriveInvocationID: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			again, payload2, _ := Generate(Options{Subjects: demoSubjects, Build: build, StartedOn: sde, FinishedOn: sde, DeriveInvocationID: true})
			if !bytes.Equal(payload, payload2) || !st.Equal(again) {
				t.Fatal("the same inputs gave different statements")
			}
			canon, err := slsa.Canonical(json.RawMessage(payload))
			if err != nil || !bytes.Equal(canon, payload) {
				t.Fatalf("payload is not RFC 8785 canonical: %v", err)
			}
			checkGolden(t, name+".statement.json", payload)

			parsed, err := slsa.ParseStatement(payload)
			if err != nil {
				t.Fatalf("slsa.ParseStatement: %v", err)
			}
			if !parsed.Equal(st) {
				t.Fatal("parsed statement differs")
			}
			pred, err := parsed.ProvenanceV1()
			if err != nil {
				t.Fatal(err)
			}
			if pred.BuildDefinition.BuildType != build.BuildType || pred.RunDetails.Builder.ID != build.BuilderID {
				t.Fatalf("buildType %q builder %q", pred.BuildDefinition.BuildType, pred.RunDetails.Builder.ID)
			}
			if build.InvocationID != "" && pred.RunDetails.Metadata.InvocationID != build.InvocationID {
				t.Fatalf("invocationId %q, want CI's %q", pred.RunDetails.Metadata.InvocationID, build.InvocationID)
			}
			checkInToto(t, payload)
		})
	}
}

// checkInToto decodes a statement with in-toto's own Go bindings, strictly
// (protojson rejects unknown fields), and runs their validation.
func checkInToto(t *testing.T, payload []byte) {
	t.Helper()
	var st intoto.Statement
	if err := protojson.Unmarshal(payload, &st); err != nil {
		t.Fatalf("in-toto Statement: %v", err)
	}
	if err := st.Validate(); err != nil {
		t.Fatalf("in-toto Statement.Validate: %v", err)
	}
	predJSON, err := protojson.Marshal(st.GetPredicate())
	if err != nil {
		t.Fatal(err)
	}
	var prov intotoprov.Provenance
	if err := protojson.Unmarshal(predJSON, &prov); err != nil {
		t.Fatalf("in-toto Provenance: %v", err)
	}
	if err := prov.Validate(); err != nil {
		t.Fatalf("in-toto Provenance.Validate: %v", err)
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	var pretty bytes.Buffer
	json.Indent(&pretty, got, "", "  ")
	pretty.WriteByte('\n')
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Fatalf("%s differs (run with -update to accept):\n%s", path, pretty.Bytes())
	}
}

func TestGenerateOptions(t *testing.T) {
	build := context3(t)["local"]
	st, _, err := Generate(Options{
		Subjects:             demoSubjects,
		Build:                build,
		BuilderID:            "https://ci.example.com/builders/release",
		BuildType:            "https://example.com/buildtypes/custom/v1",
		InvocationID:         "https://ci.example.com/runs/7",
		ExternalParameters:   map[string]any{"release": "v0.1.0", "command": "make dist"},
		InternalParameters:   map[string]any{"runner": "r1"},
		ResolvedDependencies: []slsa.ResourceDescriptor{{Name: "wheel", URI: "pkg:pypi/wheel@0.43.0", Digest: digest.Set{"sha256": strings.Repeat("a", 64)}}},
		Byproducts:           []slsa.ResourceDescriptor{{Name: "build.log", Digest: digest.Set{"sha256": strings.Repeat("b", 64)}}},
		StartedOn:            sde.Add(1500 * time.Millisecond),
		FinishedOn:           sde.Add(time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.ProvenanceV1()
	if err != nil {
		t.Fatal(err)
	}
	bd, rd := p.BuildDefinition, p.RunDetails
	switch {
	case bd.BuildType != "https://example.com/buildtypes/custom/v1",
		rd.Builder.ID != "https://ci.example.com/builders/release",
		rd.Metadata.InvocationID != "https://ci.example.com/runs/7":
		t.Fatalf("overrides not applied: %+v", p)
	case bd.ExternalParameters["release"] != "v0.1.0", bd.ExternalParameters["command"] != "make dist", bd.ExternalParameters["source"] == nil:
		t.Fatalf("externalParameters %v", bd.ExternalParameters)
	case bd.InternalParameters["runner"] != "r1", bd.InternalParameters["host"] == nil:
		t.Fatalf("internalParameters %v", bd.InternalParameters)
	case len(bd.ResolvedDependencies) != 2 || bd.ResolvedDependencies[1].Name != "wheel":
		t.Fatalf("resolvedDependencies %v (the source first, then the given ones)", bd.ResolvedDependencies)
	case len(rd.Byproducts) != 1:
		t.Fatalf("byproducts %v", rd.Byproducts)
	case !rd.Metadata.StartedOn.Equal(sde.Add(time.Second)) || !rd.Metadata.FinishedOn.Equal(sde.Add(time.Minute)):
		t.Fatalf("times %v %v (want whole seconds)", rd.Metadata.StartedOn, rd.Metadata.FinishedOn)
	}
	// The detected context is left as it was.
	if _, ok := build.ExternalParameters["release"]; ok {
		t.Fatal("Generate changed the build context")
	}
}

func TestInvocationID(t *testing.T) {
	build := context3(t)["local"]
	gen := func(subjects []slsa.ResourceDescriptor, derive bool) string {
		st, _, err := Generate(Options{Subjects: subjects, Build: build, StartedOn: sde, FinishedOn: sde, DeriveInvocationID: derive})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := st.ProvenanceV1()
		return p.RunDetails.Metadata.InvocationID
	}
	a, b := gen(demoSubjects, true), gen(demoSubjects[:1], true)
	if a == b || !strings.HasPrefix(a, "urn:uuid:") || a[23] != '8' {
		t.Fatalf("derived ids %q and %q: want distinct version-8 UUIDs", a, b)
	}
	if a != gen(demoSubjects, true) {
		t.Fatal("derived id not stable")
	}
	r1, r2 := gen(demoSubjects, false), gen(demoSubjects, false)
	if r1 == r2 || r1[23] != '4' {
		t.Fatalf("random ids %q and %q", r1, r2)
	}
}

func TestGenerateErrors(t *testing.T) {
	build := context3(t)["github"]
	sub := func(name, hexDigest string) slsa.ResourceDescriptor {
		return slsa.ResourceDescriptor{Name: name, Digest: digest.Set{"sha256": hexDigest}}
	}
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	tests := []struct {
		name     string
		opts     Options
		wantErr  error
		subjects int
	}{
		{"no subjects", Options{Build: build}, ErrNoSubjects, 0},
		{"no build", Options{Subjects: demoSubjects}, ErrNoBuildContext, 0},
		{"exact duplicate kept once", Options{Build: build, Subjects: []slsa.ResourceDescriptor{sub("x", a), sub("x", a)}}, nil, 1},
		{"conflicting duplicate", Options{Build: build, Subjects: []slsa.ResourceDescriptor{sub("x", a), sub("x", b)}}, ErrDuplicateSubject, 0},
		{"same digest, two names", Options{Build: build, Subjects: []slsa.ResourceDescriptor{sub("x", a), sub("y", a)}}, nil, 2},
		{"bad digest", Options{Build: build, Subjects: []slsa.ResourceDescriptor{sub("x", a[:63])}}, slsa.ErrInvalidDigest, 0},
		{"bad builder id", Options{Build: build, Subjects: demoSubjects, BuilderID: "not a uri"}, slsa.ErrInvalidURI, 0},
		{"unsafe integer parameter", Options{Build: build, Subjects: demoSubjects, ExternalParameters: map[string]any{"n": int64(1)<<60 + 1}}, slsa.ErrCanonical, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, err := Generate(tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(st.Subject) != tt.subjects {
				t.Fatalf("%d subjects, want %d", len(st.Subject), tt.subjects)
			}
		})
	}
}

// TestGenerateSourceLayout: the source parameter says whether
// resolvedDependencies[0] is the source. Without git, a lock's packages
// (even a git one, with a gitCommit) come first and no parameter claims a
// source; with a source, it is first and named; a parameter that would
// name another source, or claim one where there is none, is refused.
func TestGenerateSourceLayout(t *testing.T) {
	const commit = "89abcdef0123456789abcdef0123456789abcdef"
	locked := []slsa.ResourceDescriptor{
		{Name: "lib", URI: "git+https://github.com/other/lib@" + commit, Digest: digest.Set{digest.GitCommit: commit}},
		{Name: "wheel", URI: "pkg:pypi/wheel@0.43.0", Digest: digest.Set{"sha256": strings.Repeat("a", 64)}},
	}
	detect := func(git buildenv.GitFunc) *buildenv.Context {
		c, err := buildenv.Detect(context.Background(), buildenv.Options{Git: git, Args: []string{"pedigree", "attest"}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	noSource := detect(noGit)
	commitOnly := detect(noGit)
	if err := commitOnly.OverrideSource("", commit); err != nil {
		t.Fatal(err)
	}
	inconsistent := detect(localGit)
	delete(inconsistent.ExternalParameters, "source")
	tests := []struct {
		name    string
		build   *buildenv.Context
		ext     map[string]any
		typ     string
		wantErr error
		// wantSource is the source parameter expected (nil: absent) and
		// wantFirst the first dependency's URI.
		wantSource any
		wantFirst  string
	}{
		{"no git: the lock comes first, no source claimed", noSource, nil, "", nil, nil, locked[0].URI},
		{"a commit alone: named by an empty parameter", commitOnly, nil, "", nil, map[string]any{}, ""},
		{"git: the source first", detect(localGit), nil, "", nil,
			map[string]any{"repository": "https://github.com/pedigree-dev/pedigree-demo.git", "ref": "refs/heads/main"},
			"git+https://github.com/pedigree-dev/pedigree-demo.git@refs/heads/main"},
		{"no git: a parameter claiming a source", noSource, map[string]any{"source": "https://github.com/evil/x"}, "", ErrSourceLayout, nil, ""},
		{"git: a parameter naming another source", detect(localGit), map[string]any{"source": map[string]any{"repository": "https://github.com/evil/x"}}, "", ErrSourceLayout, nil, ""},
		{"a context whose source goes unnamed", inconsistent, nil, "", ErrSourceLayout, nil, ""},
		{"another buildType is the caller's to describe", noSource, map[string]any{"source": "x"}, "https://example.com/custom/v1", nil, "x", locked[0].URI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, err := Generate(Options{Subjects: demoSubjects, Build: tt.build, ExternalParameters: tt.ext, BuildType: tt.typ, ResolvedDependencies: locked, DeriveInvocationID: true})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var fe *slsa.FieldError
				if !errors.As(err, &fe) || !strings.HasPrefix(fe.Path, "predicate.buildDefinition.") {
					t.Fatalf("error %v does not name the field", err)
				}
				return
			}
			p, err := st.ProvenanceV1()
			if err != nil {
				t.Fatal(err)
			}
			bd := p.BuildDefinition
			got, ok := bd.ExternalParameters["source"]
			if (tt.wantSource == nil) == ok || (ok && fmt.Sprint(got) != fmt.Sprint(tt.wantSource)) {
				t.Errorf("source parameter %#v (present %v), want %#v", got, ok, tt.wantSource)
			}
			if bd.ResolvedDependencies[0].URI != tt.wantFirst {
				t.Errorf("first dependency %+v, want uri %q", bd.ResolvedDependencies[0], tt.wantFirst)
			}
		})
	}
}

// TestRoundTrip is the library-level story of `keygen → attest --key →
// verify`: generate a key, attest real files, sign, then verify the
// envelope with the public key alone, parse the statement only after that,
// and match the artifacts by digest. Any byte changed in the payload, the
// signature or an artifact must fail.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"pkg-1.0-py3-none-any.whl": []byte("wheel bytes"), "pkg-1.0.tar.gz": []byte("sdist bytes")}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, alg := range keys.Algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			// keygen
			priv, err := keys.Generate(alg)
			if err != nil {
				t.Fatal(err)
			}
			privPEM, _ := keys.MarshalPrivateKeyPEM(priv, nil)
			pubPEM, _ := keys.MarshalPublicKeyPEM(priv.Public())
			// attest --key
			signer, err := keys.ParsePrivateKeyPEM(privPEM, nil)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := digest.ExpandPaths(context.Background(), []string{dir}, digest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, payload, err := Generate(Options{Subjects: FromDigest(ds), Build: context3(t)["local"], StartedOn: sde, FinishedOn: sde, DeriveInvocationID: true})
			if err != nil {
				t.Fatal(err)
			}
			env, err := dsse.Sign(signer, dsse.PayloadTypeInToto, payload, dsse.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			line, _ := json.Marshal(env)

			// verify, from the bytes and the public key only
			pub, err := keys.ParsePublicKeyPEM(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			verify := func(line []byte, artifact []byte) error {
				e, err := dsse.Parse(line)
				if err != nil {
					return err
				}
				body, _, err := e.Verify(pub)
				if err != nil {
					return err
				}
				if e.PayloadType != slsa.PayloadType {
					return fmt.Errorf("payloadType %q", e.PayloadType)
				}
				st, err := slsa.ParseStatement(body)
				if err != nil {
					return err
				}
				sum := sha256.Sum256(artifact)
				if _, ok := st.MatchSubject(digest.Set{"sha256": hex.EncodeToString(sum[:])}); !ok {
					return errors.New("artifact matches no subject")
				}
				return nil
			}
			for name, data := range files {
				if err := verify(line, data); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				changed := append(bytes.Clone(data), 0)
				if verify(line, changed) == nil {
					t.Fatalf("%s: a changed artifact verified", name)
				}
			}
			// Every byte is covered in the dsse package's tamper test; here a
			// spread of positions through the whole statement.
			artifact := files["pkg-1.0.tar.gz"]
			for i := 0; i < len(payload); i += 1 + len(payload)/97 {
				e := *env
				e.Payload = bytes.Clone(payload)
				e.Payload[i] ^= 0x04
				l, _ := json.Marshal(&e)
				if verify(l, artifact) == nil {
					t.Fatalf("payload byte %d changed and still verified", i)
				}
			}
			for i := range env.Signatures[0].Sig {
				e := *env
				e.Signatures = []dsse.Signature{{KeyID: env.Signatures[0].KeyID, Sig: bytes.Clone(env.Signatures[0].Sig)}}
				e.Signatures[0].Sig[i] ^= 0x10
				l, _ := json.Marshal(&e)
				if verify(l, artifact) == nil {
					t.Fatalf("signature byte %d changed and still verified", i)
				}
			}
		})
	}
}

func subjectsN(n int) []slsa.ResourceDescriptor {
	out := make([]slsa.ResourceDescriptor, n)
	for i := range out {
		sum := sha256.Sum256([]byte(fmt.Sprint(i)))
		out[i] = slsa.ResourceDescriptor{
			Name:   fmt.Sprintf("dist/pkg_%05d-1.0.0-py3-none-any.whl", i),
			Digest: digest.Set{"sha256": hex.EncodeToString(sum[:])},
		}
	}
	return out
}

// BenchmarkGenerate10000 measures statement generation for 10,000 subjects
// whose hashes are given (the benchmark), with and without the
// derived invocation id (which canonicalizes twice).
func BenchmarkGenerate10000(b *testing.B) {
	subjects := subjectsN(10_000)
	contexts := context3(b)
	for _, derive := range []bool{false, true} {
		b.Run(fmt.Sprintf("derive=%v", derive), func(b *testing.B) {
			// GitHub's context names an invocation id; a local one does
			// not, so only it derives one.
			opts := Options{Subjects: subjects, Build: contexts["github"], StartedOn: sde, FinishedOn: sde, DeriveInvocationID: derive}
			if derive {
				opts.Build = contexts["local"]
			}
			for b.Loop() {
				if _, _, err := Generate(opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGenerateAndSign10000 adds the one signature (Ed25519 and ECDSA
// P-256) over the 10,000-subject statement.
func BenchmarkGenerateAndSign10000(b *testing.B) {
	subjects := subjectsN(10_000)
	build := context3(b)["github"]
	for _, alg := range []keys.Algorithm{keys.Ed25519, keys.ECDSAP256} {
		signer, err := keys.Generate(alg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(alg), func(b *testing.B) {
			for b.Loop() {
				_, payload, err := Generate(Options{Subjects: subjects, Build: build, StartedOn: sde, FinishedOn: sde})
				if err != nil {
					b.Fatal(err)
				}
				env, err := dsse.Sign(signer, dsse.PayloadTypeInToto, payload, dsse.SignOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
