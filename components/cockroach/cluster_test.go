package cockroach_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/cockroach"
	"edstack/components/iam"
	"edstack/components/network"
	"edstack/components/tags"
	"edstack/plan/engine"
)

var zones = []string{"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"}

// build plans a network and a cluster on it.
func build(t *testing.T, args cockroach.Args) *engine.Result {
	t.Helper()
	res, err := engine.Run(func(ctx *pulumi.Context) error {
		base := tags.Base{Country: "nz", Stack: "nz"}
		net, err := network.New(ctx, "nz-network", network.Args{
			Prefix: "nz", Region: "ap-southeast-2", CIDR: netip.MustParsePrefix("10.20.0.0/16"),
			AZs: zones, Tags: base.For("network"),
		})
		if err != nil {
			return err
		}
		args.Prefix, args.Region, args.AZs = "nz", "ap-southeast-2", net.AZs
		args.VpcID, args.PrivateSubnetIDs, args.AppSecurityGroupID = net.VpcID, net.PrivateSubnetIDs, net.AppSecurityGroupID
		args.Tags = base.For("cockroach")
		if args.Version == "" {
			args.Version = "v26.2.0"
		}
		if args.LicenseSecretArn == "" {
			args.Unlicensed = true
		}
		_, err = cockroach.New(ctx, "nz-cockroach", args)
		return err
	}, engine.Options{Project: "edstack", Stack: "nz", Region: "ap-southeast-2"})
	require.NoError(t, err)
	return res
}

const serviceType = "aws:ecs/service:Service"

func TestServicesSpreadOverZones(t *testing.T) {
	res := build(t, cockroach.Args{})
	services := res.OfType(serviceType)
	require.Len(t, services, 12)
	perSubnet := map[string]int{}
	tgArn := res.Named("aws:lb/targetGroup:TargetGroup", "nz-crdb-sql").State["arn"].StringValue()
	for _, s := range services {
		assert.Equal(t, float64(1), s.Input("desiredCount"), s.Name)
		assert.Nil(t, s.Input("launchType"), "%s: a capacity provider strategy excludes launchType", s.Name)
		assert.Equal(t, "FARGATE_SPOT", s.Input("capacityProviderStrategies", 0, "capacityProvider"), s.Name)
		assert.Len(t, s.Input("capacityProviderStrategies"), 1)
		subnets := s.Input("networkConfiguration", "subnets").([]any)
		require.Len(t, subnets, 1, "%s: pinned to one subnet", s.Name)
		perSubnet[subnets[0].(string)]++
		assert.Equal(t, false, s.Input("networkConfiguration", "assignPublicIp"))
		assert.Equal(t, []any{"nz-crdb-nodes-sg-id"}, s.Input("networkConfiguration", "securityGroups"))
		assert.Equal(t, tgArn, s.Input("loadBalancers", 0, "targetGroupArn"), s.Name)
		assert.Equal(t, float64(26257), s.Input("loadBalancers", 0, "containerPort"))
		assert.Equal(t, true, s.Input("waitForSteadyState"))
		assert.Equal(t, float64(0), s.Input("deploymentMinimumHealthyPercent"))
		assert.Equal(t, float64(100), s.Input("deploymentMaximumPercent"))
	}
	assert.Equal(t, map[string]int{"nz-private-a-id": 4, "nz-private-b-id": 4, "nz-private-c-id": 4}, perSubnet, "4/4/4")

	// Each node is named in Cloud Map, and services roll one after the other.
	node5 := res.Named(serviceType, "nz-crdb-node-5")
	dns := res.Named("aws:servicediscovery/service:Service", "nz-crdb-node-5-dns")
	require.NotNil(t, dns)
	assert.Equal(t, "node-5", dns.Input("name"))
	assert.Equal(t, dns.State["arn"].StringValue(), node5.Input("serviceRegistries", "registryArn"))
	gate5 := res.Named(gateType, "nz-crdb-node-5-gate")
	assert.Contains(t, node5.Dependencies, gate5.URN, "node 5 waits for its gate")
	assert.Contains(t, gate5.Dependencies, res.Named(serviceType, "nz-crdb-node-4").URN, "which waits for node 4")
	assert.Equal(t, "crdb.nz.internal", res.Named("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "nz-crdb-namespace").Input("name"))
}

func TestOnDemandNodes(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 6, OnDemandNodes: 3})
	providers := map[string]int{}
	for _, s := range res.OfType(serviceType) {
		providers[s.Input("capacityProviderStrategies", 0, "capacityProvider").(string)]++
	}
	assert.Equal(t, map[string]int{"FARGATE_SPOT": 3, "FARGATE": 3}, providers)
	capacity := res.Named("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "nz-crdb-capacity")
	assert.ElementsMatch(t, []any{"FARGATE", "FARGATE_SPOT"}, capacity.Input("capacityProviders"))
	cluster := res.Named("aws:ecs/cluster:Cluster", "nz-crdb-cluster")
	assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "disabled"}}, cluster.Input("settings"), "off unless asked")
}

