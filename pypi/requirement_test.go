package pypi_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pedigree-dev/pedigree/pypi"
)

func TestParseRequirement(t *testing.T) {
	tests := []struct {
		in      string
		want    pypi.Requirement
		pinned  string
		wantErr error
	}{
		{in: "wheel>=0.43", want: pypi.Requirement{Name: "wheel", Specifier: ">=0.43"}},
		{in: "flask == 4.0.0", want: pypi.Requirement{Name: "flask", Specifier: "==4.0.0"}, pinned: "4.0.0"},
		{in: "urllib3===1.26.20", want: pypi.Requirement{Name: "urllib3", Specifier: "===1.26.20"}, pinned: "1.26.20"},
		{in: "requests[security] == 2.8.* ; python_version < \"2.7\" and sys_platform == \"linux\"",
			want: pypi.Requirement{Name: "requests", Extras: []string{"security"}, Specifier: "==2.8.*", Marker: `python_version < "2.7" and sys_platform == "linux"`}},
		{in: "celery[redis, pytest] == 4.4.7", want: pypi.Requirement{Name: "celery", Extras: []string{"redis", "pytest"}, Specifier: "==4.4.7"}, pinned: "4.4.7"},
		{in: "sqlalchemy >= 1.0.0, <= 2.0.0, != 3.0.0", want: pypi.Requirement{Name: "sqlalchemy", Specifier: ">=1.0.0,<=2.0.0,!=3.0.0"}},
		{in: "pytest (>=6,!=8.1.*)", want: pypi.Requirement{Name: "pytest", Specifier: ">=6,!=8.1.*"}},
		{in: "cryptography; extra == \"ssh\"", want: pypi.Requirement{Name: "cryptography", Marker: `extra == "ssh"`}},
		{in: "pip @ https://github.com/pypa/pip/archive/22.0.2.zip ; python_version >= '3.8'",
			want: pypi.Requirement{Name: "pip", URL: "https://github.com/pypa/pip/archive/22.0.2.zip", Marker: "python_version >= '3.8'"}},
		{in: "local-version == 1.2.3+gcr.2", want: pypi.Requirement{Name: "local-version", Specifier: "==1.2.3+gcr.2"}, pinned: "1.2.3+gcr.2"},
		{in: "==2.3.4", wantErr: pypi.ErrRequirement},
		{in: "GithubSampleProject == 3.7.1 @ git+https://github.com/owner/repo", wantErr: pypi.ErrRequirement},
		{in: "name[extra", wantErr: pypi.ErrRequirement},
		{in: "name @", wantErr: pypi.ErrRequirement},
		{in: "name >= ", wantErr: pypi.ErrRequirement},
		{in: "name ; (python_version", wantErr: pypi.ErrRequirement},
		{in: "name ; 'unterminated", wantErr: pypi.ErrRequirement},
		{in: "name >=1.0 trailing", wantErr: pypi.ErrRequirement},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := pypi.ParseRequirement(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			if v, ok := got.Pinned(); v != tt.pinned || ok != (tt.pinned != "") {
				t.Fatalf("Pinned() = %q, %v", v, ok)
			}
			again, err := pypi.ParseRequirement(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip through %q: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func FuzzParseRequirement(f *testing.F) {
	for _, s := range []string{"wheel>=0.43", "requests[security]==2.8.*; python_version<'2.7'", "pip @ https://x/y.zip ; os_name=='nt'", "pytest (>=6,!=8.1.*)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := pypi.ParseRequirement(s)
		if err != nil {
			if !errors.Is(err, pypi.ErrRequirement) && !errors.Is(err, pypi.ErrTooLarge) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		again, err := pypi.ParseRequirement(r.String())
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("round trip of %q through %q: %+v, %v", s, r.String(), again, err)
		}
	})
}
