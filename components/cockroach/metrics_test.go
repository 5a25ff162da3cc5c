package cockroach_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"edstack/components/cockroach"
	policy "edstack/components/iam"
)

const testCA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUe2R\nc3RhY2sgdGVzdCBDQQ==\n-----END CERTIFICATE-----\n"

// collectorConfig is the part of the OpenTelemetry collector's
// configuration the tests read.
type collectorConfig struct {
	Receivers struct {
		Prometheus struct {
			Config struct {
				ScrapeConfigs []struct {
					JobName        string `yaml:"job_name"`
					ScrapeInterval string `yaml:"scrape_interval"`
					Scheme         string `yaml:"scheme"`
					MetricsPath    string `yaml:"metrics_path"`
					TLSConfig      struct {
						CA         string `yaml:"ca"`
						ServerName string `yaml:"server_name"`
						Insecure   bool   `yaml:"insecure_skip_verify"`
					} `yaml:"tls_config"`
					StaticConfigs []struct {
						Targets []string          `yaml:"targets"`
						Labels  map[string]string `yaml:"labels"`
					} `yaml:"static_configs"`
					MetricRelabelConfigs []struct {
						SourceLabels []string `yaml:"source_labels"`
						Regex        string   `yaml:"regex"`
						Action       string   `yaml:"action"`
					} `yaml:"metric_relabel_configs"`
				} `yaml:"scrape_configs"`
			} `yaml:"config"`
		} `yaml:"prometheus"`
	} `yaml:"receivers"`
	Exporters struct {
		AWSEMF struct {
			Namespace          string `yaml:"namespace"`
			Region             string `yaml:"region"`
			LogGroupName       string `yaml:"log_group_name"`
			LogStreamName      string `yaml:"log_stream_name"`
			DimensionRollup    string `yaml:"dimension_rollup_option"`
			MetricDeclarations []struct {
				Dimensions          [][]string `yaml:"dimensions"`
				MetricNameSelectors []string   `yaml:"metric_name_selectors"`
			} `yaml:"metric_declarations"`
		} `yaml:"awsemf"`
	} `yaml:"exporters"`
	Processors map[string]any `yaml:"processors"`
	Service    struct {
		Pipelines map[string]struct {
			Receivers  []string `yaml:"receivers"`
			Processors []string `yaml:"processors"`
			Exporters  []string `yaml:"exporters"`
		} `yaml:"pipelines"`
	} `yaml:"service"`
}

func parseCollector(t *testing.T, text string) collectorConfig {
	t.Helper()
	var c collectorConfig
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(false)
	require.NoError(t, dec.Decode(&c), "the collector's configuration parses")
	return c
}

// keeps reports whether a Prometheus relabel regex keeps name: Prometheus
// anchors it at both ends.
func keeps(t *testing.T, regex, name string) bool {
	t.Helper()
	return regexp.MustCompile("^(?:" + regex + ")$").MatchString(name)
}

func TestCollectorConfig(t *testing.T) {
	text, err := cockroach.Collector{Node: 7, Cluster: "nz-crdb-cluster", CACert: testCA,
		LogGroup: cockroach.MetricsLogGroup("nz"), Region: "ap-southeast-2"}.Config()
	require.NoError(t, err)
	assert.NotContains(t, text, "$", "the collector would expand it")
	c := parseCollector(t, text)

	require.Len(t, c.Receivers.Prometheus.Config.ScrapeConfigs, 1)
	s := c.Receivers.Prometheus.Config.ScrapeConfigs[0]
	assert.Equal(t, "https", s.Scheme, "a secure node serves its HTTP port over TLS only")
	assert.Equal(t, "/_status/vars", s.MetricsPath)
	assert.Equal(t, fmt.Sprintf("%ds", cockroach.ScrapeInterval), s.ScrapeInterval)
	assert.Equal(t, testCA, s.TLSConfig.CA, "the node's certificate is verified against the cluster's CA, verbatim")
	assert.False(t, s.TLSConfig.Insecure)
	assert.Equal(t, "localhost", s.TLSConfig.ServerName)
	assert.Contains(t, cockroach.NodeSANs("crdb.nz.internal"), s.TLSConfig.ServerName, "the node certificate names what the collector verifies")
	require.Len(t, s.StaticConfigs, 1)
	assert.Equal(t, []string{fmt.Sprintf("localhost:%d", cockroach.HTTPPort)}, s.StaticConfigs[0].Targets, "its own node's HTTP port, in the task's network namespace")
	assert.Equal(t, map[string]string{cockroach.MetricsDimension: "nz-crdb-cluster"}, s.StaticConfigs[0].Labels)

	require.Len(t, s.MetricRelabelConfigs, 1)
	keep := s.MetricRelabelConfigs[0]
	assert.Equal(t, "keep", keep.Action)
	assert.Equal(t, []string{"__name__"}, keep.SourceLabels)
	for _, m := range cockroach.ExportedMetrics {
		assert.True(t, keeps(t, keep.Regex, m), "keeps %s", m)
	}
	for _, m := range []string{"sql_conns", "capacity_reserved", "ranges", "liveness_livenodes_total"} {
		assert.False(t, keeps(t, keep.Regex, m), "drops %s: only what the alarms read becomes a custom metric", m)
	}

	emf := c.Exporters.AWSEMF
	assert.Equal(t, cockroach.MetricsNamespace, emf.Namespace)
	assert.Equal(t, "ap-southeast-2", emf.Region)
	assert.Equal(t, "/edstack/nz/cockroach-metrics", emf.LogGroupName)
	assert.Equal(t, "node-7", emf.LogStreamName, "no {TaskId}: the Prometheus receiver sets no task id to fill it")
	assert.Equal(t, "NoDimensionRollup", emf.DimensionRollup, "no extra dimension sets, each a custom metric")
	require.Len(t, emf.MetricDeclarations, 1)
	assert.Equal(t, [][]string{{cockroach.MetricsDimension}}, emf.MetricDeclarations[0].Dimensions)
	for _, m := range cockroach.ExportedMetrics {
		selected := false
		for _, sel := range emf.MetricDeclarations[0].MetricNameSelectors {
			selected = selected || regexp.MustCompile(sel).MatchString(m)
		}
		assert.True(t, selected, "%s becomes a CloudWatch metric", m)
	}
	p := c.Service.Pipelines["metrics"]
	assert.Equal(t, []string{"prometheus"}, p.Receivers)
	assert.Equal(t, []string{"awsemf"}, p.Exporters)
	for _, name := range p.Processors {
		assert.Contains(t, c.Processors, name, "every processor of the pipeline is configured")
	}
}

