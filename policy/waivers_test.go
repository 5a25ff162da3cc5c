package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A waiver applies where both its stacks and its regions match; either left
// out matches everything.
func TestWaiverScope(t *testing.T) {
	nzSydney := Scope{Stack: "nz", Region: "ap-southeast-2"}
	zaCapeTown := Scope{Stack: "za", Region: "af-south-1"}
	for _, tc := range []struct {
		name   string
		w      Waiver
		nz, za bool
	}{
		{"everywhere", Waiver{}, true, true},
		{"one stack", Waiver{Stacks: []string{"nz"}}, true, false},
		{"opt-in regions", Waiver{Regions: []string{"af-south-1", "ap-southeast-6"}}, false, true},
		{"a region pattern", Waiver{Regions: []string{"ap-*"}}, true, false},
		{"stack and region both", Waiver{Stacks: []string{"za"}, Regions: []string{"ap-*"}}, false, false},
	} {
		assert.Equal(t, tc.nz, tc.w.AppliesTo(nzSydney), tc.name)
		assert.Equal(t, tc.za, tc.w.AppliesTo(zaCapeTown), tc.name)
	}
}

func TestWaiverRegionPatternsAreChecked(t *testing.T) {
	_, err := ParseWaivers([]byte(`waivers:
  - rule: EDS-CF-3
    resources: ["*-edge-cdn"]
    regions: ["af-south-[1"]
    reason: a test
    expires: "2026-12-31"
`), Pack(), "2026-11-21")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `pattern "af-south-[1"`)
}
