package review

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Usage is the review command's help text.
const Usage = `usage: go run . review (--base PATH | --base-ref REF) [--head PATH | --head-ref REF]
                       [--stack NAME]... [--json] [--out DIR] [--dir DIR]

Compares two plans of each stack, a base and a head, and prints what
'pulumi up' would do to go from one to the other: what it creates, updates,
replaces and deletes, which input forces each replacement and what it
cascades into, the data a change would lose, what 'pulumi up' would stop on
because it is protected, and the change in cost and policy. Markdown for a
pull request, or JSON for tools. No cloud credentials needed.

  --base PATH      the base: a plan JSON file of one stack (go run . plan
                   --stack nz --json > nz.json), or a folder of them named
                   <stack>.json. Plan a head file with --deployed-nodes set
                   to the base's node count, as 'pulumi up' reads it from
                   the state; the ref forms do this themselves
  --base-ref REF   the base: plan every stack file at this git ref (commit,
                   branch, tag) with the program as it is at that ref
  --head PATH      the head, as --base (default: the working tree)
  --head-ref REF   the head at a git ref (default: the working tree)
  --stack NAME     review only this stack (repeatable; default every stack)
  --json           print the review as JSON instead of Markdown
  --out DIR        also write DIR/<stack>.md (one pull-request comment per
                   stack, at most 60,000 characters each) and DIR/review.json
  --dir DIR        the project folder (default .)

Exit status: 0 reviewed, 1 a side could not be read or planned, 2 bad usage.
`

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

// Report is the JSON review: one review per stack.
type Report struct {
	Stacks []*StackReview `json:"stacks"`
}

// Main runs `review` with args (after the subcommand) and returns the exit
// code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var basePath, baseRef, headPath, headRef, out, dir string
	var only list
	var asJSON bool
	fs.StringVar(&basePath, "base", "", "")
	fs.StringVar(&baseRef, "base-ref", "", "")
	fs.StringVar(&headPath, "head", "", "")
	fs.StringVar(&headRef, "head-ref", "", "")
	fs.Var(&only, "stack", "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.StringVar(&out, "out", "", "")
	fs.StringVar(&dir, "dir", ".", "")
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "review: "+format+"\n\n%s", append(a, Usage)...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return 0
		}
		return usage("%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case (basePath == "") == (baseRef == ""):
		return usage("give the base as one of --base PATH or --base-ref REF")
	case headPath != "" && headRef != "":
		return usage("give the head as --head PATH or --head-ref REF, not both")
	}

	side := func(name, path, ref string, deployed Deployed) (*Plans, error) {
		var p *Plans
		var err error
		switch {
		case path != "":
			p, err = ReadPlans(path)
		case ref != "":
			p, err = PlansAtRef(dir, ref, deployed)
		default:
			p, err = PlansOf(dir, deployed)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return p, nil
	}
	// The base is what the stacks have deployed: the head is planned as
	// `pulumi up` would plan it against that state.
	base, err := side("base", basePath, baseRef, nil)
	if err != nil {
		fmt.Fprintf(stderr, "review: %v\n", err)
		return 1
	}
	head, err := side("head", headPath, headRef, NodeCounts(base))
	if err != nil {
		fmt.Fprintf(stderr, "review: %v\n", err)
		return 1
	}
	reviews, err := Review(base, head, only, Options{Today: time.Now().Format(time.DateOnly)})
	if err != nil {
		fmt.Fprintf(stderr, "review: %v\n", err)
		return 1
	}
	if out != "" {
		if err := write(out, reviews); err != nil {
			fmt.Fprintf(stderr, "review: %v\n", err)
			return 1
		}
	}
	if asJSON {
		err = writeJSON(stdout, reviews)
	} else {
		for i, r := range reviews {
			if i > 0 {
				_, _ = io.WriteString(stdout, "\n---\n\n")
			}
			if _, err = io.WriteString(stdout, r.Markdown(0)); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "review: write: %v\n", err)
		return 1
	}
	return 0
}

func writeJSON(w io.Writer, reviews []*StackReview) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Report{Stacks: reviews})
}

// write puts one Markdown comment per stack and the JSON review in dir.
func write(dir string, reviews []*StackReview) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, r := range reviews {
		if err := os.WriteFile(filepath.Join(dir, r.Stack+".md"), []byte(r.Markdown(0)), 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(dir, "review.json"))
	if err != nil {
		return err
	}
	if err := writeJSON(f, reviews); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
