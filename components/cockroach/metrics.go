package cockroach

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// The metrics export: each node's task runs the AWS Distro for
// OpenTelemetry collector beside the node. It scrapes the node's Prometheus
// endpoint (/_status/vars on the HTTP port, over TLS, verified against the
// cluster's CA) and writes the metrics the alarms need to CloudWatch as
// embedded metric format (EMF) log events, which CloudWatch turns into
// metrics of MetricsNamespace.

// CollectorImage is the collector the tasks run: AWS's distribution of the
// OpenTelemetry collector, pinned, from AWS's public registry.
const CollectorImage = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"

// CollectorContainerName is the collector's container in a node's task.
const CollectorContainerName = "metrics"

// The collector's share of a node's task: what AWS's Fargate sidecar
// template gives it. The node gets the rest (TaskBudget).
const (
	CollectorCPU       = 256
	CollectorMemoryMiB = 512
	// collectorMemoryLimitMiB is where the collector's memory_limiter starts
	// refusing data, below its container's hard limit, so that it sheds
	// load rather than being killed.
	collectorMemoryLimitMiB = 400
)

// ScrapeInterval is how often the collector reads the node's metrics, in
// seconds. Every alarm period on these metrics is a multiple of it.
const ScrapeInterval = 60

// MetricsNamespace is the CloudWatch namespace of the nodes' metrics.
const MetricsNamespace = "edstack/CockroachDB"

// MetricsDimension is the one dimension of the nodes' metrics: the
// cluster's name (ClusterName). Every node writes under the same value, so a
// metric is the cluster's, and an alarm's statistic runs over every node's
// samples: Maximum is the worst node, Sum the cluster's total. One
// dimension keeps the custom metrics to one per metric name, whatever the
// node count.
const MetricsDimension = "Cluster"

// The Prometheus names (/_status/vars) of the metrics the alarms watch.
const (
	// MetricUnavailableRanges counts ranges without a quorum of live
	// replicas (each range's leaseholder, or its first live replica,
	// reports it): reads and writes to them fail.
	MetricUnavailableRanges = "ranges_unavailable"
	// MetricUnderReplicatedRanges counts ranges with fewer live replicas
	// than the replication factor.
	MetricUnderReplicatedRanges = "ranges_underreplicated"
	// MetricLiveNodes is the number of live nodes as a node sees them (0
	// when the node is not itself live).
	MetricLiveNodes = "liveness_livenodes"
	// MetricCapacity, MetricCapacityAvailable: a store's size and free
	// bytes.
	MetricCapacity          = "capacity"
	MetricCapacityAvailable = "capacity_available"
	// MetricCATTL and MetricNodeCertTTL are the seconds until the CA and the
	// node certificate expire (0 when expired or unreadable); CockroachDB
	// has them since v24.3 (backported to v24.1).
	MetricCATTL       = "security_certificate_ttl_ca"
	MetricNodeCertTTL = "security_certificate_ttl_node"
	// MetricBackupsFailed and MetricBackupsSucceeded count the backup
	// schedule's runs that failed and succeeded, on the node that ran them;
	// the collector writes them as increments per scrape (the EMF exporter
	// turns a Prometheus counter into deltas).
	MetricBackupsFailed    = "schedules_BACKUP_failed"
	MetricBackupsSucceeded = "schedules_BACKUP_succeeded"
	// MetricClockOffset is the node's mean clock offset from the others,
	// in nanoseconds.
	MetricClockOffset = "clock_offset_meannanos"
)

// ExportedMetrics are the metrics the collector keeps and writes to
// CloudWatch: the alarms' and nothing else, as every metric name is a
// custom metric and every sample a log event.
var ExportedMetrics = []string{
	MetricUnavailableRanges, MetricUnderReplicatedRanges, MetricLiveNodes,
	MetricCapacity, MetricCapacityAvailable,
	MetricCATTL, MetricNodeCertTTL,
	MetricBackupsFailed, MetricBackupsSucceeded,
	MetricClockOffset,
}

// MetricsLogGroupLeaf ends the collector's log group's name.
const MetricsLogGroupLeaf = "/cockroach-metrics"

// MetricsLogGroup is the log group the collector writes its EMF events to,
// each node to its own stream, node-<i> (one task per node at a time).
func MetricsLogGroup(prefix string) string { return "/edstack/" + prefix + MetricsLogGroupLeaf }

// Collector is what one node's collector needs.
type Collector struct {
	Node int
	// Cluster is the value of MetricsDimension: the ECS cluster's name.
	Cluster string
	// CACert is the cluster's CA certificate (PEM, public), which the
	// collector verifies the node's HTTPS certificate with.
	CACert   string
	LogGroup string // MetricsLogGroup
	Region   string
}

