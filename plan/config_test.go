package plan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// project copies the real Pulumi.yaml into a temporary folder with the given
// stack files, so that each test reads the declarations edstack ships.
func project(t *testing.T, stacks map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), b, 0o644))
	for name, body := range stacks {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+name+".yaml"), []byte(body), 0o644))
	}
	return dir
}

const nzStack = `config:
  aws:region: ap-southeast-2
  edstack:country: nz
  edstack:domain: learn.example.nz
  edstack:cockroachLicenseSecretArn: arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:crdb-licence
`

func TestLoadStackConfigAppliesDefaults(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	sc, err := LoadStackConfig(dir, "nz", nil)
	require.NoError(t, err)
	assert.Equal(t, "edstack", sc.Project)
	assert.Equal(t, "nz", sc.Values["edstack:country"])
	assert.Equal(t, "perAz", sc.Values["edstack:natGateways"], "Pulumi.yaml default")
	assert.Equal(t, "90", sc.Values["edstack:logRetentionDays"])
	assert.Equal(t, "[]", sc.Values["edstack:availabilityZones"])
	assert.Empty(t, sc.Secret)
	assert.Empty(t, sc.Notes)
}

func TestLoadStackConfigOverrides(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	sc, err := LoadStackConfig(dir, "nz", []Override{
		{"edstack:natGateways", "single"},
		{"logRetentionDays", "7"}, // the project's namespace by default
		{"edstack:availabilityZones", `["ap-southeast-2b","ap-southeast-2c","ap-southeast-2a"]`},
	})
	require.NoError(t, err)
	assert.Equal(t, "single", sc.Values["edstack:natGateways"])
	assert.Equal(t, "7", sc.Values["edstack:logRetentionDays"])
	assert.JSONEq(t, `["ap-southeast-2b","ap-southeast-2c","ap-southeast-2a"]`, sc.Values["edstack:availabilityZones"])
	// The files are untouched.
	b, _ := os.ReadFile(filepath.Join(dir, "Pulumi.nz.yaml"))
	assert.Equal(t, nzStack, string(b))
}

