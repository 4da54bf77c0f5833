package cli

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pedigree-dev/pedigree/attestation"
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/evidence"
	"github.com/pedigree-dev/pedigree/pspf"
	"github.com/pedigree-dev/pedigree/sigstore"
	"github.com/pedigree-dev/pedigree/slsa"
	"github.com/pedigree-dev/pedigree/verify"
)

// inspectOptions are inspect's flags, passed to every inspector.
type inspectOptions struct {
	format      string
	keys        []crypto.PublicKey
	trustedRoot string
	hmacKey     []byte
}

// matchEvidenceDir matches a pedigree or dpone evidence folder.
func matchEvidenceDir(path string, isDir bool, head []byte) bool {
	if !isDir {
		return false
	}
	for _, name := range []string{evidence.FileIndex, evidence.FileDponeIndex} {
		if fi, err := os.Stat(filepath.Join(path, name)); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// matchJSON matches a file that starts like JSON: attestations of every
// format, .intoto.jsonl, PSPF records.
func matchJSON(path string, isDir bool, head []byte) bool {
	return !isDir && startsLikeJSONObject(head)
}

// inspectedItem is the JSON form of one attestation inspect read.
type inspectedItem struct {
	Source        string            `json:"source"`
	Format        string            `json:"format"`
	Statement     *statementSummary `json:"statement,omitempty"`
	MessageDigest digest.Set        `json:"messageDigest,omitempty"`
	KeyIDs        []string          `json:"keyIds,omitempty"`
	Signer        *signerSummary    `json:"signer,omitempty"`
	Signature     *signatureStatus  `json:"signature"`
	Publisher     any               `json:"publisher,omitempty"`

	rows [][2]string // the text form
}

// statementSummary is what a statement says, unverified unless
// Signature.Status is "verified".
type statementSummary struct {
	Type          string           `json:"_type"`
	PredicateType string           `json:"predicateType"`
	Subjects      []subjectSummary `json:"subjects"`
	Predicate     map[string]any   `json:"predicate,omitempty"`
}

type subjectSummary struct {
	Name   string     `json:"name,omitempty"`
	URI    string     `json:"uri,omitempty"`
	Digest digest.Set `json:"digest,omitempty"`
}

// signerSummary is the identity in a signing certificate, read without
// verifying the certificate (verification confirms it).
type signerSummary struct {
	Identity   string `json:"identity"`
	Issuer     string `json:"issuer,omitempty"`
	Repository string `json:"repository,omitempty"`
	Ref        string `json:"ref,omitempty"`
	Workflow   string `json:"workflow,omitempty"`
	Run        string `json:"run,omitempty"`
	CA         string `json:"ca,omitempty"`
	NotBefore  string `json:"notBefore,omitempty"`
}

// signatureStatus says whether the signature was checked and how it went.
type signatureStatus struct {
	Status string `json:"status"` // verified, failed, not-checked, unsigned
	Detail string `json:"detail,omitempty"`
}

func inspectJSON(a *app, path string, o inspectOptions) error {
	data, err := readFileLimited(path, attestation.MaxFileSize)
	if err != nil {
		return err
	}
	items, perr := attestation.Parse(data, path)
	if perr == nil {
		return inspectAttestations(a, path, items, o)
	}
	if !errors.Is(perr, attestation.ErrUnknownFormat) {
		return failed(perr)
	}
	// Not an attestation: a PSPF record or slot, or an evidence index?
	if rec, err := pspf.ParseRecord(data); err == nil {
		return inspectPSPF(a, path, "PSPF provenance record (flavor)", rec, o)
	}
	if rec, _, err := pspf.ParseSlot(data); err == nil {
		return inspectPSPF(a, path, "PSPF attestation slot (flavor)", rec, o)
	}
	if _, err := evidence.ParseIndex(data); err == nil || errors.Is(err, evidence.ErrSchemaVersion) {
		return usageError("%s is an evidence index: inspect its folder (%s)", path, filepath.Dir(path))
	}
	return usageError("inspect: %v", perr)
}

func inspectAttestations(a *app, path string, items []attestation.Item, o inspectOptions) error {
	var verifier *sigstore.Verifier
	if len(o.keys) > 0 || o.trustedRoot != "" {
		var opts []sigstore.Option
		if o.trustedRoot != "" {
			tr, err := sigstore.LoadTrustedRoot(o.trustedRoot)
			switch {
			case err != nil && isIOError(err):
				return fmt.Errorf("--trusted-root: %w", err)
			case err != nil:
				return usageError("--trusted-root: %v", err)
			}
			opts = append(opts, sigstore.WithTrustedRoot(tr))
		}
		if len(o.keys) > 0 {
			opts = append(opts, sigstore.WithPublicKeys(o.keys...))
		}
		v, err := sigstore.NewVerifier(opts...)
		if err != nil {
			return usageError("%v", err)
		}
		verifier = v
	}
	var out []*inspectedItem
	anyFailed := false
	for _, it := range items {
		ii := describeItem(it)
		switch {
		case it.Statement != nil:
			ii.Signature = &signatureStatus{Status: "unsigned"}
		case verifier == nil:
			ii.Signature = &signatureStatus{Status: "not-checked", Detail: "give --key or --trusted-root to check it"}
		default:
			res, err := attestation.Verify(verifier, it, sigstore.VerifyOptions{})
			if err != nil {
				ii.Signature = &signatureStatus{Status: "failed", Detail: err.Error()}
				anyFailed = true
				break
			}
			detail := ""
			switch {
			case res.Signer.KeyID != "":
				detail = "key " + res.Signer.KeyID
			case res.Signer.Certificate != nil:
				detail = "certificate for " + res.Signer.Certificate.SubjectAlternativeName + " (issuer " + res.Signer.Certificate.Issuer + ")"
			}
			if len(res.Timestamps) > 0 {
				detail += ", signed " + res.Timestamps[0].UTC().Format("2006-01-02T15:04:05Z")
			}
			ii.Signature = &signatureStatus{Status: "verified", Detail: detail}
		}
		out = append(out, ii)
	}
	if o.format == formatJSON {
		if err := writeJSON(a.stdout, struct {
			Path         string           `json:"path"`
			Attestations []*inspectedItem `json:"attestations"`
		}{path, out}); err != nil {
			return err
		}
	} else {
		r := newRows(a.stdout)
		for i, ii := range out {
			if i > 0 {
				r.line("")
			}
			r.line("%s: %s", ii.Source, formatName(attestation.Format(ii.Format)))
			for _, kv := range ii.rows {
				r.add(kv[0], kv[1])
			}
			sig := ii.Signature.Status
			if ii.Signature.Detail != "" {
				sig += ": " + ii.Signature.Detail
			}
			r.add("signature", sig)
		}
		if err := r.flush(); err != nil {
			return err
		}
	}
	if anyFailed {
		return silentFailure()
	}
	return nil
}

func formatName(f attestation.Format) string {
	switch f {
	case attestation.FormatDSSE:
		return "DSSE envelope"
	case attestation.FormatBundle:
		return "Sigstore bundle"
	case attestation.FormatPEP740Attestation:
		return "PEP 740 attestation"
	case attestation.FormatPEP740Provenance:
		return "PEP 740 provenance (one attestation)"
	case attestation.FormatGitHub:
		return "GitHub attestation"
	case attestation.FormatStatement:
		return "in-toto statement (unsigned)"
	}
	return string(f)
}

// describeItem reads what an attestation says, without verifying it.
func describeItem(it attestation.Item) *inspectedItem {
	ii := &inspectedItem{Source: it.Source, Format: string(it.Format)}
	row := func(k, v string) { ii.rows = append(ii.rows, [2]string{k, v}) }
	if it.Bundle != nil {
		row("bundle", it.Bundle.MediaType())
	}
	env := it.Envelope
	if env == nil && it.Bundle != nil {
		env = it.Bundle.UnverifiedEnvelope()
	}
	if env != nil {
		for _, s := range env.Signatures {
			if s.KeyID != "" {
				ii.KeyIDs = append(ii.KeyIDs, s.KeyID)
			}
		}
	}
	if it.Bundle != nil {
		if hint := it.Bundle.KeyHint(); hint != "" {
			ii.KeyIDs = append(ii.KeyIDs, hint)
		}
		ii.Signer = certificateSigner(it.Bundle)
		if d := it.Bundle.UnverifiedMessageDigest(); d != nil {
			ii.MessageDigest = d
			for _, alg := range d.Algorithms() {
				row("signs", alg+":"+d[alg]+" (a message signature, no statement)")
			}
		}
	}
	if it.Publisher != nil {
		ii.Publisher = it.Publisher
	}
	if s := ii.Signer; s != nil {
		row("signer", s.Identity+" (from the certificate)")
		if s.Issuer != "" {
			row("oidc issuer", s.Issuer)
		}
		if s.Repository != "" {
			row("cert source", strings.TrimSpace(s.Repository+" "+s.Ref))
		}
		if s.Workflow != "" {
			row("cert workflow", s.Workflow)
		}
	}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ii.KeyIDs))) {
		row("key id", id)
	}
	payload := unverifiedPayload(it)
	if payload == nil {
		return ii
	}
	st, err := slsa.DecodeStatement(payload)
	if err != nil {
		row("statement", "unreadable: "+err.Error())
		return ii
	}
	sum := &statementSummary{Type: st.Type, PredicateType: st.PredicateType}
	for _, s := range st.Subject {
		sum.Subjects = append(sum.Subjects, subjectSummary{Name: s.Name, URI: s.URI, Digest: s.Digest})
	}
	ii.Statement = sum
	row("predicateType", st.PredicateType)
	for i, s := range st.Subject {
		k := ""
		if i == 0 {
			k = fmt.Sprintf("subjects (%d)", len(st.Subject))
		}
		if i == 10 && len(st.Subject) > 11 {
			row("", fmt.Sprintf("... %d more", len(st.Subject)-10))
			break
		}
		row(k, describeResource(s))
	}
	if err := st.Validate(); err != nil {
		row("valid", "NO: "+err.Error())
	}
	sum.Predicate = predicateRows(st, row)
	return ii
}

