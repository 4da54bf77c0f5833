package slsa

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCheckJSONDuplicatesAnySize: a duplicate member is found whether the
// object is small (a list) or large (a map), also when one spelling is
// escaped, and the error names the member's path.
func TestCheckJSONDuplicatesAnySize(t *testing.T) {
	for _, n := range []int{1, 2, 15, 16, 17, 40} {
		for _, dup := range []int{0, n / 2, n - 1} {
			var members []string
			for i := range n {
				members = append(members, fmt.Sprintf(`"m%02d":%d`, i, i))
			}
			ok := "{" + strings.Join(members, ",") + "}"
			if err := checkJSON([]byte(ok), nil, "x"); err != nil {
				t.Fatalf("%d members: %v", n, err)
			}
			// The duplicate spelled with an escape, so only the decoded
			// names are equal.
			name := fmt.Sprintf(`m%02d`, dup)
			bad := "{" + strings.Join(members, ",") + `,"\u006d` + name[1:] + `":0}`
			err := checkJSON([]byte(bad), nil, "x")
			var fe *FieldError
			if !errors.Is(err, ErrMalformed) || !errors.As(err, &fe) || fe.Path != "x."+name || !strings.Contains(err.Error(), "duplicate member") {
				t.Fatalf("%d members, duplicate of %s: %v", n, name, err)
			}
		}
	}
}

// TestCheckJSONErrorPaths: the path of an error deep in the document is
// built only then, and spelled as before: members, quoted members, indexes.
func TestCheckJSONErrorPaths(t *testing.T) {
	tests := []struct{ in, path string }{
		{`{"a":[{"b":{"c d":[1,{"e":tru}]}}]}`, `x.a[0].b["c d"][1].e`},
		{`{"a":[1,2,"\ud800"]}`, `x.a[2]`},
		{`{"a":{"b":1,"b":2}}`, `x.a.b`},
		{`{"a":{"b":1,}}`, `x.a`},
		{`[{"k":"v"},{"k":"v","K":1,"k":3}]`, `x[1].k`},
		{`{"\u0061\n":[0,01]}`, `x["a\n"]`},
	}
	for _, tt := range tests {
		err := checkJSON([]byte(tt.in), nil, "x")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != tt.path {
			t.Errorf("%s: %v, want path %s", tt.in, err, tt.path)
		}
	}
}
