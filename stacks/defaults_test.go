package stacks

import (
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/setting"
)

func projectFile(t *testing.T) *workspace.Project {
	t.Helper()
	b, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	p, err := workspace.LoadProjectBytes(b, "Pulumi.yaml", encoding.YAML)
	require.NoError(t, err)
	return p
}

// Every setting declares itself consistently: a type its default has, a
// default inside its range, something to say about what it accepts.
func TestSettingsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Settings() {
		assert.Empty(t, s.Check())
		assert.False(t, seen[s.Key], "%s declared twice", s.Key)
		seen[s.Key] = true
	}
}

// Pulumi.yaml's config block and the README's table are what the settings
// generate: a default or a range changed in a component shows in both.
func TestDocsAreGeneratedFromTheSettings(t *testing.T) {
	project, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	wantProject, wantReadme, err := Docs(string(project), string(readme))
	require.NoError(t, err)
	assert.Equal(t, wantProject, string(project), "Pulumi.yaml: "+regenerateIt)
	assert.Equal(t, wantReadme, string(readme), "README.md: "+regenerateIt)
}

// What Pulumi reads from Pulumi.yaml is each setting's type and default, so
// a stack without a key gets what the component would choose.
func TestPulumiYamlDeclaresEverySetting(t *testing.T) {
	project := projectFile(t)
	declared := 0
	for _, s := range Settings() {
		decl, ok := project.Config[s.Key]
		if s.Undeclared {
			assert.False(t, ok, "%s is the provider's", s.Key)
			continue
		}
		require.True(t, ok, s.Key)
		declared++
		typ := decl.TypeName()
		if decl.Items != nil {
			typ += " of " + decl.Items.Type
		}
		assert.Equal(t, string(s.Type), typ, "%s: type", s.Key)
		if s.Required() {
			assert.Nil(t, decl.Default, "%s: required, so no default", s.Key)
			continue
		}
		want := s.Default
		switch v := want.(type) { // as YAML reads them back
		case []string:
			want = toAny(v)
		case []int:
			want = toAny(v)
		}
		assert.Equal(t, want, decl.Default, "%s: default", s.Key)
	}
	assert.Len(t, project.Config, declared, "Pulumi.yaml declares only the settings")
}

func toAny[T any](v []T) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// The defaults load: a stack that sets only the required keys is valid, and
// every integer default is inside its own range (a default the reader would
// refuse cannot ship).
func TestDefaultsAreAccepted(t *testing.T) {
	values := map[string]string{KeyRegion: "ap-southeast-2", KeyCountry: "nz", KeyDomain: "learn.example.nz",
		KeyCockroachUnlicensed: "true"}
	for _, s := range Settings() {
		if _, set := values[s.Key]; !set && !s.Required() {
			values[s.Key] = s.DefaultText()
			if values[s.Key] == `""` {
				values[s.Key] = ""
			}
		}
		if s.Type == setting.Integer {
			assert.True(t, s.InRange(s.Default.(int)), s.Key)
		}
	}
	declared := Declared{}
	for _, s := range Settings() {
		declared[s.Key] = false
	}
	_, err := Load("nz", Source{Values: values, Declared: declared})
	assert.NoError(t, err)
}
