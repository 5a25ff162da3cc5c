package stacks

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
)

// Built is what the program registered, as a plan recorded it. The plan's
// key settings are read from here, not from the config, so that they can
// only say what the resources say.
type Built interface {
	// Input follows a path of input keys and array indexes into the
	// resource of a type and name; nil when either does not exist.
	Input(typ, name string, path ...any) any
	// Count is how many resources of a type were registered.
	Count(typ string) int
}

// The resource types the summary reads.
const (
	vpcType            = "aws:ec2/vpc:Vpc"
	subnetType         = "aws:ec2/subnet:Subnet"
	natType            = "aws:ec2/natGateway:NatGateway"
	logGroupType       = "aws:cloudwatch/logGroup:LogGroup"
	distributionType   = "aws:cloudfront/distribution:Distribution"
	stageType          = "aws:apigatewayv2/stage:Stage"
	functionType       = "aws:lambda/function:Function"
	queueType          = "aws:sqs/queue:Queue"
	eventSourceType    = "aws:lambda/eventSourceMapping:EventSourceMapping"
	taskDefinitionType = "aws:ecs/taskDefinition:TaskDefinition"
	targetGroupType    = "aws:lb/targetGroup:TargetGroup"
	lifecycleType      = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	rdsClusterType     = "aws:rds/cluster:Cluster"
	rdsInstanceType    = "aws:rds/clusterInstance:ClusterInstance"
	scalingTargetType  = "aws:appautoscaling/target:Target"
	scalingPolicyType  = "aws:appautoscaling/policy:Policy"
	scheduledType      = "aws:appautoscaling/scheduledAction:ScheduledAction"
)

// facts reads a stack's registered resources by their names' suffixes.
type facts struct {
	b      Built
	prefix string
}

// in is an input of the resource named prefix-suffix, as text: whole
// numbers without a decimal point, "(not built)" when it is missing.
func (f facts) in(typ, suffix string, path ...any) string {
	return text(f.b.Input(typ, f.prefix+"-"+suffix, path...))
}

// num is a numeric input, or -1 when it is missing or not a number.
func (f facts) num(typ, suffix string, path ...any) int {
	if v, ok := f.b.Input(typ, f.prefix+"-"+suffix, path...).(float64); ok {
		return int(v)
	}
	return -1
}

// NotBuilt stands in the summary for a value the resources do not hold.
const NotBuilt = "(not built)"

// Unknown is how a plan shows a value known only once deployed (the
// offline engine's marker, as in `pulumi preview`).
const Unknown = "[unknown]"

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return NotBuilt
	case float64:
		if x == math.Trunc(x) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case string:
		return x
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// container is node i's CockroachDB container definition, decoded from its
// task definition.
func (f facts) container(i int) map[string]any {
	raw, _ := f.b.Input(taskDefinitionType, fmt.Sprintf("%s-crdb-node-%d-task", f.prefix, i), "containerDefinitions").(string)
	if raw == Unknown {
		// Known only once deployed: so is everything read from it.
		return map[string]any{"image": Unknown, "environment": []any{map[string]any{"name": "COCKROACH_SETTINGS_SQL", "value": Unknown}}}
	}
	var defs []map[string]any
	if json.Unmarshal([]byte(raw), &defs) != nil || len(defs) == 0 {
		return nil
	}
	return defs[0]
}

// env is a container's environment variable.
func env(container map[string]any, name string) string {
	list, _ := container["environment"].([]any)
	for _, e := range list {
		if kv, ok := e.(map[string]any); ok && kv["name"] == name {
			return text(kv["value"])
		}
	}
	return ""
}

var numReplicas = regexp.MustCompile(`ALTER RANGE default CONFIGURE ZONE USING num_replicas = (\d+)`)

// replicationFactor is what node 0's settings statements apply.
func replicationFactor(container map[string]any) string {
	settings := env(container, "COCKROACH_SETTINGS_SQL")
	if m := numReplicas.FindStringSubmatch(settings); m != nil {
		return m[1]
	}
	if settings == Unknown {
		return Unknown
	}
	return NotBuilt
}

// capacityProvider is the capacity provider a node service runs on.
func (f facts) capacityProvider(i int) string {
	return text(f.b.Input("aws:ecs/service:Service", fmt.Sprintf("%s-crdb-node-%d", f.prefix, i), "capacityProviderStrategies", 0, "capacityProvider"))
}