// containerDef returns the node container of the task definition.
func containerDef(t *testing.T, res *engine.Result, node ...int) (*engine.Resource, map[string]any) {
	t.Helper()
	td := res.Named("aws:ecs/taskDefinition:TaskDefinition", fmt.Sprintf("nz-crdb-node-%d-task", append(node, 0)[0]))
	require.NotNil(t, td)
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(td.Input("containerDefinitions").(string)), &defs))
	require.Len(t, defs, 1)
	return td, defs[0]
}

func TestTaskDefinition(t *testing.T) {
	res := build(t, cockroach.Args{})
	td, c := containerDef(t, res)
	assert.Equal(t, "4096", td.Input("cpu"))
	assert.Equal(t, "24576", td.Input("memory"))
	assert.Equal(t, float64(200), td.Input("ephemeralStorage", "sizeInGib"))
	assert.Equal(t, "X86_64", td.Input("runtimePlatform", "cpuArchitecture"))
	assert.Equal(t, "awsvpc", td.Input("networkMode"))
	assert.Equal(t, []any{"FARGATE"}, td.Input("requiresCompatibilities"))

	assert.Equal(t, "cockroachdb/cockroach:v26.2.0", c["image"])
	assert.Equal(t, float64(120), c["stopTimeout"])
	assert.Equal(t, []any{"/bin/bash", "-c"}, c["entryPoint"])
	assert.Equal(t, []any{cockroach.StartScript}, c["command"])
	logCfg := c["logConfiguration"].(map[string]any)
	assert.Equal(t, "awslogs", logCfg["logDriver"])
	assert.Equal(t, "/edstack/nz/cockroach", logCfg["options"].(map[string]any)["awslogs-group"])
	group := res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-crdb-logs")
	assert.Equal(t, float64(90), group.Input("retentionInDays"))

	env := map[string]string{}
	for _, e := range c["environment"].([]any) {
		kv := e.(map[string]any)
		env[kv["name"].(string)] = kv["value"].(string)
	}
	nlbDNS := res.Named("aws:lb/loadBalancer:LoadBalancer", "nz-crdb-nlb").State["dnsName"].StringValue()
	assert.Equal(t, "node-0.crdb.nz.internal:26257,node-1.crdb.nz.internal:26257,node-2.crdb.nz.internal:26257,"+nlbDNS+":26257", env["COCKROACH_JOIN"])
	assert.Equal(t, "0", env["COCKROACH_NODE_INDEX"])
	assert.Equal(t, "ap-southeast-2a", env["COCKROACH_ZONE"])
	assert.Equal(t, "100", env["COCKROACH_HARD_STOP_SECONDS"])
	assert.NotEmpty(t, env["EDSTACK_TLS_GENERATION"])
	assert.Equal(t, "ap-southeast-2", env["COCKROACH_REGION"])
	assert.Equal(t, ".25", env["COCKROACH_CACHE"])
	assert.Equal(t, ".25", env["COCKROACH_MAX_SQL_MEMORY"])
	assert.Equal(t, "12", env["COCKROACH_NODE_COUNT"], "node 0 knows the node count")
	assert.Contains(t, env["COCKROACH_SETTINGS_SQL"], "num_replicas = 5")
	assert.Regexp(t, `FOR BACKUP INTO 's3://nz-crdb-backups-[0-9a-f]{7}/cockroach\?AUTH=implicit&AWS_REGION=ap-southeast-2' RECURRING '@hourly' FULL BACKUP '@daily'`,
		env["COCKROACH_SCHEDULE_SQL"])

	// Node 7 has its own task definition: its index and zone, and no node
	// count, so scaling rolls node 0 alone.
	_, c7 := containerDef(t, res, 7)
	env7 := map[string]string{}
	for _, e := range c7["environment"].([]any) {
		kv := e.(map[string]any)
		env7[kv["name"].(string)] = kv["value"].(string)
	}
	assert.Equal(t, "7", env7["COCKROACH_NODE_INDEX"])
	assert.Equal(t, "ap-southeast-2b", env7["COCKROACH_ZONE"])
	assert.NotContains(t, env7, "COCKROACH_NODE_COUNT")
	assert.Equal(t, res.Named("aws:ecs/taskDefinition:TaskDefinition", "nz-crdb-node-7-task").State["arn"].StringValue(),
		res.Named(serviceType, "nz-crdb-node-7").Input("taskDefinition"))

	// Secrets arrive only through `secrets`, from the cluster's two secrets.
	tlsArn := res.Named("aws:secretsmanager/secret:Secret", "nz-crdb-tls").State["arn"].StringValue()
	connArn := res.Named("aws:secretsmanager/secret:Secret", "nz-crdb-connection").State["arn"].StringValue()
	secrets := map[string]string{}
	for _, e := range c["secrets"].([]any) {
		kv := e.(map[string]any)
		secrets[kv["name"].(string)] = kv["valueFrom"].(string)
	}
	assert.Equal(t, map[string]string{
		"COCKROACH_CA_CRT":       tlsArn + ":ca_crt::",
		"COCKROACH_NODE_CRT":     tlsArn + ":node_crt::",
		"COCKROACH_NODE_KEY":     tlsArn + ":node_key::",
		"COCKROACH_ROOT_CRT":     tlsArn + ":root_crt::",
		"COCKROACH_ROOT_KEY":     tlsArn + ":root_key::",
		"COCKROACH_APP_PASSWORD": connArn + ":password::",
	}, secrets)
	for name, value := range env {
		assert.NotContains(t, value, "PRIVATE KEY", name)
		assert.NotContains(t, value, "placeholder", "%s holds no generated secret", name)
		_, isSecret := secrets[name]
		assert.False(t, isSecret, "%s is both plain and secret", name)
	}
}

