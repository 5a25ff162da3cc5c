// Command edstack is the edstack Pulumi program and its command line.
//
// With no arguments it is the program that `pulumi up` runs: one
// CountryStack built from the selected stack's configuration. With a
// subcommand it is a tool:
//
//	go run . plan --stack nz [--json] [--config key=value]...
//
// plans a stack offline (see package plan).
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/plan"
	"edstack/stacks"
)

func main() {
	if len(os.Args) < 2 {
		pulumi.Run(stacks.Program)
		return
	}
	switch os.Args[1] {
	case "plan":
		os.Exit(plan.Main(os.Args[2:], os.Stdout, os.Stderr))
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "edstack: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}

const usage = `usage:
  go run .                  the Pulumi program (run by 'pulumi up' and 'pulumi preview')
  go run . plan [flags]     plan a stack offline; 'go run . plan --help' for flags
`
