package newcountry

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"

	"gopkg.in/yaml.v3"

	"edstack/plan"
	"edstack/stacks"
)

// Range is the VPC range a stack file uses.
type Range struct {
	File   string // Pulumi.<stack>.yaml
	Prefix netip.Prefix
}

// Ranges reads the VPC range of every stack file in dir but skip's: its
// edstack:vpcCidr, else its country's catalog range. A file whose range
// cannot be told is named in unknown, with why.
func Ranges(dir, skip string) (ranges []Range, unknown []string, err error) {
	for _, stack := range plan.Stacks(dir) {
		if stack == skip {
			continue
		}
		path := plan.StackFile(dir, stack)
		name := filepath.Base(path)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		config, err := readConfig(b)
		if err != nil {
			unknown = append(unknown, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		cidr, _ := config[stacks.KeyVPCCIDR].(string)
		if cidr != "" {
			p, err := netip.ParsePrefix(cidr)
			if err != nil {
				unknown = append(unknown, fmt.Sprintf("%s: %s %q is not a CIDR range", name, stacks.KeyVPCCIDR, cidr))
				continue
			}
			ranges = append(ranges, Range{File: name, Prefix: p.Masked()})
			continue
		}
		code, _ := config[stacks.KeyCountry].(string)
		c, ok := stacks.LookupCountry(code)
		if !ok {
			unknown = append(unknown, fmt.Sprintf("%s: sets no %s, and its %s %q is not in the catalog", name, stacks.KeyVPCCIDR, stacks.KeyCountry, code))
			continue
		}
		ranges = append(ranges, Range{File: name, Prefix: c.VPCCIDR})
	}
	return ranges, unknown, nil
}

// PickCIDR chooses the country's VPC range: its catalog range when no other
// stack file's overlaps it (the zero prefix: nothing to write), else the
// first /16 from 10.20.0.0 to 10.89.0.0 that overlaps neither a stack
// file's range nor any catalog country's, so that it takes no other
// country's default. 10.90.0.0/16 and up are left to development stacks.
// It returns the range that took the catalog's, for the file's comment.
func PickCIDR(c stacks.Country, taken []Range) (netip.Prefix, Range, error) {
	clash, found := overlapping(c.VPCCIDR, taken)
	if !found {
		return netip.Prefix{}, Range{}, nil
	}
	busy := slices.Clone(taken)
	for _, code := range stacks.CountryCodes() {
		other, _ := stacks.LookupCountry(code)
		busy = append(busy, Range{File: "the catalog", Prefix: other.VPCCIDR})
	}
	for n := 20; n < 90; n++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(n), 0, 0}), 16)
		if _, used := overlapping(p, busy); !used {
			return p, clash, nil
		}
	}
	return netip.Prefix{}, clash, fmt.Errorf("%s's catalog range %s overlaps %s's, and every /16 from 10.20.0.0 to 10.89.0.0 is taken: "+
		"set %s in the stack file by hand", c.Name, c.VPCCIDR, clash.File, stacks.KeyVPCCIDR)
}

// readConfig is a stack file's config: block, as YAML reads it.
func readConfig(b []byte) (map[string]any, error) {
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("is not valid YAML (%v)", err)
	}
	return doc.Config, nil
}

func overlapping(p netip.Prefix, ranges []Range) (Range, bool) {
	for _, r := range ranges {
		if r.Prefix.Overlaps(p) {
			return r, true
		}
	}
	return Range{}, false
}