// Every container of every node's task definition has a read-only root
// filesystem, and writes only to the task's volumes: bind mounts on the
// task's ephemeral storage, at the paths the start script is given.
func TestContainersHaveReadOnlyRootFilesystems(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 3})
	tds := res.OfType("aws:ecs/taskDefinition:TaskDefinition")
	require.Len(t, tds, 3)
	for _, td := range tds {
		volumes := map[string]bool{}
		for _, v := range td.Input("volumes").([]any) {
			vol := v.(map[string]any)
			volumes[vol["name"].(string)] = true
			assert.Equal(t, false, vol["configureAtLaunch"], "%s: stated, as AWS returns it", td.Name)
			for _, k := range []string{"hostPath", "efsVolumeConfiguration", "dockerVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration"} {
				assert.Nil(t, vol[k], "%s: volume %v is a bind mount on the task's ephemeral storage", td.Name, vol["name"])
			}
		}
		var defs []map[string]any
		require.NoError(t, json.Unmarshal([]byte(td.Input("containerDefinitions").(string)), &defs))
		require.NotEmpty(t, defs)
		for _, c := range defs {
			assert.Equal(t, true, c["readonlyRootFilesystem"], "%s: container %v", td.Name, c["name"])
			mounted := map[string]bool{}
			for _, mp := range c["mountPoints"].([]any) {
				m := mp.(map[string]any)
				assert.True(t, volumes[m["sourceVolume"].(string)], "%s: container %v mounts %v, which the task lacks", td.Name, c["name"], m["sourceVolume"])
				assert.Equal(t, false, m["readOnly"])
				mounted[m["containerPath"].(string)] = true
			}
			env := map[string]string{}
			for _, e := range c["environment"].([]any) {
				kv := e.(map[string]any)
				env[kv["name"].(string)] = kv["value"].(string)
			}
			for _, name := range []string{"COCKROACH_STORE", "COCKROACH_CERTS_DIR", "COCKROACH_STATE_DIR", "TMPDIR"} {
				assert.True(t, mounted[env[name]], "%s: %s (%s) is no mount point", td.Name, name, env[name])
			}
		}
	}
}

func TestStartScriptFlags(t *testing.T) {
	for _, flag := range []string{"--locality=", "--join=", "--advertise-addr=", "--cache=", "--max-sql-memory=",
		"--certs-dir=", "--logtostderr", "COCKROACH_NODE_INDEX", "init", "TERM"} {
		assert.Contains(t, cockroach.StartScript, flag)
	}
	for _, line := range strings.Split(cockroach.StartScript, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		assert.NotContains(t, line, "--insecure")
	}
}

