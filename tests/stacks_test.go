// Package tests plans every stack file of the repository, the way a user
// does, and checks what holds for the whole program: the JSON contract, the
// references between resources, the tags, and the documentation.
package tests

import (
	"bytes"
	"edstack/components/cockroach"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/tags"
	"edstack/plan"
	"edstack/plan/engine"
	"edstack/policy"
	"edstack/stacks"
)

// root is the project folder, where Pulumi.yaml is.
const root = ".."

func stackNames(t *testing.T) []string {
	t.Helper()
	names := plan.Stacks(root)
	require.Subset(t, names, []string{"dev", "nz", "au"})
	return names
}

// planJSON runs `go run . plan --json` in-process and decodes its output
// without a schema, so that the test sees exactly the fields it printed.
func planJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, stderr bytes.Buffer
	code := plan.Main(append([]string{"--dir", root, "--json"}, args...), &out, &stderr)
	require.Equal(t, 0, code, stderr.String())
	var j map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &j), "the plan is not valid JSON")
	return j
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// variants are plans beyond the stack files that must keep the contract
// too: every optional part on.
var variants = map[string][]string{
	"nz-mirror": {"--stack", "nz", "--config", "edstack:auroraEnabled=true", "--config", "edstack:database=mirror"},
	"au-aurora-only": {"--stack", "au", "--config", "edstack:auroraEnabled=true", "--config", "edstack:database=aurora",
		"--config", "edstack:cockroachNodes=0"},
	"dev-existing-zone": {"--stack", "dev", "--config", "edstack:hostedZoneId=Z0123456789EXAMPLE"},
}

func TestEveryStackPlansToTheContract(t *testing.T) {
	runs := map[string][]string{}
	for _, stack := range stackNames(t) {
		runs[stack] = []string{"--stack", stack}
	}
	for name, args := range variants {
		runs[name] = args
	}
	for name, args := range runs {
		stack := args[1]
		t.Run(name, func(t *testing.T) {
			j := planJSON(t, args...)
			assert.Equal(t, []string{"config", "cost", "outputs", "policy", "project", "resources", "stack"}, keys(j))
			c := j["cost"].(map[string]any)
			for _, k := range []string{"currency", "priceDate", "region", "monthly", "components", "unpriced", "assumptions"} {
				assert.Contains(t, c, k, "design.md's cost object")
			}
			assert.Equal(t, "USD", c["currency"])
			assert.Empty(t, c["unpriced"], "every resource priced or free")
			line := c["components"].([]any)[0].(map[string]any)["lines"].([]any)[0].(map[string]any)
			assert.Equal(t, []string{"description", "monthly", "quantity", "unit", "unitPrice", "urn", "usage"}, keys(line))
			pol := j["policy"].(map[string]any)
			assert.Equal(t, float64(len(policy.Pack())), pol["rules"])
			assert.Empty(t, pol["findings"], "every stack passes the pack or waives with a reason")
			for _, w := range pol["waivers"].([]any) {
				wm := w.(map[string]any)
				assert.NotEmpty(t, wm["reason"])
				assert.NotEmpty(t, wm["urns"])
				assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, wm["expires"])
			}
			assert.Equal(t, "edstack", j["project"])
			assert.Equal(t, stack, j["stack"])

			config := j["config"].(map[string]any)
			country := config["edstack:country"].(string)
			for k, v := range config {
				assert.IsType(t, "", v, "config %s is a string", k)
			}

			resources := j["resources"].([]any)
			require.NotEmpty(t, resources)
			byURN := map[string]map[string]any{}
			ids := map[string]string{}
			for _, raw := range resources {
				r := raw.(map[string]any)
				got := keys(r)
				if _, ok := r["propertyDependencies"]; ok {
					// Optional, and added after the first contract:
					// per input, the URNs it was built from.
					got = slices.DeleteFunc(got, func(k string) bool { return k == "propertyDependencies" })
					for prop, urns := range r["propertyDependencies"].(map[string]any) {
						assert.Contains(t, r["inputs"], prop, "%s: a property dependency names an input", r["urn"])
						for _, d := range urns.([]any) {
							assert.Contains(t, r["dependencies"], d, "%s: %s's dependency is a dependency of the resource", r["urn"], prop)
						}
					}
				}
				assert.Equal(t, []string{"custom", "dependencies", "id", "ignoreChanges", "inputs", "name", "parent", "protect", "provider", "retainOnDelete", "type", "urn"}, got)
				urn := r["urn"].(string)
				assert.NotContains(t, byURN, urn, "URNs are unique")
				byURN[urn] = r
				if r["custom"] == true {
					id := r["id"].(string)
					assert.NotEmpty(t, id)
					assert.NotContains(t, ids, id, "ids are unique: %s", id)
					ids[id] = urn
				}
				assert.True(t, strings.HasPrefix(urn, "urn:pulumi:"+stack+"::edstack::"), urn)
			}

			roots := 0
			for urn, r := range byURN {
				name := r["name"].(string)
				assert.True(t, strings.HasPrefix(name, country), "%s: names start with the country", name)

				if p := r["parent"].(string); p == "" {
					roots++
					assert.Equal(t, "edstack:index:CountryStack", r["type"])
				} else if assert.Contains(t, byURN, p, "%s: parent is planned", urn) {
					assert.Equal(t, false, byURN[p]["custom"], "%s: parents are components", urn)
				}
				for _, d := range r["dependencies"].([]any) {
					assert.Contains(t, byURN, d, "%s: dependency is planned", urn)
				}
				if p := r["provider"].(string); p != "" {
					i := strings.LastIndex(p, "::")
					prov, ok := byURN[p[:i]]
					if assert.True(t, ok, "%s: provider %s is planned", urn, p) {
						assert.True(t, strings.HasPrefix(prov["type"].(string), "pulumi:providers:"))
						assert.Equal(t, prov["id"], p[i+2:])
					}
				}
				// Every placeholder id an input holds is the id of a planned resource.
				for _, ref := range placeholderIDs(r["inputs"]) {
					assert.Contains(t, ids, ref, "%s: input refers to %s, which is not planned", urn, ref)
				}
				if r["custom"] == true && tags.Taggable(r["type"].(string)) && strings.HasPrefix(r["type"].(string), "aws:") {
					assertTags(t, r, byURN, country, stack)
				}
			}
			assert.Equal(t, 1, roots, "one CountryStack at the top")

			outputs := j["outputs"].(map[string]any)
			for _, k := range []string{"country", "region", "vpcId", "privateSubnetIds", "publicSubnetIds", "availabilityZones"} {
				assert.Contains(t, outputs, k)
			}
			assert.Len(t, outputs["privateSubnetIds"], 3)
		})
	}
}

