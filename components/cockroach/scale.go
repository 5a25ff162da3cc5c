package cockroach

import (
	"fmt"
	"slices"
	"strings"
)

// CheckScale says whether going from previous nodes (0 for a new stack or
// an unknown past) to next nodes is safe to apply in one `pulumi up`.
//
// Adding nodes is always safe. Removing a node deletes its ECS service and
// so its store: safe only once `cockroach node decommission` has moved its
// replicas away, which edstack cannot see from Pulumi. So a scale-down, and
// turning the cluster off (next 0), is refused unless decommissioned names
// every removed node: the operator's statement that the decommission has
// finished. A node listed but kept (or brought back) is refused too, since
// the list would then claim something untrue.
func CheckScale(previous, next int, decommissioned []int) error {
	var removed []int
	for i := next; i < previous; i++ {
		removed = append(removed, i)
	}
	var missing, kept []string
	for _, i := range removed {
		if !slices.Contains(decommissioned, i) {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	for _, i := range decommissioned {
		if i < next {
			kept = append(kept, fmt.Sprint(i))
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf(
			"going from %d to %d nodes deletes node %s and its store; decommission them first "+
				"(README, \"Removing nodes\": cockroach node decommission, which moves their replicas away), "+
				"then list them as decommissioned: [%s]",
			previous, next, strings.Join(missing, ", "), joinInts(removed)))
	}
	if len(kept) > 0 {
		problems = append(problems, fmt.Sprintf(
			"node %s is listed as decommissioned but the cluster keeps %d nodes; list only nodes %d and above, or none",
			strings.Join(kept, ", "), next, next))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "; "))
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
