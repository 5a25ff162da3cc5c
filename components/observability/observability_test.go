package observability_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/cockroach"
	"edstack/components/observability"
)

func targets() observability.Targets {
	return observability.Targets{
		Cockroach: &observability.CockroachTargets{ClusterName: "nz-crdb-cluster",
			ServiceNames: []string{"nz-crdb-node-0", "nz-crdb-node-1", "nz-crdb-node-2"}, Nodes: 3, Zones: 3, StorageGiB: 200},
		API: observability.APITargets{APIFunction: "nz-api", WorkerFunction: "nz-worker", SyncTimeout: 30, WorkerTimeout: 900,
			Queue: "nz-jobs", DLQ: "nz-jobs-dlq", HTTPAPIID: "abc123"},
		NATGateways:    []any{"nat-a", "nat-b"},
		Aurora:         &observability.AuroraTargets{ClusterIdentifier: "nz-aurora", MaxACU: 16},
		DistributionID: "E123",
	}
}

func TestThresholds(t *testing.T) {
	assert.Equal(t, 24000.0, observability.DurationThresholdMs(30))
	assert.Equal(t, 720000.0, observability.DurationThresholdMs(900))
	assert.Equal(t, 6300, observability.OldestJobThreshold(900), "a visibility timeout (6 runs) and one run: a retry alone never fires it")
	assert.Equal(t, 420, observability.OldestJobThreshold(60))
	assert.Equal(t, 47.0, observability.MinFreePercent(3), "the other two zones take the lost zone's replicas and stay under 80%")
	assert.Equal(t, 60.0, observability.MinFreePercent(2))
	assert.Equal(t, 20.0, observability.MinFreePercent(1))
	// 200 GiB from 11 senders at 32 MiB/s is 582 s, plus 75 s until the
	// store is dead: 11 min to heal, 22 doubled, 25 in 5-minute steps.
	assert.Equal(t, 25*time.Minute, observability.UnderReplicatedWindow(200, 12))
	assert.Equal(t, 15*time.Minute, observability.UnderReplicatedWindow(21, 12), "never shorter than 15 minutes")
	assert.Greater(t, observability.UnderReplicatedWindow(200, 3), observability.UnderReplicatedWindow(200, 12), "fewer senders heal slower")
}