// predicateRows adds the rows that summarize a statement's predicate and
// returns the same summary for JSON.
func predicateRows(st *slsa.Statement, row func(k, v string)) map[string]any {
	out := map[string]any{}
	set := func(k, v string) {
		if v != "" {
			row(k, v)
			out[k] = v
		}
	}
	pt := slsa.TypeURI(st.PredicateType)
	switch {
	case pt.Equal(slsa.PredicateProvenanceV1):
		var p slsa.ProvenanceV1
		if json.Unmarshal(st.Predicate, &p) != nil {
			return out
		}
		bd, rd := p.BuildDefinition, p.RunDetails
		set("builder", rd.Builder.ID)
		set("buildType", bd.BuildType)
		src, commit := sourceOf(bd.ResolvedDependencies)
		if bt := bd.BuildType; bt == verify.BuildTypePedigreeLocal || bt == verify.BuildTypePedigreeGitLab {
			// pedigree's buildTypes say where the source is (a lock's git
			// package may come first when none is recorded): read it as
			// verify does.
			src, commit = "", ""
			if p, err := verify.CheckProvenance(st, verify.ProvenanceOptions{}); err == nil {
				src, commit = p.SourceURI, p.SourceCommit
				if src != "" && p.SourceRef != "" {
					src += "@" + p.SourceRef
				}
			}
		}
		set("source", src)
		set("commit", commit)
		for _, k := range []string{"workflow", "source", "pipeline", "command"} {
			if v, ok := bd.ExternalParameters[k]; ok {
				b, _ := json.Marshal(v)
				set("parameter "+k, truncateText(string(b), 160))
			}
		}
		set("dependencies", fmt.Sprintf("%d resolved", len(bd.ResolvedDependencies)))
		if m := rd.Metadata; m != nil {
			set("invocation", m.InvocationID)
			if m.StartedOn != nil {
				set("started", m.StartedOn.UTC().Format("2006-01-02T15:04:05Z"))
			}
			if m.FinishedOn != nil {
				set("finished", m.FinishedOn.UTC().Format("2006-01-02T15:04:05Z"))
			}
		}
	case pt.Equal(slsa.PredicateProvenanceV02):
		var p slsa.ProvenanceV02
		if json.Unmarshal(st.Predicate, &p) != nil {
			return out
		}
		set("builder", p.Builder.ID)
		set("buildType", p.BuildType)
		cs := p.Invocation.ConfigSource
		if cs.URI != "" {
			set("config source", strings.TrimSpace(cs.URI+" "+cs.EntryPoint))
		}
		var deps []slsa.ResourceDescriptor
		for _, m := range p.Materials {
			deps = append(deps, slsa.ResourceDescriptor{URI: m.URI, Digest: m.Digest})
		}
		src, commit := sourceOf(deps)
		set("source", src)
		set("commit", commit)
		set("dependencies", fmt.Sprintf("%d materials", len(p.Materials)))
		if m := p.Metadata; m != nil {
			set("invocation", m.BuildInvocationID)
			if m.BuildFinishedOn != nil {
				set("finished", m.BuildFinishedOn.UTC().Format("2006-01-02T15:04:05Z"))
			}
		}
	case st.PredicateType == evidence.PredicateType:
		var p evidence.Predicate
		if json.Unmarshal(st.Predicate, &p) != nil {
			return out
		}
		set("release", p.Release)
		set("project", strings.TrimSpace(p.Project.Name+" "+p.Project.Version))
		set("source", p.Source.Repository)
		set("commit", p.Source.Commit)
		set("builder", p.Builder.ID)
		set("created", p.CreatedAt)
		set("signed with", describeSignature(p.Signature))
	case st.PredicateType == pspf.PredicateType:
		rec, err := pspf.FromStatement(st)
		if err != nil {
			set("record", "unreadable: "+err.Error())
			return out
		}
		pspfRows(rec, set)
	default:
		var m map[string]json.RawMessage
		if json.Unmarshal(st.Predicate, &m) == nil && len(m) > 0 {
			keys := slices.Sorted(maps.Keys(m))
			row("predicate", "keys: "+strings.Join(keys, ", "))
			out["keys"] = keys
		} else {
			row("predicate", "(none)")
		}
	}
	return out
}

