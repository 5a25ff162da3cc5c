package observability

import (
	"fmt"
	"math"
	"strings"

	"edstack/components/cockroach"
)

// Targets are what the alarms watch. Names and ids may be Pulumi outputs.
type Targets struct {
	// Cockroach is the cluster, nil without one.
	Cockroach *CockroachTargets
	API       APITargets
	// NATGateways are the NAT gateways' ids.
	NATGateways []any
	// Aurora is the fallback, nil when off.
	Aurora *AuroraTargets
	// DistributionID is the CloudFront distribution's id.
	DistributionID any
}

// CockroachTargets describe the cluster.
type CockroachTargets struct {
	// ClusterName is the ECS cluster's name, the nodes' metrics' dimension.
	ClusterName any
	// ServiceNames are the node services' names.
	ServiceNames []string
	Nodes, Zones int
	StorageGiB   int
}

// APITargets describe the request path's application tier.
type APITargets struct {
	APIFunction, WorkerFunction any
	// SyncTimeout and WorkerTimeout in seconds.
	SyncTimeout, WorkerTimeout int
	Queue, DLQ                 any
	HTTPAPIID                  any
}

// AuroraTargets describe the Aurora fallback.
type AuroraTargets struct {
	ClusterIdentifier any
	// MaxACU is the Serverless v2 writer's maximum capacity; 0 for a
	// provisioned writer, which has no capacity to run out of.
	MaxACU float64
}

// Groups of alarms, in the order the plan and the dashboard show them.
const (
	GroupCockroach = "CockroachDB"
	GroupECS       = "ECS and Spot"
	GroupRequests  = "Request path"
	GroupEdge      = "Edge (us-east-1)"
	GroupAurora    = "Aurora"
)

const (
	minute = 60
	five   = 5 * minute
)

// Alarms are every alarm of a stack at a level, in the order of Groups.
func Alarms(t Targets, level Level) []Alarm {
	var out []Alarm
	if c := t.Cockroach; c != nil && level == Full {
		out = append(out, CockroachAlarms(*c)...)
		out = append(out, NodeServiceAlarms(*c)...)
	}
	out = append(out, RequestAlarms(t.API, t.NATGateways)...)
	if level == Full {
		out = append(out, EdgeAlarms(t.DistributionID)...)
	}
	if t.Aurora != nil {
		out = append(out, AuroraAlarms(*t.Aurora)...)
	}
	return out
}

// crdb is one of the nodes' metrics, over the whole cluster.
func crdb(c CockroachTargets, name, stat string) Metric {
	return Metric{Namespace: cockroach.MetricsNamespace, Name: name, Statistic: stat,
		Dimensions: []Dimension{{cockroach.MetricsDimension, c.ClusterName}}}
}