// assertTags checks the tag set of a resource: the stack's country and name,
// and the component it sits in.
func assertTags(t *testing.T, r map[string]any, byURN map[string]map[string]any, country, stack string) {
	t.Helper()
	parentType := byURN[r["parent"].(string)]["type"].(string) // edstack:<component>:<Type>
	set := tags.Base{Country: country, Stack: stack}.For(strings.Split(parentType, ":")[1])
	assert.NoError(t, set.Check(r["inputs"].(map[string]any)["tags"]), "%s %s", r["type"], r["name"])
}

// placeholderIDs finds the strings of the form "<name>-id" in inputs.
func placeholderIDs(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if strings.HasSuffix(x, "-id") && !strings.ContainsAny(x, " /:") {
			out = append(out, x)
		}
	case []any:
		for _, e := range x {
			out = append(out, placeholderIDs(e)...)
		}
	case map[string]any:
		for _, e := range x {
			out = append(out, placeholderIDs(e)...)
		}
	}
	return out
}

func TestCountryStacksAreProductionShaped(t *testing.T) {
	for _, stack := range []string{"nz", "au"} {
		j := planJSON(t, "--stack", stack)
		nats := 0
		for _, raw := range j["resources"].([]any) {
			if raw.(map[string]any)["type"] == "aws:ec2/natGateway:NatGateway" {
				nats++
			}
		}
		assert.Equal(t, 3, nats, "%s: one NAT gateway per zone", stack)
	}
	dev := planJSON(t, "--stack", "dev")
	assert.Equal(t, "single", dev["config"].(map[string]any)["edstack:natGateways"])
}

// resourcesOf indexes a JSON plan's resources by type.
func resourcesOf(j map[string]any) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, raw := range j["resources"].([]any) {
		r := raw.(map[string]any)
		out[r["type"].(string)] = append(out[r["type"].(string)], r)
	}
	return out
}

