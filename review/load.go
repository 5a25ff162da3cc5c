package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"edstack/plan"
)

// Plans are the plans of one side of a review, by stack. A stack whose plan
// failed has its error instead.
type Plans struct {
	Plans  map[string]*plan.JSON
	Errors map[string]string
}

// Stacks are the stacks the side has a plan or an error for, sorted.
func (p *Plans) Stacks() []string {
	var out []string
	for s := range p.Plans {
		out = append(out, s)
	}
	for s := range p.Errors {
		if _, ok := p.Plans[s]; !ok {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// ReadPlans reads one side from path: a plan JSON file of one stack (as
// `go run . plan --stack nz --json` writes it), or a folder of them, one
// per stack, named <stack>.json.
func ReadPlans(path string) (*Plans, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s holds no plan: write one per stack with `go run . plan --stack NAME --json > %s/NAME.json`", path, path)
		}
	}
	out := &Plans{Plans: map[string]*plan.JSON{}, Errors: map[string]string{}}
	for _, f := range files {
		p, err := readPlan(f)
		if err != nil {
			return nil, err
		}
		if _, dup := out.Plans[p.Stack]; dup {
			return nil, fmt.Errorf("%s: a second plan of stack %s in %s", f, p.Stack, path)
		}
		out.Plans[p.Stack] = p
	}
	return out, nil
}

func readPlan(file string) (*plan.JSON, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parsePlan(file, b)
}

func parsePlan(name string, b []byte) (*plan.JSON, error) {
	var p plan.JSON
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: not a plan in JSON (`go run . plan --json` writes one): %w", name, err)
	}
	if p.Stack == "" || p.Resources == nil {
		return nil, fmt.Errorf("%s: not a plan in JSON: it has no stack or no resources", name)
	}
	return &p, nil
}

// Review compares every stack of base and head (or only the named ones)
// and returns one review per stack, sorted by stack.
func Review(base, head *Plans, stacks []string, opts Options) ([]*StackReview, error) {
	if len(stacks) == 0 {
		seen := map[string]bool{}
		for _, s := range append(base.Stacks(), head.Stacks()...) {
			if !seen[s] {
				seen[s] = true
				stacks = append(stacks, s)
			}
		}
		sort.Strings(stacks)
	}
	var out []*StackReview
	var missing []string
	for _, s := range stacks {
		b, h := base.Plans[s], head.Plans[s]
		headErr, baseErr := head.Errors[s], base.Errors[s]
		if b == nil && h == nil && headErr == "" && baseErr == "" {
			missing = append(missing, s)
			continue
		}
		if headErr != "" {
			// The head does not plan: that is the whole review.
			out = append(out, &StackReview{Stack: s, HeadError: headErr, Config: []ConfigChange{}, Changes: []Change{},
				Cost: noCost(""), Policy: comparePolicy(nil, nil, "", 0)})
			continue
		}
		r := Compare(b, h, opts)
		r.Stack = s
		r.BaseError = baseErr
		if baseErr != "" {
			r.New = false
		}
		out = append(out, r)
	}
	if len(missing) > 0 {
		return nil, errors.New("no plan of stack " + strings.Join(missing, ", ") + " on either side")
	}
	return out, nil
}