// Every problem of a stack file, the stack file's own and the program's.
func TestLoadStackConfigErrors(t *testing.T) {
	tests := []struct {
		name      string
		stack     string
		file      string
		overrides []Override
		want      []string
	}{
		{"no stack file", "nowhere", "", nil, []string{`stack "nowhere" has no file Pulumi.nowhere.yaml`, "stacks here: nz"}},
		{"misspelt key", "nz", nzStack + "  edstack:natGateway: single\n", nil, []string{`edstack:natGateway: "single" is not a key edstack reads`, "did you mean edstack:natGateways?"}},
		{"unknown key", "nz", nzStack + "  edstack:favouriteColour: teal\n", nil, []string{"edstack:favouriteColour", "README.md"}},
		{"misspelt override", "nz", nzStack, []Override{{"edstack:domian", "x.nz"}}, []string{"did you mean edstack:domain?"}},
		{"wrong type", "nz", nzStack + "  edstack:logRetentionDays: ninety\n", nil, []string{"edstack:logRetentionDays"}},
		{"every type error at once, with value and range", "nz",
			nzStack + "  edstack:cockroachNodes: abc\n  edstack:apiTimeoutSeconds: 30s\n  edstack:protectData: yes\n  edstack:apiMemoryMB: [1, 2]\n  edstack:natGateways: nat\n", nil,
			[]string{"5 configuration problems", `edstack:cockroachNodes: "abc" is not a node count`, "use 3 to 99",
				`edstack:apiTimeoutSeconds: "30s"`, "use 1 to 30", `edstack:protectData: "yes" is not a boolean; use true or false`,
				`edstack:apiMemoryMB: "[1,2]"`, "128 to 10240", `edstack:natGateways: "nat"`}},
		{"missing required key", "nz", "config:\n  aws:region: ap-southeast-2\n  edstack:country: nz\n", nil, []string{"edstack:domain"}},
		{"encrypted value the plan needs", "nz", nzStack + "  edstack:vpcCidr:\n    secure: AAABAG0bhSVrCtPx\n", nil,
			[]string{`edstack:vpcCidr: "[secret]" is stored encrypted (secure:)`, "--config edstack:vpcCidr=VALUE"}},
		{"empty file", "nz", "\n", nil, []string{"edstack:country: not set", "aws:region: not set", "edstack:domain: not set"}},
		{"misspelt config:", "nz", "confg:\n  edstack:country: nz\n", nil, []string{`line 1: top-level key "confg" is not one Pulumi reads (did you mean config:?)`}},
		{"tab indent", "nz", "config:\n\tedstack:country: nz\n", nil, []string{"line 2 is indented with a tab; YAML takes spaces only"}},
		{"list for config", "nz", "config:\n  - edstack:country\n", nil, []string{"config: must be a map of key: value lines", "not a list"}},
		{"infinite number", "nz", nzStack + "  edstack:apiThrottleRate: .inf\n", nil, []string{"edstack:apiThrottleRate: .inf is not a number edstack takes"}},
		{"namespace typo", "nz", nzStack + "  edstak:cockroachNodes: 3\n", nil,
			[]string{`edstak:cockroachNodes: "3" is in namespace "edstak", not edstack; did you mean edstack:cockroachNodes?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"nz": nzStack}
			if tt.file != "" {
				files[tt.stack] = tt.file
			}
			// The stack file is read, then the program's own validation runs.
			_, err := Build(Options{Dir: project(t, files), Stack: tt.stack, Overrides: tt.overrides})
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, goType := range []string{"map[string]", "config.Value", "!!seq", "json:"} {
				assert.NotContains(t, err.Error(), goType, "no Go or parser internals in messages")
			}
		})
	}
}

// A secret the plan does not need is shown as a placeholder, with a note.
func TestLoadStackConfigSecretPlaceholder(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack + "  aws:secretKey:\n    secure: AAABAG0bhSVrCtPx\n"})
	sc, err := LoadStackConfig(dir, "nz", nil)
	require.NoError(t, err)
	assert.Equal(t, "[secret]", sc.Values["aws:secretKey"])
	assert.Equal(t, []string{"aws:secretKey"}, sc.Secret)
	require.Len(t, sc.Notes, 1)
	assert.Contains(t, sc.Notes[0], "aws:secretKey is encrypted")
}

func TestParseOverride(t *testing.T) {
	o, err := ParseOverride("edstack:domain=a.example.nz")
	require.NoError(t, err)
	assert.Equal(t, Override{"edstack:domain", "a.example.nz"}, o)
	o, err = ParseOverride("edstack:vpcCidr=")
	require.NoError(t, err)
	assert.Equal(t, Override{"edstack:vpcCidr", ""}, o)
	_, err = ParseOverride("edstack:domain")
	assert.ErrorContains(t, err, "want key=value")
}

// Bundle paths are relative to the project folder (--dir), not to where the
// plan runs: a bundle in the project plans, a path only the current folder
// has is refused.
func TestBundlesAreRelativeToTheProject(t *testing.T) {
	dir := project(t, map[string]string{"nz": nzStack})
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "build", "api"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "build", "api", "index.mjs"), []byte("export const handler = async () => ({})\n"), 0o644))

	p, err := Build(Options{Dir: dir, Stack: "nz", Overrides: []Override{{"edstack:apiBundle", "build/api"}}})
	require.NoError(t, err)
	found := 0
	for _, r := range p.Resources {
		if r.Name == "nz-api" && r.Type == "aws:lambda/function:Function" {
			found++
			assert.Equal(t, filepath.Join(dir, "build/api"), r.Inputs["code"].ArchiveValue().Path)
		}
	}
	assert.Equal(t, 1, found)

	// engine/ exists here, in plan/, but not in the project.
	_, err = Build(Options{Dir: dir, Stack: "nz", Overrides: []Override{{"edstack:workerBundle", "engine"}}})
	assert.ErrorContains(t, err, `edstack:workerBundle: "engine" is not a usable bundle: not found in the project folder`)
}

// A stack that imports an ESC environment plans, with a note that the plan
// does not read it; a tab in a comment is not a tab in indentation.
func TestStackFileNotes(t *testing.T) {
	dir := project(t, map[string]string{"nz": "environment:\n  - edstack/nz\n" + nzStack + "  # a comment\twith a tab\n"})
	sc, err := LoadStackConfig(dir, "nz", nil)
	require.NoError(t, err)
	require.Len(t, sc.Notes, 1)
	assert.Contains(t, sc.Notes[0], "imports an ESC environment")
}
