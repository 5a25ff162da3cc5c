// Package observability tells a country's team when something is wrong,
// before students notice: an encrypted SNS topic with the team's
// subscriptions, the alarms of every tier (CockroachDB's own metrics, which
// the nodes' collectors export; ECS and Spot; the request path; CloudFront
// in us-east-1; Aurora), a record of Spot interruptions, and a dashboard
// of the same signals.
//
// The alarms are data (Alarm), built by pure functions from what the stack
// runs (catalog.go) with thresholds decided in thresholds.go; this file
// registers them.
package observability

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/keys"
	"edstack/components/logs"
	"edstack/components/tags"
)

// ComponentType is the component's Pulumi type.
const ComponentType = "edstack:observability:Monitoring"

// Args configure the monitoring of a country.
type Args struct {
	// Prefix starts every resource name, e.g. "nz".
	Prefix string
	// Title names the country on the dashboard: "edstack nz (New Zealand)".
	Title  string
	Region string
	// Level is Full or Minimal. Default Full.
	Level Level
	// Emails are subscribed to every topic; PagerSecretArn, when set, is a
	// secret whose value is an HTTPS endpoint subscribed too.
	Emails         []string
	PagerSecretArn string
	// KMSKeyArn is the country's key: it encrypts the topic and the Spot
	// log group. Its policy must let CloudWatch use it (keys.Policy).
	KMSKeyArn pulumi.StringInput
	// East is the us-east-1 provider, for CloudFront's alarms and their
	// topic (Full only).
	East pulumi.ProviderResource
	// Targets are what the alarms watch.
	Targets Targets
	// ClusterArn is the ECS cluster's ARN, for the Spot record; nil
	// without a CockroachDB cluster.
	ClusterArn pulumi.StringInput
	// LogRetentionDays of the Spot log group. Default
	// logs.DefaultRetentionDays.
	LogRetentionDays int
	Tags             tags.Set
}

// Observability is the component and its outputs.
type Observability struct {
	pulumi.ResourceState

	ctx   *pulumi.Context
	args  Args
	pager pulumi.StringOutput

	// Alarms are the alarms it created, in order.
	Alarms []Alarm
	// TopicArn is the alarm topic of the stack's region; EastTopicArn the
	// us-east-1 one (zero without Full).
	TopicArn, EastTopicArn pulumi.StringOutput
	// Dashboard is the dashboard's name; "" without Full.
	Dashboard string
	// Told says who the alarms notify: "2 email addresses and a pager",
	// or "nobody".
	Told string
}

// Validate checks the arguments.
func (a Args) Validate() error {
	var bad []string
	if a.Prefix == "" || a.Region == "" || a.KMSKeyArn == nil {
		bad = append(bad, "needs a prefix, a region and the country's key")
	}
	if !slices.Contains(Levels, a.Level) {
		bad = append(bad, fmt.Sprintf("level %q: use %s or %s", a.Level, Full, Minimal))
	}
	if a.Level == Full && a.East == nil {
		bad = append(bad, "full monitoring needs the us-east-1 provider for CloudFront's alarms")
	}
	if len(a.Emails) > MaxEmails {
		bad = append(bad, fmt.Sprintf("%d email addresses: at most %d", len(a.Emails), MaxEmails))
	}
	for _, e := range a.Emails {
		if err := CheckEmail(e); err != nil {
			bad = append(bad, fmt.Sprintf("email %q %s", e, err))
		}
	}
	if a.PagerSecretArn != "" && !strings.HasPrefix(a.PagerSecretArn, "arn:") {
		bad = append(bad, fmt.Sprintf("pager secret %q is not an ARN", a.PagerSecretArn))
	}
	if len(bad) > 0 {
		return fmt.Errorf("observability: %v", bad)
	}
	return nil
}

// Told says who the alarms notify, for the plan and the outputs.
func Told(emails int, pager bool) string {
	switch {
	case emails == 0 && !pager:
		return "nobody"
	case emails == 0:
		return "a pager"
	}
	s := fmt.Sprintf("%d email address", emails)
	if emails > 1 {
		s += "es"
	}
	if pager {
		s += " and a pager"
	}
	return s
}

