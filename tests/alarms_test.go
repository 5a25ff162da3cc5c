package tests

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"edstack/components/cockroach"
	"edstack/plan"
	"edstack/plan/engine"
)

const (
	alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm"
	topicType = "aws:sns/topic:Topic"
	subType   = "aws:sns/topicSubscription:TopicSubscription"
)

// stackPlan plans a stack with config overrides through the Go API, which
// keeps the resources' computed state.
func stackPlan(t *testing.T, stack string, config ...string) *plan.Plan {
	t.Helper()
	p, err := plan.Build(plan.Options{Dir: "..", Stack: stack, Overrides: overrides(t, config), Today: "2026-11-21"})
	require.NoError(t, err)
	return p
}

func byName(p *plan.Plan, typ, name string) *engine.Resource {
	for _, r := range p.Resources {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	return nil
}

func ofType(p *plan.Plan, typ string) []*engine.Resource {
	var out []*engine.Resource
	for _, r := range p.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func state(r *engine.Resource, key string) string {
	if r == nil {
		return ""
	}
	v, ok := r.State[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// watch is what one alarm must watch.
type watch struct {
	namespace, metric, stat string
	dims                    map[string]string
	comparison              string
	threshold               float64
	period, evaluation      int
}

// Every alarm of nz (full monitoring, Aurora on) watches the metric,
// dimensions, statistic, threshold and period it is meant to.
func TestEveryAlarmWatchesWhatItSays(t *testing.T) {
	p := stackPlan(t, "nz", auroraPrefix)
	cluster := state(byName(p, "aws:ecs/cluster:Cluster", "nz-crdb-cluster"), "name")
	clusterArn := state(byName(p, "aws:ecs/cluster:Cluster", "nz-crdb-cluster"), "arn")
	require.NotEmpty(t, cluster)
	fn := func(n string) map[string]string {
		return map[string]string{"FunctionName": state(byName(p, fnType, n), "name")}
	}
	queue := func(n string) map[string]string {
		return map[string]string{"QueueName": state(byName(p, queueType, n), "name")}
	}
	crdb := map[string]string{cockroach.MetricsDimension: cluster}
	api := map[string]string{"ApiId": byName(p, "aws:apigatewayv2/api:Api", "nz-http-api").ID}
	aurora := func(role string) map[string]string {
		return map[string]string{"DBClusterIdentifier": state(byName(p, "aws:rds/cluster:Cluster", "nz-aurora-cluster"), "clusterIdentifier"), "Role": role}
	}
	ns := "edstack/CockroachDB"
	want := map[string]watch{
		"nz-alarm-crdb-unavailable-ranges": {ns, "ranges_unavailable", "Maximum", crdb, "GreaterThanThreshold", 0, 60, 5},
		"nz-alarm-crdb-under-replicated":   {ns, "ranges_underreplicated", "Maximum", crdb, "GreaterThanThreshold", 0, 300, 5},
		"nz-alarm-crdb-live-nodes":         {ns, "liveness_livenodes", "Maximum", crdb, "LessThanThreshold", 12, 60, 10},
		"nz-alarm-crdb-ca-expiry":          {ns, "security_certificate_ttl_ca", "Minimum", crdb, "LessThanThreshold", 30 * 86400, 3600, 1},
		"nz-alarm-crdb-node-cert-expiry":   {ns, "security_certificate_ttl_node", "Minimum", crdb, "LessThanThreshold", 30 * 86400, 3600, 1},
		"nz-alarm-crdb-backup-failed":      {ns, "schedules_BACKUP_failed", "Sum", crdb, "GreaterThanThreshold", 0, 3600, 1},
		"nz-alarm-crdb-backup-missing":     {ns, "schedules_BACKUP_succeeded", "Sum", crdb, "LessThanThreshold", 1, 3 * 3600, 1},
		"nz-alarm-spot-interruptions":      {"edstack/ECS", "SpotInterruptions", "Sum", map[string]string{"ClusterArn": clusterArn}, "GreaterThanOrEqualToThreshold", 1, 300, 1},
		"nz-alarm-api-errors":              {"AWS/Lambda", "Errors", "Sum", fn("nz-api"), "GreaterThanOrEqualToThreshold", 10, 300, 2},
		"nz-alarm-api-throttles":           {"AWS/Lambda", "Throttles", "Sum", fn("nz-api"), "GreaterThanThreshold", 0, 300, 1},
		"nz-alarm-api-duration":            {"AWS/Lambda", "Duration", "p99", fn("nz-api"), "GreaterThanThreshold", 24000, 300, 3},
		"nz-alarm-worker-errors":           {"AWS/Lambda", "Errors", "Sum", fn("nz-worker"), "GreaterThanOrEqualToThreshold", 5, 300, 1},
		"nz-alarm-worker-throttles":        {"AWS/Lambda", "Throttles", "Sum", fn("nz-worker"), "GreaterThanThreshold", 0, 300, 1},
		"nz-alarm-worker-duration":         {"AWS/Lambda", "Duration", "Maximum", fn("nz-worker"), "GreaterThanThreshold", 720000, 300, 1},
		"nz-alarm-queue-oldest-job":        {"AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", queue("nz-jobs"), "GreaterThanThreshold", 6300, 300, 1},
		"nz-alarm-dlq-messages":            {"AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", queue("nz-jobs-dlq"), "GreaterThanThreshold", 0, 300, 1},
		"nz-alarm-http-api-latency":        {"AWS/ApiGateway", "Latency", "p95", api, "GreaterThanThreshold", 5000, 300, 3},
		"nz-alarm-cloudfront-5xx": {"AWS/CloudFront", "5xxErrorRate", "Average",
			map[string]string{"DistributionId": byName(p, "aws:cloudfront/distribution:Distribution", "nz-edge-cdn").ID, "Region": "Global"},
			"GreaterThanThreshold", 2, 300, 2},
		"nz-alarm-aurora-writer-cpu":   {"AWS/RDS", "CPUUtilization", "Average", aurora("WRITER"), "GreaterThanThreshold", 80, 300, 3},
		"nz-alarm-aurora-replica-lag":  {"AWS/RDS", "AuroraReplicaLag", "Maximum", aurora("READER"), "GreaterThanThreshold", 2000, 300, 3},
		"nz-alarm-aurora-capacity-max": {"AWS/RDS", "ServerlessDatabaseCapacity", "Maximum", aurora("WRITER"), "GreaterThanOrEqualToThreshold", 16, 300, 3},
	}
	for i, z := range []string{"a", "b", "c"} {
		want[fmt.Sprintf("nz-alarm-nat-%d-port-allocation", i)] = watch{"AWS/NATGateway", "ErrorPortAllocation", "Sum",
			map[string]string{"NatGatewayId": byName(p, "aws:ec2/natGateway:NatGateway", "nz-nat-"+z).ID}, "GreaterThanThreshold", 0, 300, 1}
	}
	for i := range 12 {
		want[fmt.Sprintf("nz-alarm-crdb-node-%d-not-running", i)] = watch{"ECS/ContainerInsights", "RunningTaskCount", "Maximum",
			map[string]string{"ClusterName": cluster, "ServiceName": fmt.Sprintf("nz-crdb-node-%d", i)}, "LessThanThreshold", 1, 60, 10}
	}
	// The metric-math alarms: their inputs.
	math := map[string]struct {
		expression string
		inputs     map[string]watch
		comparison string
		threshold  float64
	}{
		"nz-alarm-crdb-storage-headroom": {"100 * available / capacity", map[string]watch{
			"available": {namespace: ns, metric: "capacity_available", stat: "Sum", dims: crdb, period: 300},
			"capacity":  {namespace: ns, metric: "capacity", stat: "Sum", dims: crdb, period: 300},
		}, "LessThanThreshold", 47},
		"nz-alarm-http-api-5xx": {"IF(requests >= 50, 100 * errors / requests, 0)", map[string]watch{
			"errors":   {namespace: "AWS/ApiGateway", metric: "5xx", stat: "Sum", dims: api, period: 300},
			"requests": {namespace: "AWS/ApiGateway", metric: "Count", stat: "Sum", dims: api, period: 300},
		}, "GreaterThanThreshold", 2},
		"nz-alarm-crdb-clock-offset": {"MAX([ahead, -1 * behind])", map[string]watch{
			"ahead":  {namespace: ns, metric: "clock_offset_meannanos", stat: "Maximum", dims: crdb, period: 60},
			"behind": {namespace: ns, metric: "clock_offset_meannanos", stat: "Minimum", dims: crdb, period: 60},
		}, "GreaterThanThreshold", 300e6},
	}

	alarms := ofType(p, alarmType)
	require.Len(t, alarms, len(want)+len(math), "every alarm is in the table, and no other")
	for _, a := range alarms {
		in := a.Plain()
		if m, ok := math[a.Name]; ok {
			assert.Equal(t, m.comparison, in["comparisonOperator"], a.Name)
			assert.Equal(t, m.threshold, in["threshold"], a.Name)
			for _, q := range in["metricQueries"].([]any) {
				q := q.(map[string]any)
				if q["expression"] != nil {
					assert.Equal(t, m.expression, q["expression"], a.Name)
					assert.Equal(t, true, q["returnData"])
					continue
				}
				w, ok := m.inputs[q["id"].(string)]
				require.True(t, ok, "%s: input %v", a.Name, q["id"])
				metric := q["metric"].(map[string]any)
				assert.Equal(t, w.namespace, metric["namespace"], a.Name)
				assert.Equal(t, w.metric, metric["metricName"], a.Name)
				assert.Equal(t, w.stat, metric["stat"], a.Name)
				assert.Equal(t, float64(w.period), metric["period"], a.Name)
				assert.Equal(t, asAny(w.dims), metric["dimensions"], a.Name)
			}
			continue
		}
		w, ok := want[a.Name]
		require.True(t, ok, "no expectation for %s", a.Name)
		assert.Equal(t, w.namespace, in["namespace"], a.Name)
		assert.Equal(t, w.metric, in["metricName"], a.Name)
		if strings.HasPrefix(w.stat, "p") {
			assert.Equal(t, w.stat, in["extendedStatistic"], a.Name)
			assert.Nil(t, in["statistic"], a.Name)
		} else {
			assert.Equal(t, w.stat, in["statistic"], a.Name)
		}
		assert.Equal(t, asAny(w.dims), in["dimensions"], a.Name)
		assert.Equal(t, w.comparison, in["comparisonOperator"], a.Name)
		assert.Equal(t, w.threshold, in["threshold"], a.Name)
		assert.Equal(t, float64(w.period), in["period"], a.Name)
		assert.Equal(t, float64(w.evaluation), in["evaluationPeriods"], a.Name)
		desc, _ := in["alarmDescription"].(string)
		assert.Contains(t, desc, "First: ", "%s says what to do first", a.Name)
	}
}

func asAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Every alarm notifies its region's topic when it fires and when it
// recovers; CloudFront's alarm lives in us-east-1 with its topic there.
func TestEveryAlarmNotifiesItsTopic(t *testing.T) {
	p := stackPlan(t, "nz")
	home, east := byName(p, topicType, "nz-alarms"), byName(p, topicType, "nz-alarms-us-east-1")
	require.NotNil(t, home)
	require.NotNil(t, east)
	assert.Contains(t, state(east, "arn"), ":us-east-1:")
	assert.Contains(t, state(home, "arn"), ":ap-southeast-2:")
	for _, a := range ofType(p, alarmType) {
		topic, provider := home, ""
		if a.Name == "nz-alarm-cloudfront-5xx" {
			topic = east
			assert.Contains(t, a.Provider, "pulumi:providers:aws::nz-us-east-1", "CloudFront's metrics are in us-east-1")
		} else {
			assert.Equal(t, provider, a.Provider, "%s: the stack's region", a.Name)
		}
		assert.Equal(t, []any{state(topic, "arn")}, a.Input("alarmActions"), a.Name)
		assert.Equal(t, []any{state(topic, "arn")}, a.Input("okActions"), a.Name)
	}
	assert.Contains(t, east.Provider, "nz-us-east-1")
}

// The collector keeps and exports every metric a CockroachDB alarm reads.
func TestTheCollectorExportsWhatTheAlarmsRead(t *testing.T) {
	p := stackPlan(t, "nz")
	var defs []map[string]any
	td := byName(p, "aws:ecs/taskDefinition:TaskDefinition", "nz-crdb-node-0-task")
	require.NoError(t, json.Unmarshal([]byte(td.Input("containerDefinitions").(string)), &defs))
	require.Len(t, defs, 2)
	env := defs[1]["environment"].([]any)[0].(map[string]any)
	assert.Equal(t, "AOT_CONFIG_CONTENT", env["name"])
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(env["value"].(string)), &cfg))
	at := func(path ...any) any { return engine.At(cfg, path...) }
	assert.Equal(t, "https", at("receivers", "prometheus", "config", "scrape_configs", 0, "scheme"))
	assert.Equal(t, []any{"localhost:8080"}, at("receivers", "prometheus", "config", "scrape_configs", 0, "static_configs", 0, "targets"))
	namespace := at("exporters", "awsemf", "namespace")
	keep := regexp.MustCompile("^(?:" + at("receivers", "prometheus", "config", "scrape_configs", 0, "metric_relabel_configs", 0, "regex").(string) + ")$")
	read := 0
	for _, a := range ofType(p, alarmType) {
		in := a.Plain()
		names := []string{}
		if in["namespace"] == namespace {
			names = append(names, in["metricName"].(string))
		}
		for _, q := range list(in["metricQueries"]) {
			if m, ok := q.(map[string]any)["metric"].(map[string]any); ok && m["namespace"] == namespace {
				names = append(names, m["metricName"].(string))
			}
		}
		for _, n := range names {
			read++
			assert.True(t, keep.MatchString(n), "%s reads %s, which the collector keeps", a.Name, n)
		}
	}
	assert.Equal(t, 11, read, "the 9 CockroachDB alarms read 11 metrics")
}

func list(v any) []any { l, _ := v.([]any); return l }

// A stack nobody subscribed to plans, and says nobody is told; with
// subscriptions, both topics get them and the pager's URL stays secret.
func TestWhoIsTold(t *testing.T) {
	var out, stderr strings.Builder
	code := plan.Main([]string{"--dir", root, "--stack", "nz"}, &out, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, out.String(), "to nz-alarms: NOBODY IS TOLD")
	assert.Contains(t, out.String(), "to nz-alarms-us-east-1: NOBODY IS TOLD")
	assert.Empty(t, ofType(stackPlan(t, "nz"), subType))

	pager := "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:nz-pager"
	p := stackPlan(t, "nz", `edstack:alarmEmails=["ops@example.org","oncall@example.org"]`, "edstack:alarmPagerSecretArn="+pager)
	subs := map[string][]string{}
	for _, s := range ofType(p, subType) {
		topic := s.Input("topic").(string)
		subs[topic] = append(subs[topic], s.Input("protocol").(string))
		if s.Input("protocol") == "https" {
			assert.Equal(t, engine.Secret, s.Input("endpoint"), "the pager's URL holds its key: secret in the plan and the state")
		}
	}
	for _, topic := range []string{"nz-alarms", "nz-alarms-us-east-1"} {
		assert.ElementsMatch(t, []string{"email", "email", "https"}, subs[state(byName(p, topicType, topic), "arn")], topic)
	}
	assert.NotNil(t, byName(p, subType, "nz-alarms-email-ops@example.org"), "named by the address: reordering the list changes nothing")
	assert.Equal(t, "2 email addresses and a pager", p.Outputs["alarmsTell"])
	var text strings.Builder
	require.NoError(t, p.WriteText(&text))
	assert.Contains(t, text.String(), "to nz-alarms: tells 2 email addresses and a pager")
	assert.NotContains(t, text.String(), "pager.invalid", "no secret value in the plan")
}

// Bad monitoring config is refused, every problem at once, before anything
// is registered.
func TestBadMonitoringConfig(t *testing.T) {
	_, err := plan.Build(plan.Options{Dir: "..", Stack: "nz", Overrides: overrides(t, []string{
		"edstack:monitoring=loud",
		`edstack:alarmEmails=["ops","ops@example.org","ops@example.org"]`,
		"edstack:alarmPagerSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:pager",
	})})
	require.Error(t, err)
	for _, want := range []string{
		`edstack:monitoring: "loud" is not a monitoring level; use full or minimal`,
		`edstack:alarmEmails: "ops" is not a bare email address`,
		`"ops@example.org" is listed twice`,
		"edstack:alarmPagerSecretArn", "is in us-east-1; the stack reads secrets of its own region, ap-southeast-2",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// Minimal monitoring, dev's, is the cheap minimum: no collector, no
// Container Insights, no dashboard, nothing in us-east-1.
func TestMinimalMonitoring(t *testing.T) {
	p := stackPlan(t, "dev")
	assert.Equal(t, "minimal", p.Config["edstack:monitoring"])
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(byName(p, "aws:ecs/taskDefinition:TaskDefinition", "nz-dev-crdb-node-0-task").Input("containerDefinitions").(string)), &defs))
	assert.Len(t, defs, 1, "no collector")
	assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "disabled"}},
		byName(p, "aws:ecs/cluster:Cluster", "nz-dev-crdb-cluster").Input("settings"))
	assert.Empty(t, ofType(p, "aws:cloudwatch/dashboard:Dashboard"))
	assert.Nil(t, byName(p, topicType, "nz-dev-alarms-us-east-1"))
	assert.NotNil(t, byName(p, alarmType, "nz-dev-alarm-spot-interruptions"), "Spot is still recorded")
	assert.NotNil(t, byName(p, alarmType, "nz-dev-alarm-dlq-messages"), "the request path is still watched")
	for _, a := range ofType(p, alarmType) {
		assert.Empty(t, a.Provider, a.Name)
	}
	assert.Less(t, p.Cost.Components[componentIndex(p, "observability")].Monthly, 3.0, "a few dollars a month")
}

func componentIndex(p *plan.Plan, name string) int {
	for i, c := range p.Cost.Components {
		if c.Name == name {
			return i
		}
	}
	return -1
}
