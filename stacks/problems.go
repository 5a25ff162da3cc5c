package stacks

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a stack's configuration.
type Problem struct {
	Key   string // e.g. "edstack:country"
	Value string // the value as given; empty when the key is not set
	Set   bool   // whether the key was set at all
	Want  string // what would be accepted
	// Message, when set, is the whole problem as a component put it, with
	// the key and the value already in it.
	Message string
}

func (p Problem) String() string {
	if p.Message != "" {
		return p.Message
	}
	if !p.Set {
		return fmt.Sprintf("%s: not set; %s", p.Key, p.Want)
	}
	// Quoted but not escaped: values are often JSON lists.
	return fmt.Sprintf("%s: \"%s\" %s", p.Key, p.Value, p.Want)
}

// ConfigError lists every problem found in a stack's configuration, so that
// a user fixes them all in one pass.
type ConfigError struct {
	Stack    string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %s: %d configuration problem", e.Stack, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects Problems while a config is read.
type problems []Problem

func (ps *problems) add(key, value, want string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Value: value, Set: true, Want: fmt.Sprintf(want, args...)})
}

func (ps *problems) missing(key, want string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Want: fmt.Sprintf(want, args...)})
}
