package review

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/cost"
	"edstack/plan"
	"edstack/policy"
)

const stack = "urn:pulumi:nz::edstack::"

func res(typ, name string, inputs map[string]any) plan.JSONResource {
	return plan.JSONResource{URN: stack + typ + "::" + name, Type: typ, Name: name, Custom: true, Inputs: inputs}
}

func byName(t *testing.T, r *StackReview, name string) Change {
	t.Helper()
	for _, c := range r.Changes {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no change to %s in %+v", name, r.Changes)
	return Change{}
}

func TestForcesReplacement(t *testing.T) {
	for _, tc := range []struct {
		typ, path string
		want      bool
	}{
		{"aws:ec2/vpc:Vpc", "cidrBlock", true},
		{"aws:ec2/vpc:Vpc", "tags.Name", false},
		{"aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions#[0].environment[3].value", true},
		{"aws:ecs/service:Service", "desiredCount", false},
		{"aws:ecs/service:Service", "name", true},
		{"aws:lambda/function:Function", "memorySize", false},
		{"aws:lambda/function:Function", "name", true},
		{"aws:s3/bucketV2:BucketV2", "bucket", true},
		{"aws:s3/bucketV2:BucketV2", "tags.Country", false},
		{"tls:index/certRequest:CertRequest", "dnsNames[3]", true},
		{"pulumi:providers:aws", "region", true},
		// A type the table does not know: any change is taken as a
		// replacement, so a gap can only over-warn.
		{"aws:example/unknown:Unknown", "anything", true},
	} {
		assert.Equal(t, tc.want, ForcesReplacement(tc.typ, tc.path), "%s %s", tc.typ, tc.path)
	}
}

func TestUpdatesShowTheChangedPathsAndHideSecrets(t *testing.T) {
	base := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{
		res("aws:lambda/function:Function", "nz-api", map[string]any{
			"memorySize":  1024.0,
			"environment": map[string]any{"variables": map[string]any{"TOKEN": "[secret]", "MODE": "a"}},
			"role":        "arn:aws:iam::123456789012:role/nz-api",
		}),
		res("aws:iam/rolePolicy:RolePolicy", "nz-api-policy", map[string]any{
			"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":"*"}]}`,
		}),
	}}
	head := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{
		res("aws:lambda/function:Function", "nz-api", map[string]any{
			"memorySize":  2048.0,
			"environment": map[string]any{"variables": map[string]any{"TOKEN": "hunter2", "MODE": "a"}},
			"role":        "arn:aws:iam::123456789012:role/nz-api",
		}),
		res("aws:iam/rolePolicy:RolePolicy", "nz-api-policy", map[string]any{
			"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:GetQueueUrl"],"Resource":"*"}]}`,
		}),
	}}
	r := Compare(base, head, Options{})
	fn := byName(t, r, "nz-api")
	assert.Equal(t, Update, fn.Action)
	assert.Equal(t, []Diff{
		{Path: "environment.variables.TOKEN", Secret: true},
		{Path: "memorySize", Before: "1024", After: "2048"},
	}, fn.Diffs)
	pol := byName(t, r, "nz-api-policy")
	assert.Equal(t, []Diff{{Path: "policy#Statement[0].Action[1]", After: `"sqs:GetQueueUrl"`}}, pol.Diffs,
		"a JSON document is compared inside: the diff names the statement")
	assert.Equal(t, Counts{Update: 2}, r.Counts)
	md := r.Markdown(0)
	assert.NotContains(t, md, "hunter2", "a secret value is never shown")
	assert.Contains(t, md, "! environment.variables.TOKEN: [secret] changed")
}

