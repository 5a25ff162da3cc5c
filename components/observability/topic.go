package observability

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MaxEmails bounds the email subscriptions: an alarm list, not a mailing
// list (a group address serves more people).
const MaxEmails = 10

// CheckEmail says what is wrong with an email address for a subscription,
// or nil: a bare address (no display name), with a domain that has a dot.
func CheckEmail(addr string) error {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return fmt.Errorf("is not a bare email address such as ops@example.org")
	}
	if _, domain, _ := strings.Cut(addr, "@"); !strings.Contains(domain, ".") {
		return fmt.Errorf("has no domain with a dot (%q)", domain)
	}
	return nil
}

// CheckPagerURL says what is wrong with a pager endpoint, or nil: SNS
// takes an HTTPS URL. The error never repeats the URL, which holds a key.
func CheckPagerURL(url string) error {
	if !strings.HasPrefix(url, "https://") || strings.ContainsAny(url, " \n\t") || len(url) <= len("https://") {
		return fmt.Errorf("the pager endpoint in the secret is not an https:// URL")
	}
	return nil
}

// TopicName is the alarm topic's name in a region: "<prefix>-alarms", and
// "<prefix>-alarms-us-east-1" for the edge's.
func TopicName(prefix string, east bool) string {
	if east {
		return prefix + "-alarms-" + EdgeRegion
	}
	return prefix + "-alarms"
}

// EdgeRegion is where CloudFront publishes its metrics, and where its
// alarms and their topic must be: an alarm notifies topics of its own
// region only.
const EdgeRegion = "us-east-1"

// topic creates an alarm topic, encrypted with keyArn, and subscribes the
// emails and the pager to it.
func (o *Observability) topic(east bool, keyArn pulumi.StringInput, opts ...pulumi.ResourceOption) (*sns.Topic, error) {
	name := TopicName(o.args.Prefix, east)
	opts = append([]pulumi.ResourceOption{pulumi.Parent(o)}, opts...)
	t, err := sns.NewTopic(o.ctx, name, &sns.TopicArgs{
		Name:           pulumi.String(name),
		DisplayName:    pulumi.String("edstack " + o.args.Prefix + " alarms"),
		KmsMasterKeyId: keyArn,
		Tags:           o.args.Tags.Named(name),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("observability: topic %s: %w", name, err)
	}
	// Subscriptions are named by their address, so that reordering the
	// list changes nothing and a removed address removes its subscription.
	for _, addr := range o.args.Emails {
		if _, err := sns.NewTopicSubscription(o.ctx, name+"-email-"+addr, &sns.TopicSubscriptionArgs{
			Topic: t.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(addr),
		}, opts...); err != nil {
			return nil, fmt.Errorf("observability: subscribe %s: %w", addr, err)
		}
	}
	if o.args.PagerSecretArn != "" {
		if _, err := sns.NewTopicSubscription(o.ctx, name+"-pager", &sns.TopicSubscriptionArgs{
			Topic: t.Arn, Protocol: pulumi.String("https"), Endpoint: o.pager,
		}, opts...); err != nil {
			return nil, fmt.Errorf("observability: subscribe the pager: %w", err)
		}
	}
	return t, nil
}

// readPager reads the pager's endpoint from its secret, as a secret: it
// never shows in a preview or the state in clear.
func (o *Observability) readPager() {
	if o.args.PagerSecretArn == "" {
		return
	}
	v := secretsmanager.LookupSecretVersionOutput(o.ctx, secretsmanager.LookupSecretVersionOutputArgs{
		SecretId: pulumi.String(o.args.PagerSecretArn),
	}, pulumi.Parent(o))
	url := v.SecretString().ApplyT(func(s string) (string, error) {
		s = strings.TrimSpace(s)
		if err := CheckPagerURL(s); err != nil {
			return "", fmt.Errorf("observability: %s (%s): %w", KeyAlarmPagerSecretArn, o.args.PagerSecretArn, err)
		}
		return s, nil
	}).(pulumi.StringOutput)
	o.pager = pulumi.ToSecret(url).(pulumi.StringOutput)
}