// sourceOf returns the first git dependency and its commit.
func sourceOf(deps []slsa.ResourceDescriptor) (string, string) {
	for _, d := range deps {
		if strings.HasPrefix(d.URI, "git+") {
			c := d.Digest[digest.GitCommit]
			if c == "" {
				c = d.Digest[digest.SHA1]
			}
			return d.URI, c
		}
	}
	return "", ""
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func pspfRows(rec *pspf.Record, set func(k, v string)) {
	set("builder", strings.TrimSpace(rec.Builder+" "+rec.BuilderVersion))
	set("built", fmt.Sprintf("%s (source_date_epoch %s)", rec.BuildTimestamp, rec.SourceDateEpoch))
	set("platform", rec.Platform.OS+"/"+rec.Platform.Arch)
	set("python", rec.Python.Implementation+" "+rec.Python.Version)
	set("launcher", strings.TrimSpace(rec.Launcher.Language+" "+rec.Launcher.Version+" "+rec.Launcher.Hash))
	set("reproducible", fmt.Sprint(rec.Reproducible))
	fp := "null (unsigned package)"
	if rec.SigningAttestationKeyFP != nil {
		fp = *rec.SigningAttestationKeyFP
	}
	set("signing key", fp)
}

func inspectPSPF(a *app, path, kind string, rec *pspf.Record, o inspectOptions) error {
	if o.format == formatJSON {
		return writeJSON(a.stdout, struct {
			Path   string       `json:"path"`
			Kind   string       `json:"kind"`
			Record *pspf.Record `json:"record"`
		}{path, kind, rec})
	}
	r := newRows(a.stdout)
	r.line("%s: %s", path, kind)
	pspfRows(rec, r.add)
	return r.flush()
}

// certificateSigner reads the identity in a bundle's signing certificate,
// without verifying it; nil for a key-signed bundle.
func certificateSigner(b *sigstore.Bundle) *signerSummary {
	c, err := b.CertificateUnverified()
	if err != nil {
		return &signerSummary{Identity: "(unreadable certificate: " + err.Error() + ")"}
	}
	if c == nil {
		return nil
	}
	repo, ref := c.SourceRepositoryURI, c.SourceRepositoryRef
	if repo == "" {
		repo, ref = c.GithubWorkflowRepository, c.GithubWorkflowRef
	}
	return &signerSummary{
		Identity:   c.SubjectAlternativeName,
		Issuer:     c.Issuer,
		Repository: repo,
		Ref:        ref,
		Workflow:   c.BuildConfigURI,
		Run:        c.RunInvocationURI,
		CA:         c.CertificateIssuer,
		NotBefore:  c.NotBefore.Format("2006-01-02T15:04:05Z"),
	}
}

// inspectEvidenceDir shows an evidence folder, pedigree's or dpone's; with
// a key it verifies it.
func inspectEvidenceDir(a *app, path string, o inspectOptions) error {
	var rep *evidence.Report
	if len(o.keys) > 0 || len(o.hmacKey) > 0 {
		r, err := evidence.Verify(a.ctx, evidence.VerifyOptions{Dir: path, PublicKeys: o.keys, HMACKey: o.hmacKey})
		if err != nil {
			return err
		}
		rep = r
	}
	data, err := readFileLimited(filepath.Join(path, evidence.FileIndex), evidence.MaxIndexSize)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return inspectDponeDir(a, path, o, rep)
	}
	ix, err := evidence.ParseIndex(data)
	if err != nil {
		return failed(fmt.Errorf("%s: %w", filepath.Join(path, evidence.FileIndex), err))
	}
	folder := inspectedFolder{
		path: path, kind: "pedigree evidence folder", index: ix, verification: rep,
		header:    fmt.Sprintf("pedigree evidence folder (schema %d)", ix.SchemaVersion),
		unchecked: "give --key or --hmac-key-env",
	}
	return folder.write(a, o, func(r rows, status string) {
		r.add("release", ix.Release)
		r.add("project", strings.TrimSpace(ix.Project.Name+" "+ix.Project.Version))
		r.add("source", ix.Source.Repository)
		r.add("commit", ix.Source.Commit)
		r.add("builder", ix.Builder.ID)
		r.add("created", ix.CreatedAt)
		subjects := make([]string, len(ix.Subjects))
		for i, s := range ix.Subjects {
			subjects[i] = fmt.Sprintf("%s sha256:%s", s.Name, s.SHA256)
		}
		r.list(fmt.Sprintf("subjects (%d)", len(ix.Subjects)), subjects)
		d := ix.Dependencies
		if d.Lock != "" {
			r.add("dependencies", fmt.Sprintf("%s from %s: %d runtime, %d dev, %d optional", plural(d.Packages, "package", "packages"), d.Lock, d.Runtime, d.Dev, d.Optional))
		}
		r.add("files", fmt.Sprintf("%d listed", len(ix.Files)))
		r.add("signed with", describeSignature(ix.Signature))
		r.add("signature", status)
		r.add("verify with", ix.Verify)
	})
}

