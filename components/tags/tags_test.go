package tags

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheck(t *testing.T) {
	set := Base{Country: "nz", Stack: "dev"}.For("network")
	full := map[string]any{"country": "nz", "stack": "dev", "component": "network", "managed-by": "edstack"}
	assert.NoError(t, set.Check(full))
	withName := map[string]any{"Name": "nz-dev-vpc"}
	for k, v := range full {
		withName[k] = v
	}
	assert.NoError(t, set.Check(withName))
	assert.EqualError(t, set.Check(nil), "no tags")
	assert.EqualError(t, set.Check(map[string]any{"country": "nz", "stack": "dev", "component": "api", "managed-by": "edstack"}),
		`tag component is api, want "network"`)
	extra := map[string]any{"owner": "me"}
	for k, v := range full {
		extra[k] = v
	}
	assert.EqualError(t, set.Check(extra), "unexpected tag owner")
	assert.True(t, Taggable("aws:ec2/vpc:Vpc"))
	assert.False(t, Taggable("aws:ec2/route:Route"))
}