// A replaced resource's new outputs change every input built from them:
// the replacement cascades where such an input forces it, and the review
// shows the chain.
func TestReplacementsCascadeThroughReferences(t *testing.T) {
	key := res("tls:index/privateKey:PrivateKey", "nz-node-key", map[string]any{"algorithm": "ECDSA"})
	csr := res("tls:index/certRequest:CertRequest", "nz-node-csr", map[string]any{"privateKeyPem": "[secret]", "dnsNames": []any{"a"}})
	csr.PropertyDependencies = map[string][]string{"privateKeyPem": {key.URN}}
	cert := res("tls:index/locallySignedCert:LocallySignedCert", "nz-node-cert", map[string]any{"certRequestPem": "pem"})
	cert.PropertyDependencies = map[string][]string{"certRequestPem": {csr.URN}}
	secret := res("aws:secretsmanager/secret:Secret", "nz-tls", map[string]any{"name": "nz-tls"})
	secret.Protect = true
	version := res("aws:secretsmanager/secretVersion:SecretVersion", "nz-tls-value", map[string]any{"secretId": "nz-tls", "secretString": "[secret]"})
	version.PropertyDependencies = map[string][]string{"secretString": {cert.URN}, "secretId": {secret.URN}}
	other := res("aws:sqs/queue:Queue", "nz-jobs", map[string]any{"name": "nz-jobs"})

	base := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{key, csr, cert, secret, version, other}}
	csr2 := csr
	csr2.Inputs = map[string]any{"privateKeyPem": "[secret]", "dnsNames": []any{"a", "b"}}
	head := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{key, csr2, cert, secret, version, other}}

	r := Compare(base, head, Options{})
	assert.Equal(t, Replace, byName(t, r, "nz-node-csr").Action)
	assert.Equal(t, []string{"dnsNames"}, byName(t, r, "nz-node-csr").ReplacedBy)
	c := byName(t, r, "nz-node-cert")
	assert.Equal(t, Replace, c.Action)
	assert.Equal(t, []string{"nz-node-csr via certRequestPem"}, c.Chain)
	v := byName(t, r, "nz-tls-value")
	assert.Equal(t, Replace, v.Action, "a new secret value is a new version")
	assert.Equal(t, []Diff{{Path: "secretString", Secret: true, Via: "nz-node-cert", Replaces: true}}, v.Diffs)
	assert.Equal(t, []string{"nz-node-cert via secretString", "nz-node-csr via certRequestPem"}, v.Chain, "nearest first")
	assert.Empty(t, v.Data, "the secret keeps its value's history; the version holds none")
	assert.Equal(t, Counts{Replace: 3, Same: 3}, r.Counts, "the key, the secret and the queue stay")
	assert.Contains(t, r.Markdown(0), "`certRequestPem` ← nz-node-csr via certRequestPem")
}

func TestProtectedAndDataBearingChangesComeFirst(t *testing.T) {
	bucket := res("aws:s3/bucketV2:BucketV2", "nz-backups", map[string]any{"bucket": "nz-backups"})
	bucket.Protect = true
	queue := res("aws:sqs/queue:Queue", "nz-jobs", map[string]any{"name": "nz-jobs"})
	logs := res("aws:cloudwatch/logGroup:LogGroup", "nz-old-logs", map[string]any{"name": "/x"})
	logs.RetainOnDelete = true
	fn := res("aws:lambda/function:Function", "nz-api", map[string]any{"memorySize": 128.0})
	node := res("aws:ecs/service:Service", "nz-crdb-node-11", map[string]any{"name": "nz-crdb-node-11"})
	node.Parent = stack + "edstack:cockroach:Cluster::nz-crdb"
	base := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{bucket, queue, logs, fn, node}}

	bucket2, queue2, fn2 := bucket, queue, fn
	bucket2.Inputs = map[string]any{"bucket": "nz-backups-2"}
	queue2.Inputs = map[string]any{"name": "nz-work"}
	fn2.Inputs = map[string]any{"memorySize": 256.0}
	head := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{fn2, queue2, bucket2}}

	r := Compare(base, head, Options{})
	var order []string
	for _, c := range r.Changes {
		order = append(order, c.Name+" "+string(c.Action))
	}
	assert.Equal(t, []string{
		"nz-backups replace",     // blocked
		"nz-crdb-node-11 delete", // a node's replicas
		"nz-old-logs delete",     // log events, though retained
		"nz-jobs replace",        // waiting messages
		"nz-api update",
	}, order)
	b := byName(t, r, "nz-backups")
	assert.True(t, b.Blocked)
	assert.Equal(t, "its objects", b.Data)
	assert.Equal(t, nodeData, byName(t, r, "nz-crdb-node-11").Data)
	assert.True(t, byName(t, r, "nz-old-logs").Retained)
	assert.Equal(t, Counts{Update: 1, Replace: 2, Delete: 2, Blocked: 1, Data: 4}, r.Counts)

	md := r.Markdown(0)
	assert.Contains(t, md, "> [!CAUTION]\n> **`pulumi up` will stop:** 1 change(s)")
	assert.Contains(t, md, "| `nz-backups` (aws:s3/bucketV2:BucketV2) | replace | `bucket` | its objects | **blocked: `pulumi up` will stop here** |")
	assert.Contains(t, md, "left in AWS, unmanaged: retainOnDelete")
	assert.Less(t, strings.Index(md, "Destructive changes"), strings.Index(md, "Every change"))
}

