package lockfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/lockfile"
)

func TestRequirementsIncludes(t *testing.T) {
	l, err := lockfile.ParseFile("testdata/requirements/main.txt", lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Err(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range l.Packages {
		names = append(names, p.NormalizedName+"=="+p.Version)
	}
	want := []string{"certifi==2024.8.30", "idna==3.10", "wheel==0.43.0", "requests==2.32.3", "pedigree-demo==0.1.0", "attrs==25.1.0"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("packages %v, want %v", names, want)
	}
	wantIncludes := []string{
		filepath.Join("testdata", "requirements", "sub", "more.txt"),
		filepath.Join("testdata", "requirements", "leaf.txt"),
		filepath.Join("testdata", "requirements", "constraints.txt"),
	}
	if !l.HashChecking || !reflect.DeepEqual(l.Includes, wantIncludes) || len(l.Constraints) != 1 || l.Constraints[0].Specifier != "<3" {
		t.Fatalf("hash checking %v, includes %v, constraints %+v", l.HashChecking, l.Includes, l.Constraints)
	}
	if !reflect.DeepEqual(l.Indexes, []string{"https://pypi.example.com/simple", "https://pypi.org/simple"}) {
		t.Fatalf("indexes %v", l.Indexes)
	}
	wheel := l.Packages[2]
	if wheel.Name != "Wheel" || len(wheel.Files) != 2 ||
		wheel.Files[1].Hashes["sha512"] != "ecf6bfa0b33960f6b709268e583feab18311f0e30c58c30ec24093a24175c59e79a624fcf758819bac3f02107cca8f00137652073208780e764bea2ba2841451" ||
		wheel.Location != filepath.Join("testdata", "requirements", "main.txt")+":7" {
		t.Fatalf("wheel %+v", wheel)
	}
	req := l.Packages[3]
	if !reflect.DeepEqual(req.Extras, []string{"security", "socks"}) || req.Markers != `python_version >= "3.8"` {
		t.Fatalf("requests %+v", req)
	}
	attrs := l.Packages[5]
	if attrs.Source.Kind != lockfile.SourceURL || attrs.Files[0].Name != "attrs-25.1.0-py3-none-any.whl" ||
		attrs.Files[0].Hashes["sha256"] != "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a" || attrs.Markers != `sys_platform == "linux"` {
		t.Fatalf("attrs %+v", attrs)
	}
	if got := l.Packages[4].PURL(); got != "pkg:pypi/pedigree-demo@0.1.0" {
		t.Fatalf("PURL %q", got)
	}
}

// TestParseDoesNotFollowIncludes: Parse reads one file; includes are
// listed and reported.
func TestParseDoesNotFollowIncludes(t *testing.T) {
	data, err := os.ReadFile("testdata/requirements/main.txt")
	if err != nil {
		t.Fatal(err)
	}
	l, err := lockfile.Parse("main.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.Includes, []string{"sub/more.txt", "constraints.txt"}) || len(l.Problems) != 2 || !errors.Is(l.Err(), lockfile.ErrInclude) {
		t.Fatalf("includes %v, problems %v", l.Includes, l.Err())
	}
}

func TestRequirementsSources(t *testing.T) {
	l, err := lockfile.ParseFile("testdata/requirements/plain.txt", lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.HashChecking || len(l.Problems) != 1 || !errors.Is(l.Err(), lockfile.ErrInclude) {
		t.Fatalf("hash checking %v, problems %v", l.HashChecking, l.Err())
	}
	want := []struct {
		name string
		src  lockfile.Source
	}{
		{"flask", lockfile.Source{Kind: lockfile.SourceIndex}},
		{"click", lockfile.Source{Kind: lockfile.SourceEditable, VCS: "git", URL: "https://github.com/pallets/click.git",
			Ref: "8f2b2a6a7f3a0a7d61d2e3b4c5d6e7f8091a2b3c", Commit: "8f2b2a6a7f3a0a7d61d2e3b4c5d6e7f8091a2b3c"}},
		{"project", lockfile.Source{Kind: lockfile.SourceEditable, Path: "./local/project"}},
		// ${VAR} is left as written, as pip would without the variable set.
		{"thing", lockfile.Source{Kind: lockfile.SourceEditable, Path: "${PROJECT_DIR}/thing"}},
		{"packaging", lockfile.Source{Kind: lockfile.SourceVCS, VCS: "git", URL: "https://github.com/pypa/packaging", Ref: "24.0"}},
		{"pedigree_demo", lockfile.Source{Kind: lockfile.SourcePath, Path: "./dist/pedigree_demo-0.1.0-py3-none-any.whl"}},
	}
	if len(l.Packages) != len(want) {
		t.Fatalf("%d packages, want %d", len(l.Packages), len(want))
	}
	for i, w := range want {
		if p := l.Packages[i]; p.Name != w.name || p.Source != w.src {
			t.Errorf("package[%d] = %s %+v, want %s %+v", i, p.Name, p.Source, w.name, w.src)
		}
	}
}

const h1 = "55c570405f142630c6b9f72fe09d9b67cf1477fcf543ae5b8dcb1f5b7377da81"

func TestRequirementsProblems(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		packages int
		want     []error
	}{
		{"clean", "a==1 --hash=sha256:" + h1 + "\n", 1, nil},
		{"unpinned in hash mode", "a==1 --hash=sha256:" + h1 + "\nb>=1 --hash=sha256:" + h1 + "\n", 2, []error{lockfile.ErrUnpinned}},
		{"wildcard is not a pin", "a==1.* --hash=sha256:" + h1 + "\n", 1, []error{lockfile.ErrUnpinned}},
		{"missing hash", "a==1 --hash=sha256:" + h1 + "\nb==1\n", 2, []error{lockfile.ErrMissingHash}},
		{"require-hashes without any", "--require-hashes\nb==1\n", 1, []error{lockfile.ErrMissingHash}},
		{"editable in hash mode", "a==1 --hash=sha256:" + h1 + "\n-e ./x\n", 2, []error{lockfile.ErrNotHashable}},
		{"vcs in hash mode", "a==1 --hash=sha256:" + h1 + "\nb @ git+https://h/r@v1\n", 2, []error{lockfile.ErrNotHashable}},
		{"url needs a hash too", "a==1 --hash=sha256:" + h1 + "\nb @ https://h/b-1.tar.gz\n", 2, []error{lockfile.ErrMissingHash}},
		{"md5 not for --hash", "a==1 --hash=md5:" + h1[:32] + "\n", 1, []error{lockfile.ErrHash}},
		{"short hash", "a==1 --hash=sha256:abc\n", 1, []error{lockfile.ErrHash}},
		{"unknown option", "--requirements other.txt\n", 0, []error{lockfile.ErrSyntax}},
		{"ambiguous option", "--no- x\n", 0, []error{lockfile.ErrSyntax}},
		{"per-requirement option alone", "--hash=sha256:" + h1 + "\n", 0, []error{lockfile.ErrSyntax}},
		{"global option after requirement", "a==1 --index-url https://x\n", 0, []error{lockfile.ErrSyntax}},
		{"invalid requirement", "==2.3.4\n", 0, []error{lockfile.ErrSyntax}},
		{"editable https", "-e https://github.com/pecan/pecan.git\n", 0, []error{lockfile.ErrSyntax}},
		{"url without a name", "https://h/archive/main\n", 0, []error{lockfile.ErrSyntax}},
		{"local directory", "./some/dir\n", 0, []error{lockfile.ErrNotHashable}},
		{"conflicting pins", "a==1\nA==2\n", 2, []error{lockfile.ErrConflict}},
		{"same pin twice is fine", "a==1\nA==1\n", 2, nil},
		{"unclosed quote", "a==1 --config-settings 'x\n", 0, []error{lockfile.ErrSyntax}},
		{"remote include", "-r https://h/r.txt\n", 0, []error{lockfile.ErrInclude}},
		{"option prefix", "--requirem leaf.txt\n", 0, []error{lockfile.ErrInclude}},
		{"ambiguous prefix", "--requ leaf.txt\n", 0, []error{lockfile.ErrSyntax}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lockfile.Parse("r.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Packages) != tt.packages {
				t.Errorf("%d packages, want %d", len(l.Packages), tt.packages)
			}
			if len(tt.want) == 0 && l.Err() != nil {
				t.Fatalf("problems: %v", l.Err())
			}
			for _, w := range tt.want {
				if !errors.Is(l.Err(), w) {
					t.Errorf("problems %v, want %v", l.Err(), w)
				}
			}
			for _, p := range l.Problems {
				if !strings.HasPrefix(p.Location, "r.txt:") {
					t.Errorf("problem location %q", p.Location)
				}
			}
		})
	}
}

func TestIncludeLoop(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "-r b.txt\nx==1\n")
	write("b.txt", "-r a.txt\ny==1\n")
	l, err := lockfile.ParseFile(filepath.Join(dir, "a.txt"), lockfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Packages) != 2 || !errors.Is(l.Err(), lockfile.ErrInclude) {
		t.Fatalf("%d packages, problems %v", len(l.Packages), l.Err())
	}
	write("big.txt", strings.Repeat("# padding\n", 200))
	write("top.txt", "-r big.txt\n")
	if _, err := lockfile.ParseFile(filepath.Join(dir, "top.txt"), lockfile.Options{MaxSize: 1000}); !errors.Is(err, lockfile.ErrTooLarge) {
		t.Fatalf("oversized include: %v", err)
	}
	if _, err := lockfile.ParseFile(filepath.Join(dir, "big.txt"), lockfile.Options{MaxSize: 1000}); !errors.Is(err, lockfile.ErrTooLarge) {
		t.Fatalf("oversized file: %v", err)
	}
	if _, err := lockfile.ParseFile(filepath.Join(dir, "absent.txt"), lockfile.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent file: %v", err)
	}
}

// TestContinuations covers pip's join_lines: a comment line ends a
// continuation; a backslash inside a comment does not continue.
func TestContinuations(t *testing.T) {
	in := "a==1 \\\n    --hash=sha256:" + h1 + "\n" +
		"b==2 \\\n# via x \\\n" +
		"c==3 --hash=sha256:" + h1 + " \\\r\n  --hash=sha256:" + strings.Repeat("0", 64) + "\r\n"
	l, err := lockfile.Parse("r.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Packages) != 3 || len(l.Packages[0].Files) != 1 || len(l.Packages[2].Files) != 2 || l.Packages[2].Location != "r.txt:5" {
		t.Fatalf("got %+v", l.Packages)
	}
	// b has no hash: the only problem.
	if len(l.Problems) != 1 || !errors.Is(l.Err(), lockfile.ErrMissingHash) {
		t.Fatalf("problems %v", l.Err())
	}
}
