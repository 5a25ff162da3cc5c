// Package tags gives every AWS resource edstack creates the same tag set, so
// that a reviewer, a cost report or an incident responder can tell which
// country, stack and component a resource belongs to.
package tags

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Keys of the tags on every taggable resource.
const (
	Country   = "country"
	Stack     = "stack"
	Component = "component"
	ManagedBy = "managed-by"
	Name      = "Name" // what the AWS console shows
)

// Base is the part of the tag set that a whole stack shares.
type Base struct {
	Country string // ISO code, e.g. "nz"
	Stack   string // Pulumi stack name, e.g. "nz" or "dev"
}

// Set is the tag set of one component.
type Set struct {
	Base
	Component string // e.g. "network"
}

// For returns the tag set of a component of this stack.
func (b Base) For(component string) Set { return Set{Base: b, Component: component} }

// Map returns the tags without a Name, for resources whose name AWS shows
// anyway (IAM roles, log groups) or that take no Name tag.
func (s Set) Map() map[string]string {
	return map[string]string{
		Country:   s.Country,
		Stack:     s.Stack,
		Component: s.Component,
		ManagedBy: "edstack",
	}
}

// Tags returns the tags as a Pulumi input.
func (s Set) Tags() pulumi.StringMap { return pulumi.ToStringMap(s.Map()) }

// Named returns the tags plus a Name tag, for resources that AWS lists by
// their Name tag (VPCs, subnets, route tables, gateways).
func (s Set) Named(name string) pulumi.StringMap {
	m := s.Map()
	m[Name] = name
	return pulumi.ToStringMap(m)
}

// Check says what is wrong with a resource's tags, as the plan shows them
// (plain values), against the set it should carry; nil when every tag of
// the set is there with its value. A Name tag may come on top.
func (s Set) Check(got any) error {
	m, ok := got.(map[string]any)
	if !ok {
		return fmt.Errorf("no tags")
	}
	for k, want := range s.Map() {
		if m[k] != want {
			return fmt.Errorf("tag %s is %v, want %q", k, m[k], want)
		}
	}
	for k := range m {
		if _, ok := s.Map()[k]; !ok && k != Name {
			return fmt.Errorf("unexpected tag %s", k)
		}
	}
	return nil
}