// New creates the topics, the alarms, the Spot record and the dashboard.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Observability, error) {
	if args.Level == "" {
		args.Level = Full
	}
	if args.LogRetentionDays == 0 {
		args.LogRetentionDays = logs.DefaultRetentionDays
	}
	if err := args.Validate(); err != nil {
		return nil, err
	}
	o := &Observability{ctx: ctx, args: args, Told: Told(len(args.Emails), args.PagerSecretArn != "")}
	if err := ctx.RegisterComponentResource(ComponentType, name, o, opts...); err != nil {
		return nil, err
	}
	o.readPager()
	topic, err := o.topic(false, args.KMSKeyArn)
	if err != nil {
		return nil, err
	}
	o.TopicArn = topic.Arn
	alarms := Alarms(args.Targets, args.Level)
	if args.ClusterArn != nil {
		if err := o.spot(args.ClusterArn); err != nil {
			return nil, err
		}
		alarms = append(alarms, SpotAlarm(args.ClusterArn))
		slices.SortStableFunc(alarms, func(a, b Alarm) int { return groupOrder(a.Group) - groupOrder(b.Group) })
	}
	var east *sns.Topic
	if args.Level == Full {
		if east, err = o.eastTopic(); err != nil {
			return nil, err
		}
		o.EastTopicArn = east.Arn
	}
	for _, a := range alarms {
		if err := a.Check(); err != nil {
			return nil, err
		}
		t, extra := topic, []pulumi.ResourceOption{}
		if a.InUSEast1 {
			t, extra = east, append(extra, pulumi.Provider(args.East))
		}
		if err := o.alarm(a, t, extra...); err != nil {
			return nil, err
		}
	}
	o.Alarms = alarms
	if args.Level == Full {
		if err := o.dashboard(alarms); err != nil {
			return nil, err
		}
	}
	outputs := pulumi.Map{"topicArn": o.TopicArn, "told": pulumi.String(o.Told), "alarms": pulumi.Int(len(alarms))}
	if o.Dashboard != "" {
		outputs["dashboard"] = pulumi.String(o.Dashboard)
	}
	return o, ctx.RegisterResourceOutputs(o, outputs)
}

// groupOrder is a group's place in the plan and the dashboard.
func groupOrder(g string) int {
	return slices.Index([]string{GroupCockroach, GroupECS, GroupRequests, GroupEdge, GroupAurora}, g)
}

// eastTopic creates CloudFront's alarm topic in us-east-1, with a key of
// its own there: a key of the stack's region cannot encrypt it, and SNS's
// managed key does not let CloudWatch publish. The key protects
// notifications in flight only, so it is not protected: a stack that turns
// monitoring down to minimal deletes it (after the usual 30-day window).
func (o *Observability) eastTopic() (*sns.Topic, error) {
	key, err := keys.New(o.ctx, o.args.Prefix+"-alarms-keys", keys.Args{
		Prefix:      o.args.Prefix + "-alarms",
		Region:      EdgeRegion,
		Description: "edstack " + o.args.Prefix + ": encrypts the CloudFront alarms' topic in " + EdgeRegion,
		Tags:        o.args.Tags.Base.For("keys"),
	}, pulumi.Parent(o), pulumi.Providers(o.args.East))
	if err != nil {
		return nil, fmt.Errorf("observability: %s key: %w", EdgeRegion, err)
	}
	return o.topic(true, key.Arn, pulumi.Provider(o.args.East))
}