// CockroachAlarms watch the nodes' own metrics, which the collector
// exports (cockroach.ExportedMetrics).
func CockroachAlarms(c CockroachTargets) []Alarm {
	under := UnderReplicatedWindow(c.StorageGiB, c.Nodes)
	replace := int(NodeReplacementWindow.Seconds())
	g := GroupCockroach
	return []Alarm{
		{
			Name: "crdb-unavailable-ranges", Group: g, Title: "CockroachDB: unavailable ranges",
			Meaning:   "Some ranges have lost a quorum of replicas: reads and writes to their data fail. With replication factor 5 that takes three lost replicas of one range at once.",
			FirstStep: "Open the DB Console's Replication dashboard and the node list; bring dead nodes back (check the ECS services) before anything else, and do not decommission a node that holds the last replicas.",
			Metric:    crdb(c, cockroach.MetricUnavailableRanges, "Maximum"),
			Period:    minute, Evaluation: 5, Comparison: Above, Threshold: 0, Unit: "ranges", MissingData: NotBreaching,
		},
		{
			Name: "crdb-under-replicated", Group: g, Title: "CockroachDB: ranges under-replicated too long",
			Meaning: fmt.Sprintf("Ranges have had fewer replicas than the replication factor for %s, twice what healing from a lost node takes (%s until its store counts as dead, then re-replication of a %d GiB store): the cluster is not healing, and one more loss may make ranges unavailable.",
				duration(int(under.Seconds())), duration(int(cockroach.TimeUntilStoreDead.Seconds())), c.StorageGiB),
			FirstStep: "Check that every node service runs a task and that new nodes joined; look for nodes low on disk or throttled snapshots (kv.snapshot_rebalance.max_rate) in the DB Console.",
			Metric:    crdb(c, cockroach.MetricUnderReplicatedRanges, "Maximum"),
			Period:    five, Evaluation: int(under.Seconds()) / five, Comparison: Above, Threshold: 0, Unit: "ranges", MissingData: NotBreaching,
		},
		{
			Name: "crdb-live-nodes", Group: g, Title: "CockroachDB: fewer live nodes than desired",
			Meaning: fmt.Sprintf("For %s, no node has seen all %d nodes live: a node was not replaced after an interruption, or cannot join. No data at all (every node, or every collector, silent) counts too.",
				duration(replace), c.Nodes),
			FirstStep: "Look at the node services in the ECS console (stopped tasks and their reasons, Spot capacity); read the missing node's log stream in its log group.",
			Metric:    crdb(c, cockroach.MetricLiveNodes, "Maximum"),
			Period:    minute, Evaluation: replace / minute, Comparison: Below, Threshold: float64(c.Nodes), Unit: "nodes", MissingData: Breaching,
		},
		{
			Name: "crdb-storage-headroom", Group: g, Title: "CockroachDB: not enough free storage to survive a zone",
			Meaning: fmt.Sprintf("Less than %s%% of the cluster's storage is free: if a zone were lost, the other %d zones could not take its replicas and stay under %g%% full.",
				formatNumber(MinFreePercent(c.Zones)), max(c.Zones-1, 1), MaxFill*100),
			FirstStep:  "Add nodes (a multiple of three, edstack:cockroachNodes) or larger stores (edstack:cockroachStorageGiB); check for data that TTLs or deletes should have removed.",
			Expression: "100 * available / capacity", Label: "free storage (%)",
			Inputs: []Input{
				{ID: "available", Metric: crdb(c, cockroach.MetricCapacityAvailable, "Sum")},
				{ID: "capacity", Metric: crdb(c, cockroach.MetricCapacity, "Sum")},
			},
			Period: five, Evaluation: 3, Comparison: Below, Threshold: MinFreePercent(c.Zones), Unit: "%", MissingData: NotBreaching,
		},
		certAlarm(c, "crdb-ca-expiry", "the CA", cockroach.MetricCATTL,
			"The CA lasts ten years and edstack never renews it: plan its rotation (a new CA in the TLS secret alongside the old, then a roll)."),
		certAlarm(c, "crdb-node-cert-expiry", "the node certificate", cockroach.MetricNodeCertTTL,
			"Run `pulumi up`: it renews the node and root certificates within 90 days of expiry and rolls the nodes one at a time."),
		{
			Name: "crdb-backup-failed", Group: g, Title: "CockroachDB: a backup failed",
			Meaning:   "A run of the backup schedule failed in the last hour: the restore point is older than it should be.",
			FirstStep: "SHOW JOBS for the failed BACKUP job's error; check the backups bucket's policy and the task role, and the key's.",
			Metric:    crdb(c, cockroach.MetricBackupsFailed, "Sum"),
			Period:    3600, Evaluation: 1, Comparison: Above, Threshold: 0, Unit: "runs", MissingData: NotBreaching,
		},
		{
			Name: "crdb-backup-missing", Group: g, Title: "CockroachDB: no successful backup",
			Meaning: fmt.Sprintf("No backup succeeded in %s, two missed runs of the hourly schedule: the schedule may be paused or stuck (a stuck job never counts as failed).",
				duration(int(BackupGap.Seconds()))),
			FirstStep: "SHOW SCHEDULES and SHOW JOBS: resume a paused schedule, cancel a stuck job; the start script recreates a missing schedule at the next node start.",
			Metric:    crdb(c, cockroach.MetricBackupsSucceeded, "Sum"),
			Period:    int(BackupGap.Seconds()), Evaluation: 1, Comparison: Below, Threshold: 1, Unit: "runs", MissingData: NotBreaching,
		},
		{
			Name: "crdb-clock-offset", Group: g, Title: "CockroachDB: clock offset near the maximum",
			Meaning:    fmt.Sprintf("A node's clock is over %d ms off the others', ahead or behind (the offset has a sign); at 400 ms (80%% of the 500 ms maximum) it stops itself.", ClockOffsetThresholdMs),
			FirstStep:  "Find the node in the DB Console's clock offset graph and stop its task (ECS starts a new one on another host); Fargate syncs clocks with the Amazon Time Sync Service.",
			Expression: "MAX([ahead, -1 * behind])", Label: "clock offset, either way (ns)",
			Inputs: []Input{
				{ID: "ahead", Metric: crdb(c, cockroach.MetricClockOffset, "Maximum")},
				{ID: "behind", Metric: crdb(c, cockroach.MetricClockOffset, "Minimum")},
			},
			Period: minute, Evaluation: 5, Comparison: Above, Threshold: ClockOffsetThresholdMs * 1e6, Unit: "ns", MissingData: NotBreaching,
		},
	}
}

