package network

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func TestPlanLayout(t *testing.T) {
	tests := []struct {
		vpc     string
		zones   int
		private []netip.Prefix
		public  []netip.Prefix
	}{
		{"10.20.0.0/16", 3,
			prefixes("10.20.0.0/18", "10.20.64.0/18", "10.20.128.0/18"),
			prefixes("10.20.192.0/20", "10.20.208.0/20", "10.20.224.0/20")},
		{"172.16.32.0/20", 3,
			prefixes("172.16.32.0/22", "172.16.36.0/22", "172.16.40.0/22"),
			prefixes("172.16.44.0/24", "172.16.45.0/24", "172.16.46.0/24")},
		{"192.168.1.0/24", 3,
			prefixes("192.168.1.0/26", "192.168.1.64/26", "192.168.1.128/26"),
			prefixes("192.168.1.192/28", "192.168.1.208/28", "192.168.1.224/28")},
		{"10.0.0.0/16", 1, prefixes("10.0.0.0/18"), prefixes("10.0.192.0/20")},
	}
	for _, tt := range tests {
		t.Run(tt.vpc, func(t *testing.T) {
			l, err := PlanLayout(netip.MustParsePrefix(tt.vpc), tt.zones)
			require.NoError(t, err)
			assert.Equal(t, tt.private, l.Private)
			assert.Equal(t, tt.public, l.Public)
			all := append(append([]netip.Prefix{}, l.Private...), l.Public...)
			for i, a := range all {
				assert.True(t, l.VPC.Contains(a.Addr()), "%s outside %s", a, l.VPC)
				for _, b := range all[i+1:] {
					assert.False(t, a.Overlaps(b), "%s overlaps %s", a, b)
				}
			}
		})
	}
}

func TestPlanLayoutRejects(t *testing.T) {
	tests := []struct {
		vpc   netip.Prefix
		zones int
		want  string
	}{
		{netip.MustParsePrefix("10.0.0.0/8"), 3, "/16 to /24"},
		{netip.MustParsePrefix("10.0.0.0/25"), 3, "/16 to /24"},
		{netip.MustParsePrefix("10.0.1.0/16"), 3, "did you mean 10.0.0.0/16"},
		{netip.MustParsePrefix("fd00::/56"), 3, "not an IPv4 range"},
		{netip.Prefix{}, 3, "not an IPv4 range"},
		{netip.MustParsePrefix("10.0.0.0/16"), 4, "1 to 3"},
		{netip.MustParsePrefix("10.0.0.0/16"), 0, "1 to 3"},
	}
	for _, tt := range tests {
		_, err := PlanLayout(tt.vpc, tt.zones)
		assert.ErrorContains(t, err, tt.want, "%v with %d zones", tt.vpc, tt.zones)
	}
}

func TestNATGateways(t *testing.T) {
	assert.Equal(t, []int{0, 0, 0}, NATGatewayZones(NATSingle, 3))
	assert.Equal(t, []int{0, 1, 2}, NATGatewayZones(NATPerAZ, 3))
	assert.Equal(t, 1, NATGatewayCount(NATSingle, 3))
	assert.Equal(t, 3, NATGatewayCount(NATPerAZ, 3))
}

func TestParseVPCCIDR(t *testing.T) {
	p, err := ParseVPCCIDR("10.20.0.0/16")
	assert.NoError(t, err)
	assert.Equal(t, "10.20.0.0/16", p.String())
	for bad, why := range map[string]string{
		"10.20.0.0":      "not an IPv4 CIDR",
		"fd00::/16":      "not an IPv4 CIDR",
		"10.20.1.0/16":   "did you mean 10.20.0.0/16",
		"10.0.0.0/8":     "/16 to /24",
		"10.20.0.0/26":   "/16 to /24",
		"100.64.0.0/16":  "not in a private range",
		"192.169.0.0/16": "not in a private range",
	} {
		_, err := ParseVPCCIDR(bad)
		if assert.Error(t, err, bad) {
			assert.Contains(t, err.Error(), why, bad)
		}
	}
}
