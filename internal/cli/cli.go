// Package cli implements the pedigree command line: one file per command,
// flags turned into the library's options, results printed as text or JSON,
// and errors mapped to exit codes.
//
// Nothing in this package reads os.Args, os.Environ, os.Stdout or calls
// os.Exit: Main receives everything from cmd/pedigree, which keeps the
// commands testable in-process (see the testscript stories in testdata/).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Exit codes returned by Main.
const (
	ExitOK       = 0 // everything asked for succeeded / verified
	ExitFailed   = 1 // a verification or check failed
	ExitUsage    = 2 // bad flags or arguments
	ExitInternal = 3 // I/O or internal error
)

// app carries what a command may touch of the outside world.
type app struct {
	ctx    context.Context
	env    map[string]string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time

	// ran is set once a command's RunE starts; errors before that are
	// usage errors (unknown commands and the like).
	ran bool
}

// getenv returns the value of an environment variable passed to Main.
func (a *app) getenv(key string) string { return a.env[key] }

// Main runs the pedigree command line with args (without the program name)
// and the given environment (os.Environ form) and streams. It returns the
// process exit code: ExitOK, ExitFailed, ExitUsage or ExitInternal.
func Main(ctx context.Context, args []string, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{
		ctx:    ctx,
		env:    parseEnviron(environ),
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
		now:    time.Now,
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	var ee *exitError
	if !a.ran && !errors.As(err, &ee) {
		code = ExitUsage
	}
	msg := strings.TrimSpace(err.Error())
	if code == ExitUsage && !strings.Contains(msg, "--help") {
		msg += " (see 'pedigree --help')"
	}
	if msg != "" {
		fmt.Fprintf(stderr, "pedigree: %s\n", firstLine(msg))
	}
	return code
}

func parseEnviron(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		env[k] = v
	}
	return env
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// failed marks err as a verification or check failure (exit 1).
func failed(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitFailed, err: err}
}

// silentFailure is returned by commands that already printed their findings
// and only need the exit code to say a check failed.
func silentFailure() error { return &exitError{code: ExitFailed} }

// usageError reports a wrong flag or argument (exit 2).
func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// exitCode is the code an exitError in err's chain carries, else
// ExitInternal. Cobra's own errors (unknown flags, wrong argument counts)
// are made exitErrors by the root's flag error function and prepare.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitInternal
}