func certAlarm(c CockroachTargets, name, what, metric, first string) Alarm {
	return Alarm{
		Name: name, Group: GroupCockroach, Title: "CockroachDB: " + what + " expires within " + fmt.Sprint(CertificateWarningDays) + " days",
		Meaning:   fmt.Sprintf("%s%s expires within %d days (or a node cannot read it); when it expires, nodes and clients refuse each other's connections.", strings.ToUpper(what[:1]), what[1:], CertificateWarningDays),
		FirstStep: first,
		Metric:    crdb(c, metric, "Minimum"),
		Period:    3600, Evaluation: 1, Comparison: Below, Threshold: CertificateWarningDays * 86400, Unit: "s", MissingData: NotBreaching,
	}
}

// NodeServiceAlarms watch each node service's running tasks (Container
// Insights): one alarm per node, so that the notification names it.
func NodeServiceAlarms(c CockroachTargets) []Alarm {
	replace := int(NodeReplacementWindow.Seconds())
	out := make([]Alarm, 0, len(c.ServiceNames))
	for i, svc := range c.ServiceNames {
		out = append(out, Alarm{
			Name: fmt.Sprintf("crdb-node-%d-not-running", i), Group: GroupECS,
			Title:     fmt.Sprintf("ECS: node %d has no running task", i),
			Meaning:   fmt.Sprintf("Service %s has run no task for %s: ECS cannot place it (no Spot capacity in its zone, a failing start) and the cluster is a node short.", svc, duration(replace)),
			FirstStep: "Read the service's events and its last stopped task's reason in the ECS console; with no Spot capacity, move the node to on-demand (edstack:cockroachOnDemandNodes).",
			Metric: Metric{Namespace: "ECS/ContainerInsights", Name: "RunningTaskCount", Statistic: "Maximum",
				Dimensions: []Dimension{{"ClusterName", c.ClusterName}, {"ServiceName", svc}}},
			Period: minute, Evaluation: replace / minute, Comparison: Below, Threshold: 1, Unit: "tasks", MissingData: Breaching,
		})
	}
	return out
}

func lambdaMetric(fn any, name, stat string) Metric {
	return Metric{Namespace: "AWS/Lambda", Name: name, Statistic: stat, Dimensions: []Dimension{{"FunctionName", fn}}}
}

func httpAPIMetric(id any, name string) Metric {
	return Metric{Namespace: "AWS/ApiGateway", Name: name, Statistic: "Sum", Dimensions: []Dimension{{"ApiId", id}}}
}

