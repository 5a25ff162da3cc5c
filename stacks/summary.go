package stacks

import (
	"encoding/json"
	"fmt"
	"strconv"
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

// Summary lists the stack's key decisions, component by component, read
// from the resources the program registered (b), so that the plan never
// says what the resources do not. The config supplies only what names the
// stack (country, region, domain) and which components are on; fixed
// behaviour is explained from the components' own constants.
func (c Config) Summary(b Built) []Section {
	f := facts{b: b, prefix: c.Prefix()}
	region := c.Region
	if r, ok := LookupRegion(c.Region); ok {
		region += " (" + r.Name + ")"
		if r.OptIn {
			region += ", an opt-in region: enable it in the account first"
		}
	}
	if c.Region != c.Country.Region {
		region += ", not the country's default " + c.Country.Region
	}
	stack := Section{Title: "Stack", Items: []Item{
		{"Country", fmt.Sprintf("%s (%s)", c.Country.Name, c.Country.Code)},
		{"Region", region},
		{"Domain", c.Domain},
		{"Name prefix", c.Prefix()},
		{"Log retention", f.in(logGroupType, "flow-logs", "retentionInDays") + " days"},
		{"Database", c.databaseUse()},
	}}

	nats := b.Count(natType)
	net := Section{Title: "Network", Items: []Item{
		{"VPC CIDR", f.in(vpcType, "vpc", "cidrBlock")},
		{"Availability zones", strings.Join(f.zones(c.Network.AZs), ", ")},
		{"NAT gateways", fmt.Sprintf("%s (%d)", natMode(nats), nats)},
	}}
	for _, az := range c.Network.AZs {
		z := az[len(az)-1:]
		net.Items = append(net.Items, Item{
			"Subnets " + f.in(subnetType, "private-"+z, "availabilityZone"),
			fmt.Sprintf("private %s, public %s, egress via %s",
				f.in(subnetType, "private-"+z, "cidrBlock"), f.in(subnetType, "public-"+z, "cidrBlock"), f.egress(z)),
		})
	}
	sections := []Section{stack, net, c.requestPath(f)}
	if c.Cockroach.Nodes > 0 {
		sections = append(sections, c.cockroachSummary(f))
	} else {
		sections = append(sections, Section{Title: "CockroachDB", Items: []Item{{"Cluster", "off (edstack:cockroachNodes is 0)"}}})
	}
	return append(sections, c.auroraSummary(f))
}

// zones are the zones of the private subnets as registered.
func (f facts) zones(azs []string) []string {
	out := make([]string, len(azs))
	for i, az := range azs {
		out[i] = f.in(subnetType, "private-"+az[len(az)-1:], "availabilityZone")
	}
	return out
}

// natMode names the NAT layout a gateway count stands for.
func natMode(n int) string {
	switch n {
	case 0:
		return "none"
	case 1:
		return string(network.NATSingle)
	}
	return string(network.NATPerAZ)
}

// egress says which NAT gateway a zone's private subnet routes through, as
// its default route says: "NAT in ap-southeast-2a".
func (f facts) egress(zone string) string {
	route := f.in("aws:ec2/route:Route", "private-"+zone+"-default-route", "natGatewayId")
	for _, az := range f.natZones() {
		if route == f.prefix+"-nat-"+az[len(az)-1:]+"-id" {
			return "NAT in " + az
		}
	}
	if route == Unknown {
		return "NAT " + Unknown
	}
	return "NAT " + NotBuilt
}

// natZones are the zones of the registered NAT gateways' subnets.
func (f facts) natZones() []string {
	var out []string
	for _, z := range "abcdef" {
		if az := f.in(subnetType, "public-"+string(z), "availabilityZone"); az != NotBuilt {
			out = append(out, az)
		}
	}
	return out
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

func (c Config) auroraSummary(f facts) Section {
	if c.Aurora == nil {
		return Section{Title: "Aurora PostgreSQL", Items: []Item{{"Cluster", "off (edstack:auroraEnabled is false)"}}}
	}
	sec := Section{Title: "Aurora PostgreSQL"}
	if day, err := c.Aurora.Schedule.Describe(); err == nil {
		sec.Items = append(sec.Items, Item{"school day", day})
	}
	writer := f.in(rdsInstanceType, "aurora-writer", "instanceClass")
	if writer == aurora.ServerlessClass {
		lo := f.in(rdsClusterType, "aurora-cluster", "serverlessv2ScalingConfiguration", "minCapacity")
		writer += fmt.Sprintf(" %s-%s ACU", lo, f.in(rdsClusterType, "aurora-cluster", "serverlessv2ScalingConfiguration", "maxCapacity"))
		if lo == "0" {
			writer += " (pauses when idle)"
		}
	}
	cluster := func(path ...any) string { return f.in(rdsClusterType, "aurora-cluster", path...) }
	start := func(path ...any) string { return f.in(scheduledType, "aurora-school-day-start", path...) }
	end := func(path ...any) string { return f.in(scheduledType, "aurora-school-day-end", path...) }
	sec.Items = append(sec.Items,
		Item{"readers", fmt.Sprintf("%s-%s, at least %s during the school day; target reader CPU %s%%",
			f.in(scalingTargetType, "aurora-readers", "minCapacity"), f.in(scalingTargetType, "aurora-readers", "maxCapacity"),
			start("scalableTargetAction", "minCapacity"),
			f.in(scalingPolicyType, "aurora-reader-cpu", "targetTrackingScalingPolicyConfiguration", "targetValue"))},
		Item{"writer", writer},
		Item{"engine", fmt.Sprintf("%s %s, lifecycle %s", cluster("engine"), cluster("engineVersion"), cluster("engineLifecycleSupport"))},
		Item{"backups", fmt.Sprintf("daily %s UTC, kept %s days; maintenance: %s UTC",
			cluster("preferredBackupWindow"), cluster("backupRetentionPeriod"), cluster("preferredMaintenanceWindow"))},
		Item{"scheduled actions", fmt.Sprintf("%s at least %s readers; %s at least %s (%s)",
			start("schedule"), start("scalableTargetAction", "minCapacity"),
			end("schedule"), end("scalableTargetAction", "minCapacity"), start("timezone"))},
	)
	return sec
}

// requestPath follows a request from the domain to the worker, with each
// hop's key setting.
func (c Config) requestPath(f facts) Section {
	zone := "new Route53 zone (delegate the domain to its name servers)"
	if c.Edge.HostedZoneID != "" {
		zone = "existing Route53 zone " + c.Edge.HostedZoneID
	}
	fn := func(suffix string) string {
		return fmt.Sprintf("Lambda %s, %s s timeout, %s MB", f.in(functionType, suffix, "runtime"),
			f.in(functionType, suffix, "timeout"), f.in(functionType, suffix, "memorySize"))
	}
	tries := f.in(queueType, "jobs", "redrivePolicy")
	var redrive struct{ MaxReceiveCount int }
	if json.Unmarshal([]byte(tries), &redrive) == nil {
		tries = plural(redrive.MaxReceiveCount, "try")
	} else if tries != Unknown {
		tries = NotBuilt
	}
	retention := NotBuilt
	if secs := f.num(queueType, "jobs", "messageRetentionSeconds"); secs > 0 {
		retention = (time.Duration(secs) * time.Second).String()
	}
	stage := func(path ...any) string { return f.in(stageType, "http-api-stage", path...) }
	return Section{Title: "Request path", Items: []Item{
		{"1 DNS", strings.Join(edge.SiteNames(c.Domain), ", ") + " in a " + zone},
		{"2 CloudFront", fmt.Sprintf("%s, %s or newer (SNI), HTTP/2 and HTTP/3, IPv6, certificate from ACM in %s",
			f.in(distributionType, "edge-cdn", "priceClass"), f.in(distributionType, "edge-cdn", "viewerCertificate", "minimumProtocolVersion"), edge.CertificateRegion)},
		{"3 Static", "everything else -> private S3 bucket through Origin Access Control, CachingOptimized"},
		{"4 API", strings.Join(edge.APIPathPatterns, ", ") + fmt.Sprintf(" -> HTTP API (not cached, Host not forwarded), %s req/s, burst %s",
			stage("defaultRouteSettings", "throttlingRateLimit"), stage("defaultRouteSettings", "throttlingBurstLimit"))},
		{"5 API function", fn("api") + ", in the private subnets, X-Ray"},
		{"6 Work queue", fmt.Sprintf("POST /api/jobs -> SQS, visibility %s s (%d x the worker's timeout), jobs kept %s, DLQ after %s, which keeps a job until 14 days after it was first queued",
			f.in(queueType, "jobs", "visibilityTimeoutSeconds"), api.VisibilityFactor, retention, tries)},
		{"7 Worker", fn("worker") + fmt.Sprintf(", batches of %s, at most %s at once, failures per message",
			f.in(eventSourceType, "worker-jobs", "batchSize"), f.in(eventSourceType, "worker-jobs", "scalingConfig", "maximumConcurrency"))},
		{"8 Database", "both functions -> " + c.databaseUse() + ", connection secrets by ARN"},
	}}
}

// builtCluster is the CockroachDB cluster as registered: what its summary reads.
type builtCluster struct {
	nodes, spot, onDemand, rf, storageGiB int
	image, cpu, memory, retention         string
	// rfText is the replication factor as read: a number, Unknown or
	// NotBuilt.
	rfText string
}

func (f facts) cluster() builtCluster {
	var k builtCluster
	for i := 0; ; i++ {
		p := f.capacityProvider(i)
		if p == NotBuilt {
			break
		}
		k.nodes++
		if p == "FARGATE" {
			k.onDemand++
		} else {
			k.spot++
		}
	}
	node0 := f.container(0)
	k.image = text(node0["image"])
	k.rfText = replicationFactor(node0)
	k.rf, _ = strconv.Atoi(k.rfText)
	k.cpu = f.in(taskDefinitionType, "crdb-node-0-task", "cpu")
	k.memory = f.in(taskDefinitionType, "crdb-node-0-task", "memory")
	k.storageGiB = f.num(taskDefinitionType, "crdb-node-0-task", "ephemeralStorage", "sizeInGib")
	k.retention = f.in(lifecycleType, "crdb-backups-lifecycle", "rules", 0, "expiration", "days")
	return k
}

// units shows CPU units as vCPU and MiB as GiB: "4096" -> "4".
func units(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil {
		return v
	}
	return strconv.FormatFloat(float64(n)/1024, 'g', -1, 64)
}

func (c Config) cockroachSummary(f facts) Section {
	k := f.cluster()
	t := cockroach.NewTopology(k.nodes, len(c.Network.AZs), k.rf)
	spread := make([]string, len(t.PerZone))
	for i, n := range t.PerZone {
		spread[i] = fmt.Sprintf("%s: %d", c.Network.AZs[i], n)
	}
	zoneLoss := "no: the zones hold unequal node counts or the replication factor is too low"
	survives := plural(t.SurvivableNodeLosses(), "node") + " lost at once, anywhere"
	switch {
	case k.rf == 0:
		zoneLoss = k.rfText + ": the replication factor is read from the nodes' settings"
		survives = zoneLoss
	case t.SurvivesZoneLoss():
		zoneLoss = "yes: a range keeps a majority of its replicas in the other two zones"
	}
	protected := "no (edstack:protectData is false)"
	if c.ProtectData {
		protected = "yes: backups bucket, secrets and CA are protected"
	}
	license := "none, acknowledged by edstack:cockroachUnlicensed (throttled 7 days after init)"
	if c.Cockroach.LicenseSecretArn != "" {
		license = "from " + c.Cockroach.LicenseSecretArn + "; applied by every node at start, a later-started task's key winning"
	}
	d := cockroach.DefaultShutdown
	hc := func(field string) string { return f.in(targetGroupType, "crdb-sql", "healthCheck", field) }
	return Section{Title: "CockroachDB", Items: []Item{
		{"Image", k.image},
		{"Image from", c.Cockroach.Image.Describe(c.Prefix())},
		{"Nodes", fmt.Sprintf("%d x %s vCPU / %s GiB, %d GiB ephemeral store each", k.nodes, units(k.cpu), units(k.memory), k.storageGiB)},
		{"Capacity", fmt.Sprintf("%d on FARGATE_SPOT, %d on on-demand FARGATE", k.spot, k.onDemand)},
		{"Nodes per zone", strings.Join(spread, ", ")},
		{"Replication factor", k.rfText},
		{"Survives", survives},
		{"Survives a zone outage", zoneLoss},
		{"Memory flags", strings.Join(cockroach.MemoryFlags(), " ") + fmt.Sprintf(" (%.0f%% of memory committed)", 100*cockroach.MemoryBudget())},
		{"Drain on SIGTERM", fmt.Sprintf("initial wait %s + connections %s + transactions 2 x %s + jobs %s = %s bounded; leases moved until the hard stop at %s; %s Spot notice, stopTimeout %s",
			d.InitialWait, d.ConnectionsTimeout, d.TransactionsTimeout, d.JobsTimeout, d.Bounded(), d.HardStop, cockroach.SpotNotice, cockroach.SpotNotice)},
		{"Readiness", fmt.Sprintf("%s %s every %s s, timeout %s s, out after %s failures; steers SQL traffic only, never stops a node",
			hc("protocol"), hc("path"), hc("interval"), hc("timeout"), hc("unhealthyThreshold"))},
		{"A replacement", "joins at once through node-0..2 or the load balancer; decommissions the dead earlier holders of its name"},
		{"A crashed process", fmt.Sprintf("restarted in the same task with the same store, up to %d times", cockroach.MaxRestarts)},
		{"Dead nodes", fmt.Sprintf("decommissioned by every node's sweep once dead for %s; never a live node", cockroach.DeadNodeDecommission)},
		{"Lost store re-replicated after", fmt.Sprintf("%s; one lost node's %d GiB takes about %s at the 32 MiB/s snapshot rate with %s sending",
			cockroach.TimeUntilStoreDead, k.storageGiB, cockroach.ReReplicationTime(k.storageGiB, k.nodes-1).Round(time.Minute), plural(k.nodes-1, "node"))},
		{"Initialization", "node 0, once, only when every node answers that it waits for initialization"},
		{"Total loss", "restored automatically from the latest backup; an empty cluster is never opened or backed up while backups exist"},
		{"Backups", fmt.Sprintf("hourly incremental, daily full, to the backups bucket; every object kept %s days", k.retention)},
		{"Certificates", cockroach.CertificateLifetimes()},
		{"Rolling changes", rollSummary(k)},
		{"Scaling down", fmt.Sprintf("refused until every removed node is listed in %s, after cockroach node decommission moved its replicas away; checked against the node services in the stack's saved state",
			KeyCockroachDecommissioned)},
		{"Data protected", protected},
		{"Licence", license},
	}}
}

// rollSummary says how a change of the task definitions rolls, and whether
// one node's healing fits inside one gate.
func rollSummary(k builtCluster) string {
	g := cockroach.DefaultRollGate
	s := fmt.Sprintf("one node at a time; before each node and after the last, a gate waits until the live nodes report "+
		"no under-replicated or unavailable range (%d clean polls, %s apart) for up to %s, else pulumi up stops there "+
		"and the next pulumi up resumes; Spot replacements never wait", g.Confirmations, g.Poll, g.Wait)
	heal := cockroach.TimeUntilStoreDead + cockroach.ReReplicationTime(k.storageGiB, k.nodes-1)
	if heal > g.Wait {
		s += fmt.Sprintf("; healing a full %d GiB store takes about %s, longer than a gate waits: expect a run of pulumi up per node",
			k.storageGiB, heal.Round(time.Minute))
	}
	return s
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
