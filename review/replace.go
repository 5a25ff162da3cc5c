package review

import (
	"regexp"
	"strings"
)

// index matches a list index in an input path: a number, or an element's
// name.
var index = regexp.MustCompile(`\[[^\]]*\]`)

// ForcesReplacement reports whether a change to the input at path (as the
// review writes it: "networkConfiguration.subnets[0]", "policy#Statement")
// makes the provider replace a resource of type typ. A type the table does
// not know is assumed to be replaced by any change: the review would rather
// warn than miss a replacement.
func ForcesReplacement(typ, path string) bool {
	_, ok := replacing(typ, path)
	return ok
}

// replacing is the property of the replacement table that a change at path
// replaces the resource through: what a reviewer is told forces it.
func replacing(typ, path string) (string, bool) {
	p := index.ReplaceAllString(path, "")
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i] // inside a JSON document: the input is the string
	}
	props, known := replaceOn[typ]
	if !known {
		return strings.SplitN(p, ".", 2)[0], true
	}
	for _, prop := range props {
		switch {
		case p == prop, strings.HasPrefix(p, prop+"."):
			return prop, true
		case strings.HasPrefix(prop, p+"."):
			// A block holding the property: added or removed whole, or
			// built from a replaced resource, where the review cannot
			// tell which of its fields the new value feeds.
			return p, true
		}
	}
	return "", false
}

// Known reports whether the replacement table has an entry for typ.
func Known(typ string) bool {
	_, ok := replaceOn[typ]
	return ok
}