func TestLoadBalancer(t *testing.T) {
	res := build(t, cockroach.Args{})
	nlb := res.Named("aws:lb/loadBalancer:LoadBalancer", "nz-crdb-nlb")
	assert.Equal(t, true, nlb.Input("internal"))
	assert.Equal(t, false, nlb.Input("enableDeletionProtection"), "Protect is false")
	assert.Equal(t, "network", nlb.Input("loadBalancerType"))
	assert.Equal(t, []any{"nz-private-a-id", "nz-private-b-id", "nz-private-c-id"}, nlb.Input("subnets"))
	tg := res.Named("aws:lb/targetGroup:TargetGroup", "nz-crdb-sql")
	assert.Equal(t, "ip", tg.Input("targetType"))
	assert.Equal(t, "TCP", tg.Input("protocol"))
	assert.Equal(t, float64(26257), tg.Input("port"))
	assert.Equal(t, "HTTPS", tg.Input("healthCheck", "protocol"))
	assert.Equal(t, "8080", tg.Input("healthCheck", "port"))
	assert.Equal(t, "/health?ready=1", tg.Input("healthCheck", "path"))
	assert.Less(t, tg.Input("deregistrationDelay").(float64), float64(60), "well under the 2-minute Spot notice")
	assert.Equal(t, float64(5), tg.Input("healthCheck", "interval"))
	assert.Equal(t, float64(3), tg.Input("healthCheck", "timeout"), "set explicitly: the HTTPS default of 10 s is refused with a 5 s interval")
	assert.Less(t, tg.Input("healthCheck", "timeout").(float64), tg.Input("healthCheck", "interval").(float64))
	l := res.Named("aws:lb/listener:Listener", "nz-crdb-sql-listener")
	assert.Equal(t, float64(26257), l.Input("port"))
	assert.Equal(t, "TCP", l.Input("protocol"))
	assert.Equal(t, tg.State["arn"].StringValue(), l.Input("defaultActions", 0, "targetGroupArn"))
}

// The load balancer's deletion protection follows Protect
// (edstack:protectData), and changes in place.
func TestLoadBalancerDeletionProtection(t *testing.T) {
	for _, protect := range []bool{true, false} {
		nlb := build(t, cockroach.Args{Protect: protect}).Named("aws:lb/loadBalancer:LoadBalancer", "nz-crdb-nlb")
		require.NotNil(t, nlb)
		assert.Equal(t, protect, nlb.Input("enableDeletionProtection"), "Protect %v", protect)
	}
}

// Routine changes (the node count, on-demand nodes, sizes, the version and
// image, backups) leave the load balancer's inputs as they were, so none
// replaces it: a protected one could not be deleted, and a new one has a
// new DNS name, which every node's --join and certificate hold.
func TestRoutineChangesLeaveTheLoadBalancer(t *testing.T) {
	const nlbType, nlbName = "aws:lb/loadBalancer:LoadBalancer", "nz-crdb-nlb"
	base := cockroach.Args{Nodes: 12, Protect: true}
	before := build(t, base).Named(nlbType, nlbName)
	require.NotNil(t, before)
	for _, change := range []func(a *cockroach.Args){
		func(a *cockroach.Args) { a.Nodes = 15 },
		func(a *cockroach.Args) { a.Nodes = 9; a.DeployedNodes = 12 },
		func(a *cockroach.Args) { a.OnDemandNodes = 3 },
		func(a *cockroach.Args) { a.CPU, a.MemoryMiB, a.StorageGiB = 8192, 32768, 100 },
		func(a *cockroach.Args) { a.Version = "v26.2.1" },
		func(a *cockroach.Args) { a.Image.Digest = "sha256:" + strings.Repeat("0f", 32) },
		func(a *cockroach.Args) { a.BackupRetentionDays = 14 },
		func(a *cockroach.Args) {
			a.LicenseSecretArn = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:licence"
		},
	} {
		args := base
		change(&args)
		after := build(t, args).Named(nlbType, nlbName)
		require.NotNil(t, after)
		assert.Equal(t, before.Inputs, after.Inputs, "%+v", args)
	}
}

