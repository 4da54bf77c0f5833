package verify

import (
	"fmt"
	"strings"

	"golang.org/x/mod/semver"
)

// normalizeGitURI turns what a user types for --source-uri
// ("github.com/o/r", "https://github.com/o/r", "git+https://github.com/o/r")
// into the git+https form provenance uses.
func normalizeGitURI(s string) string {
	if strings.HasPrefix(s, "git+") {
		return s
	}
	if !strings.Contains(s, "://") {
		return "git+https://" + s
	}
	return "git+" + s
}

// splitGitURI splits "git+https://host/o/r@refs/tags/v1" into the
// repository URI and the ref ("" when there is none).
func splitGitURI(uri string) (repo, ref string, err error) {
	if uri == "" {
		return "", "", fmt.Errorf("empty source URI: %w", ErrMalformedProvenance)
	}
	if !strings.HasPrefix(uri, "git+") {
		return "", "", fmt.Errorf("source URI %q is not a git+ URI: %w", uri, ErrMalformedProvenance)
	}
	repo, ref, _ = strings.Cut(uri, "@")
	return repo, ref, nil
}

// splitRef splits "refs/tags/v1" into ("tags", "v1"); a string that is not
// a full ref gives ("", ref).
func splitRef(ref string) (kind, name string) {
	parts := strings.SplitN(ref, "/", 3)
	if len(parts) < 3 || parts[0] != "refs" {
		return "", ref
	}
	return parts[1], parts[2]
}

// refName returns the tag or branch name of ref, which must be of the given
// kind ("tags" or "heads"); what says otherwise names the ref's real kind.
func refName(ref, kind string) (string, error) {
	k, name := splitRef(ref)
	if k != kind || name == "" {
		return "", fmt.Errorf("ref %q is %s", ref, describeRef(ref))
	}
	return name, nil
}

// describeRef says in words what kind of ref ref is, for error messages.
func describeRef(ref string) string {
	switch k, _ := splitRef(ref); k {
	case "tags":
		return "a tag, not a branch"
	case "heads":
		return "a branch, not a tag"
	case "":
		if ref == "" {
			return "empty"
		}
		return "not a full git ref (refs/heads/... or refs/tags/...)"
	default:
		return "a " + k + " ref, neither a branch nor a tag"
	}
}

// parseBuilderID splits "NAME@REF" into its parts. An ID without "@" is
// accepted only when needRef is false; an "@" with nothing after it, or more
// than one "@", is malformed.
func parseBuilderID(id string, needRef bool) (name, ref string, err error) {
	parts := strings.Split(id, "@")
	switch {
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		return parts[0], parts[1], nil
	case len(parts) == 1 && parts[0] != "" && !needRef:
		return parts[0], "", nil
	case len(parts) == 1 && parts[0] != "":
		return "", "", fmt.Errorf("builder ID %q has no @ref", id)
	default:
		return "", "", fmt.Errorf("builder ID %q is not NAME or NAME@REF", id)
	}
}

// builderMatchesLoose reports whether the builder name@ref (from a verified
// certificate or provenance) matches want, which may omit its ref; a want
// ref "v1.2.3" also matches "refs/tags/v1.2.3".
func builderMatchesLoose(name, ref, want string) error {
	wname, wref, err := parseBuilderID(want, false)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPolicy, err)
	}
	if wname != name {
		return fmt.Errorf("builder %s, want %s: %w", joinBuilder(name, ref), want, ErrBuilderMismatch)
	}
	if wref != "" && wref != ref && "refs/tags/"+wref != ref {
		return fmt.Errorf("builder %s, want %s: %w", joinBuilder(name, ref), want, ErrBuilderMismatch)
	}
	return nil
}

// builderMatchesFull is builderMatchesLoose where the refs must agree too.
func builderMatchesFull(name, ref, want string) error {
	wname, wref, err := parseBuilderID(want, false)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformedProvenance, err)
	}
	if wname != name || (wref != ref && "refs/tags/"+wref != ref) {
		return fmt.Errorf("provenance builder %s, certificate says %s: %w", joinBuilder(name, ref), want, ErrBuilderMismatch)
	}
	return nil
}

func joinBuilder(name, ref string) string {
	if ref == "" {
		return name
	}
	return name + "@" + ref
}

// checkReleaseTag requires ref to be refs/tags/vX.Y.Z: a full semantic
// version without prerelease or build metadata, the only pins at which a
// builder is trusted.
func checkReleaseTag(ref string) error {
	tag, err := refName(ref, "tags")
	if err != nil {
		return fmt.Errorf("builder ref: %v: %w", err, ErrInvalidBuilderRef)
	}
	if !semver.IsValid(tag) || strings.Count(tag, ".") != 2 ||
		semver.Prerelease(tag) != "" || semver.Build(tag) != "" {
		return fmt.Errorf("builder ref %q is not of the form refs/tags/vX.Y.Z: %w", ref, ErrInvalidBuilderRef)
	}
	return nil
}

// CheckVersionedTagPolicy reports whether want is usable as a versioned tag
// policy (a semver prefix such as v1, v1.2 or v1.2.3); the error wraps
// ErrInvalidPolicy.
func CheckVersionedTagPolicy(want string) error {
	if !semver.IsValid(want) {
		return fmt.Errorf("source versioned tag %q is not a semantic version (v1, v1.2, v1.2.3): %w", want, ErrInvalidPolicy)
	}
	return nil
}

// matchVersionedTag applies slsa-verifier's versioned-tag rule: the tag, read
// as semver, must have want's major version, and its minor and patch too
// when want spells them out (v14 and v14.0 match v14.0.3; v14.1 does not
// match v14.2.1). Build metadata is ignored; a prerelease is part of the
// patch and must be equal.
func matchVersionedTag(tag, want string) error {
	if err := CheckVersionedTagPolicy(want); err != nil {
		return err
	}
	canon := semver.Canonical(tag)
	if !semver.IsValid(canon) {
		return fmt.Errorf("source tag %q is not a semantic version: %w", tag, ErrVersionedTagMismatch)
	}
	if semver.Major(canon) != semver.Major(want) {
		return fmt.Errorf("source tag %s is not version %s: %w", tag, want, ErrVersionedTagMismatch)
	}
	core := func(v string) []string { // "v1.2.3-rc.1+b" -> [v1 2 3]
		v = strings.TrimSuffix(v, semver.Build(v))
		v = strings.TrimSuffix(v, semver.Prerelease(v))
		return strings.Split(v, ".")
	}
	wantCore, gotCore := core(want), core(canon)
	for i := 1; i < len(wantCore); i++ {
		if wantCore[i] != gotCore[i] {
			return fmt.Errorf("source tag %s is not version %s: %w", tag, want, ErrVersionedTagMismatch)
		}
	}
	if len(wantCore) == 3 && semver.Prerelease(want) != semver.Prerelease(canon) {
		return fmt.Errorf("source tag %s is not version %s: %w", tag, want, ErrVersionedTagMismatch)
	}
	return nil
}
