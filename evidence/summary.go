package evidence

import (
	"fmt"
	"strings"
)

// renderSummary returns SUMMARY.md: the release, its subjects, source and
// commit, builder, dependency counts by scope, signature set-up, the files
// and how to verify, for a person to read.
func renderSummary(p *Predicate) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Release evidence: %s\n\n", mdText(p.Release))
	project := mdText(p.Project.Name)
	if p.Project.Version != "" {
		project += " " + mdText(p.Project.Version)
	}
	b.WriteString("| | |\n|---|---|\n")
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, v) }
	row("Release", mdCode(p.Release))
	row("Project", project)
	row("Source", mdCode(p.Source.Repository))
	if p.Source.Ref != "" {
		row("Ref", mdCode(p.Source.Ref))
	}
	row("Commit", mdCode(p.Source.Commit))
	row("Builder", mdCode(p.Builder.ID))
	row("Build type", mdCode(p.Builder.BuildType))
	row("Created", p.CreatedAt)
	row("Signature", signatureText(p.Signature))

	b.WriteString("\n## Subjects\n\n| file | sha256 | bytes |\n|---|---|---|\n")
	for _, s := range p.Subjects {
		fmt.Fprintf(&b, "| %s | %s | %d |\n", mdCode(s.Name), mdCode(s.SHA256), s.Size)
	}

	d := p.Dependencies
	b.WriteString("\n## Dependencies\n\n")
	if d.Lock == "" {
		fmt.Fprintf(&b, "No lock file: the SBOMs list the project only.\n")
	} else {
		fmt.Fprintf(&b, "From %s (%s): %s: %d runtime, %d dev, %d optional; %d with hashes.\n",
			mdCode(d.Lock), mdText(d.LockFormat), plural(d.Packages, "locked package"), d.Runtime, d.Dev, d.Optional, d.WithHashes)
	}

	b.WriteString("\n## Files\n\n")
	provenance := "SLSA v1 provenance of the subjects and the release-evidence statement"
	if p.Signature.DSSE != nil {
		provenance += ", DSSE-signed"
	} else {
		provenance += ", unsigned"
	}
	files := [][2]string{
		{FileSPDX, "SPDX 2.3 SBOM"},
		{FileCycloneDX, "CycloneDX 1.6 SBOM"},
		{FileProvenance, provenance},
	}
	if p.Signature.HMAC != nil {
		files = append(files, [2]string{FileHMAC, "HMAC-SHA256 envelope over " + FileProvenance})
	}
	files = append(files,
		[2]string{FileIndex, "index: every file with its SHA-256 and size"},
		[2]string{FileSummary, "this summary"})
	for _, f := range files {
		fmt.Fprintf(&b, "- %s: %s\n", mdCode(f[0]), f[1])
	}

	b.WriteString("\n## How to verify\n\n```console\n$ " + p.Verify + "\n```\n")
	return []byte(b.String())
}

func signatureText(s Signature) string {
	var parts []string
	if s.DSSE != nil {
		parts = append(parts, fmt.Sprintf("DSSE, %s key %s", mdText(s.DSSE.Algorithm), mdCode(s.DSSE.KeyID)))
	}
	if s.HMAC != nil {
		parts = append(parts, fmt.Sprintf("HMAC-SHA256, key id %s", mdCode(s.HMAC.KeyID)))
	}
	if len(parts) == 0 {
		return "none (created with --allow-unsigned)"
	}
	return strings.Join(parts, "; ")
}

// mdText makes s safe inside a Markdown table cell: one line, no '|'.
func mdText(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(oneLine(s))
}

// mdCode writes s as inline code that no backtick inside can end early.
func mdCode(s string) string {
	if s == "" {
		return "(none)"
	}
	s = strings.ReplaceAll(oneLine(s), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// oneLine replaces control characters (newlines among them) by spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:=@+-,%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// verifyCommand is the command that re-checks a bundle, as its creator
// would type it.
func verifyCommand(dir, publicKey, hmacEnv string, subjects []Subject, unsigned bool) string {
	parts := []string{"pedigree", "evidence", "verify", shellQuote(dir)}
	if publicKey != "" {
		parts = append(parts, "--key", shellQuote(publicKey))
	}
	if hmacEnv != "" {
		parts = append(parts, "--hmac-key-env", shellQuote(hmacEnv))
	}
	if unsigned {
		parts = append(parts, "--allow-unsigned")
	}
	for _, s := range subjects {
		parts = append(parts, "--subject", shellQuote(s.Path))
	}
	return strings.Join(parts, " ")
}