func TestSecurityGroupRules(t *testing.T) {
	res := build(t, cockroach.Args{})
	type rule struct {
		group string
		port  float64
		from  string
	}
	var got []rule
	for _, r := range res.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		assert.Nil(t, r.Input("cidrIpv4"), "%s: no rule admits an address range", r.Name)
		assert.Nil(t, r.Input("cidrIpv6"), r.Name)
		got = append(got, rule{r.Input("securityGroupId").(string), r.Input("fromPort").(float64), r.Input("referencedSecurityGroupId").(string)})
		assert.Equal(t, r.Input("fromPort"), r.Input("toPort"))
		assert.Equal(t, "tcp", r.Input("ipProtocol"))
	}
	assert.ElementsMatch(t, []rule{
		{"nz-crdb-nodes-sg-id", 26257, "nz-app-sg-id"},
		{"nz-crdb-nodes-sg-id", 26257, "nz-crdb-nodes-sg-id"},
		{"nz-crdb-nodes-sg-id", 26257, "nz-crdb-lb-sg-id"},
		{"nz-crdb-nodes-sg-id", 8080, "nz-crdb-nodes-sg-id"},
		{"nz-crdb-nodes-sg-id", 8080, "nz-crdb-lb-sg-id"},
		{"nz-crdb-nodes-sg-id", 8080, "nz-crdb-gate-sg-id"},
		{"nz-crdb-lb-sg-id", 26257, "nz-app-sg-id"},
	}, got)
	var egress []rule
	for _, r := range res.OfType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") {
		if r.Input("securityGroupId") == "nz-crdb-gate-sg-id" {
			egress = append(egress, rule{"nz-crdb-gate-sg-id", r.Input("fromPort").(float64), r.Input("referencedSecurityGroupId").(string)})
			assert.Nil(t, r.Input("cidrIpv4"), "the gate reaches the nodes and nothing else")
		}
	}
	assert.Equal(t, []rule{{"nz-crdb-gate-sg-id", 8080, "nz-crdb-nodes-sg-id"}}, egress)
}

const gateType = "aws:lambda/invocation:Invocation"

// A roll replaces one node at a time and goes on only when the cluster has
// healed: a gate before every node service and one after the last, each
// run again when what replaces its node changes.
func TestRollGates(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 6, OnDemandNodes: 1})
	fn := res.Named("aws:lambda/function:Function", "nz-crdb-roll-gate")
	require.NotNil(t, fn)
	assert.Equal(t, float64(900), fn.Input("timeout"), "Lambda's maximum: the gate's own bound")
	assert.Equal(t, []any{"nz-crdb-gate-sg-id"}, fn.Input("vpcConfig", "securityGroupIds"))
	assert.Len(t, fn.Input("vpcConfig", "subnetIds"), 3)
	ca := fn.Input("environment", "variables", "CA_CERT").(string)
	assert.Contains(t, ca, "BEGIN CERTIFICATE")
	assert.Equal(t, res.Named("tls:index/selfSignedCert:SelfSignedCert", "nz-crdb-ca").State["certPem"].StringValue(), ca)
	assert.Empty(t, res.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "no managed policy: AWS's VPC access policy writes to every log group")
	runtime, err := iam.Parse(res.Input("aws:iam/rolePolicy:RolePolicy", "nz-crdb-roll-gate-runtime-policy", "policy").(string))
	require.NoError(t, err)
	group := res.Named("aws:cloudwatch/logGroup:LogGroup", "nz-crdb-roll-gate-logs").State["arn"].StringValue()
	assert.Equal(t, iam.Policy(append(iam.LambdaInVPC(group), iam.XRayWrite())...), runtime, "its network interfaces, its own log group and traces only")
	assert.Equal(t, "Active", fn.Input("tracingConfig", "mode"))
	assert.Empty(t, res.Named("aws:iam/role:Role", "nz-crdb-roll-gate-role").Input("inlinePolicies"), "no AWS permission beyond its network interfaces and logs")
	assert.Equal(t, "6", fn.Input("environment", "variables", "NODE_COUNT"), "the node count lives in the function, so scaling does not re-run every gate")
	assert.Equal(t, "crdb.nz.internal", fn.Input("environment", "variables", "NAMESPACE"))
	size := 0
	for k, v := range fn.Input("environment", "variables").(map[string]any) {
		size += len(k) + len(v.(string))
	}
	assert.Less(t, size, 4096, "Lambda's limit on a function's environment")
	assert.Equal(t, "false", fn.Input("environment", "variables", "CLUSTER_EXISTS"), "a cluster never deployed")
	for _, rule := range []string{"nz-crdb-nodes-in-8080-from-gate", "nz-crdb-gate-out-8080-to-nodes"} {
		typ := "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
		if strings.Contains(rule, "-out-") {
			typ = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
		}
		assert.Contains(t, fn.Dependencies, res.Named(typ, rule).URN, "the gate exists only once it can reach the nodes")
	}
	deployed := build(t, cockroach.Args{Nodes: 6, DeployedNodes: 6}).Named("aws:lambda/function:Function", "nz-crdb-roll-gate")
	assert.Equal(t, "true", deployed.Input("environment", "variables", "CLUSTER_EXISTS"), "a deployed cluster the gate cannot see is never taken for new")

	gates := res.OfType(gateType)
	require.Len(t, gates, 7, "one before each of 6 nodes, one after the last")
	for i := 0; i <= 6; i++ {
		name := fmt.Sprintf("nz-crdb-node-%d-gate", i)
		if i == 6 {
			name = "nz-crdb-roll-end-gate"
		}
		g := res.Named(gateType, name)
		require.NotNil(t, g, name)
		assert.Equal(t, "nz-crdb-roll-gate", g.Input("functionName"), name)
		var ev cockroach.GateEvent
		require.NoError(t, json.Unmarshal([]byte(g.Input("input").(string)), &ev), name)
		assert.Equal(t, cockroach.HTTPPort, ev.Port)
		assert.Equal(t, cockroach.DefaultRollGate.Confirmations, ev.Confirmations)
		if i == 0 {
			assert.Empty(t, ev.After, "nothing before the first node")
			for _, d := range g.Dependencies {
				assert.NotContains(t, d, serviceType, "the first gate waits for no node")
			}
		} else {
			assert.Equal(t, fmt.Sprintf("node-%d.crdb.nz.internal", i-1), ev.After, name)
			assert.Contains(t, g.Dependencies, res.Named(serviceType, fmt.Sprintf("nz-crdb-node-%d", i-1)).URN, name)
		}
		if i < 6 {
			svc := res.Named(serviceType, fmt.Sprintf("nz-crdb-node-%d", i))
			assert.Contains(t, svc.Dependencies, g.URN, "%s waits for its gate", svc.Name)
			td := res.Named("aws:ecs/taskDefinition:TaskDefinition", fmt.Sprintf("nz-crdb-node-%d-task", i))
			assert.Equal(t, td.State["arn"].StringValue(), g.Input("triggers", "taskDefinition"), "%s runs again when node %d's task changes", name, i)
			assert.Equal(t, svc.Input("capacityProviderStrategies").([]any)[0].(map[string]any)["capacityProvider"], g.Input("triggers", "capacityProvider"))
			assert.Equal(t, svc.Input("networkConfiguration", "subnets").([]any)[0], g.Input("triggers", "subnet"))
			assert.Equal(t, svc.Input("serviceRegistries", "registryArn"), g.Input("triggers", "registry"))
			assert.Contains(t, g.Input("triggers", "settings"), "platform "+svc.Input("platformVersion").(string), "every service setting that rolls the task re-runs the gate")
		} else {
			assert.Len(t, g.Input("triggers"), 6, "the last gate runs after any node is replaced")
			node0 := res.Named("aws:ecs/taskDefinition:TaskDefinition", "nz-crdb-node-0-task").State["arn"].StringValue()
			assert.Contains(t, g.Input("triggers", "node-0"), node0, "for the same reasons as each node's own gate")
			assert.Contains(t, g.Input("triggers", "node-0"), "nz-crdb-nodes-sg-id")
		}
	}
}

