package evidence

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pedigree-dev/pedigree/buildenv"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/dsse"
	"github.com/pedigree-dev/pedigree/internal/atomicfile"
	"github.com/pedigree-dev/pedigree/internal/testshared"
	"github.com/pedigree-dev/pedigree/keys"
	"github.com/pedigree-dev/pedigree/slsa"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testCommit = "4d329c75e7ec1725f7c9ce917a8799d408d06be3"

var testTime = time.Unix(1767225600, 0).UTC()

func demoDir(t testing.TB) string {
	return filepath.Join(testshared.Root(), "examples", "demo")
}

func loadSigner(t testing.TB, name string) crypto.Signer {
	t.Helper()
	data, err := os.ReadFile(keyPath(name) + ".key")
	if err != nil {
		t.Fatal(err)
	}
	s, err := keys.ParsePrivateKeyPEM(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadPublic(t testing.TB, name string) crypto.PublicKey {
	t.Helper()
	data, err := os.ReadFile(keyPath(name) + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	p, err := keys.ParsePublicKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// localBuild is a fixed local build context (no git involved).
func localBuild() *buildenv.Context {
	return &buildenv.Context{
		Platform:  buildenv.Local,
		BuildType: buildenv.BuildTypeLocal,
		BuilderID: buildenv.LocalBuilderID,
		ExternalParameters: map[string]any{
			"command": []any{"pedigree", "evidence", "create"},
			"source":  map[string]any{"repository": "https://github.com/example/demo", "ref": "refs/tags/v0.1.0"},
		},
		InternalParameters: map[string]any{"host": map[string]any{"os": "linux", "arch": "amd64"}},
		Source:             buildenv.Source{Repository: "https://github.com/example/demo", Ref: "refs/tags/v0.1.0", Commit: testCommit},
		ResolvedDependencies: []slsa.ResourceDescriptor{{
			URI: "git+https://github.com/example/demo@refs/tags/v0.1.0", Digest: digest.Set{digest.GitCommit: testCommit},
		}},
	}
}

// signing says which signatures a test bundle carries.
type signing struct {
	name string
	dsse bool
	hmac bool
}

var signings = []signing{
	{"dsse", true, false},
	{"hmac", false, true},
	{"dsse+hmac", true, true},
	{"unsigned", false, false},
}

func createOptions(t testing.TB, out string, s signing) CreateOptions {
	demo := demoDir(t)
	o := CreateOptions{
		Release:     "v0.1.0",
		Subjects:    []string{filepath.Join(demo, "dist", "pedigree_demo-0.1.0-py3-none-any.whl"), filepath.Join(demo, "dist", "pedigree_demo-0.1.0.tar.gz")},
		ProjectPath: demo,
		LockPath:    filepath.Join(demo, "requirements.txt"),
		Build:       localBuild(),
		OutputDir:   out,
		Time:        testTime,
		ToolVersion: "test",
	}
	if s.dsse {
		o.Signer = loadSigner(t, "ed25519")
		o.PublicKeyHint = "testdata/ed25519.pub"
	}
	if s.hmac {
		o.HMACKey = []byte("local-secret")
		o.HMACKeyID = "ci-key"
		o.HMACKeyEnv = "PEDIGREE_HMAC_KEY"
	}
	if !s.dsse && !s.hmac {
		o.AllowUnsigned = true
	}
	return o
}

func verifyOptions(t testing.TB, dir string, s signing) VerifyOptions {
	o := VerifyOptions{Dir: dir}
	if s.dsse {
		o.PublicKeys = []crypto.PublicKey{loadPublic(t, "ed25519")}
	}
	if s.hmac {
		o.HMACKey = []byte("local-secret")
	}
	if !s.dsse && !s.hmac {
		o.AllowUnsigned = true
	}
	return o
}

func create(t testing.TB, s signing) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "evidence", "v0.1.0")
	res, err := Create(context.Background(), createOptions(t, out, s))
	if err != nil {
		t.Fatalf("Create: %v (blockers %v)", err, res)
	}
	return out
}

func mustVerify(t *testing.T, o VerifyOptions) *Report {
	t.Helper()
	r, err := Verify(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCreateVerify(t *testing.T) {
	for _, s := range signings {
		t.Run(s.name, func(t *testing.T) {
			dir := create(t, s)
			r := mustVerify(t, verifyOptions(t, dir, s))
			if !r.OK() {
				t.Fatalf("fresh bundle does not verify: %v", r.Findings)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := []string{FileSummary, FileIndex, FileProvenance, FileCycloneDX, FileSPDX}
			if s.hmac {
				want = append(want, FileHMAC)
			}
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("bundle files %v, want %v", names, want)
			}
			if r.Release != "v0.1.0" || len(r.Subjects) != 2 || r.Files != len(want) {
				t.Errorf("report %+v", r)
			}
			wantVerified := 0
			if s.dsse {
				wantVerified++
			}
			if s.hmac {
				wantVerified++
			}
			if len(r.Verified) != wantVerified {
				t.Errorf("verified %v, want %d signatures", r.Verified, wantVerified)
			}
			// The subject files verify too; another file does not.
			o := verifyOptions(t, dir, s)
			o.Subjects = []string{filepath.Join(demoDir(t), "dist", "pedigree_demo-0.1.0.tar.gz")}
			if r := mustVerify(t, o); !r.OK() {
				t.Errorf("with --subject: %v", r.Findings)
			}
			o.Subjects = []string{filepath.Join(demoDir(t), "pyproject.toml")}
			if r := mustVerify(t, o); r.OK() || r.Findings[0].Code != FindingSubject {
				t.Errorf("a non-subject passed: %v", r.Findings)
			}
		})
	}
}

// TestDeterministic: the same inputs give a byte-identical bundle (Ed25519
// signatures are deterministic).
func TestDeterministic(t *testing.T) {
	s := signing{"dsse+hmac", true, true}
	dir := create(t, s)
	first := readAll(t, dir)
	o := createOptions(t, dir, s)
	o.Force = true
	if _, err := Create(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	second := readAll(t, dir)
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	if len(first) != len(second) {
		t.Errorf("%d files then %d", len(first), len(second))
	}
}

func readAll(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestTamperEveryByte changes one byte of each file in turn, at several
// places, and checks that Verify fails naming that file.
func TestTamperEveryByte(t *testing.T) {
	for _, s := range signings {
		t.Run(s.name, func(t *testing.T) {
			dir := create(t, s)
			files := readAll(t, dir)
			for name, orig := range files {
				for _, at := range []int{0, len(orig) / 3, len(orig) / 2, len(orig) - 2, len(orig) - 1} {
					changed := bytes.Clone(orig)
					changed[at] ^= 0x01
					if err := os.WriteFile(filepath.Join(dir, name), changed, 0o644); err != nil {
						t.Fatal(err)
					}
					r := mustVerify(t, verifyOptions(t, dir, s))
					if r.OK() {
						t.Errorf("%s: byte %d changed, still verifies", name, at)
					} else if !r.has(name) {
						t.Errorf("%s: byte %d changed; findings name other files: %v", name, at, r.Findings)
					}
				}
				if err := os.WriteFile(filepath.Join(dir, name), orig, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if r := mustVerify(t, verifyOptions(t, dir, s)); !r.OK() {
				t.Fatalf("restored bundle: %v", r.Findings)
			}
		})
	}
}

func TestAddedAndRemovedFiles(t *testing.T) {
	s := signing{"dsse", true, false}
	dir := create(t, s)
	extra := filepath.Join(dir, "notes.txt")
	os.WriteFile(extra, []byte("x"), 0o644)
	r := mustVerify(t, verifyOptions(t, dir, s))
	if r.OK() || r.Findings[0].File != "notes.txt" || r.Findings[0].Code != FindingAdded {
		t.Errorf("added file: %v", r.Findings)
	}
	os.Remove(extra)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if r := mustVerify(t, verifyOptions(t, dir, s)); r.OK() || !r.has("sub") {
		t.Errorf("added directory: %v", r.Findings)
	}
	os.Remove(filepath.Join(dir, "sub"))
	for _, name := range []string{FileSummary, FileSPDX, FileProvenance} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		os.Remove(filepath.Join(dir, name))
		if r := mustVerify(t, verifyOptions(t, dir, s)); r.OK() || !r.has(name) {
			t.Errorf("removed %s: %v", name, r.Findings)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	os.Remove(filepath.Join(dir, FileIndex))
	if _, err := Verify(context.Background(), verifyOptions(t, dir, s)); !errors.Is(err, ErrNotEvidence) {
		t.Errorf("no index: %v", err)
	}
}

func TestVerifyKeys(t *testing.T) {
	both := signing{"dsse+hmac", true, true}
	dir := create(t, both)
	tests := []struct {
		name     string
		opts     VerifyOptions
		wantCode string
		wantFile string
	}{
		{"no key", VerifyOptions{Dir: dir}, FindingNoKey, FileProvenance},
		{"no key, allow unsigned", VerifyOptions{Dir: dir, AllowUnsigned: true}, FindingNoKey, FileProvenance},
		{"wrong public key", VerifyOptions{Dir: dir, PublicKeys: []crypto.PublicKey{loadPublic(t, "other")}}, FindingSignature, FileProvenance},
		{"wrong HMAC key", VerifyOptions{Dir: dir, HMACKey: []byte("other")}, FindingSignature, FileHMAC},
		{"right DSSE key only", VerifyOptions{Dir: dir, PublicKeys: []crypto.PublicKey{loadPublic(t, "ed25519")}}, "", ""},
		{"right HMAC key only", VerifyOptions{Dir: dir, HMACKey: []byte("local-secret")}, "", ""},
		{"right DSSE key, wrong HMAC key", VerifyOptions{Dir: dir, PublicKeys: []crypto.PublicKey{loadPublic(t, "ed25519")}, HMACKey: []byte("x")}, FindingSignature, FileHMAC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustVerify(t, tt.opts)
			if tt.wantCode == "" {
				if !r.OK() {
					t.Fatalf("findings %v", r.Findings)
				}
				return
			}
			if !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == tt.wantCode && f.File == tt.wantFile }) {
				t.Fatalf("findings %v, want %s on %s", r.Findings, tt.wantCode, tt.wantFile)
			}
		})
	}
	// Keys given for signatures the bundle lacks.
	dsseOnly := create(t, signing{"dsse", true, false})
	r := mustVerify(t, VerifyOptions{Dir: dsseOnly, PublicKeys: []crypto.PublicKey{loadPublic(t, "ed25519")}, HMACKey: []byte("k")})
	if r.OK() || !r.has(FileHMAC) {
		t.Errorf("HMAC key for a bundle without an envelope: %v", r.Findings)
	}
	unsigned := create(t, signing{"unsigned", false, false})
	r = mustVerify(t, VerifyOptions{Dir: unsigned, PublicKeys: []crypto.PublicKey{loadPublic(t, "ed25519")}})
	if r.OK() || r.Findings[0].Code != FindingSignature {
		t.Errorf("--key on unsigned evidence: %v", r.Findings)
	}
	r = mustVerify(t, VerifyOptions{Dir: unsigned})
	if r.OK() || r.Findings[0].Code != FindingNoKey {
		t.Errorf("unsigned evidence without --allow-unsigned: %v", r.Findings)
	}
}

// TestVerifyStripsSignature: replacing the DSSE lines by the bare
// statements (or deleting the HMAC envelope) is caught.
func TestVerifyStrippedSignatures(t *testing.T) {
	both := signing{"dsse+hmac", true, true}
	dir := create(t, both)
	os.Remove(filepath.Join(dir, FileHMAC))
	r := mustVerify(t, verifyOptions(t, dir, signing{"dsse", true, false}))
	if r.OK() || !r.has(FileHMAC) {
		t.Errorf("HMAC envelope removed: %v", r.Findings)
	}

	// The DSSE envelopes replaced by their payloads: one line, or all.
	s := signing{"dsse", true, false}
	for _, strip := range [][]int{{0}, {1}, {0, 1}} {
		dir := create(t, s)
		p := filepath.Join(dir, FileProvenance)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		for _, i := range strip {
			env, err := dsse.Parse(lines[i])
			if err != nil {
				t.Fatal(err)
			}
			lines[i] = env.Payload
		}
		if err := os.WriteFile(p, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := mustVerify(t, verifyOptions(t, dir, s)); r.OK() || !r.has(FileProvenance) {
			t.Errorf("DSSE envelopes of lines %v stripped: %v", strip, r.Findings)
		}
	}
}

func TestIndexChecks(t *testing.T) {
	s := signing{"unsigned", false, false}
	tests := []struct {
		name   string
		edit   func(string) string
		code   string
		inFile string
	}{
		{"schema version 2", func(s string) string { return strings.Replace(s, `"schemaVersion": 1`, `"schemaVersion": 2`, 1) }, FindingSchemaVersion, FileIndex},
		{"no schema version", func(s string) string { return strings.Replace(s, `"schemaVersion": 1,`, ``, 1) }, FindingMalformed, FileIndex},
		{"escaping path", func(s string) string { return strings.Replace(s, `"path": "SUMMARY.md"`, `"path": "../SUMMARY.md"`, 1) }, FindingUnsafePath, FileIndex},
		{"absolute path", func(s string) string { return strings.Replace(s, `"path": "SUMMARY.md"`, `"path": "/etc/passwd"`, 1) }, FindingUnsafePath, FileIndex},
		{"unknown field", func(s string) string {
			return strings.Replace(s, `"schemaVersion": 1,`, `"schemaVersion": 1, "extra": true,`, 1)
		}, FindingMalformed, FileIndex},
		{"blockers", func(s string) string {
			return strings.Replace(s, `"blockers": []`, `"blockers": [{"code": "signature.missing_key", "message": "x"}]`, 1)
		}, FindingBlockers, FileIndex},
		{"release renamed", func(s string) string { return strings.Replace(s, `"release": "v0.1.0"`, `"release": "v0.1.1"`, 1) }, FindingIndexMismatch, FileIndex},
		{"file dropped from the list", func(s string) string {
			i := strings.Index(s, `    {
      "path": "SUMMARY.md"`)
			j := strings.Index(s[i:], "},\n") + i + 3
			return s[:i] + s[j:]
		}, FindingAdded, FileSummary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := create(t, s)
			p := filepath.Join(dir, FileIndex)
			data, _ := os.ReadFile(p)
			edited := tt.edit(string(data))
			if edited == string(data) {
				t.Fatal("edit changed nothing")
			}
			os.WriteFile(p, []byte(edited), 0o644)
			r := mustVerify(t, verifyOptions(t, dir, s))
			if !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == tt.code && f.File == tt.inFile }) {
				t.Fatalf("findings %v, want %s on %s", r.Findings, tt.code, tt.inFile)
			}
		})
	}
}

func TestBlockers(t *testing.T) {
	demo := demoDir(t)
	whl := filepath.Join(demo, "dist", "pedigree_demo-0.1.0-py3-none-any.whl")
	tests := []struct {
		name  string
		edit  func(*CreateOptions)
		codes []string
	}{
		{"no subjects", func(o *CreateOptions) { o.Subjects = nil }, []string{CodeSubjectsEmpty}},
		{"missing subject", func(o *CreateOptions) { o.Subjects = []string{"./nope/x.whl", whl} }, []string{CodeSubjectMissingPrefix + "nope/x.whl"}},
		{"directory subject", func(o *CreateOptions) { o.Subjects = []string{demo} }, []string{CodeSubjectMissingPrefix + filepath.ToSlash(demo)}},
		{"no key", func(o *CreateOptions) { o.Signer, o.HMACKey, o.AllowUnsigned = nil, nil, false }, []string{CodeMissingKey}},
		{"dpone order", func(o *CreateOptions) {
			o.Subjects = nil
			o.Signer, o.HMACKey, o.AllowUnsigned = nil, nil, false
		}, []string{CodeSubjectsEmpty, CodeMissingKey}},
		{"empty HMAC variable", func(o *CreateOptions) { o.HMACKey = nil; o.HMACKeyEnv = "K" }, []string{CodeMissingKey}},
		{"empty release", func(o *CreateOptions) { o.Release = " " }, []string{CodeReleaseEmpty}},
		{"free-text builder", func(o *CreateOptions) { o.BuilderID = "dpone.local" }, []string{CodeBuilderInvalid}},
		{"bad commit", func(o *CreateOptions) { o.Commit = "abc123" }, []string{CodeSourceInvalid}},
		{"no source", func(o *CreateOptions) { o.Build.Source = buildenv.Source{}; o.Build.ResolvedDependencies = nil }, []string{CodeSourceUnknown}},
		{"no project", func(o *CreateOptions) { o.ProjectPath = t.TempDir() }, []string{CodeProjectMissing}},
		{"no lock", func(o *CreateOptions) { o.LockPath = filepath.Join(t.TempDir(), "uv.lock") }, []string{CodeLockMissing}},
		{"name conflict", func(o *CreateOptions) {
			other := filepath.Join(t.TempDir(), filepath.Base(whl))
			os.WriteFile(other, []byte("different"), 0o644)
			o.Subjects = []string{whl, other}
		}, []string{CodeSubjectNameConflictPrefix + filepath.Base(whl)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			o := createOptions(t, out, signing{"dsse", true, false})
			tt.edit(&o)
			res, err := Create(context.Background(), o)
			if !errors.Is(err, ErrBlocked) {
				t.Fatalf("err = %v, want ErrBlocked", err)
			}
			var codes []string
			for _, b := range res.Blockers {
				codes = append(codes, b.Code)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("blockers %v, want %v", res.Blockers, tt.codes)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("blocked Create wrote %s", out)
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			if len(entries) != 0 {
				t.Errorf("left behind %v", entries)
			}
		})
	}
}

func TestCreateNoOverwrite(t *testing.T) {
	s := signing{"dsse", true, false}
	dir := create(t, s)
	if _, err := Create(context.Background(), createOptions(t, dir, s)); !errors.Is(err, atomicfile.ErrExists) {
		t.Fatalf("second Create: %v, want ErrExists", err)
	}
}

// TestGolden pins the bundle's files for the demo project, created as a
// user in a copy of examples/demo would.
func TestGolden(t *testing.T) {
	s := signing{"dsse+hmac", true, true}
	wd, _ := os.Getwd()
	work := t.TempDir()
	copyTree(t, demoDir(t), work)
	o := createOptions(t, "evidence/v0.1.0", s)
	o.Subjects = []string{"dist/pedigree_demo-0.1.0-py3-none-any.whl", "dist/pedigree_demo-0.1.0.tar.gz"}
	o.ProjectPath, o.LockPath = ".", "requirements.txt"
	o.PublicKeyHint = "release.pub"
	t.Chdir(work)
	if _, err := Create(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileIndex, FileSummary, FileHMAC, FileProvenance} {
		got, err := os.ReadFile(filepath.Join("evidence/v0.1.0", name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join(wd, "testdata", "golden", name)
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			os.WriteFile(golden, got, 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (-update rewrites it):\n%s", name, golden, got)
		}
	}
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// keyPath finds a test key from the package directory, even after a test
// changed the working directory.
func keyPath(name string) string {
	return filepath.Join(testshared.Root(), "evidence", "testdata", name)
}

// TestCreateLeavesBuildAlone: Create applies the source overrides to a copy
// of the build context; the caller's context, its warnings and its nested
// parameters included, is as it was.
func TestCreateLeavesBuildAlone(t *testing.T) {
	// A local build where git found no source: overriding the source
	// withdraws Detect's warning, in the copy only.
	noGit, err := buildenv.Detect(context.Background(), buildenv.Options{Env: map[string]string{}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(noGit.Warnings) != 1 {
		t.Fatalf("no-git build warnings %q, want one", noGit.Warnings)
	}
	for name, build := range map[string]*buildenv.Context{"no git": noGit, "detected source": localBuild()} {
		t.Run(name, func(t *testing.T) {
			before, err := json.Marshal(build)
			if err != nil {
				t.Fatal(err)
			}
			o := createOptions(t, filepath.Join(t.TempDir(), "out"), signing{"dsse", true, false})
			o.Build = build
			o.Repository, o.Commit = "https://github.com/example/other", strings.Repeat("ab", 20)
			if _, err := Create(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			after, _ := json.Marshal(build)
			if !bytes.Equal(before, after) {
				t.Errorf("Create changed the caller's build context:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestIndexNotRegular: an evidence.json that is a symlink or a directory is
// reported as such, not as a file too large to read.
func TestIndexNotRegular(t *testing.T) {
	s := signing{"unsigned", false, false}
	for _, kind := range []string{"symlink", "directory"} {
		dir := create(t, s)
		p := filepath.Join(dir, FileIndex)
		kept := filepath.Join(t.TempDir(), FileIndex)
		if err := os.Rename(p, kept); err != nil {
			t.Fatal(err)
		}
		var err error
		if kind == "symlink" {
			err = os.Symlink(kept, p)
		} else {
			err = os.Mkdir(p, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, verifyOptions(t, dir, s))
		if !slices.ContainsFunc(r.Findings, func(f Finding) bool {
			return f.File == FileIndex && f.Code == FindingMalformed && strings.Contains(f.Message, "not a regular file")
		}) {
			t.Errorf("%s evidence.json: %v", kind, r.Findings)
		}
	}
}

// TestCreateKeepsBuildWarnings: with the source given by flags, a warning
// the build context keeps (a dirty tree) still reaches the result, and the
// "no source" warning the overrides withdrew does not.
func TestCreateKeepsBuildWarnings(t *testing.T) {
	const dirty = "the git working tree has uncommitted changes (recorded as dirty)"
	noGit, err := buildenv.Detect(context.Background(), buildenv.Options{Env: map[string]string{}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	build := noGit.Clone()
	build.Warnings = append(build.Warnings, dirty)
	o := createOptions(t, filepath.Join(t.TempDir(), "out"), signing{"dsse", true, false})
	o.Build = build
	o.Repository, o.Commit = "https://github.com/example/other", strings.Repeat("ab", 20)
	res, err := Create(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Warnings, []string{dirty}) {
		t.Fatalf("warnings %q, want only %q", res.Warnings, dirty)
	}
}
