package cli_test

import (
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the extra commands the testscript stories may use.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// flipbyte FILE OFFSET flips the lowest bit of one byte of FILE; a
	// negative OFFSET counts from the end (-1 is the last byte). Running
	// it twice restores the file.
	"flipbyte": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: flipbyte FILE OFFSET")
		}
		path := ts.MkAbs(args[0])
		data, err := os.ReadFile(path)
		ts.Check(err)
		off, err := strconv.Atoi(args[1])
		ts.Check(err)
		if off < 0 {
			off += len(data)
		}
		if off < 0 || off >= len(data) {
			ts.Fatalf("flipbyte: offset %s outside %s (%d bytes)", args[1], args[0], len(data))
		}
		data[off] ^= 0x01
		ts.Check(os.WriteFile(path, data, 0o644))
	},
}