// metricNamePattern is what a Prometheus metric name may be.
var metricNamePattern = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// Config renders the collector's configuration (the OpenTelemetry
// collector's YAML), which the container receives in AOT_CONFIG_CONTENT.
//
// It scrapes https://localhost:<HTTPPort>/_status/vars every
// ScrapeInterval: the collector shares the task's network namespace with
// the node, and the node's certificate names localhost (NodeSANs). The
// endpoint needs no login, only TLS (CockroachDB serves it unauthenticated
// for monitoring). The scrape keeps ExportedMetrics only, labelled with the
// cluster, and the EMF exporter writes them to LogGroup under
// MetricsNamespace with that one dimension.
//
// The text has no "$": the collector expands ${...} in its configuration,
// so the name patterns are written without anchors (a keep relabelling
// matches the whole name anyway).
func (c Collector) Config() (string, error) {
	for _, m := range ExportedMetrics {
		if !metricNamePattern.MatchString(m) {
			return "", fmt.Errorf("cockroach: metric %q is not a Prometheus name", m)
		}
	}
	names := strings.Join(ExportedMetrics, "|")
	cfg := map[string]any{
		"receivers": map[string]any{
			"prometheus": map[string]any{
				"config": map[string]any{
					"scrape_configs": []any{map[string]any{
						"job_name":        "cockroach",
						"scrape_interval": fmt.Sprintf("%ds", ScrapeInterval),
						"scrape_timeout":  "10s",
						"scheme":          "https",
						"metrics_path":    "/_status/vars",
						"tls_config": map[string]any{
							"ca":          c.CACert,
							"server_name": "localhost",
						},
						"static_configs": []any{map[string]any{
							"targets": []string{fmt.Sprintf("localhost:%d", HTTPPort)},
							"labels":  map[string]string{MetricsDimension: c.Cluster},
						}},
						"metric_relabel_configs": []any{map[string]any{
							"source_labels": []string{"__name__"},
							"regex":         names,
							"action":        "keep",
						}},
					}},
				},
			},
		},
		"processors": map[string]any{
			"memory_limiter": map[string]any{
				"check_interval":  "5s",
				"limit_mib":       collectorMemoryLimitMiB,
				"spike_limit_mib": 100,
			},
			"batch": map[string]any{},
		},
		"exporters": map[string]any{
			"awsemf": map[string]any{
				"namespace":               MetricsNamespace,
				"region":                  c.Region,
				"log_group_name":          c.LogGroup,
				"log_stream_name":         fmt.Sprintf("node-%d", c.Node),
				"dimension_rollup_option": "NoDimensionRollup",
				"metric_declarations": []any{map[string]any{
					"dimensions":            [][]string{{MetricsDimension}},
					"metric_name_selectors": []string{"^(" + names + ")"},
				}},
			},
		},
		"service": map[string]any{
			"pipelines": map[string]any{
				"metrics": map[string]any{
					"receivers":  []string{"prometheus"},
					"processors": []string{"memory_limiter", "batch"},
					"exporters":  []string{"awsemf"},
				},
			},
		},
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("cockroach: collector config: %w", err)
	}
	if strings.Contains(string(out), "$") {
		return "", fmt.Errorf("cockroach: collector config has a \"$\", which the collector would expand")
	}
	return string(out), nil
}

// Budget is how a node's task divides its CPU units and memory between
// the node and, when metrics are exported, the collector.
type Budget struct {
	NodeCPU, NodeMemoryMiB           int
	CollectorCPU, CollectorMemoryMiB int
}

// TaskBudget divides a task of cpu units and memoryMiB: the collector gets
// its fixed share and the node the rest, so the two never compete for
// memory and CockroachDB's fractions (--cache, --max-sql-memory) apply to
// the node's own share (its container's memory limit, which it reads).
func TaskBudget(cpu, memoryMiB int, metrics bool) Budget {
	if !metrics {
		return Budget{NodeCPU: cpu, NodeMemoryMiB: memoryMiB}
	}
	return Budget{
		NodeCPU: cpu - CollectorCPU, NodeMemoryMiB: memoryMiB - CollectorMemoryMiB,
		CollectorCPU: CollectorCPU, CollectorMemoryMiB: CollectorMemoryMiB,
	}
}

// collectorDefinition is the collector's container: not essential, so that
// a collector that fails (or whose image cannot be pulled) never stops its
// node, which therefore does not wait for it either; read-only like the
// node's; logging to the node's log group under the node's prefix. It
// takes the node's stop timeout, which it never needs (it flushes and exits
// on SIGTERM), so that every container of a Spot task has the whole notice
// (policy EDS-CRDB-2).
func (s ContainerSpec) collectorDefinition(config string) map[string]any {
	return map[string]any{
		"name":                   CollectorContainerName,
		"image":                  CollectorImage,
		"essential":              false,
		"cpu":                    s.Budget.CollectorCPU,
		"memory":                 s.Budget.CollectorMemoryMiB,
		"environment":            []keyValue{{"AOT_CONFIG_CONTENT", config}},
		"readonlyRootFilesystem": true,
		"stopTimeout":            int(SpotNotice.Seconds()),
		"logConfiguration":       s.logConfiguration(),
	}
}
