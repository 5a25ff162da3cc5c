package stacks

import (
	"fmt"
	"strings"
	"time"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/network"
)

// Section is one block of key settings in the plan, for a reviewer.
type Section struct {
	Title string
	Items []Item
}

// Item is one setting and its value.
type Item struct{ Key, Value string }

// Summary lists the stack's key decisions, component by component.
func (c Config) Summary() []Section {
	region := c.Region
	if r, ok := LookupRegion(c.Region); ok {
		region += " (" + r.Name + ")"
	}
	if c.Region != c.Country.Region {
		region += ", not the country's default " + c.Country.Region
	}
	stack := Section{Title: "Stack", Items: []Item{
		{"Country", fmt.Sprintf("%s (%s)", c.Country.Name, c.Country.Code)},
		{"Region", region},
		{"Domain", c.Domain},
		{"Name prefix", c.Prefix()},
		{"Log retention", fmt.Sprintf("%d days", c.LogRetentionDays)},
		{"Database", c.databaseUse()},
	}}

	layout, err := network.PlanLayout(c.Network.CIDR, len(c.Network.AZs))
	net := Section{Title: "Network", Items: []Item{
		{"VPC CIDR", c.Network.CIDR.String()},
		{"Availability zones", strings.Join(c.Network.AZs, ", ")},
		{"NAT gateways", fmt.Sprintf("%s (%d)", c.Network.NAT, network.NATGatewayCount(c.Network.NAT, len(c.Network.AZs)))},
	}}
	if err == nil {
		natZones := network.NATGatewayZones(c.Network.NAT, len(c.Network.AZs))
		for i, az := range c.Network.AZs {
			net.Items = append(net.Items, Item{
				"Subnets " + az,
				fmt.Sprintf("private %s, public %s, egress via NAT in %s", layout.Private[i], layout.Public[i], c.Network.AZs[natZones[i]]),
			})
		}
	}
	sections := []Section{stack, net, c.requestPath()}
	if c.Cockroach.Nodes > 0 {
		sections = append(sections, c.cockroachSummary())
	} else {
		sections = append(sections, Section{Title: "CockroachDB", Items: []Item{{"Cluster", "off (edstack:cockroachNodes is 0)"}}})
	}
	return append(sections, c.auroraSummary())
}

// databaseUse says which database the functions use.
func (c Config) databaseUse() string {
	switch c.Database {
	case DatabaseAurora:
		return "Aurora PostgreSQL (writer endpoint for writes, reader endpoint for reads)"
	case DatabaseMirror:
		return "mirror: CockroachDB primary, Aurora shadow (writes to both, reads compared)"
	}
	return "CockroachDB"
}

func (c Config) auroraSummary() Section {
	if c.Aurora == nil {
		return Section{Title: "Aurora PostgreSQL", Items: []Item{{"Cluster", "off (edstack:auroraEnabled is false)"}}}
	}
	sec := Section{Title: "Aurora PostgreSQL"}
	lines, err := c.Aurora.Describe()
	if err != nil {
		lines = []string{"invalid: " + err.Error()}
	}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, ": ")
		sec.Items = append(sec.Items, Item{k, v})
	}
	a := c.Aurora
	start, err1 := aurora.Cron(a.Schedule.Start, a.Schedule.Days)
	end, err2 := aurora.Cron(a.Schedule.End, a.Schedule.Days)
	if err1 == nil && err2 == nil {
		sec.Items = append(sec.Items, Item{"scheduled actions", fmt.Sprintf("%s at least %s; %s at least %s (%s)",
			start, plural(a.Peak(), "reader"), end, plural(a.MinReaders, "reader"), a.Schedule.TimeZone)})
	}
	return sec
}

// requestPath follows a request from the domain to the worker, with each
// hop's key setting.
func (c Config) requestPath() Section {
	a := c.API
	zone := "new Route53 zone (delegate the domain to its name servers)"
	if c.Edge.HostedZoneID != "" {
		zone = "existing Route53 zone " + c.Edge.HostedZoneID
	}
	return Section{Title: "Request path", Items: []Item{
		{"1 DNS", strings.Join(edge.SiteNames(c.Domain), ", ") + " in a " + zone},
		{"2 CloudFront", fmt.Sprintf("%s, %s or newer (SNI), HTTP/2 and HTTP/3, IPv6, certificate from ACM in %s",
			c.Edge.PriceClass, edge.MinimumViewerTLS, edge.CertificateRegion)},
		{"3 Static", "everything else -> private S3 bucket through Origin Access Control, CachingOptimized"},
		{"4 API", strings.Join(edge.APIPathPatterns, ", ") + fmt.Sprintf(
			" -> HTTP API (not cached, Host not forwarded), %d req/s, burst %d", a.ThrottleRate, a.ThrottleBurst)},
		{"5 API function", fmt.Sprintf("Lambda %s, %d s timeout, %d MB, in the private subnets, X-Ray", api.Runtime, a.SyncTimeout, a.SyncMemoryMB)},
		{"6 Work queue", fmt.Sprintf("POST /api/jobs -> SQS, visibility %d s (%d x the worker's timeout), jobs kept %s, DLQ after %s, which keeps a job until 14 days after it was first queued",
			api.VisibilityTimeout(a.WorkerTimeout), api.VisibilityFactor, queueRetention(a), plural(a.MaxReceiveCount, "try"))},
		{"7 Worker", fmt.Sprintf("Lambda %s, %d s timeout, %d MB, batches of %d, at most %d at once, failures per message",
			api.Runtime, a.WorkerTimeout, a.WorkerMemoryMB, a.WorkerBatchSize, a.WorkerMaxConcurrency)},
		{"8 Database", "both functions -> " + c.databaseUse() + ", connection secrets by ARN"},
	}}
}