func TestEveryAlarmIsOneCloudWatchTakes(t *testing.T) {
	all := append(observability.Alarms(targets(), observability.Full), observability.SpotAlarm("arn:aws:ecs:ap-southeast-2:1:cluster/nz"))
	names := map[string]bool{}
	for _, a := range all {
		require.NoError(t, a.Check())
		assert.False(t, names[a.Name], "%s twice", a.Name)
		names[a.Name] = true
		title, condition, ok := observability.SplitDescription(a.Description())
		assert.True(t, ok)
		assert.Equal(t, a.Title, title)
		assert.Equal(t, a.Condition(), condition)
		assert.NotEmpty(t, a.Meaning, a.Name)
		assert.NotEmpty(t, a.FirstStep, a.Name)
	}
	for _, n := range []string{"crdb-unavailable-ranges", "crdb-under-replicated", "crdb-live-nodes", "crdb-storage-headroom",
		"crdb-ca-expiry", "crdb-node-cert-expiry", "crdb-backup-failed", "crdb-backup-missing", "crdb-clock-offset",
		"crdb-node-0-not-running", "crdb-node-2-not-running", "spot-interruptions",
		"api-errors", "api-throttles", "api-duration", "worker-errors", "worker-throttles", "worker-duration",
		"queue-oldest-job", "dlq-messages", "http-api-5xx", "http-api-latency", "nat-0-port-allocation", "nat-1-port-allocation",
		"cloudfront-5xx", "aurora-writer-cpu", "aurora-replica-lag", "aurora-capacity-max"} {
		assert.True(t, names[n], "the full set has %s", n)
	}
	bad := observability.Alarm{Name: "x", Period: 90, Evaluation: 1000, Comparison: "Bigger"}
	err := bad.Check()
	require.Error(t, err)
	for _, want := range []string{"multiple of 60", "one day", "metric or an expression", `"Bigger"`} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestMinimalWatchesOnlyWhatIsFree(t *testing.T) {
	for _, a := range observability.Alarms(targets(), observability.Minimal) {
		assert.False(t, a.InUSEast1, "%s: nothing in us-east-1", a.Name)
		assert.NotEqual(t, cockroach.MetricsNamespace, a.Metric.Namespace, "%s: no collector", a.Name)
		assert.NotEqual(t, "ECS/ContainerInsights", a.Metric.Namespace, "%s: no Container Insights", a.Name)
	}
	noServerless := targets()
	noServerless.Aurora.MaxACU = 0
	for _, a := range observability.Alarms(noServerless, observability.Full) {
		assert.NotEqual(t, "aurora-capacity-max", a.Name, "a provisioned writer has no capacity to run out of")
	}
}

// Every CockroachDB alarm reads a metric the collector exports.
func TestCockroachAlarmsReadExportedMetrics(t *testing.T) {
	for _, a := range observability.CockroachAlarms(*targets().Cockroach) {
		metrics := []observability.Metric{a.Metric}
		if a.Expression != "" {
			metrics = nil
			for _, in := range a.Inputs {
				metrics = append(metrics, in.Metric)
			}
		}
		for _, m := range metrics {
			assert.Equal(t, cockroach.MetricsNamespace, m.Namespace)
			assert.Contains(t, cockroach.ExportedMetrics, m.Name, a.Name)
			assert.Equal(t, []observability.Dimension{{Name: cockroach.MetricsDimension, Value: "nz-crdb-cluster"}}, m.Dimensions)
		}
	}
}

func TestDashboardGraphsEveryAlarm(t *testing.T) {
	alarms := observability.Alarms(targets(), observability.Full)
	body, err := observability.DashboardBody("edstack nz (New Zealand)", "ap-southeast-2", alarms)
	require.NoError(t, err)
	var d struct {
		Widgets []struct {
			Type       string         `json:"type"`
			X          int            `json:"x"`
			Width      int            `json:"width"`
			Properties map[string]any `json:"properties"`
		} `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	graphs := map[string]map[string]any{}
	for _, w := range d.Widgets {
		assert.LessOrEqual(t, w.X+w.Width, 24, "inside the grid")
		if w.Type == "metric" {
			graphs[w.Properties["title"].(string)] = w.Properties
		}
	}
	require.Len(t, graphs, len(alarms))
	for _, a := range alarms {
		g := graphs[a.Title]
		require.NotNil(t, g, a.Title)
		assert.Equal(t, float64(a.Period), g["period"])
		region := "ap-southeast-2"
		if a.InUSEast1 {
			region = "us-east-1"
		}
		assert.Equal(t, region, g["region"], a.Name)
		rows, _ := json.Marshal(g["metrics"])
		if a.Expression == "" {
			assert.Contains(t, string(rows), `"`+a.Metric.Name+`"`)
			assert.Contains(t, string(rows), `"stat":"`+a.Metric.Statistic+`"`)
		} else {
			first := g["metrics"].([]any)[0].([]any)[0].(map[string]any)
			assert.Equal(t, a.Expression, first["expression"])
		}
		line := g["annotations"].(map[string]any)["horizontal"].([]any)[0].(map[string]any)
		assert.Equal(t, "alarm: "+a.Condition(), line["label"], "the threshold is drawn")
		assert.Equal(t, a.Threshold, line["value"])
	}
	_, err = observability.DashboardBody("x", "ap-southeast-2", []observability.Alarm{observability.SpotAlarm(struct{}{})})
	assert.Error(t, err, "an unresolved dimension is an error, not a broken graph")
}

func TestEmailsAndPager(t *testing.T) {
	for _, ok := range []string{"ops@example.org", "on-call+nz@schools.example.nz"} {
		assert.NoError(t, observability.CheckEmail(ok), ok)
	}
	for _, bad := range []string{"ops", "ops@localhost", "Ops <ops@example.org>", "ops@example.org, b@example.org", ""} {
		assert.Error(t, observability.CheckEmail(bad), bad)
	}
	assert.NoError(t, observability.CheckPagerURL("https://events.pagerduty.com/integration/abc/enqueue"))
	for _, bad := range []string{"http://events.example/x", "https://", "events.example", "https://a b"} {
		err := observability.CheckPagerURL(bad)
		require.Error(t, err, bad)
		if bad != "https://" {
			assert.NotContains(t, err.Error(), bad, "the URL holds the pager's key: never in a message")
		}
	}
	assert.Equal(t, "nobody", observability.Told(0, false))
	assert.Equal(t, "a pager", observability.Told(0, true))
	assert.Equal(t, "1 email address", observability.Told(1, false))
	assert.Equal(t, "2 email addresses and a pager", observability.Told(2, true))
	assert.True(t, strings.HasPrefix(observability.SpotLogGroup("nz"), "/aws/events/"))
}

func TestSpotPattern(t *testing.T) {
	p, err := observability.SpotPattern("arn:aws:ecs:ap-southeast-2:1:cluster/nz-crdb-cluster")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(p), &m))
	assert.Equal(t, []any{"aws.ecs"}, m["source"])
	assert.Equal(t, []any{"ECS Task State Change"}, m["detail-type"])
	detail := m["detail"].(map[string]any)
	assert.Equal(t, []any{"arn:aws:ecs:ap-southeast-2:1:cluster/nz-crdb-cluster"}, detail["clusterArn"], "this cluster's tasks only")
	assert.Equal(t, []any{"STOPPED"}, detail["lastStatus"], "one event per task, not one per state")
	assert.ElementsMatch(t, []any{"SpotInterruption", "TerminationNotice"}, detail["stopCode"])
}