func TestCostAndPolicyDeltas(t *testing.T) {
	finding := func(rule, urn string, level policy.Level) policy.Finding {
		return policy.Finding{Rule: rule, URN: urn, Level: level, Severity: policy.High, Message: rule + " fails"}
	}
	base := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{},
		Cost: &cost.JSON{Currency: "USD", Monthly: 100, Components: []cost.JSONComponent{{Component: "api", Monthly: 40}, {Component: "edge", Monthly: 60}}},
		Policy: &plan.JSONPolicy{
			Findings: []policy.Finding{finding("EDS-A", "u1", policy.Advisory), finding("EDS-B", "u2", policy.Mandatory)},
			Waivers:  []plan.JSONWaiver{{Rule: "EDS-W", URNs: []string{"u9"}, Reason: "r", Expires: "2027-06-01"}},
		}}
	head := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{},
		Cost: &cost.JSON{Currency: "USD", Monthly: 125.5, Components: []cost.JSONComponent{{Component: "api", Monthly: 40}, {Component: "edge", Monthly: 60}, {Component: "aurora", Monthly: 25.5}}},
		Policy: &plan.JSONPolicy{
			Findings: []policy.Finding{finding("EDS-C", "u3", policy.Mandatory)},
			Waivers: []plan.JSONWaiver{
				{Rule: "EDS-W", URNs: []string{"u9"}, Reason: "r", Expires: "2027-06-01"},
				{Rule: "EDS-B", URNs: []string{"u2"}, Reason: "why", Expires: "2026-12-01"},
			},
		}}
	r := Compare(base, head, Options{Today: "2026-11-21"})
	assert.Equal(t, 25.5, r.Cost.Delta)
	assert.Equal(t, []ComponentDelta{{Component: "aurora", Base: 0, Head: 25.5, Delta: 25.5}}, r.Cost.Components)
	assert.Equal(t, []policy.Finding{finding("EDS-C", "u3", policy.Mandatory)}, r.Policy.New)
	assert.Equal(t, 1, r.Policy.NewMandatory())
	assert.Equal(t, []Resolved{{Finding: finding("EDS-A", "u1", policy.Advisory), By: "fixed"}, {Finding: finding("EDS-B", "u2", policy.Mandatory), By: "waived"}}, r.Policy.Resolved)
	assert.Len(t, r.Policy.WaiversAdded, 1)
	assert.Equal(t, "EDS-B", r.Policy.Expiring[0].Rule, "expires within 30 days")
	assert.Len(t, r.Policy.Expiring, 1)

	md := r.Markdown(0)
	assert.Contains(t, md, "cost +$25.50 a month ($100.00 → $125.50) · 1 new policy violation(s), 1 mandatory")
	assert.Contains(t, md, "| aurora | $0.00 | $25.50 | +$25.50 |")
	assert.Contains(t, md, "- waived: `EDS-B` on `u2`")
	assert.Contains(t, md, "[!IMPORTANT]")
}

