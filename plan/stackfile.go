package plan

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"edstack/stacks"
)

// stackFileKeys are the top-level keys the Pulumi CLI reads from a stack
// file.
var stackFileKeys = []string{"config", "encryptedkey", "encryptionsalt", "environment", "secretsprovider"}

// checkStackFile says, in plain words, what is wrong with the shape of a
// stack file before Pulumi's loader does in its own: tabs, a top-level key
// Pulumi does not read (a misspelt config:), config: that is not a map, or
// values YAML reads as infinities or not-a-number.
func checkStackFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	var problems []string
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		// YAML allows tabs in text and comments, not in indentation: say
		// so when that is why the file does not parse.
		for i, line := range bytes.Split(b, []byte("\n")) {
			indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
			if bytes.ContainsRune(indent, '\t') && len(bytes.TrimSpace(line)) > 0 {
				problems = append(problems, fmt.Sprintf("line %d is indented with a tab; YAML takes spaces only", i+1))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s: %s", name, strings.Join(problems, "; "))
		}
		return fmt.Errorf("%s is not valid YAML: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil // empty: every required key is reported missing
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: the file must be a map with a config: key, e.g.\n  config:\n    edstack:country: nz", name)
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, value := top.Content[i], top.Content[i+1]
		if !slices.Contains(stackFileKeys, key.Value) {
			want := "config:"
			if c := stacks.Closest(key.Value, stackFileKeys); c != "" {
				want = c + ":"
			}
			problems = append(problems, fmt.Sprintf("line %d: top-level key %q is not one Pulumi reads (did you mean %s?); the keys it reads are %s",
				key.Line, key.Value, want, strings.Join(stackFileKeys, ", ")))
			continue
		}
		if key.Value != "config" {
			continue
		}
		if value.Kind != yaml.MappingNode {
			problems = append(problems, fmt.Sprintf("line %d: config: must be a map of key: value lines (e.g. edstack:country: nz), not a %s", value.Line, kindName(value)))
			continue
		}
		for j := 0; j+1 < len(value.Content); j += 2 {
			k, v := value.Content[j], value.Content[j+1]
			if v.Kind == yaml.ScalarNode && v.Tag == "!!float" {
				var f float64
				if v.Decode(&f) == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
					problems = append(problems, fmt.Sprintf("line %d: %s: %s is not a number edstack takes; give a finite number", v.Line, k.Value, v.Value))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value of another kind"
}
