package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi-tls/sdk/v5/go/tls"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type component struct{ pulumi.ResourceState }

func TestRunRecordsEveryRegistration(t *testing.T) {
	res, err := Run(func(ctx *pulumi.Context) error {
		c := &component{}
		if err := ctx.RegisterComponentResource("edstack:test:Thing", "nz-thing", c); err != nil {
			return err
		}
		east, err := aws.NewProvider(ctx, "nz-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")}, pulumi.Parent(c))
		if err != nil {
			return err
		}
		q, err := sqs.NewQueue(ctx, "nz-work", &sqs.QueueArgs{
			MessageRetentionSeconds: pulumi.Int(60),
		}, pulumi.Parent(c), pulumi.Protect(true))
		if err != nil {
			return err
		}
		_, err = sqs.NewQueue(ctx, "nz-east", &sqs.QueueArgs{
			RedrivePolicy: q.Arn,
		}, pulumi.Parent(c), pulumi.Provider(east), pulumi.RetainOnDelete(true))
		return err
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	require.Len(t, res.Resources, 4)

	thing := res.Named("edstack:test:Thing", "nz-thing")
	require.NotNil(t, thing)
	assert.False(t, thing.Custom)
	assert.Empty(t, thing.ID, "components have no id")
	assert.Empty(t, thing.Parent, "the root stack is no parent")
	assert.Equal(t, "urn:pulumi:nz::edstack::edstack:test:Thing::nz-thing", thing.URN)

	provider := res.Named("pulumi:providers:aws", "nz-us-east-1")
	require.NotNil(t, provider)
	assert.Equal(t, "us-east-1", provider.Input("region"))
	assert.Equal(t, thing.URN, provider.Parent)

	work := res.Named("aws:sqs/queue:Queue", "nz-work")
	assert.Regexp(t, `^https://sqs.ap-southeast-2.amazonaws.com/123456789012/nz-work-[0-9a-f]{7}$`, work.ID, "a queue's id is its URL")
	assert.True(t, work.Protect)
	assert.Empty(t, work.Provider, "the default provider")
	assert.Equal(t, "urn:pulumi:nz::edstack::edstack:test:Thing$aws:sqs/queue:Queue::nz-work", work.URN)

	east := res.Named("aws:sqs/queue:Queue", "nz-east")
	assert.True(t, east.Retain)
	assert.Equal(t, provider.URN+"::nz-us-east-1-id", east.Provider)
	assert.Contains(t, east.Dependencies, work.URN)
	// The ARN follows the provider's region, and is the same on every run.
	assert.Regexp(t, `^arn:aws:sqs:ap-southeast-2:123456789012:nz-work-[0-9a-f]{7}$`, east.Input("redrivePolicy"))
	assert.Regexp(t, `^arn:aws:sqs:us-east-1:`, east.State["arn"].StringValue())
	assert.Equal(t, work.State["arn"], east.Inputs["redrivePolicy"])
}

func TestRunRefusesUnknownDataSources(t *testing.T) {
	_, err := Run(func(ctx *pulumi.Context) error {
		_, err := aws.GetAvailabilityZones(ctx, nil)
		return err
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	assert.ErrorContains(t, err, "no answer for data source aws:index/getAvailabilityZones:getAvailabilityZones")
}

func TestRunAnswersRegion(t *testing.T) {
	var region string
	_, err := Run(func(ctx *pulumi.Context) error {
		r, err := aws.GetRegion(ctx, nil)
		if err != nil {
			return err
		}
		region = r.Name
		return nil
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	assert.Equal(t, "ap-southeast-2", region)
}

func TestPlainValues(t *testing.T) {
	res, err := Run(func(ctx *pulumi.Context) error {
		_, err := sqs.NewQueue(ctx, "q", &sqs.QueueArgs{
			Policy: pulumi.ToSecret(pulumi.String("hush")).(pulumi.StringOutput),
			Tags:   pulumi.StringMap{"a": pulumi.String("b")},
		})
		return err
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	q := res.Named("aws:sqs/queue:Queue", "q")
	assert.Equal(t, Secret, q.Input("policy"))
	assert.True(t, q.IsSecret("policy"))
	assert.Equal(t, "b", q.Input("tags", "a"))
	assert.Nil(t, q.Input("tags", "missing"))
}

// Outputs built from plain values are not tracked by a run; the collector
// waits for them all the same.
func TestCollectorWaitsForPlainOutputs(t *testing.T) {
	var c Collector
	_, err := Run(func(ctx *pulumi.Context) error {
		for i := 0; i < 50; i++ {
			c.Collect(fmt.Sprint("empty", i), pulumi.StringArray{}.ToStringArrayOutput())
		}
		c.Collect("site", pulumi.String("https://example.nz").ToStringOutput())
		return nil
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	values, err := c.Wait(5 * time.Second)
	require.NoError(t, err)
	assert.Len(t, values, 51)
	assert.Equal(t, []string{}, values["empty7"])
	assert.Equal(t, "https://example.nz", values["site"])
}

func TestCollectorNamesWhatNeverResolves(t *testing.T) {
	var c Collector
	never, _, _ := pulumi.NewOutput() // never resolved nor rejected
	_, err := Run(func(ctx *pulumi.Context) error {
		c.Collect("never", never)
		return nil
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	_, err = c.Wait(50 * time.Millisecond)
	assert.ErrorContains(t, err, "outputs never resolved: [never]")
}

// Outputs a provider marks secret are secret here as under the real
// engine, even when the program does not wrap them: a value built from a
// generated password stays hidden in the plan.
func TestProviderSecretOutputs(t *testing.T) {
	res, err := Run(func(ctx *pulumi.Context) error {
		pw, err := random.NewRandomPassword(ctx, "nz-pw", &random.RandomPasswordArgs{Length: pulumi.Int(32)})
		if err != nil {
			return err
		}
		key, err := tls.NewPrivateKey(ctx, "nz-key", &tls.PrivateKeyArgs{Algorithm: pulumi.String("RSA")})
		if err != nil {
			return err
		}
		// Built from the outputs, unwrapped by the program.
		_, err = sqs.NewQueue(ctx, "nz-leak", &sqs.QueueArgs{
			Name:   pw.Result,
			Policy: key.PrivateKeyPem,
		})
		return err
	}, Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	q := res.Named("aws:sqs/queue:Queue", "nz-leak")
	assert.True(t, q.Inputs["name"].IsSecret(), "a password's result is secret")
	assert.True(t, q.Inputs["policy"].IsSecret(), "a private key is secret")
	assert.Equal(t, Secret, q.Plain()["name"])
}