// However large the change, the comment fits, and the headline and the
// destructive table are whole: rows fold into groups when they must.
func TestMarkdownNeverCutsTheHeadlineOrTheDestructiveTable(t *testing.T) {
	var base, head []plan.JSONResource
	for i := range 600 {
		svc := res("aws:ecs/service:Service", fmt.Sprintf("nz-crdb-node-%d", i), map[string]any{"name": fmt.Sprint(i)})
		svc.Parent = stack + "edstack:cockroach:Cluster::nz-crdb"
		base = append(base, svc)
		fn := res("aws:lambda/function:Function", fmt.Sprintf("nz-fn-%d", i), map[string]any{"memorySize": 128.0, "description": strings.Repeat("x", 100)})
		base = append(base, fn)
		fn.Inputs = map[string]any{"memorySize": 256.0, "description": strings.Repeat("y", 100)}
		head = append(head, fn)
	}
	r := Compare(&plan.JSON{Stack: "nz", Resources: base}, &plan.JSON{Stack: "nz", Resources: head}, Options{})
	require.Equal(t, 600, r.Counts.Delete)
	for _, limit := range []int{MaxComment, 20000, 4000} {
		md := r.Markdown(limit)
		assert.LessOrEqual(t, len(md), limit, "limit %d", limit)
		for _, want := range []string{
			Marker("nz") + "\n",
			"**0 to create · 600 to update · 0 to replace · 600 to delete**",
			"| 600 × aws:ecs/service:Service: nz-crdb-node-0, nz-crdb-node-1, … nz-crdb-node-599 | delete |",
			"did not fit in one comment",
		} {
			assert.True(t, strings.Contains(md, want), "limit %d: the comment has %q", limit, want)
		}
	}
	small := Compare(&plan.JSON{Stack: "nz", Resources: base[:4]}, &plan.JSON{Stack: "nz", Resources: head[:1]}, Options{})
	md := small.Markdown(0)
	assert.True(t, strings.Contains(md, "| `nz-crdb-node-1` (aws:ecs/service:Service) | delete |"), "rows are listed one by one when they fit")
	assert.False(t, strings.Contains(md, "did not fit"))
}

func TestNoChangesSaysSo(t *testing.T) {
	p := &plan.JSON{Stack: "au", Resources: []plan.JSONResource{res("aws:sqs/queue:Queue", "au-jobs", map[string]any{"name": "au-jobs"})}}
	r := Compare(p, p, Options{})
	assert.False(t, r.Changed())
	assert.Equal(t, Marker("au")+"\n### edstack review: stack `au`\n\n**No changes.** `pulumi up` would leave every resource as it is.\n", r.Markdown(0))
}

// A key one side does not have reads as empty, and a base planned before
// the cost model says the change is unknown rather than the whole cost.
func TestOlderBasePlans(t *testing.T) {
	base := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{},
		Config: map[string]string{"edstack:country": "nz"}}
	head := &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{},
		Config: map[string]string{"edstack:country": "nz", "edstack:kmsKeyArn": "", "edstack:spotDiscountPercent": "65"},
		Cost:   &cost.JSON{Currency: "USD", Monthly: 2000}}
	r := Compare(base, head, Options{})
	assert.Equal(t, []ConfigChange{{Key: "edstack:spotDiscountPercent", After: "65"}}, r.Config)
	assert.Equal(t, "base", r.Cost.Missing)
	assert.Zero(t, r.Cost.Delta)
	assert.Contains(t, r.Markdown(0), "cost change unknown: the base plan has no estimate")

	added := Compare(nil, head, Options{})
	assert.True(t, added.New)
	assert.Equal(t, 2000.0, added.Cost.Delta, "a new stack's cost is all new")
}