func TestCockroachInEveryStack(t *testing.T) {
	tests := []struct {
		stack   string
		nodes   int
		memory  string
		protect bool
	}{
		{"nz", 12, "24576", true},
		{"au", 12, "24576", true},
		{"dev", 3, "16384", false},
	}
	for _, tt := range tests {
		t.Run(tt.stack, func(t *testing.T) {
			byType := resourcesOf(planJSON(t, "--stack", tt.stack))
			services := byType["aws:ecs/service:Service"]
			require.Len(t, services, tt.nodes)
			for _, s := range services {
				strategy := s["inputs"].(map[string]any)["capacityProviderStrategies"].([]any)[0].(map[string]any)
				assert.Equal(t, "FARGATE_SPOT", strategy["capacityProvider"])
			}
			require.Len(t, byType["aws:ecs/taskDefinition:TaskDefinition"], tt.nodes, "one task definition per node")
			td := byType["aws:ecs/taskDefinition:TaskDefinition"][0]["inputs"].(map[string]any)
			assert.Equal(t, "4096", td["cpu"])
			assert.Equal(t, tt.memory, td["memory"])
			assert.Len(t, byType["aws:lb/loadBalancer:LoadBalancer"], 1)
			assert.Len(t, byType["aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"], 1)
			assert.Len(t, byType["aws:servicediscovery/service:Service"], tt.nodes)
			assert.Len(t, byType["aws:secretsmanager/secret:Secret"], 2)
			var buckets []map[string]any
			for _, b := range byType["aws:s3/bucketV2:BucketV2"] {
				if strings.HasSuffix(b["name"].(string), "-crdb-backups") {
					buckets = append(buckets, b)
				}
			}
			require.Len(t, buckets, 1)
			assert.Equal(t, tt.protect, buckets[0]["protect"], "backups protected in country stacks only")
			for _, s := range byType["aws:secretsmanager/secret:Secret"] {
				assert.Equal(t, tt.protect, s["protect"])
			}
			for _, v := range byType["aws:secretsmanager/secretVersion:SecretVersion"] {
				assert.Equal(t, "[secret]", v["inputs"].(map[string]any)["secretString"], "secret values stay hidden")
			}
		})
	}
}

func TestEdgeAndAPIInEveryStack(t *testing.T) {
	for _, stack := range []string{"nz", "au", "dev"} {
		t.Run(stack, func(t *testing.T) {
			j := planJSON(t, "--stack", stack)
			byType := resourcesOf(j)
			for typ, n := range map[string]int{
				"aws:route53/zone:Zone":                                  1,
				"aws:acm/certificate:Certificate":                        1,
				"aws:acm/certificateValidation:CertificateValidation":    1,
				"aws:cloudfront/distribution:Distribution":               1,
				"aws:cloudfront/originAccessControl:OriginAccessControl": 1,
				"aws:apigatewayv2/api:Api":                               1,
				"aws:apigatewayv2/stage:Stage":                           1,
				"aws:lambda/function:Function":                           4, // api, worker, the origin check, and CockroachDB's roll gate
				"aws:lambda/eventSourceMapping:EventSourceMapping":       1,
				"aws:sqs/queue:Queue":                                    2,
				"aws:s3/bucketV2:BucketV2":                               4, // backups, static, user content, access logs
				"pulumi:providers:aws":                                   1, // us-east-1, for the certificate
			} {
				assert.Len(t, byType[typ], n, typ)
			}
			provider := byType["pulumi:providers:aws"][0]
			assert.Equal(t, "us-east-1", provider["inputs"].(map[string]any)["region"])
			prefix := provider["urn"].(string) + "::"
			for _, typ := range []string{"aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"} {
				assert.True(t, strings.HasPrefix(byType[typ][0]["provider"].(string), prefix), "%s through the us-east-1 provider", typ)
			}
			dist := byType["aws:cloudfront/distribution:Distribution"][0]["inputs"].(map[string]any)
			assert.Equal(t, "PriceClass_All", dist["priceClass"], "Australia and New Zealand need PriceClass_All")
			outputs := j["outputs"].(map[string]any)
			for _, k := range []string{"siteUrl", "apiUrl", "distributionId", "nameServers", "staticBucket", "userContentBucket", "queueUrl", "dlqUrl"} {
				assert.NotEmpty(t, outputs[k], k)
			}
		})
	}
}

