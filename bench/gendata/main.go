// Command gendata writes the data bench/run.sh measures with (see
// bench.Generate): big.bin and tree/ below -out, and nothing elsewhere.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pedigree-dev/pedigree/bench"
)

func main() {
	out := flag.String("out", "", "directory to write into (created if missing)")
	bigMiB := flag.Int64("big-mib", 1024, "size of big.bin in MiB (0: none)")
	files := flag.Int("files", 20000, "number of files in tree/ (0: none)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gendata: -out is required")
		os.Exit(2)
	}
	d, err := bench.Generate(*out, *bigMiB<<20, *files)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
	fmt.Printf("big=%s tree=%s files=%d tree_bytes=%d\n", d.Big, d.Tree, d.Files, d.TreeBytes)
}