// RequestAlarms watch the functions, the queues, the HTTP API and the NAT
// gateways: metrics AWS publishes at no cost.
func RequestAlarms(a APITargets, nats []any) []Alarm {
	g := GroupRequests
	out := []Alarm{
		{
			Name: "api-errors", Group: g, Title: "API function: errors",
			Meaning:   fmt.Sprintf("The API function failed at least %d times in 5 minutes, twice in a row (unhandled errors, timeouts, crashes): students see errors.", APIErrorsPer5Min),
			FirstStep: "Read the function's log group for the errors; if a deployment preceded them, roll it back.",
			Metric:    lambdaMetric(a.APIFunction, "Errors", "Sum"),
			Period:    five, Evaluation: 2, Comparison: AtOrAbove, Threshold: APIErrorsPer5Min, Unit: "errors", MissingData: NotBreaching,
		},
		{
			Name: "api-throttles", Group: g, Title: "API function: throttled",
			Meaning:   "Requests found the API function at its reserved concurrency: they were refused.",
			FirstStep: "Check for a traffic spike or slow database calls holding instances; raise edstack:apiReservedConcurrency if the load is real.",
			Metric:    lambdaMetric(a.APIFunction, "Throttles", "Sum"),
			Period:    five, Evaluation: 1, Comparison: Above, Threshold: 0, Unit: "requests", MissingData: NotBreaching,
		},
		{
			Name: "api-duration", Group: g, Title: "API function: near its timeout",
			Meaning:   fmt.Sprintf("The API function's 99th percentile ran over %g%% of its %d s timeout for 15 minutes: requests are about to time out.", NearTimeout*100, a.SyncTimeout),
			FirstStep: "Look at the database's latency (the DB Console's SQL dashboard) and the function's slowest requests in its logs.",
			Metric:    lambdaMetric(a.APIFunction, "Duration", "p99"),
			Period:    five, Evaluation: 3, Comparison: Above, Threshold: DurationThresholdMs(a.SyncTimeout), Unit: "ms", MissingData: NotBreaching,
		},
		{
			Name: "worker-errors", Group: g, Title: "Worker function: errors",
			Meaning:   fmt.Sprintf("At least %d job tries failed in 5 minutes; failing jobs are retried, then go to the dead-letter queue.", WorkerErrorsPer5Min),
			FirstStep: "Read the worker's log group for the errors.",
			Metric:    lambdaMetric(a.WorkerFunction, "Errors", "Sum"),
			Period:    five, Evaluation: 1, Comparison: AtOrAbove, Threshold: WorkerErrorsPer5Min, Unit: "errors", MissingData: NotBreaching,
		},
		{
			Name: "worker-throttles", Group: g, Title: "Worker function: throttled",
			Meaning:   "The worker found no concurrency to run: the account's concurrency is spent elsewhere.",
			FirstStep: "Check the account's concurrent executions and other functions' reserved concurrency.",
			Metric:    lambdaMetric(a.WorkerFunction, "Throttles", "Sum"),
			Period:    five, Evaluation: 1, Comparison: Above, Threshold: 0, Unit: "invocations", MissingData: NotBreaching,
		},
		{
			Name: "worker-duration", Group: g, Title: "Worker function: near its timeout",
			Meaning:   fmt.Sprintf("A job ran over %g%% of the worker's %d s timeout: jobs that grow a little more will time out and be retried.", NearTimeout*100, a.WorkerTimeout),
			FirstStep: "Find the slow job in the worker's logs; split long jobs.",
			Metric:    lambdaMetric(a.WorkerFunction, "Duration", "Maximum"),
			Period:    five, Evaluation: 1, Comparison: Above, Threshold: DurationThresholdMs(a.WorkerTimeout), Unit: "ms", MissingData: NotBreaching,
		},
		{
			Name: "queue-oldest-job", Group: g, Title: "Work queue: jobs waiting too long",
			Meaning:   fmt.Sprintf("The oldest job has waited over %s (a visibility timeout and one more run): the workers cannot keep up, or keep failing it.", duration(OldestJobThreshold(a.WorkerTimeout))),
			FirstStep: "Compare the worker's errors and concurrency (edstack:workerMaxConcurrency) with the queue's depth.",
			Metric: Metric{Namespace: "AWS/SQS", Name: "ApproximateAgeOfOldestMessage", Statistic: "Maximum",
				Dimensions: []Dimension{{"QueueName", a.Queue}}},
			Period: five, Evaluation: 1, Comparison: Above, Threshold: float64(OldestJobThreshold(a.WorkerTimeout)), Unit: "s", MissingData: NotBreaching,
		},
		{
			Name: "dlq-messages", Group: g, Title: "Dead-letter queue: failed jobs",
			Meaning:   "Jobs failed every try and wait in the dead-letter queue (kept 14 days): their work was not done.",
			FirstStep: "Read a message and the worker's logs for its error; once fixed, redrive the queue to the work queue (SQS console, \"Start DLQ redrive\").",
			Metric: Metric{Namespace: "AWS/SQS", Name: "ApproximateNumberOfMessagesVisible", Statistic: "Maximum",
				Dimensions: []Dimension{{"QueueName", a.DLQ}}},
			Period: five, Evaluation: 1, Comparison: Above, Threshold: 0, Unit: "jobs", MissingData: NotBreaching,
		},
		{
			Name: "http-api-5xx", Group: g, Title: "HTTP API: server errors",
			Meaning: fmt.Sprintf("Over %d%% of the API's answers were 5xx for 10 minutes (periods with at least %d requests): students see errors.",
				Error5xxPercent, MinRequestsForRate),
			FirstStep:  "Check the API function's errors and throttles alarms, then the HTTP API's access logs for the failing routes.",
			Expression: fmt.Sprintf("IF(requests >= %d, 100 * errors / requests, 0)", MinRequestsForRate), Label: fmt.Sprintf("5xx rate (%%) of periods with at least %d requests", MinRequestsForRate),
			Inputs: []Input{
				{ID: "errors", Metric: httpAPIMetric(a.HTTPAPIID, "5xx")},
				{ID: "requests", Metric: httpAPIMetric(a.HTTPAPIID, "Count")},
			},
			Period: five, Evaluation: 2, Comparison: Above, Threshold: Error5xxPercent, Unit: "%", MissingData: NotBreaching,
		},
		{
			Name: "http-api-latency", Group: g, Title: "HTTP API: slow",
			Meaning:   fmt.Sprintf("The API's 95th percentile latency was over %d ms for 15 minutes.", LatencyP95Ms),
			FirstStep: "Compare with the API function's duration; if the function is fast, look at cold starts and the HTTP API's integration latency.",
			Metric: Metric{Namespace: "AWS/ApiGateway", Name: "Latency", Statistic: "p95",
				Dimensions: []Dimension{{"ApiId", a.HTTPAPIID}}},
			Period: five, Evaluation: 3, Comparison: Above, Threshold: LatencyP95Ms, Unit: "ms", MissingData: NotBreaching,
		},
	}
	for i, id := range nats {
		out = append(out, Alarm{
			Name: fmt.Sprintf("nat-%d-port-allocation", i), Group: g, Title: fmt.Sprintf("NAT gateway %d: out of ports", i),
			Meaning:   "The NAT gateway could not allocate a source port: connections from the private subnets (functions, nodes) to the internet failed.",
			FirstStep: "Find what opens so many connections to one destination (VPC flow logs); reuse connections, or add an address to the gateway.",
			Metric: Metric{Namespace: "AWS/NATGateway", Name: "ErrorPortAllocation", Statistic: "Sum",
				Dimensions: []Dimension{{"NatGatewayId", id}}},
			Period: five, Evaluation: 1, Comparison: Above, Threshold: 0, Unit: "errors", MissingData: NotBreaching,
		})
	}
	return out
}