// Scaling up adds gates for the new nodes but leaves the others' inputs
// as they were, so the existing nodes are not gated again for nothing.
func TestScalingKeepsExistingGates(t *testing.T) {
	six, nine := build(t, cockroach.Args{Nodes: 6}), build(t, cockroach.Args{Nodes: 9})
	for i := 1; i < 6; i++ {
		name := fmt.Sprintf("nz-crdb-node-%d-gate", i)
		assert.Equal(t, six.Named(gateType, name).Input("input"), nine.Named(gateType, name).Input("input"), name)
	}
	assert.NotNil(t, nine.Named(gateType, "nz-crdb-node-8-gate"))
}

func TestRollGateFitsOneInvocation(t *testing.T) {
	require.NoError(t, cockroach.DefaultRollGate.Validate())
	assert.Less(t, cockroach.DefaultRollGate.Longest(), cockroach.GateFunctionTimeout)
	long := cockroach.DefaultRollGate
	long.Wait = 15 * time.Minute
	assert.ErrorContains(t, long.Validate(), "over Lambda's 15m0s")
	once := cockroach.DefaultRollGate
	once.Confirmations = 1
	assert.ErrorContains(t, once.Validate(), "one clean poll")
}

func TestCertificates(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 3})
	csr := res.Named("tls:index/certRequest:CertRequest", "nz-crdb-node-csr")
	require.NotNil(t, csr)
	nlbDNS := res.Named("aws:lb/loadBalancer:LoadBalancer", "nz-crdb-nlb").State["dnsName"].StringValue()
	assert.Equal(t, []any{"*.crdb.nz.internal", "localhost", nlbDNS}, csr.Input("dnsNames"))
	assert.Equal(t, []any{"127.0.0.1"}, csr.Input("ipAddresses"))
	assert.Equal(t, "node", csr.Input("subject", "commonName"))
	root := res.Named("tls:index/certRequest:CertRequest", "nz-crdb-root-csr")
	assert.Equal(t, "root", root.Input("subject", "commonName"))
	ca := res.Named("tls:index/selfSignedCert:SelfSignedCert", "nz-crdb-ca")
	assert.Equal(t, true, ca.Input("isCaCertificate"))

	// Secret values are secret in the engine's eyes, so previews hide them.
	for _, name := range []string{"nz-crdb-tls-value", "nz-crdb-connection-value"} {
		v := res.Named("aws:secretsmanager/secretVersion:SecretVersion", name)
		assert.True(t, v.IsSecret("secretString"), name)
	}
}