func inspectDponeDir(a *app, path string, o inspectOptions, rep *evidence.Report) error {
	data, err := readFileLimited(filepath.Join(path, evidence.FileDponeIndex), evidence.MaxIndexSize)
	if err != nil {
		return err
	}
	ix, err := evidence.ParseDponeIndex(data)
	if err != nil {
		return failed(fmt.Errorf("%s: not a dpone %s: %v", path, evidence.FileDponeIndex, err))
	}
	folder := inspectedFolder{
		path: path, kind: "dpone evidence folder", index: json.RawMessage(data), verification: rep,
		header:    "dpone evidence folder (supply-chain attest)",
		unchecked: "give --hmac-key-env",
	}
	return folder.write(a, o, func(r rows, status string) {
		r.add("release", ix.Release)
		r.add("passed", fmt.Sprint(ix.Passed != nil && *ix.Passed))
		if len(ix.Blockers) > 0 {
			r.add("blockers", strings.Join(ix.Blockers, ", "))
		}
		artifacts := make([]string, len(ix.Artifacts))
		for i, art := range ix.Artifacts {
			artifacts[i] = fmt.Sprintf("%s %s sha256:%s", art.Name, filepath.Base(art.Path), art.SHA256)
		}
		r.list("artifacts", artifacts)
		r.add("signature", status)
	})
}