// EdgeAlarms watch CloudFront, whose metrics live in us-east-1.
func EdgeAlarms(distribution any) []Alarm {
	return []Alarm{{
		Name: "cloudfront-5xx", Group: GroupEdge, Title: "CloudFront: server errors",
		Meaning:   fmt.Sprintf("Over %d%% of the site's answers were 5xx for 10 minutes: the static site or the API fails for students.", Error5xxPercent),
		FirstStep: "Check the HTTP API's alarms first; if they are quiet, the static bucket or the origin settings (CloudFront's error logs in the access-log bucket).",
		Metric: Metric{Namespace: "AWS/CloudFront", Name: "5xxErrorRate", Statistic: "Average",
			Dimensions: []Dimension{{"DistributionId", distribution}, {"Region", "Global"}}},
		Period: five, Evaluation: 2, Comparison: Above, Threshold: Error5xxPercent, Unit: "%", MissingData: NotBreaching,
		InUSEast1: true,
	}}
}

// AuroraAlarms watch the Aurora fallback by role, as AWS advises (an
// instance's role may change).
func AuroraAlarms(a AuroraTargets) []Alarm {
	role := func(name, stat, r string) Metric {
		return Metric{Namespace: "AWS/RDS", Name: name, Statistic: stat,
			Dimensions: []Dimension{{"DBClusterIdentifier", a.ClusterIdentifier}, {"Role", r}}}
	}
	g := GroupAurora
	out := []Alarm{
		{
			Name: "aurora-writer-cpu", Group: g, Title: "Aurora: writer CPU high",
			Meaning:   fmt.Sprintf("The writer's CPU was over %d%% for 15 minutes: writes slow down, and readers cannot take writes.", CPUPercent),
			FirstStep: "Performance Insights' top SQL; a larger writer (or MaxACU) if the load is real.",
			Metric:    role("CPUUtilization", "Average", "WRITER"),
			Period:    five, Evaluation: 3, Comparison: Above, Threshold: CPUPercent, Unit: "%", MissingData: NotBreaching,
		},
		{
			Name: "aurora-replica-lag", Group: g, Title: "Aurora: readers behind",
			Meaning:   fmt.Sprintf("A reader was over %d ms behind the writer for 15 minutes: reads return stale data.", ReplicaLagMs),
			FirstStep: "Check the writer's write load and the lagging reader's CPU.",
			Metric:    role("AuroraReplicaLag", "Maximum", "READER"),
			Period:    five, Evaluation: 3, Comparison: Above, Threshold: ReplicaLagMs, Unit: "ms", MissingData: NotBreaching,
		},
	}
	if a.MaxACU > 0 {
		out = append(out, Alarm{
			Name: "aurora-capacity-max", Group: g, Title: "Aurora: writer at its maximum capacity",
			Meaning:   fmt.Sprintf("The Serverless v2 writer ran at its maximum of %g ACU for 15 minutes: it cannot grow to meet more load.", a.MaxACU),
			FirstStep: "Raise the writer's MaxACU, or find the queries behind the load (Performance Insights).",
			Metric:    role("ServerlessDatabaseCapacity", "Maximum", "WRITER"),
			Period:    five, Evaluation: 3, Comparison: AtOrAbove, Threshold: math.Round(a.MaxACU*10) / 10, Unit: "ACU", MissingData: NotBreaching,
		})
	}
	return out
}