func lambdaEnv(t *testing.T, byType map[string][]map[string]any) map[string]any {
	t.Helper()
	fns := byType["aws:lambda/function:Function"]
	require.NotEmpty(t, fns)
	return fns[0]["inputs"].(map[string]any)["environment"].(map[string]any)["variables"].(map[string]any)
}

func TestAuroraIsOptional(t *testing.T) {
	for _, stack := range []string{"nz", "au", "dev"} {
		byType := resourcesOf(planJSON(t, "--stack", stack))
		for typ := range byType {
			assert.False(t, strings.HasPrefix(typ, "aws:rds/"), "%s: %s planned with Aurora off", stack, typ)
		}
	}

	j := planJSON(t, "--stack", "nz", "--config", "edstack:auroraEnabled=true")
	byType := resourcesOf(j)
	require.Len(t, byType["aws:rds/cluster:Cluster"], 1)
	cluster := byType["aws:rds/cluster:Cluster"][0]
	assert.Equal(t, true, cluster["protect"], "a country's Aurora cluster is protected")
	assert.Equal(t, true, cluster["inputs"].(map[string]any)["deletionProtection"])
	assert.Len(t, byType["aws:appautoscaling/scheduledAction:ScheduledAction"], 2)
	assert.Equal(t, "cockroach", lambdaEnv(t, byType)["DB_ENGINE"], "Aurora on does not move the application")
	outputs := j["outputs"].(map[string]any)
	for _, k := range []string{"auroraWriterEndpoint", "auroraReaderEndpoint", "auroraMasterSecretArn", "auroraReaders"} {
		assert.NotEmpty(t, outputs[k], k)
	}

	dev := resourcesOf(planJSON(t, "--stack", "dev", "--config", "edstack:auroraEnabled=true"))
	assert.Equal(t, false, dev["aws:rds/cluster:Cluster"][0]["inputs"].(map[string]any)["deletionProtection"])
}

func TestDatabaseSwitch(t *testing.T) {
	// Aurora only: no CockroachDB cluster, the functions use Aurora.
	j := planJSON(t, "--stack", "nz", "--config", "edstack:auroraEnabled=true",
		"--config", "edstack:database=aurora", "--config", "edstack:cockroachNodes=0")
	byType := resourcesOf(j)
	assert.Empty(t, byType["aws:ecs/service:Service"])
	assert.Empty(t, byType["edstack:cockroach:Cluster"])
	env := lambdaEnv(t, byType)
	assert.Equal(t, "aurora", env["DB_ENGINE"])
	outputs := j["outputs"].(map[string]any)
	assert.Equal(t, outputs["auroraConnectionSecretArn"], env["DB_SECRET_ARN"])
	assert.Equal(t, outputs["auroraConnectionSecretArn"], outputs["connectionSecretArn"])

	// Mirror: CockroachDB primary, Aurora shadow.
	j = planJSON(t, "--stack", "nz", "--config", "edstack:auroraEnabled=true", "--config", "edstack:database=mirror")
	env = lambdaEnv(t, resourcesOf(j))
	outputs = j["outputs"].(map[string]any)
	assert.Equal(t, "cockroach", env["DB_ENGINE"])
	assert.Equal(t, outputs["cockroachConnectionSecretArn"], env["DB_SECRET_ARN"])
	assert.Equal(t, "aurora", env["DB_SHADOW_ENGINE"])
	assert.Equal(t, outputs["auroraConnectionSecretArn"], env["DB_SHADOW_SECRET_ARN"])
}

// With an existing zone, the stack creates none and has no name servers to
// delegate to.
func TestExistingHostedZone(t *testing.T) {
	j := planJSON(t, "--stack", "nz", "--config", "edstack:hostedZoneId=Z0123456789EXAMPLE")
	byType := resourcesOf(j)
	assert.Empty(t, byType["aws:route53/zone:Zone"])
	for _, r := range byType["aws:route53/record:Record"] {
		assert.Equal(t, "Z0123456789EXAMPLE", r["inputs"].(map[string]any)["zoneId"])
	}
	assert.Equal(t, []any{}, j["outputs"].(map[string]any)["nameServers"])
}

