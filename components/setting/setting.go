// Package setting describes edstack's config keys in one place each: the
// component that uses a key declares its type, default, accepted values and
// documentation as a Setting, and everything else reads them from there.
// Pulumi.yaml's config block and the README's configuration table are
// generated from the settings (go generate ./stacks) and tested against them,
// and the config loader takes each key's limits from its Setting.
package setting

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Type is a key's type as Pulumi.yaml declares it.
type Type string

// The types edstack's keys use.
const (
	String   Type = "string"
	Integer  Type = "integer"
	Boolean  Type = "boolean"
	Strings  Type = "array of string"
	Integers Type = "array of integer"
)

// Setting is one config key.
type Setting struct {
	// Key is the full key, "edstack:cockroachNodes".
	Key  string
	Type Type
	// Default is the value a stack gets without the key; nil when the key is
	// required. Its Go type follows Type: string, int, bool, []string, []int.
	Default any
	// DefaultNote follows the default in the README, e.g. "the country's".
	DefaultNote string
	// Min and Max bound an integer key (both included). Values outside are
	// refused with Accepts; values inside may still be refused by a rule
	// that needs more context (a size per CPU, an odd count).
	Min, Max int
	// What names a value of the key in a problem: "a node count".
	What string
	// Accepts says, in Markdown, what values are accepted. Empty for an
	// integer means Min to Max, for a boolean true or false.
	Accepts string
	// Summary is one sentence for Pulumi.yaml's description.
	Summary string
	// Doc is the README's description, in Markdown; it may run longer than
	// Summary and point to the README's sections.
	Doc string
	// Undeclared marks a key that Pulumi.yaml does not declare (aws:region,
	// which the AWS provider owns): documented in the README only.
	Undeclared bool
}

// Required reports whether a stack must set the key.
func (s Setting) Required() bool { return s.Default == nil }

// Accepted is what the key accepts, in Markdown.
func (s Setting) Accepted() string {
	switch {
	case s.Accepts != "":
		return s.Accepts
	case s.Type == Integer:
		return fmt.Sprintf("%d to %d", s.Min, s.Max)
	case s.Type == Boolean:
		return "`true` or `false`"
	}
	return ""
}

// Want is what a problem with the key says is accepted: Accepted, in plain
// text.
func (s Setting) Want() string { return Plain(s.Accepted()) }

// InRange reports whether an integer is within Min and Max.
func (s Setting) InRange(n int) bool { return n >= s.Min && n <= s.Max }

// DefaultText is the default as a stack file would write it: "12", "perAz",
// "[]", `""`.
func (s Setting) DefaultText() string {
	switch v := s.Default.(type) {
	case nil:
		return ""
	case string:
		if v == "" {
			return `""`
		}
		return v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("setting %s: default %v: %v", s.Key, v, err))
		}
		return string(b)
	}
}

// DefaultValue is the default as a stack's config holds it, the way Pulumi
// hands it to the program: "12", "perAz", "[]", "".
func (s Setting) DefaultValue() string {
	if v, ok := s.Default.(string); ok {
		return v
	}
	return s.DefaultText()
}

// Plain strips Markdown code marks, for text read outside Markdown.
func Plain(md string) string { return strings.ReplaceAll(md, "`", "") }

// Check lists what is inconsistent in a setting's own declaration, so that a
// typo in an owner fails the tests rather than a stack.
func (s Setting) Check() []string {
	var bad []string
	add := func(format string, args ...any) { bad = append(bad, s.Key+": "+fmt.Sprintf(format, args...)) }
	if !strings.Contains(s.Key, ":") {
		add("key has no namespace")
	}
	if s.Summary == "" || s.Doc == "" {
		add("needs a Summary and a Doc")
	}
	if s.Accepted() == "" {
		add("says nothing of what it accepts")
	}
	want := map[Type]string{String: "string", Integer: "int", Boolean: "bool", Strings: "[]string", Integers: "[]int"}
	got := "nil"
	switch v := s.Default.(type) {
	case string:
		got = "string"
	case int:
		got = "int"
		if s.Type == Integer && !s.InRange(v) {
			add("default %d is outside %d to %d", v, s.Min, s.Max)
		}
	case bool:
		got = "bool"
	case []string:
		got = "[]string"
	case []int:
		got = "[]int"
	}
	if w, ok := want[s.Type]; !ok {
		add("unknown type %q", s.Type)
	} else if got != w && !s.Required() {
		add("default is a %s, not a %s", got, w)
	}
	if s.Type == Integer && s.Min > s.Max {
		add("min %d above max %d", s.Min, s.Max)
	}
	if s.Type == Integer && s.What == "" {
		add("needs What, to name a bad value")
	}
	return bad
}
