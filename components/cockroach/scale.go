package cockroach

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ComponentType is the Pulumi type of the cluster component.
const ComponentType = "edstack:cockroach:Cluster"

// ServiceType is the Pulumi type of a node's ECS service.
const ServiceType = "aws:ecs/service:Service"

// ServiceName is node i's ECS service (and its Pulumi name).
func ServiceName(prefix string, i int) string { return fmt.Sprintf("%s-crdb-node-%d", prefix, i) }

// ServiceNode is the node an ECS service name of the stack's cluster
// belongs to, if it is one.
func ServiceNode(prefix, name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix+"-crdb-node-")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(rest)
	if err != nil || i < 0 || strconv.Itoa(i) != rest {
		return 0, false
	}
	return i, true
}

// DeployedNodes is the node count that a stack's saved state holds: one
// more than the highest node whose service exists, 0 for none. It counts
// services a failed update left behind too, which hold data all the same.
func DeployedNodes(prefix string, services []string) int {
	n := 0
	for _, name := range services {
		if i, ok := ServiceNode(prefix, name); ok && i+1 > n {
			n = i + 1
		}
	}
	return n
}

// CheckScale says whether going from previous nodes (the count the stack
// last deployed; 0 for a new stack) to next nodes is safe to apply in one
// `pulumi up`.
//
// Adding nodes is always safe. Removing a node deletes its ECS service and
// so its store: safe only once `cockroach node decommission` has moved its
// replicas away, which edstack cannot see from Pulumi. So a scale-down is
// refused unless decommissioned names every removed node: the operator's
// statement that the decommission has finished. Turning the cluster off
// (next 0, after a move to Aurora) deletes every store, and is refused
// unless every node is listed, as the operator's confirmation.
func CheckScale(previous, next int, decommissioned []int) error {
	var missing, removed []int
	for i := next; i < previous; i++ {
		removed = append(removed, i)
		if !slices.Contains(decommissioned, i) {
			missing = append(missing, i)
		}
	}
	var problems []string
	switch {
	case len(missing) == 0:
	case next == 0:
		problems = append(problems, fmt.Sprintf(
			"going from %d to 0 nodes deletes the whole cluster and every store; first move the application to Aurora "+
				"(README, \"Running a mirror migration\") and check that every row arrived, then confirm by listing every node "+
				"as decommissioned: [%s]", previous, joinInts(removed)))
	default:
		what := "node " + joinInts(missing) + " and its store"
		if len(missing) > 1 {
			what = "nodes " + joinInts(missing) + " and their stores"
		}
		problems = append(problems, fmt.Sprintf(
			"going from %d to %d nodes deletes %s; decommission them first "+
				"(README, \"Removing nodes\": cockroach node decommission, which moves their replicas away), "+
				"then list them as decommissioned: [%s]",
			previous, next, what, joinInts(removed)))
	}
	if err := CheckDecommissioned(next, decommissioned); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "; "))
}

// CheckDecommissioned checks the list of decommissioned nodes against the
// node count alone: a node listed but kept (or brought back) would make the
// list claim something untrue.
func CheckDecommissioned(nodes int, decommissioned []int) error {
	var kept []int
	for _, i := range decommissioned {
		if i < nodes {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return fmt.Errorf("node %s is listed as decommissioned but the cluster keeps %d nodes (0 to %d); list only nodes %d and above, or none",
		joinInts(kept), nodes, nodes-1, nodes)
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
