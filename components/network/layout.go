package network

import (
	"fmt"
	"net/netip"
	"slices"
)

// NATMode says how many NAT gateways the private subnets share.
type NATMode string

const (
	// NATSingle is one NAT gateway for all zones: cheaper, and a zone outage
	// cuts the other zones' outbound traffic. For development stacks.
	NATSingle NATMode = "single"
	// NATPerAZ is one NAT gateway per zone, so that each zone keeps its
	// outbound path when another zone fails. For country stacks.
	NATPerAZ NATMode = "perAz"
)

// NATModes lists the accepted modes.
var NATModes = []NATMode{NATSingle, NATPerAZ}

// Prefix lengths a VPC may have: a /16 leaves room to grow; a /24 is the
// smallest whose public subnets still reach the /28 minimum of AWS.
const (
	MinVPCPrefix = 16
	MaxVPCPrefix = 24
)

// Layout is how a VPC's range is divided between the zones.
type Layout struct {
	VPC     netip.Prefix
	Private []netip.Prefix // one per zone, in zone order
	Public  []netip.Prefix // one per zone, in zone order
}

// PlanLayout divides vpc for zones zones (at most 3): the first three
// quarters of the range are the private subnets, one per zone, where the
// databases and functions run and need the addresses; the last quarter is
// cut in four, and the first three of those are the public subnets, which
// hold only NAT gateways and load balancer interfaces. The last sixteenth
// stays free. A /16 gives /18 private and /20 public subnets.
func PlanLayout(vpc netip.Prefix, zones int) (Layout, error) {
	if !vpc.IsValid() || !vpc.Addr().Is4() {
		return Layout{}, fmt.Errorf("network: %v is not an IPv4 range", vpc)
	}
	if vpc.Masked() != vpc {
		return Layout{}, fmt.Errorf("network: %v has host bits set; did you mean %v?", vpc, vpc.Masked())
	}
	if vpc.Bits() < MinVPCPrefix || vpc.Bits() > MaxVPCPrefix {
		return Layout{}, fmt.Errorf("network: %v: prefix length must be /%d to /%d", vpc, MinVPCPrefix, MaxVPCPrefix)
	}
	if zones < 1 || zones > 3 {
		return Layout{}, fmt.Errorf("network: %d zones: the layout has room for 1 to 3", zones)
	}
	quarters := split(vpc, 2)
	publics := split(quarters[3], 2)
	l := Layout{VPC: vpc}
	for i := 0; i < zones; i++ {
		l.Private = append(l.Private, quarters[i])
		l.Public = append(l.Public, publics[i])
	}
	return l, nil
}

// split cuts p into 2^extra equal subranges, in address order.
func split(p netip.Prefix, extra int) []netip.Prefix {
	bits := p.Bits() + extra
	size := uint32(1) << (32 - bits)
	base := p.Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	out := make([]netip.Prefix, 0, 1<<extra)
	for i := uint32(0); i < 1<<extra; i++ {
		a := start + i*size
		addr := netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
		out = append(out, netip.PrefixFrom(addr, bits))
	}
	return out
}

// NATGatewayZones returns, for each zone, the index of the zone whose NAT
// gateway its private subnet routes through.
func NATGatewayZones(mode NATMode, zones int) []int {
	out := make([]int, zones)
	if mode == NATPerAZ {
		for i := range out {
			out[i] = i
		}
	}
	return out
}

// NATGatewayCount is how many NAT gateways a mode creates.
func NATGatewayCount(mode NATMode, zones int) int {
	if mode == NATPerAZ {
		return zones
	}
	return 1
}

// privateRanges are the RFC 1918 blocks a VPC's range must lie in.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// ParseVPCCIDR reads a VPC range as config gives it: an IPv4 block, without
// host bits, /MinVPCPrefix to /MaxVPCPrefix, in a private range. The error
// says what to use instead.
func ParseVPCCIDR(v string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(v)
	switch {
	case err != nil || !p.Addr().Is4():
		return netip.Prefix{}, fmt.Errorf("is not an IPv4 CIDR block; use e.g. 10.20.0.0/16, or leave it empty for the country's default")
	case p.Masked() != p:
		return netip.Prefix{}, fmt.Errorf("has host bits set; did you mean %s?", p.Masked())
	case p.Bits() < MinVPCPrefix || p.Bits() > MaxVPCPrefix:
		return netip.Prefix{}, fmt.Errorf("must have a prefix length from /%d to /%d", MinVPCPrefix, MaxVPCPrefix)
	case !slices.ContainsFunc(privateRanges, func(r netip.Prefix) bool { return r.Contains(p.Addr()) }):
		return netip.Prefix{}, fmt.Errorf("is not in a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
	}
	return p, nil
}
