package keys_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policy "edstack/components/iam"
	"edstack/components/keys"
	"edstack/components/tags"
	"edstack/plan/engine"
)

const (
	keyType   = "aws:kms/key:Key"
	aliasType = "aws:kms/alias:Alias"
	existing  = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

var set = tags.Base{Country: "ie", Stack: "ie"}.For("keys")

func plan(t *testing.T, args keys.Args) (*engine.Result, *keys.Key, error) {
	t.Helper()
	var k *keys.Key
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		var err error
		k, err = keys.New(ctx, "ie-keys", args)
		return err
	}, engine.Options{Project: "edstack", Stack: "ie", Region: "eu-west-1"})
	return res, k, err
}

func TestPolicyLetsLogsOfItsRegionUseTheKey(t *testing.T) {
	doc := keys.Policy("210987654321", "eu-west-1")
	require.Len(t, doc.Statement, 3)
	assert.Equal(t, policy.AccountRoot("210987654321"), doc.Statement[0])
	alarms := doc.Statement[2]
	assert.Equal(t, map[string]any{"Service": "cloudwatch.amazonaws.com"}, alarms.Principal, "CloudWatch alarms publish to topics the key encrypts")
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey*"}, alarms.Action)
	logs := doc.Statement[1]
	assert.Equal(t, map[string]any{"Service": "logs.eu-west-1.amazonaws.com"}, logs.Principal)
	assert.Equal(t, []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}, logs.Action)
	assert.Equal(t, "arn:aws:logs:eu-west-1:210987654321:log-group:*",
		logs.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"], "only the account's log groups of the region")
}

func TestCreatedKey(t *testing.T) {
	res, k, err := plan(t, keys.Args{Prefix: "ie", Region: "eu-west-1", DeletionWindowDays: 14, Protect: true, Tags: set})
	require.NoError(t, err)
	key := res.Named(keyType, "ie-key")
	require.NotNil(t, key)
	assert.True(t, key.Protect, "deleting the key makes everything it encrypted unreadable")
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.Equal(t, float64(14), key.Input("deletionWindowInDays"), "a non-default window reaches the key")
	assert.Equal(t, "SYMMETRIC_DEFAULT", key.Input("customerMasterKeySpec"))
	doc, err := policy.Parse(key.Input("policy").(string))
	require.NoError(t, err)
	assert.Equal(t, keys.Policy(engine.AccountID, "eu-west-1"), doc)

	alias := res.Named(aliasType, "ie-key-alias")
	require.NotNil(t, alias)
	assert.Equal(t, "alias/edstack/ie", alias.Input("name"))
	assert.Equal(t, key.State["keyId"].StringValue(), alias.Input("targetKeyId"))
	assert.True(t, k.Created)
	assert.Equal(t, "alias/edstack/ie", k.Alias)
}

func TestDefaultDeletionWindowIsTheLongest(t *testing.T) {
	res, _, err := plan(t, keys.Args{Prefix: "ie", Region: "eu-west-1", Tags: set})
	require.NoError(t, err)
	key := res.Named(keyType, "ie-key")
	assert.Equal(t, float64(keys.MaxDeletionWindowDays), key.Input("deletionWindowInDays"))
	assert.False(t, key.Protect)
}

func TestExistingKeyCreatesNothing(t *testing.T) {
	res, k, err := plan(t, keys.Args{Prefix: "ie", Region: "eu-west-1", ExistingKeyArn: existing, Tags: set})
	require.NoError(t, err)
	assert.Empty(t, res.OfType(keyType))
	assert.Empty(t, res.OfType(aliasType))
	assert.False(t, k.Created)
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		args keys.Args
		want string
	}{
		{"alias", keys.Args{Prefix: "ie", Region: "eu-west-1", ExistingKeyArn: "alias/team-key"}, `"alias/team-key" is not a KMS key ARN`},
		{"other region", keys.Args{Prefix: "ie", Region: "eu-central-1", ExistingKeyArn: existing}, "is in eu-west-1; a key encrypts data of its own region only, the stack's is eu-central-1"},
		{"window too short", keys.Args{Prefix: "ie", Region: "eu-west-1", DeletionWindowDays: 3}, "KMS takes 7 to 30"},
		{"window too long", keys.Args{Prefix: "ie", Region: "eu-west-1", DeletionWindowDays: 31}, "KMS takes 7 to 30"},
		{"no region", keys.Args{Prefix: "ie"}, "needs a prefix and a region"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, tt.args.Validate(), tt.want)
		})
	}
	assert.NoError(t, keys.Args{Prefix: "ie", Region: "eu-west-1", ExistingKeyArn: existing, DeletionWindowDays: 7}.Validate())
}

func TestCheckArn(t *testing.T) {
	assert.NoError(t, keys.CheckArn(existing, ""), "no region: the shape only")
	assert.NoError(t, keys.CheckArn("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd", "us-gov-west-1"))
	assert.Error(t, keys.CheckArn("arn:aws:kms:eu-west-1:123456789012:alias/aws/s3", ""))
}
