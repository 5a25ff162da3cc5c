package cockroach

import (
	"fmt"
	"strings"
	"time"
)

// fargateMemory is the Fargate size table: for each task CPU (units of
// 1/1024 vCPU), the memory range in MiB and its step.
var fargateMemory = map[int]struct{ min, max, step int }{
	256:   {512, 2048, 0}, // 512, 1024 or 2048 only
	512:   {1024, 4096, 1024},
	1024:  {2048, 8192, 1024},
	2048:  {4096, 16384, 1024},
	4096:  {8192, 30720, 1024},
	8192:  {16384, 61440, 4096},
	16384: {32768, 122880, 8192},
}

// MinCPU is CockroachDB's documented minimum for a production node: 4 vCPU.
const MinCPU = 4096

// CPUSizes are the Fargate CPU sizes a node runs on: those of at least
// MinCPU.
var CPUSizes = []int{4096, 8192, 16384}

// CheckFargateSize says what is wrong with a task size, or nil when Fargate
// runs it and it meets CockroachDB's minimum.
func CheckFargateSize(cpu, memoryMiB int) error {
	m, ok := fargateMemory[cpu]
	if !ok {
		return fmt.Errorf("%d CPU units is not a Fargate size; use 256, 512, 1024, 2048, 4096, 8192 or 16384", cpu)
	}
	if cpu < MinCPU {
		return fmt.Errorf("%d CPU units is below CockroachDB's minimum of 4 vCPU (4096) per node", cpu)
	}
	if memoryMiB < m.min || memoryMiB > m.max || (memoryMiB-m.min)%m.step != 0 {
		return fmt.Errorf("%d MiB is not a Fargate memory size for %d CPU units; use %d to %d in steps of %d",
			memoryMiB, cpu, m.min, m.max, m.step)
	}
	return nil
}

// MemoryChoices says which memory sizes each CPU size CockroachDB runs on
// takes, for messages.
func MemoryChoices() string {
	var parts []string
	for _, cpu := range CPUSizes {
		m := fargateMemory[cpu]
		parts = append(parts, fmt.Sprintf("%d to %d in steps of %d with %d CPU units", m.min, m.max, m.step, cpu))
	}
	return strings.Join(parts, "; ")
}

// Memory fractions given to CockroachDB explicitly (it reads the node
// container's memory limit, TaskBudget, where it can see it, and the flags
// make the shares certain): 2 x max-sql-memory + cache must stay within 80%
// of the node's memory.
const (
	CacheFraction        = 0.25
	MaxSQLMemoryFraction = 0.25
)

// MemoryFlags returns the --cache and --max-sql-memory flags.
func MemoryFlags() []string {
	return []string{"--cache=.25", "--max-sql-memory=.25"}
}

// MemoryBudget is the share of memory the flags commit (at most 0.8).
func MemoryBudget() float64 { return 2*MaxSQLMemoryFraction + CacheFraction }

// NodeName is node i's stable DNS name in the cluster's namespace.
func NodeName(i int, namespace string) string { return fmt.Sprintf("node-%d.%s", i, namespace) }

// JoinList is the --join value: the first three nodes' stable names, and
// the internal load balancer, which forwards only to ready nodes of the
// established cluster. The load balancer lets a node join even when nodes 0
// to 2 are all new at once (three correlated Spot reclaims), when none of
// the three names leads to the cluster; and it keeps --join the same
// whatever the node count, so scaling rolls no node.
func JoinList(nodes int, namespace, loadBalancer string) string {
	n := min(nodes, 3)
	addrs := make([]string, 0, n+1)
	for i := range n {
		addrs = append(addrs, fmt.Sprintf("%s:%d", NodeName(i, namespace), SQLPort))
	}
	if loadBalancer != "" {
		addrs = append(addrs, fmt.Sprintf("%s:%d", loadBalancer, SQLPort))
	}
	return strings.Join(addrs, ",")
}

// NodeZones assigns node i to zone i mod zones, which spreads nodes evenly
// (4/4/4 for twelve nodes in three zones).
func NodeZones(nodes, zones int) []int {
	out := make([]int, nodes)
	for i := range out {
		out[i] = i % zones
	}
	return out
}

// OnDemand reports whether node i runs on on-demand FARGATE: the last
// onDemand nodes of the spread, so they too are spread across zones.
func OnDemand(i, nodes, onDemand int) bool { return i >= nodes-onDemand }

// DefaultReplicationFactor is 5 when there are at least 5 nodes (survives two
// lost nodes), else 3.
func DefaultReplicationFactor(nodes int) int {
	if nodes >= 5 {
		return 5
	}
	return 3
}

// Topology is what a cluster's shape survives.
type Topology struct {
	Nodes, Zones, ReplicationFactor int
	PerZone                         []int
}

// NewTopology describes nodes spread over zones with a replication factor.
func NewTopology(nodes, zones, rf int) Topology {
	t := Topology{Nodes: nodes, Zones: zones, ReplicationFactor: rf, PerZone: make([]int, zones)}
	for _, z := range NodeZones(nodes, zones) {
		t.PerZone[z]++
	}
	return t
}

// SurvivableNodeLosses is how many nodes can be lost at once, anywhere,
// while every range keeps a majority of its replicas.
func (t Topology) SurvivableNodeLosses() int { return (t.ReplicationFactor - 1) / 2 }

// SurvivesZoneLoss reports whether losing a whole zone keeps a majority of
// every range: CockroachDB spreads a range's replicas across the zones
// (--locality), so a zone holds at most ceil(rf/zones) of them.
func (t Topology) SurvivesZoneLoss() bool {
	if t.Zones < 3 {
		return false
	}
	even := true
	for _, n := range t.PerZone {
		even = even && n == t.PerZone[0]
	}
	perZone := (t.ReplicationFactor + t.Zones - 1) / t.Zones
	return even && perZone <= t.SurvivableNodeLosses()
}

// SnapshotRate is CockroachDB's default kv.snapshot_rebalance.max_rate, in
// MiB/s per snapshot.
const SnapshotRate = 32

// ReReplicationTime estimates how long the cluster takes to re-create a lost
// node's replicas when its store was full (storeGiB): the survivors that
// hold the other replicas send snapshots in parallel, each at SnapshotRate.
func ReReplicationTime(storeGiB, senders int) time.Duration {
	senders = max(senders, 1)
	seconds := float64(storeGiB*1024) / float64(SnapshotRate*senders)
	return time.Duration(seconds * float64(time.Second))
}