func TestRolePolicies(t *testing.T) {
	res := build(t, cockroach.Args{LicenseSecretArn: "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:licence"})
	arn := func(typ, name string) string { return res.Named(typ, name).State["arn"].StringValue() }
	exec, err := iam.Parse(res.Named("aws:iam/rolePolicy:RolePolicy", "nz-crdb-execution-policy").Input("policy").(string))
	require.NoError(t, err)
	require.Len(t, exec.Statement, 2)
	assert.Equal(t, []string{"secretsmanager:GetSecretValue"}, exec.Statement[0].Action)
	assert.Equal(t, []string{
		arn("aws:secretsmanager/secret:Secret", "nz-crdb-tls"),
		arn("aws:secretsmanager/secret:Secret", "nz-crdb-connection"),
		"arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:licence",
	}, exec.Statement[0].Resource, "exactly the cluster's secrets")
	assert.Equal(t, []string{arn("aws:cloudwatch/logGroup:LogGroup", "nz-crdb-logs") + ":*"}, exec.Statement[1].Resource)

	task, err := iam.Parse(res.Named("aws:iam/rolePolicy:RolePolicy", "nz-crdb-task-policy").Input("policy").(string))
	require.NoError(t, err)
	bucket := arn("aws:s3/bucketV2:BucketV2", "nz-crdb-backups")
	for _, s := range task.Statement {
		for _, r := range s.Resource {
			assert.True(t, strings.HasPrefix(r, bucket), "task role reaches %s", r)
		}
		for _, a := range s.Action {
			assert.True(t, strings.HasPrefix(a, "s3:") && !strings.Contains(a, "*"), a)
		}
	}
	_, c := containerDef(t, res)
	assert.Contains(t, c["secrets"], map[string]any{"name": "COCKROACH_LICENSE_KEY", "valueFrom": "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:licence"})
}

func TestBackupsBucket(t *testing.T) {
	res := build(t, cockroach.Args{Protect: true})
	b := res.Named("aws:s3/bucketV2:BucketV2", "nz-crdb-backups")
	assert.True(t, b.Protect)
	pab := res.Named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "nz-crdb-backups-public-access")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, pab.Input(k), k)
	}
	assert.Equal(t, "Enabled", res.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", "nz-crdb-backups-versioning").Input("versioningConfiguration", "status"))
	assert.Equal(t, "AES256", res.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "nz-crdb-backups-encryption").Input("rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
	lc := res.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "nz-crdb-backups-lifecycle")
	assert.Equal(t, float64(35), lc.Input("rules", 0, "expiration", "days"), "whole chains age out")
	assert.Equal(t, float64(7), lc.Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays"))
	short := build(t, cockroach.Args{BackupRetentionDays: 10})
	assert.Equal(t, float64(10), short.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "nz-crdb-backups-lifecycle").Input("rules", 0, "expiration", "days"))
	for _, name := range []string{"nz-crdb-tls", "nz-crdb-connection"} {
		assert.True(t, res.Named("aws:secretsmanager/secret:Secret", name).Protect, name)
	}
	assert.True(t, res.Named("tls:index/privateKey:PrivateKey", "nz-crdb-ca-key").Protect)

	unprotected := build(t, cockroach.Args{Protect: false})
	assert.False(t, unprotected.Named("aws:s3/bucketV2:BucketV2", "nz-crdb-backups").Protect)
}

