package edge

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckDomain(t *testing.T) {
	for _, ok := range []string{"example.nz", "learn.example.co.nz", "a-b.example", "x1.example.com"} {
		assert.NoError(t, CheckDomain(ok), ok)
	}
	for bad, why := range map[string]string{
		"example":                               "at least two labels",
		"example.nz.":                           "trailing dot",
		"a..b":                                  `label ""`,
		"example.123":                           "numeric",
		"ex_ample.nz":                           `label "ex_ample"`,
		"learn.example.nz/app":                  "bare domain",
		"Learn.example.nz":                      "lowercase",
		strings.Repeat("x", 64) + ".nz":         "1-63 letters",
		strings.Repeat("a", 60) + ".example.nz": "ACM takes at most 64",
	} {
		err := CheckDomain(bad)
		if assert.Error(t, err, bad) {
			assert.Contains(t, err.Error(), why, bad)
		}
	}
}

func TestCheckHostedZoneID(t *testing.T) {
	assert.NoError(t, CheckHostedZoneID(""))
	assert.NoError(t, CheckHostedZoneID("Z0123456789ABCDEFGHIJ"))
	for _, bad := range []string{"z0123", "/hostedzone/Z0123", "Z", "Z0123-45"} {
		assert.Error(t, CheckHostedZoneID(bad), bad)
	}
}