// alarm registers one alarm, notifying topic when it fires and when it
// recovers.
func (o *Observability) alarm(a Alarm, topic *sns.Topic, opts ...pulumi.ResourceOption) error {
	name := o.args.Prefix + "-alarm-" + a.Name
	args := &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(name),
		AlarmDescription:   pulumi.String(a.Description()),
		ComparisonOperator: pulumi.String(a.Comparison),
		EvaluationPeriods:  pulumi.Int(a.Evaluation),
		Threshold:          pulumi.Float64(a.Threshold),
		TreatMissingData:   pulumi.String(a.MissingData),
		AlarmActions:       pulumi.Array{topic.Arn},
		OkActions:          pulumi.Array{topic.Arn},
		Tags:               o.args.Tags.Named(name),
	}
	if a.Datapoints > 0 {
		args.DatapointsToAlarm = pulumi.Int(a.Datapoints)
	}
	if a.Expression == "" {
		args.Namespace = pulumi.String(a.Metric.Namespace)
		args.MetricName = pulumi.String(a.Metric.Name)
		args.Period = pulumi.Int(a.Period)
		args.Dimensions = dimensions(a.Metric.Dimensions)
		if Percentile(a.Metric.Statistic) {
			args.ExtendedStatistic = pulumi.String(a.Metric.Statistic)
		} else {
			args.Statistic = pulumi.String(a.Metric.Statistic)
		}
	} else {
		queries := cloudwatch.MetricAlarmMetricQueryArray{&cloudwatch.MetricAlarmMetricQueryArgs{
			Id: pulumi.String("e1"), Expression: pulumi.String(a.Expression), Label: pulumi.String(a.Label), ReturnData: pulumi.Bool(true),
		}}
		for _, in := range a.Inputs {
			queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String(in.ID),
				Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace: pulumi.String(in.Metric.Namespace), MetricName: pulumi.String(in.Metric.Name),
					Dimensions: dimensions(in.Metric.Dimensions), Period: pulumi.Int(a.Period), Stat: pulumi.String(in.Metric.Statistic),
				},
				ReturnData: pulumi.Bool(false),
			})
		}
		args.MetricQueries = queries
	}
	if _, err := cloudwatch.NewMetricAlarm(o.ctx, name, args, append([]pulumi.ResourceOption{pulumi.Parent(o)}, opts...)...); err != nil {
		return fmt.Errorf("observability: alarm %s: %w", a.Name, err)
	}
	return nil
}

func dimensions(ds []Dimension) pulumi.StringMap {
	m := pulumi.StringMap{}
	for _, d := range ds {
		m[d.Name] = input(d.Value)
	}
	return m
}

// input is a dimension's value as a Pulumi input.
func input(v any) pulumi.StringInput {
	switch x := v.(type) {
	case string:
		return pulumi.String(x)
	case pulumi.StringInput:
		return x
	}
	panic(fmt.Sprintf("observability: dimension value of type %T", v))
}

// dashboard creates the country's dashboard once every dimension's value
// is known.
func (o *Observability) dashboard(alarms []Alarm) error {
	var values []any
	for _, a := range alarms {
		for _, m := range a.metrics() {
			for _, d := range m.Dimensions {
				values = append(values, input(d.Value))
			}
		}
	}
	body := pulumi.All(values...).ApplyT(func(v []any) (string, error) {
		resolved := make([]Alarm, len(alarms))
		i := 0
		for n, a := range alarms {
			resolved[n] = a.withDimensions(func() any { i++; return v[i-1] })
		}
		return DashboardBody(o.args.Title, o.args.Region, resolved)
	}).(pulumi.StringOutput)
	o.Dashboard = DashboardName(o.args.Prefix)
	if _, err := cloudwatch.NewDashboard(o.ctx, o.args.Prefix+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(o.Dashboard),
		DashboardBody: body,
	}, pulumi.Parent(o)); err != nil {
		return fmt.Errorf("observability: dashboard: %w", err)
	}
	return nil
}

// metrics are the metrics an alarm reads, in order.
func (a Alarm) metrics() []Metric {
	if a.Expression == "" {
		return []Metric{a.Metric}
	}
	out := make([]Metric, len(a.Inputs))
	for i, in := range a.Inputs {
		out[i] = in.Metric
	}
	return out
}

// withDimensions is a copy of the alarm whose dimension values, in the
// order of metrics(), come from next.
func (a Alarm) withDimensions(next func() any) Alarm {
	dims := func(m Metric) Metric {
		m.Dimensions = slices.Clone(m.Dimensions)
		for i := range m.Dimensions {
			m.Dimensions[i].Value = next()
		}
		return m
	}
	if a.Expression == "" {
		a.Metric = dims(a.Metric)
		return a
	}
	a.Inputs = slices.Clone(a.Inputs)
	for i := range a.Inputs {
		a.Inputs[i].Metric = dims(a.Inputs[i].Metric)
	}
	return a
}