func TestArgsRejected(t *testing.T) {
	tests := []struct {
		args cockroach.Args
		want string
	}{
		{cockroach.Args{Nodes: 2, AZs: zones, Version: "v26.2.0"}, "at least 3"},
		{cockroach.Args{Nodes: 3, CPU: 4096, MemoryMiB: 8192, StorageGiB: 100, ReplicationFactor: 3, AZs: zones, Version: "v26.2.0", BackupRetentionDays: 35}, "no licence key"},
		{cockroach.Args{Nodes: 3, CPU: 4096, MemoryMiB: 4096, StorageGiB: 200, ReplicationFactor: 3, AZs: zones, Version: "v26.2.0"}, "not a Fargate memory size"},
		{cockroach.Args{Nodes: 3, CPU: 4096, MemoryMiB: 8192, StorageGiB: 500, ReplicationFactor: 3, AZs: zones, Version: "v26.2.0"}, "21 to 200"},
		{cockroach.Args{Nodes: 3, CPU: 4096, MemoryMiB: 8192, StorageGiB: 100, ReplicationFactor: 5, AZs: zones, Version: "v26.2.0"}, "replication factor 5"},
	}
	for i, tt := range tests {
		tt.args.AppSecurityGroupID = pulumi.String("nz-app-sg-id")
		if i != 1 {
			tt.args.Unlicensed, tt.args.BackupRetentionDays = true, 35
		}
		assert.ErrorContains(t, tt.args.Validate(), tt.want)
	}
}

func TestServicesNeverStoppedForReadinessAndWaitForTheirDependencies(t *testing.T) {
	res := build(t, cockroach.Args{Nodes: 3})
	listener := res.Named("aws:lb/listener:Listener", "nz-crdb-sql-listener").URN
	capacity := res.Named("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "nz-crdb-capacity").URN
	for _, s := range res.OfType(serviceType) {
		assert.Equal(t, float64(cockroach.HealthCheckGracePeriod), s.Input("healthCheckGracePeriodSeconds"), s.Name)
		assert.Equal(t, float64(2147483647), s.Input("healthCheckGracePeriodSeconds"), "the most ECS accepts")
		assert.Contains(t, s.Dependencies, listener, "%s: created after the listener", s.Name)
		assert.Contains(t, s.Dependencies, capacity, "%s: created after the capacity providers", s.Name)
		assert.Equal(t, true, s.Input("forceNewDeployment"), "%s: a strategy change updates in place", s.Name)
	}
}

// Scaling a protected cluster up changes no protected resource: nothing
// that must not be replaced depends on the node count.
func TestScaleUpChangesNoProtectedResource(t *testing.T) {
	before := build(t, cockroach.Args{Nodes: 12, Protect: true})
	after := build(t, cockroach.Args{Nodes: 15, Protect: true})
	protected := 0
	for _, r := range before.Resources {
		if !r.Protect {
			continue
		}
		protected++
		other := after.Named(r.Type, r.Name)
		require.NotNil(t, other, r.Name)
		assert.Equal(t, r.Inputs, other.Inputs, "%s: a protected resource would change", r.Name)
	}
	assert.GreaterOrEqual(t, protected, 5, "bucket, CA key, CA, two secrets")
	for _, name := range []string{"nz-crdb-tls-value", "nz-crdb-connection-value"} {
		assert.False(t, before.Named("aws:secretsmanager/secretVersion:SecretVersion", name).Protect, "%s is replaced when it changes", name)
	}
	assert.Equal(t, before.Named("tls:index/certRequest:CertRequest", "nz-crdb-node-csr").Inputs,
		after.Named("tls:index/certRequest:CertRequest", "nz-crdb-node-csr").Inputs, "the node certificate does not depend on the node count")
}

func TestImageSources(t *testing.T) {
	cacheSecret := "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
	res := build(t, cockroach.Args{Image: cockroach.Image{RegistrySecretArn: cacheSecret}})
	rule := res.Named("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "nz-crdb-docker-hub-cache")
	require.NotNil(t, rule)
	assert.Equal(t, "registry-1.docker.io", rule.Input("upstreamRegistryUrl"))
	assert.Equal(t, cacheSecret, rule.Input("credentialArn"))
	_, c := containerDef(t, res, 4)
	assert.Regexp(t, `^[0-9]{12}\.dkr\.ecr\.ap-southeast-2\.amazonaws\.com/nz-docker-hub/cockroachdb/cockroach:v26\.2\.0$`, c["image"])
	exec, err := iam.Parse(res.Named("aws:iam/rolePolicy:RolePolicy", "nz-crdb-execution-policy").Input("policy").(string))
	require.NoError(t, err)
	var actions []string
	for _, s := range exec.Statement {
		actions = append(actions, s.Action...)
	}
	for _, a := range []string{"ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"} {
		assert.Contains(t, actions, a)
	}

	hub := build(t, cockroach.Args{})
	assert.Empty(t, hub.OfType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule"))
	_, c = containerDef(t, hub)
	assert.Equal(t, "cockroachdb/cockroach:v26.2.0", c["image"])
}
