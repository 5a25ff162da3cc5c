package plan

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"edstack/policy"
	"edstack/stacks"
)

// Usage is the plan command's help text.
const Usage = `usage: go run . plan [--stack NAME] [--json] [--preview] [--config key=value]... [--deployed-nodes N] [--dir DIR]

Plans a stack offline: runs the edstack program against an in-process mock of
the Pulumi engine, with no AWS account, no Pulumi CLI and no network, and
prints what 'pulumi up' would create.

  --stack NAME        the stack to plan; reads Pulumi.NAME.yaml (default dev)
  --json              print the machine-readable plan
  --preview           show what is unknown before deployment (ids, ARNs,
                      endpoints, and inputs built from them) as [unknown],
                      as 'pulumi preview' does, instead of placeholders
  --config key=value  override a config value for this run (repeatable);
                      a key without a namespace is edstack's
  --deployed-nodes N  the CockroachDB node count the stack has deployed
                      (pulumi stack output cockroachNodes), to check a
                      scale-down here as 'pulumi up' does against the
                      state (default: a stack never deployed)
  --dir DIR           the project folder holding Pulumi.yaml (default .)
`

type overrides []Override

func (o *overrides) String() string { return fmt.Sprint(*o) }
func (o *overrides) Set(s string) error {
	v, err := ParseOverride(s)
	if err != nil {
		return err
	}
	*o = append(*o, v)
	return nil
}

// Main runs `plan` with args (after the subcommand) and returns the exit
// code: 0 planned, 1 the stack does not plan or a mandatory policy fails,
// 2 bad usage.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var opts Options
	var asJSON bool
	var ovr overrides
	fs.StringVar(&opts.Stack, "stack", "dev", "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.BoolVar(&opts.Preview, "preview", false, "")
	fs.Var(&ovr, "config", "")
	fs.StringVar(&opts.Dir, "dir", ".", "")
	fs.IntVar(&opts.DeployedNodes, "deployed-nodes", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return 0
		}
		fmt.Fprintf(stderr, "plan: %v\n\n%s", err, Usage)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plan: unexpected argument %q\n\n%s", fs.Arg(0), Usage)
		return 2
	}
	if opts.DeployedNodes < 0 {
		fmt.Fprintf(stderr, "plan: --deployed-nodes %d: give the deployed node count, 0 or more\n\n%s", opts.DeployedNodes, Usage)
		return 2
	}
	opts.Overrides = ovr

	p, err := Build(opts)
	if err != nil {
		var ce *stacks.ConfigError
		if errors.As(err, &ce) {
			err = ce // as the program put it, without the engine's wrapping
		}
		fmt.Fprintf(stderr, "plan: %s\n", indent(err))
		if ce != nil {
			fmt.Fprintln(stderr, "nothing was planned: fix these in Pulumi."+opts.Stack+".yaml (or with --config) and run again")
		}
		return 1
	}
	if asJSON {
		err = p.WriteJSON(stdout)
	} else {
		err = p.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: write: %v\n", err)
		return 1
	}
	if m := p.Policy.Mandatory(); len(m) > 0 {
		for _, f := range m {
			fmt.Fprintf(stderr, "plan: mandatory policy %s fails: %s\n", f.Rule, f.Message)
		}
		fmt.Fprintf(stderr, "plan: %d mandatory policy violation(s): fix them, or waive each with a reason in %s\n", len(m), policy.WaiversFile)
		return 1
	}
	return 0
}

// indent keeps a multi-line error readable under its "plan:" prefix.
func indent(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "\n  ")
}
