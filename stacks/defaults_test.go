package stacks

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
)

// ownedDefaults are the defaults the components own, by the key that sets
// them: Pulumi.yaml must declare the same, so that a stack without the key
// gets what the component would choose.
var ownedDefaults = map[string]any{
	KeyCockroachNodes:           cockroach.DefaultNodes,
	KeyCockroachBackupRetention: cockroach.DefaultBackupRetentionDays,
	KeyAPITimeout:               api.MaxSyncTimeout,
	KeyAPIMemory:                api.DefaultMemoryMB,
	KeyAPIThrottleRate:          api.DefaultThrottleRate,
	KeyAPIThrottleBurst:         api.DefaultThrottleBurst,
	KeyWorkerTimeout:            api.MaxWorkerTimeout,
	KeyWorkerMemory:             api.DefaultMemoryMB,
	KeyWorkerBatchSize:          api.DefaultWorkerBatchSize,
	KeyWorkerMaxConcurrency:     api.DefaultWorkerMaxConcurrency,
	KeyJobMaxReceiveCount:       api.DefaultMaxReceiveCount,
	KeyAuroraWriterClass:        aurora.ServerlessClass,
	KeyAuroraMinACU:             aurora.DefaultMinACU,
	KeyAuroraMaxACU:             aurora.DefaultMaxACU,
	KeyAuroraMinReaders:         aurora.DefaultMinReaders,
	KeyAuroraMaxReaders:         aurora.DefaultMaxReaders,
	KeyAuroraPeakMinReaders:     aurora.AutoPeakMinReaders,
	KeyAuroraTargetCPU:          aurora.DefaultTargetCPU,
	KeyAuroraBackupRetention:    aurora.DefaultBackupRetentionDays,
	KeySchoolDayStart:           aurora.DefaultStart,
	KeySchoolDayEnd:             aurora.DefaultEnd,
}

func projectFile(t *testing.T) *workspace.Project {
	t.Helper()
	b, err := os.ReadFile("../Pulumi.yaml")
	require.NoError(t, err)
	p, err := workspace.LoadProjectBytes(b, "Pulumi.yaml", encoding.YAML)
	require.NoError(t, err)
	return p
}

// jsonText is a default as text, the way the README's table shows it.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestPulumiYamlDefaultsAreTheComponents(t *testing.T) {
	project := projectFile(t)
	for key, want := range ownedDefaults {
		decl, ok := project.Config[key]
		require.True(t, ok, key)
		assert.Equal(t, jsonText(want), jsonText(decl.Default), "%s: Pulumi.yaml's default vs the component's", key)
	}
}

// The README's configuration table states each key's type and default as
// Pulumi.yaml declares them.
func TestReadmeDefaultsArePulumiYamls(t *testing.T) {
	project := projectFile(t)
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, found := strings.Cut(string(b), "\n## Configuration reference\n")
	require.True(t, found)
	section, _, _ = strings.Cut(section, "\n## ")
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, " | ")
		if !strings.HasPrefix(line, "| `edstack:") || len(cells) < 4 {
			continue
		}
		key := strings.Trim(strings.TrimPrefix(cells[0], "| "), "`")
		decl, ok := project.Config[key]
		if !assert.True(t, ok, "README documents %s, which Pulumi.yaml does not declare", key) {
			continue
		}
		rows++
		typ := decl.TypeName()
		if typ == "array" && decl.Items != nil {
			typ = "array of " + decl.Items.Type
		}
		assert.Equal(t, typ, cells[1], "%s: type", key)
		if decl.Default == nil {
			assert.Equal(t, "(required)", cells[2], "%s: no default", key)
			continue
		}
		shown, _, _ := strings.Cut(strings.TrimPrefix(cells[2], "`"), "`")
		want := jsonText(decl.Default)
		if want == "" {
			want = `""`
		}
		assert.Equal(t, want, shown, "%s: the README's default vs Pulumi.yaml's", key)
	}
	assert.Equal(t, len(project.Config), rows, "a row per declared key")
}
