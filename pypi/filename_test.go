package pypi_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pedigree-dev/pedigree/pypi"
)

func TestParseFilename(t *testing.T) {
	tests := []struct {
		in      string
		want    pypi.Filename
		wantErr error
	}{
		{in: "wheel-0.43.0-py3-none-any.whl", want: pypi.Filename{Kind: pypi.KindWheel, Name: "wheel", NormalizedName: "wheel", Version: "0.43.0",
			PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}, Extension: ".whl"}},
		{in: "pedigree_demo-0.1.0-1-py2.py3-none-any.whl", want: pypi.Filename{Kind: pypi.KindWheel, Name: "pedigree_demo", NormalizedName: "pedigree-demo",
			Version: "0.1.0", Build: "1", PythonTags: []string{"py2", "py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}, Extension: ".whl"}},
		{in: "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", want: pypi.Filename{Kind: pypi.KindWheel, Name: "numpy", NormalizedName: "numpy",
			Version: "2.2.3", PythonTags: []string{"cp312"}, ABITags: []string{"cp312"}, PlatformTags: []string{"manylinux_2_17_x86_64", "manylinux2014_x86_64"}, Extension: ".whl"}},
		{in: "backports.tarfile-1.2.0-py3-none-any.whl", want: pypi.Filename{Kind: pypi.KindWheel, Name: "backports.tarfile", NormalizedName: "backports-tarfile",
			Version: "1.2.0", PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}, Extension: ".whl"}},
		{in: "pedigree_demo-0.1.0.tar.gz", want: pypi.Filename{Kind: pypi.KindSdist, Name: "pedigree_demo", NormalizedName: "pedigree-demo", Version: "0.1.0", Extension: ".tar.gz"}},
		{in: "charset-normalizer-2.0.12.tar.gz", want: pypi.Filename{Kind: pypi.KindSdist, Name: "charset-normalizer", NormalizedName: "charset-normalizer", Version: "2.0.12", Extension: ".tar.gz", Legacy: true}},
		{in: "setuptools-39.2.0.zip", want: pypi.Filename{Kind: pypi.KindSdist, Name: "setuptools", NormalizedName: "setuptools", Version: "39.2.0", Extension: ".zip", Legacy: true}},
		{in: "Django-4.2.tar.gz", want: pypi.Filename{Kind: pypi.KindSdist, Name: "Django", NormalizedName: "django", Version: "4.2", Extension: ".tar.gz", Legacy: true}},
		{in: "python-dateutil-2.8.2.tar.gz", want: pypi.Filename{Kind: pypi.KindSdist, Name: "python-dateutil", NormalizedName: "python-dateutil", Version: "2.8.2", Extension: ".tar.gz", Legacy: true}},
		{in: "wheel-0.43.0-py3-none.whl", wantErr: pypi.ErrFilename},
		{in: "wheel-0.43.0-x-y-py3-none-any.whl", wantErr: pypi.ErrFilename},
		{in: "wheel-0.43.0-build-py3-none-any.whl", wantErr: pypi.ErrFilename},
		{in: "wheel-0.43.0-py3-none-a!y.whl", wantErr: pypi.ErrFilename},
		{in: "-0.43.0-py3-none-any.whl", wantErr: pypi.ErrFilename},
		{in: "dir/wheel-0.43.0-py3-none-any.whl", wantErr: pypi.ErrFilename},
		{in: "wheel.exe", wantErr: pypi.ErrFilename},
		{in: "noversion.tar.gz", wantErr: pypi.ErrFilename},
		{in: "name-with-dash.tar.gz", wantErr: pypi.ErrFilename},
		{in: strings.Repeat("a", 2000) + "-1.0.tar.gz", wantErr: pypi.ErrFilename},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 60)], func(t *testing.T) {
			got, err := pypi.ParseFilename(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Fatalf("String() = %q", s)
			}
		})
	}
}

func TestTags(t *testing.T) {
	f, err := pypi.ParseWheelFilename("x-1-py2.py3-none-macosx_10_9_x86_64.macosx_11_0_arm64.whl")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tag := range f.Tags() {
		got = append(got, tag.String())
	}
	want := []string{"py2-none-macosx_10_9_x86_64", "py2-none-macosx_11_0_arm64", "py3-none-macosx_10_9_x86_64", "py3-none-macosx_11_0_arm64"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tags() = %v", got)
	}
	if f.TagString() != "py2.py3-none-macosx_10_9_x86_64.macosx_11_0_arm64" {
		t.Fatalf("TagString() = %q", f.TagString())
	}
}

func FuzzParseFilename(f *testing.F) {
	for _, s := range []string{"wheel-0.43.0-py3-none-any.whl", "a-1-2-py2.py3-none-any.whl", "charset-normalizer-2.0.12.tar.gz", "x-1.zip", "pedigree_demo-0.1.0.tar.gz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := pypi.ParseFilename(s)
		if err != nil {
			if !errors.Is(err, pypi.ErrFilename) {
				t.Fatalf("error %v does not wrap ErrFilename", err)
			}
			return
		}
		if fn.String() != s {
			t.Fatalf("String() = %q, want %q", fn.String(), s)
		}
		if fn.NormalizedName != pypi.NormalizeName(fn.Name) || fn.Version == "" {
			t.Fatalf("inconsistent %+v", fn)
		}
	})
}