func TestPlanFailsClearly(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--stack", "nowhere"}, []string{`stack "nowhere" has no file Pulumi.nowhere.yaml`}},
		{[]string{"--stack", "dev", "--config", "edstack:country=zz"}, []string{"edstack:country", `"zz"`, strings.Join(stacks.CountryCodes(), ", ")}},
		{[]string{"--stack", "nz", "--config", "edstack:cockroachMemoryMiB=32768"}, []string{"edstack:cockroachMemoryMiB", "32768", "8192 to 30720"}},
		{[]string{"--stack", "nz", "--config", "edstack:cockroachNodes=2"}, []string{"edstack:cockroachNodes", `"2"`, "at least 3"}},
		{[]string{"--stack", "nz", "--config", "edstack:apiTimeoutSeconds=31"}, []string{"edstack:apiTimeoutSeconds", `"31"`, "at most 30 s"}},
		{[]string{"--stack", "nz", "--config", "edstack:workerTimeoutSeconds=901"}, []string{"edstack:workerTimeoutSeconds", `"901"`, "at most 900 s"}},
		{[]string{"--stack", "nz", "--config", "edstack:database=aurora"}, []string{"edstack:database", `"aurora"`, "edstack:auroraEnabled: true"}},
	}
	for _, tt := range tests {
		var out, stderr bytes.Buffer
		code := plan.Main(append([]string{"--dir", root}, tt.args...), &out, &stderr)
		if tt.args[1] != "nowhere" {
			// A config error stops the plan before the program registers anything.
			_, err := plan.Build(plan.Options{Dir: root, Stack: tt.args[1], Overrides: []plan.Override{mustOverride(t, tt.args[3])}})
			var ce *stacks.ConfigError
			assert.ErrorAs(t, err, &ce)
		}
		assert.Equal(t, 1, code)
		for _, w := range tt.want {
			assert.Contains(t, stderr.String(), w)
		}
	}
}

func mustOverride(t *testing.T, s string) plan.Override {
	t.Helper()
	o, err := plan.ParseOverride(s)
	require.NoError(t, err)
	return o
}

// The README's config reference documents exactly the keys Pulumi.yaml
// declares, and every stack file sets only keys the README documents.
func TestReadmeDocumentsEveryKey(t *testing.T) {
	project, err := plan.LoadProject(root)
	require.NoError(t, err)
	var declared []string
	for k, v := range project.Config {
		declared = append(declared, k)
		assert.NotEmpty(t, v.Description, "%s has a description in Pulumi.yaml", k)
		assert.NotNil(t, v.Type, "%s has a type in Pulumi.yaml", k)
	}
	sort.Strings(declared)

	documented := readmeKeys(t)
	assert.Equal(t, declared, filter(documented, "edstack:"), "README config reference vs Pulumi.yaml")
	assert.Contains(t, documented, "aws:region")
}

