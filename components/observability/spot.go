package observability

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	policy "edstack/components/iam"
	"edstack/components/logs"
)

// The Spot interruption record: an EventBridge rule sends the ECS events
// of node tasks stopped by a Spot interruption (or retired by Fargate) to a
// log group, a metric filter counts them, and an alarm on the count
// notifies. The alarm is the rate limit: a burst of interruptions moves it
// to ALARM once, one message, however many tasks stop, and back to OK once
// they stop coming.

// InterruptionStopCodes are the stop codes of a task that Fargate took
// back: SpotInterruption, and TerminationNotice, which the two-minute
// notice of a Fargate Spot task carries (and a retired task's too).
var InterruptionStopCodes = []string{"SpotInterruption", "TerminationNotice"}

// Spot metric: namespace, name and dimension (the cluster's ARN, which the
// events name).
const (
	SpotNamespace = "edstack/ECS"
	SpotMetric    = "SpotInterruptions"
	SpotDimension = "ClusterArn"
)

// SpotLogGroup is the log group the rule writes the events to, under
// /aws/events/ as EventBridge's console expects.
func SpotLogGroup(prefix string) string {
	return "/aws/events/edstack/" + prefix + "/spot-interruptions"
}

// SpotPattern is the rule's event pattern: the cluster's tasks reaching
// STOPPED with an interruption's stop code, one event per task.
func SpotPattern(clusterArn string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"source":      []string{"aws.ecs"},
		"detail-type": []string{"ECS Task State Change"},
		"detail": map[string]any{
			"clusterArn": []string{clusterArn},
			"lastStatus": []string{"STOPPED"},
			"stopCode":   InterruptionStopCodes,
		},
	})
	return string(b), err
}

// SpotLogPolicy lets EventBridge write to the log group (a CloudWatch Logs
// target takes a resource policy, not a role).
func SpotLogPolicy(logGroupArn string) policy.Document {
	return policy.Policy(policy.Statement{
		Sid:       "EventBridgeWritesSpotEvents",
		Effect:    "Allow",
		Principal: map[string]any{"Service": []string{"events.amazonaws.com", "delivery.logs.amazonaws.com"}},
		Action:    []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource:  []string{logGroupArn + ":*"},
	})
}

// SpotAlarm notifies of interruptions: at least one in 5 minutes.
func SpotAlarm(clusterArn any) Alarm {
	return Alarm{
		Name: "spot-interruptions", Group: GroupECS, Title: "ECS: Spot interruptions",
		Meaning:   "AWS took back node tasks (Fargate Spot interruptions or task retirements); ECS replaces each with a new node, which joins empty and is re-replicated to. One message per burst.",
		FirstStep: "Nothing if the live-nodes and under-replicated alarms stay quiet; if bursts repeat, move some nodes to on-demand (edstack:cockroachOnDemandNodes).",
		Metric: Metric{Namespace: SpotNamespace, Name: SpotMetric, Statistic: "Sum",
			Dimensions: []Dimension{{SpotDimension, clusterArn}}},
		Period: five, Evaluation: 1, Comparison: AtOrAbove, Threshold: 1, Unit: "tasks", MissingData: NotBreaching,
	}
}

// spot creates the rule, its log group and policy, and the metric filter.
func (o *Observability) spot(clusterArn pulumi.StringInput) error {
	name := func(s string) string { return o.args.Prefix + "-spot-" + s }
	group, err := logs.NewGroup(o.ctx, name("events"), logs.GroupArgs{
		Path: SpotLogGroup(o.args.Prefix), RetentionDays: o.args.LogRetentionDays, KMSKeyArn: o.args.KMSKeyArn, Tags: o.args.Tags,
	}, pulumi.Parent(o))
	if err != nil {
		return fmt.Errorf("observability: %w", err)
	}
	if _, err := cloudwatch.NewLogResourcePolicy(o.ctx, name("events-policy"), &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(name("events")),
		PolicyDocument: policy.Output(func(v []string) policy.Document { return SpotLogPolicy(v[0]) }, group.Arn),
	}, pulumi.Parent(o)); err != nil {
		return fmt.Errorf("observability: spot log policy: %w", err)
	}
	pattern := clusterArn.ToStringOutput().ApplyT(SpotPattern).(pulumi.StringOutput)
	rule, err := cloudwatch.NewEventRule(o.ctx, name("rule"), &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(name("interruptions")),
		Description:  pulumi.String("edstack " + o.args.Prefix + ": CockroachDB node tasks stopped by a Spot interruption or a task retirement"),
		EventPattern: pattern,
		Tags:         o.args.Tags.Named(name("interruptions")),
	}, pulumi.Parent(o))
	if err != nil {
		return fmt.Errorf("observability: spot rule: %w", err)
	}
	if _, err := cloudwatch.NewEventTarget(o.ctx, name("target"), &cloudwatch.EventTargetArgs{
		Rule:     rule.Name,
		TargetId: pulumi.String("spot-log"),
		Arn:      group.Arn,
	}, pulumi.Parent(o)); err != nil {
		return fmt.Errorf("observability: spot target: %w", err)
	}
	if _, err := cloudwatch.NewLogMetricFilter(o.ctx, name("count"), &cloudwatch.LogMetricFilterArgs{
		Name:         pulumi.String(name("count")),
		LogGroupName: group.Name,
		Pattern:      pulumi.String(`{ $.source = "aws.ecs" }`),
		MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
			Namespace:  pulumi.String(SpotNamespace),
			Name:       pulumi.String(SpotMetric),
			Value:      pulumi.String("1"),
			Dimensions: pulumi.StringMap{SpotDimension: pulumi.String("$.detail.clusterArn")},
		},
	}, pulumi.Parent(o)); err != nil {
		return fmt.Errorf("observability: spot metric filter: %w", err)
	}
	return nil
}
