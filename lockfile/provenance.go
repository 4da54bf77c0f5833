package lockfile

import (
	"github.com/pedigree-dev/pedigree/digest"
	"github.com/pedigree-dev/pedigree/slsa"
)

// ResolvedDependencies turns a lock into SLSA v1 resolvedDependencies, in
// lock order: one ResourceDescriptor per locked file (name = the file
// name, digest = its hashes, uri = the package URL with a file_name
// qualifier, downloadLocation = the file's URL when the lock has one); one
// per VCS package (uri = "git+URL@commit", digest.gitCommit = the commit
// when the lock resolved one); and one with only the package URL for a
// package the lock pins no file of. The project itself (uv's editable or
// virtual root, and other editable/virtual packages) is left out: it is
// what is being built, not a dependency. It does not fail; hashes were
// validated when the lock was parsed. A descriptor equal to an earlier one
// (a file pdm lists again for a package's extras) is left out.
func ResolvedDependencies(l *Lock) []slsa.ResourceDescriptor {
	var out []slsa.ResourceDescriptor
	seen := map[string]bool{}
	add := func(rd slsa.ResourceDescriptor) {
		key := rd.Name + "\x00" + rd.URI + "\x00" + rd.DownloadLocation
		for _, alg := range rd.Digest.Algorithms() {
			key += "\x00" + alg + "=" + rd.Digest[alg]
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, rd)
		}
	}
	for i := range l.Packages {
		p := &l.Packages[i]
		switch p.Source.Kind {
		case SourceEditable, SourceVirtual:
			continue
		case SourceVCS:
			rd := slsa.ResourceDescriptor{Name: p.Name, URI: p.Source.VCS + "+" + p.Source.URL}
			if p.Source.Commit != "" {
				rd.URI += "@" + p.Source.Commit
				rd.Digest = digest.Set{digest.GitCommit: p.Source.Commit}
			} else if p.Source.Ref != "" {
				rd.URI += "@" + p.Source.Ref
			}
			add(rd)
			continue
		}
		if len(p.Files) == 0 {
			add(slsa.ResourceDescriptor{Name: p.Name, URI: p.PURL()})
			continue
		}
		for _, f := range p.Files {
			rd := slsa.ResourceDescriptor{Name: f.Name, URI: p.FilePURL(f), DownloadLocation: f.URL}
			if len(f.Hashes) > 0 {
				rd.Digest = f.Hashes.Clone()
			}
			if rd.Name == "" {
				rd.Name = p.Name
			}
			add(rd)
		}
	}
	return out
}
