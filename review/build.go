package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"edstack/components/cockroach"
	"edstack/plan"
	"edstack/stacks"
)

// Deployed are the CockroachDB node counts a review takes each stack to
// have deployed, by stack: what `pulumi up` reads from the stack's state,
// where it decides whether the cluster exists and refuses a scale-down
// that would lose replicas. A review takes the base to be what is
// deployed; nil plans each side as deployed with its own nodes.
type Deployed map[string]int

// NodeCounts are the node counts of the plans: one more than the highest
// node whose service a plan holds, as cockroach.DeployedNodes counts them.
func NodeCounts(p *Plans) Deployed {
	out := Deployed{}
	for stack, j := range p.Plans {
		var names []string
		prefix := ""
		for _, r := range j.Resources {
			if isNodeService(&r) {
				names = append(names, r.Name)
				prefix, _, _ = strings.Cut(r.Name, "-crdb-node-")
			}
		}
		out[stack] = cockroach.DeployedNodes(prefix, names)
	}
	return out
}

// PlansOf plans every stack file in dir with this build of the program, as
// `go run . plan --json` would, and reads the plans back from their JSON so
// that both sides of a review are compared in the same form.
func PlansOf(dir string, deployed Deployed) (*Plans, error) {
	out := &Plans{Plans: map[string]*plan.JSON{}, Errors: map[string]string{}}
	names := plan.Stacks(dir)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s has no stack file (Pulumi.<stack>.yaml)", dir)
	}
	for _, s := range names {
		nodes, given := deployed[s]
		if !given && deployed == nil {
			// As deployed with its own nodes: plan once to count them.
			if p, err := plan.Build(plan.Options{Dir: dir, Stack: s}); err == nil {
				if j, err := FromPlan(p); err == nil {
					nodes = NodeCounts(&Plans{Plans: map[string]*plan.JSON{s: j}})[s]
				}
			}
		}
		p, err := plan.Build(plan.Options{Dir: dir, Stack: s, DeployedNodes: nodes})
		if err != nil {
			var ce *stacks.ConfigError
			if errors.As(err, &ce) {
				err = ce
			}
			out.Errors[s] = err.Error()
			continue
		}
		j, err := FromPlan(p)
		if err != nil {
			return nil, err
		}
		out.Plans[s] = j
	}
	return out, nil
}

// FromPlan is a plan in the form a review compares: its JSON, as read back
// from a file.
func FromPlan(p *plan.Plan) (*plan.JSON, error) {
	b, err := json.Marshal(p.ToJSON())
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", p.Stack, err)
	}
	return parsePlan(p.Stack, b)
}

// PlansAtRef plans every stack file as it is at a git ref (a commit, branch
// or tag) of the repository holding dir, with the program as it is at that
// ref: it checks the ref out into a temporary worktree, builds the program
// there and runs its `plan --json` for each stack.
func PlansAtRef(dir, ref string, deployed Deployed) (*Plans, error) {
	top, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git repository: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		return nil, err
	}
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("git ref %q is not a commit of this repository (fetch it first, e.g. git fetch origin main)", ref)
	}
	tmp, err := os.MkdirTemp("", "edstack-review-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	if _, err := git(dir, "worktree", "add", "--detach", "--quiet", tree, ref); err != nil {
		return nil, fmt.Errorf("check out %s: %w", ref, err)
	}
	defer func() { _, _ = git(dir, "worktree", "remove", "--force", tree) }()

	project := filepath.Join(tree, rel)
	bin := filepath.Join(tmp, "edstack")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = project
	if msg, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build the program at %s: %w\n%s", ref, err, msg)
	}
	out := &Plans{Plans: map[string]*plan.JSON{}, Errors: map[string]string{}}
	for _, s := range plan.Stacks(project) {
		nodes, given := deployed[s]
		if !given && deployed == nil {
			if j, _ := runPlan(bin, project, s, 0); j != nil {
				nodes = NodeCounts(&Plans{Plans: map[string]*plan.JSON{s: j}})[s]
			}
		}
		j, msg := runPlan(bin, project, s, nodes)
		if j != nil {
			out.Plans[s] = j
		} else {
			out.Errors[s] = msg
		}
	}
	return out, nil
}

// runPlan runs a built program's `plan --json` for one stack, and returns
// the plan, or what the program said instead.
func runPlan(bin, project, stack string, deployedNodes int) (*plan.JSON, string) {
	args := []string{"plan", "--stack", stack, "--json"}
	if deployedNodes > 0 {
		args = append(args, "--deployed-nodes", fmt.Sprint(deployedNodes))
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = project, &stdout, &stderr
	runErr := cmd.Run()
	// A plan with a mandatory policy violation still prints itself and
	// exits 1: the review shows the violation.
	if j, err := parsePlan(stack, stdout.Bytes()); err == nil {
		return j, ""
	}
	msg := strings.TrimSpace(stderr.String())
	if msg == "" && runErr != nil {
		msg = runErr.Error()
	}
	return nil, msg
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
