package cli_test

import "flag"

// update rewrites golden files and testscript expectations.
var update = flag.Bool("update", false, "rewrite golden files")