// readmeKeys lists the keys in the first column of the tables of the
// README's "Configuration reference" section.
func readmeKeys(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, section, found := strings.Cut(string(b), "\n## Configuration reference\n")
	require.True(t, found, "README has a Configuration reference section")
	section, _, _ = strings.Cut(section, "\n## ")
	var out []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cell := strings.TrimPrefix(line, "| `")
		key, _, ok := strings.Cut(cell, "`")
		if ok && strings.Contains(key, ":") {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

func filter(ss []string, prefix string) []string {
	var out []string
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// CI runs the test command the README gives.
func TestCIRunsTheReadmeTestCommand(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	require.NoError(t, err)
	const cmd = "go test ./..."
	assert.Contains(t, string(readme), "\n"+cmd+"\n", "the README gives the test command on a line of its own")
	assert.Contains(t, string(ci), "\n"+cmd+"\n")
	assert.Contains(t, string(readme), "go run . plan --stack nz")
}

// containerOf decodes a task definition's node container from a JSON plan
// (the first; the metrics collector, when there is one, follows it).
func containerOf(t *testing.T, td map[string]any) map[string]any {
	t.Helper()
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(td["inputs"].(map[string]any)["containerDefinitions"].(string)), &defs))
	require.NotEmpty(t, defs)
	require.Equal(t, cockroach.ContainerName, defs[0]["name"])
	return defs[0]
}

// The CockroachDB settings added for issue 8, each set to a value other than
// its default, reach the resources they configure.
func TestCockroachSettingsReachTheResources(t *testing.T) {
	digest := "sha256:" + strings.Repeat("0f", 32)
	mirror := "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/mirror/cockroach"
	byType := resourcesOf(planJSON(t, "--stack", "nz",
		"--config", "edstack:cockroachBackupRetentionDays=14",
		"--config", "edstack:cockroachImageRepository="+mirror,
		"--config", "edstack:cockroachImageDigest="+digest))
	for _, lc := range byType["aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"] {
		if lc["name"] == "nz-crdb-backups-lifecycle" {
			rule := lc["inputs"].(map[string]any)["rules"].([]any)[0].(map[string]any)
			assert.Equal(t, float64(14), rule["expiration"].(map[string]any)["days"])
		}
	}
	for _, td := range byType["aws:ecs/taskDefinition:TaskDefinition"] {
		assert.Equal(t, mirror+":v26.2.0@"+digest, containerOf(t, td)["image"], td["name"])
	}
	for _, p := range byType["aws:iam/rolePolicy:RolePolicy"] {
		if p["name"] == "nz-crdb-execution-policy" {
			assert.Contains(t, p["inputs"].(map[string]any)["policy"], "arn:aws:ecr:ap-southeast-2:123456789012:repository/mirror/cockroach")
		}
	}
	assert.Empty(t, byType["aws:ecr/pullThroughCacheRule:PullThroughCacheRule"])

	cacheSecret := "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
	byType = resourcesOf(planJSON(t, "--stack", "au", "--config", "edstack:cockroachRegistrySecretArn="+cacheSecret))
	rules := byType["aws:ecr/pullThroughCacheRule:PullThroughCacheRule"]
	require.Len(t, rules, 1)
	assert.Equal(t, cacheSecret, rules[0]["inputs"].(map[string]any)["credentialArn"])
	assert.Equal(t, "au-docker-hub", rules[0]["inputs"].(map[string]any)["ecrRepositoryPrefix"])
	for _, td := range byType["aws:ecs/taskDefinition:TaskDefinition"] {
		assert.Contains(t, containerOf(t, td)["image"], ".dkr.ecr.ap-southeast-2.amazonaws.com/au-docker-hub/cockroachdb/cockroach:v26.2.0")
	}

	// dev runs unlicensed, as its file says; nz carries a licence secret,
	// which every node receives.
	for stack, licensed := range map[string]bool{"dev": false, "nz": true} {
		byType = resourcesOf(planJSON(t, "--stack", stack))
		for _, td := range byType["aws:ecs/taskDefinition:TaskDefinition"] {
			secrets, _ := json.Marshal(containerOf(t, td)["secrets"])
			assert.Equal(t, licensed, strings.Contains(string(secrets), "COCKROACH_LICENSE_KEY"), "%s %s", stack, td["name"])
		}
	}
}

// A change of edstack:cockroachNodes is checked against the count the
// stack last deployed (its cockroachNodes output): a scale-down that would
// delete nodes still holding replicas is refused before anything is
// registered, and goes through once the removed nodes are listed as
// decommissioned.
func TestScaleDownIsCheckedAgainstTheDeployment(t *testing.T) {
	build := func(deployed int, config ...string) (*plan.Plan, error) {
		var ovr []plan.Override
		for _, c := range config {
			ovr = append(ovr, mustOverride(t, c))
		}
		return plan.Build(plan.Options{Dir: root, Stack: "nz", Overrides: ovr, DeployedNodes: deployed})
	}
	services := func(p *plan.Plan) []string {
		var names []string
		for _, r := range p.Resources {
			if r.Type == "aws:ecs/service:Service" {
				names = append(names, r.Name)
			}
		}
		sort.Strings(names)
		return names
	}

	p, err := build(12, "edstack:cockroachNodes=15")
	require.NoError(t, err, "scaling up is always safe")
	assert.Len(t, services(p), 15)
	assert.Equal(t, float64(15), p.Outputs[stacks.OutputCockroachNodes], "the next deployment reads the count from here")

	_, err = build(12, "edstack:cockroachNodes=9")
	var ce *stacks.ConfigError
	require.ErrorAs(t, err, &ce, "refused as a configuration problem, before any resource")
	for _, want := range []string{"edstack:cockroachNodes: 9 (deployed: 12)", "deletes nodes 9, 10, 11 and their stores", "cockroach node decommission",
		"list them as decommissioned: [9, 10, 11]", "edstack:cockroachDecommissionedNodes"} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = build(12, "edstack:cockroachNodes=9", "edstack:cockroachDecommissionedNodes=[10, 11]")
	assert.ErrorContains(t, err, "deletes node 9 and its store")

	p, err = build(12, "edstack:cockroachNodes=9", "edstack:cockroachDecommissionedNodes=[9, 10, 11]")
	require.NoError(t, err)
	assert.Len(t, services(p), 9)
	assert.NotContains(t, services(p), "nz-crdb-node-9")

	// Turning CockroachDB off after a move to Aurora is a scale-down to 0.
	aurora := []string{"edstack:auroraEnabled=true", "edstack:database=aurora", "edstack:cockroachNodes=0"}
	_, err = build(12, aurora...)
	assert.ErrorContains(t, err, "deletes the whole cluster")
	p, err = build(12, append(aurora, "edstack:cockroachDecommissionedNodes=[0,1,2,3,4,5,6,7,8,9,10,11]")...)
	require.NoError(t, err)
	assert.Empty(t, services(p))
	assert.Equal(t, float64(0), p.Outputs[stacks.OutputCockroachNodes])

	// The offline plan checks it too, when told the deployed count.
	var out, stderr bytes.Buffer
	assert.Equal(t, 1, plan.Main([]string{"--dir", root, "--stack", "nz", "--deployed-nodes", "12", "--config", "edstack:cockroachNodes=9"}, &out, &stderr))
	assert.Contains(t, stderr.String(), "deletes nodes 9, 10, 11 and their stores")
	assert.NotContains(t, stderr.String(), "error occurred", "the problem as the program put it, without the engine's wrapping")
	assert.Contains(t, stderr.String(), "nothing was planned")
}

// Under `pulumi up` the program gets every key from the Pulumi CLI
// (PULUMI_CONFIG) and refuses what the plan refuses, before it registers
// anything: a typo is never ignored in silence.
func TestProgramRefusesUnknownKeysUnderPulumiUp(t *testing.T) {
	sc, err := plan.LoadStackConfig(root, "dev", []plan.Override{mustOverride(t, "edstack:cockroachNode=3")})
	require.NoError(t, err)
	values, err := json.Marshal(sc.Values)
	require.NoError(t, err)
	t.Setenv(pulumi.EnvConfig, string(values))
	t.Setenv(pulumi.EnvConfigSecretKeys, "[]")
	project, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	declared, err := stacks.ParseDeclared(project)
	require.NoError(t, err)

	res, err := engine.Run(stacks.Program(declared), engine.Options{Project: "edstack", Stack: "dev", Config: sc.Values, Region: "ap-southeast-2"})
	var ce *stacks.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), `edstack:cockroachNode: "3" is not a key edstack reads; did you mean edstack:cockroachNodes?`)
	assert.Nil(t, res, "nothing registered")

	delete(sc.Values, "edstack:cockroachNode")
	values, err = json.Marshal(sc.Values)
	require.NoError(t, err)
	t.Setenv(pulumi.EnvConfig, string(values))
	res, err = engine.Run(stacks.Program(declared), engine.Options{Project: "edstack", Stack: "dev", Config: sc.Values, Region: "ap-southeast-2"})
	require.NoError(t, err)
	assert.NotEmpty(t, res.OfType("aws:ecs/service:Service"), "the same stack without the typo builds")
}

// The JSON plan carries retainOnDelete and ignoreChanges, as the text does.
func TestJSONCarriesLifecycleOptions(t *testing.T) {
	byType := resourcesOf(planJSON(t, "--stack", "nz", "--config", "edstack:auroraEnabled=true"))
	var retained []string
	for _, b := range byType["aws:s3/bucketV2:BucketV2"] {
		if b["retainOnDelete"] == true {
			retained = append(retained, b["name"].(string))
		}
	}
	assert.Equal(t, []string{"nz-crdb-backups"}, retained, "backups outlive the cluster")
	targets := byType["aws:appautoscaling/target:Target"]
	require.Len(t, targets, 1)
	assert.Equal(t, []any{"minCapacity"}, targets[0]["ignoreChanges"])
}
