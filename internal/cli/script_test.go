package cli_test

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pedigree-dev/pedigree/internal/cli"
	"github.com/pedigree-dev/pedigree/internal/testshared"
)

// TestMain lets the testscript stories run "pedigree" as a real process
// built from this test binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pedigree": func() {
			os.Exit(cli.Main(context.Background(), os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs the CLI stories in testdata/script, one user story per
// .txtar file. $SHARED points at ../shared when it exists (scripts needing it
// start with `[!exec:true] skip` style guards via `[!shared] skip`); $EXAMPLES
// at the repository's examples/ folder. Run with -update to rewrite the
// expected output files inside the scripts (cmp stdout golden).
func TestScripts(t *testing.T) {
	root := testshared.Root()
	shared := testshared.Path()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Cmds:                scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", root+"/examples")
			env.Setenv("SHARED", shared)
			env.Setenv("SOURCE_DATE_EPOCH", "1767225600")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				return shared != "", nil
			}
			return false, nil
		},
	})
}
