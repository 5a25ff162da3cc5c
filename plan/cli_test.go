package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestMainText(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	code, out, stderr := run("--dir", dir, "--stack", "nz")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		`edstack plan: stack nz would create \d+ resources`,
		`└─ nz  edstack:index:CountryStack`,
		`nz-network  edstack:network:Network`,
		`nz-vpc  aws:ec2/vpc:Vpc`,
		`Counts by type`,
		`aws:ec2/subnet:Subnet +6\n`,
		`aws:ecs/service:Service +12\n`,
		`Region +ap-southeast-2 \(Asia Pacific \(Sydney\)\)`,
		`VPC CIDR +10.20.0.0/16`,
		`NAT gateways +perAz \(3\)`,
		`Availability zones +ap-southeast-2a, ap-southeast-2b, ap-southeast-2c`,
		`Nodes +12 x 4 vCPU / 24 GiB`,
		`Nodes per zone +ap-southeast-2a: 4, ap-southeast-2b: 4, ap-southeast-2c: 4`,
		`Capacity +12 on FARGATE_SPOT, 0 on on-demand FARGATE`,
		`Survives +2 nodes lost at once`,
		`Survives a zone outage +yes`,
		`vpcId +"nz-vpc-id"`,
	} {
		assert.Regexp(t, want, out)
	}
}

func TestMainJSONWithOverride(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	code, out, stderr := run("--dir", dir, "--stack", "nz", "--json", "--config", "edstack:natGateways=single")
	require.Equal(t, 0, code, stderr)
	var j JSON
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	assert.Equal(t, "single", j.Config["edstack:natGateways"])
	nats := 0
	for _, r := range j.Resources {
		if r.Type == "aws:ec2/natGateway:NatGateway" {
			nats++
		}
	}
	assert.Equal(t, 1, nats)
}

func TestMainFailures(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"--stack", "nowhere"}, 1, []string{`stack "nowhere" has no file`}},
		{[]string{"--stack", "nz", "--config", "edstack:country=zz"}, 1,
			[]string{`edstack:country: "zz" is not a supported country`, "nothing was planned"}},
		{[]string{"--stack", "nz", "--config", "nokeyvalue"}, 2, []string{"want key=value", "usage:"}},
		{[]string{"--stak", "nz"}, 2, []string{"flag provided but not defined: -stak", "usage:"}},
		{[]string{"nz"}, 2, []string{`unexpected argument "nz"`}},
	}
	for _, tt := range tests {
		code, out, stderr := run(append([]string{"--dir", dir}, tt.args...)...)
		assert.Equal(t, tt.code, code, "%v", tt.args)
		assert.Empty(t, out, "%v: nothing on stdout when the plan fails", tt.args)
		for _, w := range tt.want {
			assert.Contains(t, stderr, w, "%v", tt.args)
		}
	}
}

func TestMainHelp(t *testing.T) {
	code, out, _ := run("--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "--config key=value")
}

// --preview shows the plan as `pulumi preview` shows a first deployment:
// the same resources, every id and every value AWS computes unknown, the
// inputs given by the program known.
func TestMainPreview(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	code, out, stderr := run("--dir", dir, "--stack", "nz", "--json", "--preview")
	require.Equal(t, 0, code, stderr)
	var j JSON
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	assert.True(t, j.Preview)
	_, full, _ := run("--dir", dir, "--stack", "nz", "--json")
	var up JSON
	require.NoError(t, json.Unmarshal([]byte(full), &up))
	assert.Len(t, j.Resources, len(up.Resources), "a preview registers the same resources")
	assert.False(t, up.Preview)
	for _, r := range j.Resources {
		if r.Custom {
			assert.Equal(t, "[unknown]", r.ID, r.Name)
		}
		if r.Name == "nz-private-a" {
			assert.Equal(t, "[unknown]", r.Inputs["vpcId"])
			assert.Equal(t, "10.20.0.0/18", r.Inputs["cidrBlock"])
		}
	}
	assert.Equal(t, "[unknown]", j.Outputs["vpcId"])
	assert.Equal(t, "nz", j.Outputs["country"], "an output the program knows stays known")

	code, text, stderr := run("--dir", dir, "--stack", "nz", "--preview")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, text, "preview: values AWS computes")
	assert.Regexp(t, `VPC CIDR +10.20.0.0/16`, text)
	assert.Regexp(t, `vpcId +"\[unknown\]"`, text)
}
