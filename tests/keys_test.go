package tests

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	policy "edstack/components/iam"
	"edstack/stacks"
)

// existingKey is a key a stack may name with edstack:kmsKeyArn.
const existingKey = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// The country's key encrypts every piece of data the stack stores where
// AWS lets it (the static and access-log buckets and the us-east-1 query
// logs are the waived exceptions), and every role that touches that data
// may use the key: the one it creates, or the one edstack:kmsKeyArn names.
func TestTheCountryKeyEncryptsTheData(t *testing.T) {
	for _, tt := range []struct {
		name    string
		config  []string
		created bool
	}{
		{"created", []string{auroraPrefix}, true},
		{"existing", []string{auroraPrefix, stacks.KeyKMSKeyArn + "=" + existingKey}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"--stack", "nz"}
			for _, c := range tt.config {
				args = append(args, "--config", c)
			}
			j := planJSON(t, args...)
			key, _ := j["outputs"].(map[string]any)["kmsKeyArn"].(string)
			require.NotEmpty(t, key)
			pol := j["policy"].(map[string]any)
			assert.Empty(t, pol["findings"], "the key passes the pack, created or named")
			for _, w := range pol["waivers"].([]any) {
				rule := w.(map[string]any)["rule"]
				assert.NotContains(t, []string{"EDS-SQS-1", "EDS-SM-1", "EDS-LAMBDA-5", "EDS-RDS-1"}, rule, "nothing of these is left to waive")
			}
			p := planned(resourcesOf(j))
			// The stack's region's keys: the default provider's. The one
			// us-east-1 key (the explicit provider's) encrypts CloudFront's
			// alarm topic there, where a regional key cannot.
			var countryKeys, countryAliases []string
			for _, k := range p["aws:kms/key:Key"] {
				if input(k, "keyUsage") == "ENCRYPT_DECRYPT" && k["provider"] == "" {
					countryKeys = append(countryKeys, k["name"].(string))
				}
			}
			for _, a := range p["aws:kms/alias:Alias"] {
				if a["provider"] == "" {
					countryAliases = append(countryAliases, a["name"].(string))
				}
			}
			east := p.named(t, "aws:kms/key:Key", "nz-alarms-key")
			assert.Contains(t, east["provider"], "nz-us-east-1", "the alarms' key is in us-east-1")
			assert.Equal(t, "arn:aws:kms:us-east-1:123456789012:key/"+east["id"].(string),
				input(p.named(t, "aws:sns/topic:Topic", "nz-alarms-us-east-1"), "kmsMasterKeyId"), "the us-east-1 topic is encrypted with that key")
			assert.Equal(t, key, input(p.named(t, "aws:sns/topic:Topic", "nz-alarms"), "kmsMasterKeyId"), "the country's key encrypts its alarm topic")
			if tt.created {
				assert.Equal(t, []string{"nz-key"}, countryKeys)
				assert.Equal(t, "alias/edstack/nz", input(p.named(t, "aws:kms/alias:Alias", "nz-key-alias"), "name"))
			} else {
				assert.Equal(t, existingKey, key)
				assert.Empty(t, countryKeys, "an existing key: none created")
				assert.Empty(t, countryAliases)
			}

			for _, q := range p[queueType] {
				assert.Equal(t, key, input(q, "kmsMasterKeyId"), q["name"])
				assert.Nil(t, input(q, "sqsManagedSseEnabled"), "%s: the key replaces SQS's own encryption", q["name"])
			}
			for _, s := range p["aws:secretsmanager/secret:Secret"] {
				assert.Equal(t, key, input(s, "kmsKeyId"), s["name"])
			}
			for _, fn := range p[fnType] {
				assert.Equal(t, key, input(fn, "kmsKeyArn"), fn["name"])
			}
			for _, g := range p["aws:cloudwatch/logGroup:LogGroup"] {
				if g["name"] == "nz-edge-query-logs" {
					assert.Nil(t, input(g, "kmsKeyId"), "us-east-1: out of a regional key's reach")
					continue
				}
				assert.Equal(t, key, input(g, "kmsKeyId"), g["name"])
			}
			sse := "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
			for _, name := range []string{"nz-crdb-backups-encryption", "nz-edge-user-content-encryption"} {
				rule := input(p.named(t, sse, name), "rules").([]any)[0].(map[string]any)
				assert.Equal(t, map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}, rule["applyServerSideEncryptionByDefault"], name)
				assert.Equal(t, true, rule["bucketKeyEnabled"], name)
			}
			cluster := p.named(t, "aws:rds/cluster:Cluster", "nz-aurora-cluster")
			assert.Equal(t, key, input(cluster, "kmsKeyId"))
			assert.Equal(t, key, input(cluster, "masterUserSecretKmsKeyId"))
			assert.Equal(t, key, input(p.named(t, "aws:rds/clusterInstance:ClusterInstance", "nz-aurora-writer"), "performanceInsightsKmsKeyId"))

			// Who may use the key, and for what.
			actions := func(name string) []string {
				doc := rolePolicy(t, p, name)
				var out []string
				for _, s := range doc.Statement {
					if slices.Contains(s.Resource, key) {
						out = append(out, s.Action...)
					}
				}
				slices.Sort(out)
				return out
			}
			decrypt, write := []string{"kms:Decrypt"}, []string{"kms:Decrypt", "kms:GenerateDataKey"}
			assert.Equal(t, decrypt, actions("nz-crdb-execution-policy"), "ECS reads the encrypted secrets")
			assert.Equal(t, write, actions("nz-crdb-task-policy"), "the nodes write and read backups")
			assert.Equal(t, write, actions("nz-api-policy"), "the API sends to the queue and puts user content")
			for _, fn := range []string{"nz-api", "nz-worker", "nz-origin-check", "nz-crdb-roll-gate"} {
				assert.Equal(t, decrypt, actions(fn+"-runtime-policy"), fn)
			}
		})
	}
}

func rolePolicy(t *testing.T, p planned, name string) policy.Document {
	t.Helper()
	var doc policy.Document
	require.NoError(t, json.Unmarshal([]byte(input(p.named(t, "aws:iam/rolePolicy:RolePolicy", name), "policy").(string)), &doc), name)
	return doc
}

// Every bucket that holds data logs its access to the access-log bucket,
// the backups included (the edge is built before the cluster for that).
func TestBucketsLogTheirAccess(t *testing.T) {
	p := planned(resourcesOf(planJSON(t, "--stack", "nz")))
	var logged []string
	for _, l := range p["aws:s3/bucketLoggingV2:BucketLoggingV2"] {
		// The bucket is auto-named: its logical name and a suffix.
		assert.True(t, strings.HasPrefix(input(l, "targetBucket").(string), "nz-edge-access-logs-"), l["name"])
		logged = append(logged, input(l, "targetPrefix").(string))
	}
	slices.Sort(logged)
	assert.Equal(t, []string{"s3/nz-crdb-backups/", "s3/nz-edge-static/", "s3/nz-edge-user-content/"}, logged)
}