func TestTaskBudget(t *testing.T) {
	for _, size := range [][2]int{{4096, 24576}, {4096, 8192}, {8192, 61440}, {16384, 32768}} {
		b := cockroach.TaskBudget(size[0], size[1], true)
		assert.Equal(t, size[0], b.NodeCPU+b.CollectorCPU, "%v: the task's CPU, all shared out", size)
		assert.Equal(t, size[1], b.NodeMemoryMiB+b.CollectorMemoryMiB, "%v: the task's memory, all shared out", size)
		assert.Equal(t, cockroach.CollectorMemoryMiB, b.CollectorMemoryMiB)
		assert.GreaterOrEqual(t, b.NodeCPU, 3*1024, "the node keeps nearly all of its CPU")
	}
	assert.Equal(t, cockroach.Budget{NodeCPU: 4096, NodeMemoryMiB: 24576}, cockroach.TaskBudget(4096, 24576, false), "without metrics the node has the task")
}

// containers parses a node's task definition's containers by name.
func containers(t *testing.T, raw string) map[string]map[string]any {
	t.Helper()
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &defs))
	out := map[string]map[string]any{}
	for _, d := range defs {
		out[d["name"].(string)] = d
	}
	return out
}

func TestMetricsReachEveryNode(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 6, CPU: 8192, MemoryMiB: 32768, LogRetentionDays: 30, Metrics: true, ContainerInsights: true})
	cluster := res.Named("aws:ecs/cluster:Cluster", "nz-crdb-cluster")
	assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "enabled"}}, cluster.Input("settings"))
	ca := res.Named("tls:index/selfSignedCert:SelfSignedCert", "nz-crdb-ca")
	require.NotNil(t, ca)
	group := res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-crdb-metrics-logs")
	require.NotNil(t, group)
	assert.Equal(t, "/edstack/nz/cockroach-metrics", group.Input("name"))
	assert.Equal(t, float64(30), group.Input("retentionInDays"), "the stack's retention reaches the metrics' log group")

	for i := range 6 {
		td := res.Named("aws:ecs/taskDefinition:TaskDefinition", fmt.Sprintf("nz-crdb-node-%d-task", i))
		defs := containers(t, td.Input("containerDefinitions").(string))
		require.Len(t, defs, 2, "node %d runs its collector beside it", i)
		node, col := defs[cockroach.ContainerName], defs[cockroach.CollectorContainerName]
		assert.Equal(t, true, node["essential"])
		assert.Equal(t, false, col["essential"], "a failing collector never stops its node")
		assert.Equal(t, cockroach.CollectorImage, col["image"])
		assert.Equal(t, float64(8192-cockroach.CollectorCPU), node["cpu"])
		assert.Equal(t, float64(32768-cockroach.CollectorMemoryMiB), node["memory"], "the node's hard limit, which CockroachDB's fractions apply to")
		assert.Equal(t, float64(cockroach.CollectorMemoryMiB), col["memory"])
		assert.Equal(t, true, col["readonlyRootFilesystem"])
		env := col["environment"].([]any)
		require.Len(t, env, 1)
		cfg := parseCollector(t, env[0].(map[string]any)["value"].(string))
		s := cfg.Receivers.Prometheus.Config.ScrapeConfigs[0]
		assert.Equal(t, ca.State["certPem"].StringValue(), s.TLSConfig.CA, "node %d's collector trusts the cluster's CA", i)
		assert.Equal(t, cluster.State["name"].StringValue(), s.StaticConfigs[0].Labels[cockroach.MetricsDimension])
		assert.Equal(t, fmt.Sprintf("node-%d", i), cfg.Exporters.AWSEMF.LogStreamName)
	}

	doc, err := policy.Parse(res.Input("aws:iam/rolePolicy:RolePolicy", "nz-crdb-task-policy", "policy").(string))
	require.NoError(t, err)
	var write *policy.Statement
	for i := range doc.Statement {
		if doc.Statement[i].Sid == "WriteNodeMetrics" {
			write = &doc.Statement[i]
		}
	}
	require.NotNil(t, write, "the task role may write the metrics")
	assert.Equal(t, []string{group.State["arn"].StringValue() + ":*"}, write.Resource, "to its own log group only")
	assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents"}, write.Action)
}

func TestNoMetricsNoCollector(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 3})
	_, c := containerDef(t, res)
	assert.Equal(t, float64(cockroach.DefaultMemoryMiB), c["memory"], "the node has the whole task")
	assert.Nil(t, res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-crdb-metrics-logs"))
	assert.NotContains(t, res.Input("aws:iam/rolePolicy:RolePolicy", "nz-crdb-task-policy", "policy"), "WriteNodeMetrics")
}