// Pulumi replaces a protected resource when the same update lifts the
// protection: nothing stops it, and the review says so as loudly.
func TestProtectionLiftedInTheSameChange(t *testing.T) {
	bucket := res("aws:s3/bucketV2:BucketV2", "nz-backups", map[string]any{"bucket": "nz-backups"})
	bucket.Protect = true
	renamed := bucket
	renamed.Protect = false
	renamed.Inputs = map[string]any{"bucket": "nz-backups-2"}
	r := Compare(&plan.JSON{Stack: "nz", Resources: []plan.JSONResource{bucket}}, &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{renamed}}, Options{})
	c := byName(t, r, "nz-backups")
	assert.False(t, c.Blocked)
	assert.True(t, c.Unprotected)
	md := r.Markdown(0)
	assert.Contains(t, md, "**Protection lifted and replaced in one change:** 1 protected resource(s)")
	assert.Contains(t, md, "| **no: protection lifted in this change** |")

	gone := Compare(&plan.JSON{Stack: "nz", Resources: []plan.JSONResource{bucket}}, &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{}}, Options{})
	assert.True(t, byName(t, gone, "nz-backups").Blocked, "a delete is refused on the state's protection alone")
}

// A new region replaces the default provider, and with it every AWS
// resource it manages.
func TestARegionChangeReplacesEverythingOnTheDefaultProvider(t *testing.T) {
	q := res("aws:sqs/queue:Queue", "nz-jobs", map[string]any{"name": "nz-jobs"})
	pw := res("random:index/randomPassword:RandomPassword", "nz-pw", map[string]any{"length": 32.0})
	base := &plan.JSON{Stack: "nz", Config: map[string]string{"aws:region": "ap-southeast-2"}, Resources: []plan.JSONResource{q, pw}}
	head := &plan.JSON{Stack: "nz", Config: map[string]string{"aws:region": "ap-southeast-6"}, Resources: []plan.JSONResource{q, pw}}
	r := Compare(base, head, Options{})
	c := byName(t, r, "nz-jobs")
	assert.Equal(t, Replace, c.Action)
	assert.Equal(t, "the messages waiting in it", c.Data)
	assert.Equal(t, Counts{Replace: 1, Same: 1, Data: 1}, r.Counts, "the password is not AWS's")
}

// An input under ignoreChanges is left alone by pulumi up: no diff.
func TestIgnoredChangesAreNotChanges(t *testing.T) {
	b := res("aws:rds/cluster:Cluster", "nz-aurora-cluster", map[string]any{"engineVersion": "16.4", "deletionProtection": true})
	h := b
	h.IgnoreChanges = []string{"engineVersion"}
	b.IgnoreChanges = h.IgnoreChanges
	h.Inputs = map[string]any{"engineVersion": "16.6", "deletionProtection": true}
	r := Compare(&plan.JSON{Stack: "nz", Resources: []plan.JSONResource{b}}, &plan.JSON{Stack: "nz", Resources: []plan.JSONResource{h}}, Options{})
	assert.Empty(t, r.Changes)
}

// A head that does not plan is the whole review, its error quoted within
// the comment's limit.
func TestAHeadThatDoesNotPlan(t *testing.T) {
	base := &Plans{Plans: map[string]*plan.JSON{"nz": {Stack: "nz", Resources: []plan.JSONResource{}, Config: map[string]string{"edstack:country": "nz"}}}}
	head := &Plans{Plans: map[string]*plan.JSON{}, Errors: map[string]string{"nz": strings.Repeat("panic: boom\n", 20000)}}
	rs, err := Review(base, head, nil, Options{})
	require.NoError(t, err)
	md := rs[0].Markdown(0)
	assert.Contains(t, md, "**The head does not plan**")
	assert.Less(t, len(md), maxError+1000)
	assert.Empty(t, rs[0].Config, "no config, cost or policy against a plan that does not exist")
	assert.NotContains(t, md, "#### Policy")
}