func (c Config) cockroachSummary() Section {
	k := c.Cockroach
	t := cockroach.NewTopology(k.Nodes, len(c.Network.AZs), k.ReplicationFactor)
	spread := make([]string, len(t.PerZone))
	for i, n := range t.PerZone {
		spread[i] = fmt.Sprintf("%s: %d", c.Network.AZs[i], n)
	}
	zoneLoss := "no: the zones hold unequal node counts or the replication factor is too low"
	if t.SurvivesZoneLoss() {
		zoneLoss = "yes: a range keeps a majority of its replicas in the other two zones"
	}
	protected := "no (edstack:protectData is false)"
	if c.ProtectData {
		protected = "yes: backups bucket, secrets and CA are protected"
	}
	license := "none, acknowledged by edstack:cockroachUnlicensed (throttled 7 days after init)"
	if k.LicenseSecretArn != "" {
		license = "from " + k.LicenseSecretArn + "; applied by every node at start, a later-started task's key winning"
	}
	d := cockroach.DefaultShutdown
	return Section{Title: "CockroachDB", Items: []Item{
		{"Version", "cockroachdb/cockroach " + k.Version},
		{"Image from", k.Image.Describe(c.Prefix())},
		{"Nodes", fmt.Sprintf("%d x %g vCPU / %g GiB, %d GiB ephemeral store each", k.Nodes, float64(k.CPU)/1024, float64(k.MemoryMiB)/1024, k.StorageGiB)},
		{"Capacity", fmt.Sprintf("%d on FARGATE_SPOT, %d on on-demand FARGATE", k.Nodes-k.OnDemandNodes, k.OnDemandNodes)},
		{"Nodes per zone", strings.Join(spread, ", ")},
		{"Replication factor", fmt.Sprint(k.ReplicationFactor)},
		{"Survives", plural(t.SurvivableNodeLosses(), "node") + " lost at once, anywhere"},
		{"Survives a zone outage", zoneLoss},
		{"Memory flags", strings.Join(cockroach.MemoryFlags(), " ") + fmt.Sprintf(" (%.0f%% of memory committed)", 100*cockroach.MemoryBudget())},
		{"Drain on SIGTERM", fmt.Sprintf("initial wait %s + connections %s + transactions 2 x %s + jobs %s = %s bounded; leases moved until the hard stop at %s; %s Spot notice, stopTimeout %s",
			d.InitialWait, d.ConnectionsTimeout, d.TransactionsTimeout, d.JobsTimeout, d.Bounded(), d.HardStop, cockroach.SpotNotice, cockroach.SpotNotice)},
		{"Readiness", fmt.Sprintf("HTTPS %s every %s, timeout %s, out after %d failures (%s); steers SQL traffic only, never stops a node",
			cockroach.ReadinessCheck.Path, cockroach.ReadinessCheck.Interval, cockroach.ReadinessCheck.Timeout, cockroach.ReadinessCheck.Unhealthy, cockroach.ReadinessCheck.TimeToUnhealthy())},
		{"A replacement", "joins at once through node-0..2 or the load balancer; decommissions the dead earlier holders of its name"},
		{"A crashed process", fmt.Sprintf("restarted in the same task with the same store, up to %d times", cockroach.MaxRestarts)},
		{"Dead nodes", fmt.Sprintf("decommissioned by every node's sweep once dead for %s; never a live node", cockroach.DeadNodeDecommission)},
		{"Lost store re-replicated after", fmt.Sprintf("%s; one lost node's %d GiB takes about %s at the 32 MiB/s snapshot rate with %s sending",
			cockroach.TimeUntilStoreDead, k.StorageGiB, cockroach.ReReplicationTime(k.StorageGiB, k.Nodes-1).Round(time.Minute), plural(k.Nodes-1, "node"))},
		{"Initialization", "node 0, once, only when every node answers that it waits for initialization"},
		{"Total loss", "restored automatically from the latest backup; an empty cluster is never opened or backed up while backups exist"},
		{"Backups", fmt.Sprintf("hourly incremental, daily full, to the backups bucket; every object kept %d days", k.BackupRetentionDays)},
		{"Certificates", cockroach.CertificateLifetimes()},
		{"Rolling changes", c.rollSummary()},
		{"Scaling down", fmt.Sprintf("refused until every removed node is listed in %s, after cockroach node decommission moved its replicas away; checked against the node services in the stack's saved state",
			KeyCockroachDecommissioned)},
		{"Data protected", protected},
		{"Licence", license},
	}}
}

// rollSummary says how a change of the task definitions rolls, and whether
// one node's healing fits inside one gate.
func (c Config) rollSummary() string {
	g := cockroach.DefaultRollGate
	k := c.Cockroach
	s := fmt.Sprintf("one node at a time; before each node and after the last, a gate waits until the live nodes report "+
		"no under-replicated or unavailable range (%d clean polls, %s apart) for up to %s, else pulumi up stops there "+
		"and the next pulumi up resumes; Spot replacements never wait", g.Confirmations, g.Poll, g.Wait)
	heal := cockroach.TimeUntilStoreDead + cockroach.ReReplicationTime(k.StorageGiB, k.Nodes-1)
	if heal > g.Wait {
		s += fmt.Sprintf("; healing a full %d GiB store takes about %s, longer than a gate waits: expect a run of pulumi up per node",
			k.StorageGiB, heal.Round(time.Minute))
	}
	return s
}

// queueRetention is how long the work queue keeps a job, as the API
// component derives it.
func queueRetention(a APIConfig) string {
	secs, err := api.QueueRetention(a.MaxReceiveCount, a.WorkerTimeout)
	if err != nil {
		return "(invalid)"
	}
	return (time.Duration(secs) * time.Second).String()
}

// plural is "1 node" or "2 nodes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