// inspectedFolder is an evidence folder as inspect shows it.
type inspectedFolder struct {
	path, kind   string
	header       string // the text form's first line, after the path
	index        any    // the folder's index, for JSON
	verification *evidence.Report
	unchecked    string // how to have the folder verified
}

// write prints the folder as JSON (path, kind, index, verification) or
// as the header and the rows addRows adds, given the verification status.
// It returns silentFailure() when the verification ran and failed.
func (f inspectedFolder) write(a *app, o inspectOptions, addRows func(r rows, status string)) error {
	rep := f.verification
	if o.format == formatJSON {
		if err := writeJSON(a.stdout, struct {
			Path         string           `json:"path"`
			Kind         string           `json:"kind"`
			Index        any              `json:"index"`
			Verification *evidence.Report `json:"verification,omitempty"`
		}{f.path, f.kind, f.index, rep}); err != nil {
			return err
		}
	} else {
		status := "not checked (" + f.unchecked + ")"
		switch {
		case rep != nil && rep.OK():
			status = "verified: " + strings.Join(rep.Verified, "; ")
		case rep != nil:
			status = fmt.Sprintf("FAILED: %s, first %s", plural(len(rep.Findings), "problem", "problems"), rep.Findings[0])
		}
		r := newRows(a.stdout)
		r.line("%s: %s", f.path, f.header)
		addRows(r, status)
		if err := r.flush(); err != nil {
			return err
		}
	}
	if rep != nil && !rep.OK() {
		return silentFailure()
	}
	return nil
}
