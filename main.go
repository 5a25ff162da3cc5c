// Command edstack is the edstack Pulumi program and its command line.
//
// With no arguments it is the program that `pulumi up` runs: one
// CountryStack built from the selected stack's configuration. With a
// subcommand it is a tool:
//
//	go run . plan --stack nz [--json] [--config key=value]...
//
// plans a stack offline (see package plan), and checks it against the policy
// pack (see package policy); `go run . policy` lists the pack's rules;
// `go run . review` compares two plans for a pull request (see package
// review); `go run . new-country` writes a catalog country's stack file
// (see package newcountry).
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/newcountry"
	"edstack/plan"
	"edstack/policy"
	"edstack/review"
	"edstack/stacks"
)

// projectYAML is Pulumi.yaml: the keys it declares are the keys the program
// accepts, under `pulumi up` as in the plan.
//
//go:embed Pulumi.yaml
var projectYAML []byte

func main() {
	if len(os.Args) < 2 {
		if os.Getenv(pulumi.EnvMonitor) == "" {
			fmt.Fprint(os.Stderr, "edstack: this is the Pulumi program; `pulumi preview` and `pulumi up` run it.\n"+
				"To see what a stack would create without AWS or the Pulumi CLI: go run . plan --stack dev\n\n"+usage)
			os.Exit(2)
		}
		declared, err := stacks.ParseDeclared(projectYAML)
		if err != nil {
			fmt.Fprintf(os.Stderr, "edstack: %v\n", err)
			os.Exit(1)
		}
		pulumi.Run(stacks.Program(declared))
		return
	}
	switch os.Args[1] {
	case "plan":
		os.Exit(plan.Main(os.Args[2:], os.Stdout, os.Stderr))
	case "cost":
		if len(os.Args) > 2 {
			fmt.Fprintf(os.Stderr, "edstack: cost takes no arguments: it compares every stack file in this folder\n")
			os.Exit(2)
		}
		if plan.CompareCost(".", os.Stdout) > 0 {
			os.Exit(1)
		}
	case "new-country":
		os.Exit(newcountry.Main(os.Args[2:], os.Stdout, os.Stderr))
	case "review":
		os.Exit(review.Main(os.Args[2:], os.Stdout, os.Stderr))
	case "policy":
		if err := policy.WriteRules(os.Stdout, policy.Pack()); err != nil {
			fmt.Fprintf(os.Stderr, "edstack: policy: %v\n", err)
			os.Exit(1)
		}
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
  go run . policy           list the policy pack's rules, each with why and how to fix
  go run . cost             every stack's monthly cost estimate, side by side
  go run . review [flags]   what a change does to each stack, for a pull request;
                            'go run . review --help' for flags
  go run . new-country CODE --domain DOMAIN [flags]
                            write and plan the stack file of a catalog country,
                            and list what remains before 'pulumi up';
                            'go run . new-country --help' for flags
`
