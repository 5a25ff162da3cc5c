package stacks

// The reader: how config values are read and their problems recorded.

import (
	"fmt"
	"strconv"
	"strings"

	"edstack/components/cockroach"
)

// reader reads keys and records what is wrong with them.
type reader struct {
	get Lookup
	ps  *problems
	// root is the project folder, which paths are relative to.
	root string
}

// required returns a key's value, or records that it is missing.
func (r reader) required(key, want string) (string, bool) {
	v, ok := r.get(key)
	if !ok || strings.TrimSpace(v) == "" {
		r.ps.missing(key, "%s", want)
		return "", false
	}
	return v, true
}

// declared returns the value of a key that Pulumi.yaml gives a default.
func (r reader) declared(key string) (string, bool) {
	v, ok := r.get(key)
	if !ok {
		r.ps.missing(key, "Pulumi.yaml declares its default, so run the program through the Pulumi CLI (v3.44 or newer) or `go run . plan`")
	}
	return v, ok
}

// integer reads a declared integer key within the Min and Max of its
// setting; a value that is not a number or outside them is refused with
// what the setting accepts.
func (r reader) integer(key string) (int, bool) {
	s := settingOf(key)
	v, ok := r.declared(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || !s.InRange(n) {
		r.ps.add(key, v, "is not %s; use %s", s.What, r.want(key))
		return 0, false
	}
	return n, true
}

// refuse records that a key's value, though in range, breaks a rule that
// needs more context: why says which, and the setting what is accepted.
func (r reader) refuse(key, value, why string) {
	r.ps.add(key, value, "%s; use %s", why, r.want(key))
}

// want is what a key accepts, with the node count filled in where the
// setting's text depends on it ("0 to the node count").
func (r reader) want(key string) string {
	w := settingOf(key).Want()
	if n, err := strconv.Atoi(r.raw(KeyCockroachNodes)); err == nil && n >= cockroach.MinNodes && n <= cockroach.MaxNodes {
		w = strings.ReplaceAll(w, "the node count", fmt.Sprintf("%d (the node count)", n))
	}
	return w
}

// number reads a declared key holding a decimal number (Pulumi config has
// no number type, so such keys are strings).
func (r reader) number(key string) (float64, bool) {
	v, ok := r.declared(key)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.ps.add(key, v, "is not a number; use e.g. 0.5")
		return 0, false
	}
	return f, true
}

// raw is a key's value as given, for messages.
func (r reader) raw(key string) string {
	v, _ := r.get(key)
	return v
}

// boolean reads an optional boolean key; a bad value is recorded and reads
// as false.
func (r reader) boolean(key string) bool {
	v, ok := r.declared(key)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.ps.add(key, v, "is not a boolean; use true or false")
	}
	return b
}
