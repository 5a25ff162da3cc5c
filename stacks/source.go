package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/setting"
)

// Namespace is edstack's config namespace, the project's name.
const Namespace = "edstack"

// Declared are the keys Pulumi.yaml declares, by full name ("edstack:x"),
// each with whether it is secret.
type Declared map[string]bool

// DeclaredBy lists what a project file declares.
func DeclaredBy(project *workspace.Project) Declared {
	d := Declared{}
	for k, t := range project.Config {
		if !strings.Contains(k, ":") {
			k = project.Name.String() + ":" + k
		}
		d[k] = t.Secret
	}
	return d
}

// ParseDeclared reads the declarations of a Pulumi.yaml's text.
func ParseDeclared(projectYAML []byte) (Declared, error) {
	p, err := workspace.LoadProjectBytes(projectYAML, "Pulumi.yaml", encoding.YAML)
	if err != nil {
		return nil, fmt.Errorf("Pulumi.yaml: %w", err)
	}
	return DeclaredBy(p), nil
}

// Keys are the declared keys, sorted.
func (d Declared) Keys() []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Source is a stack's whole configuration as one run of the program
// receives it: every key and value (Pulumi.yaml's defaults applied), which
// of them were stored encrypted, and what Pulumi.yaml declares.
type Source struct {
	Values   map[string]string
	Secret   []string
	Declared Declared
	// Partial says Values holds only the declared keys (the Pulumi CLI gave
	// the program no list of all keys): unknown keys cannot be checked.
	Partial bool
	// Root is the project folder, which paths in the config (bundles) are
	// relative to: under `pulumi up` the CLI's PULUMI_ROOT_DIRECTORY, in the
	// plan its --dir. Empty means the working directory.
	Root string
}

func (s Source) lookup(key string) (string, bool) {
	v, ok := s.Values[key]
	return v, ok
}

// EnvSource is the configuration the Pulumi CLI hands to the program:
// PULUMI_CONFIG holds every key, PULUMI_CONFIG_SECRET_KEYS the encrypted
// ones. Without them it reads the declared keys through ctx.
func EnvSource(ctx *pulumi.Context, declared Declared) Source {
	src := Source{Values: map[string]string{}, Declared: declared, Root: ctx.RootDirectory()}
	if err := json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfig)), &src.Values); err != nil || len(src.Values) == 0 {
		src.Values, src.Partial = map[string]string{}, true
		for _, k := range append(declared.Keys(), KeyRegion) {
			if v, ok := ctx.GetConfig(k); ok {
				src.Values[k] = v
			}
		}
	}
	_ = json.Unmarshal([]byte(os.Getenv(pulumi.EnvConfigSecretKeys)), &src.Secret)
	return src
}

// checkKeys records the keys no part of edstack reads: a typo would
// otherwise be ignored in silence, under `pulumi up` as in the plan. It
// returns the keys it found wrong, whose values are then not checked.
func (s Source) checkKeys(ps *problems) map[string]bool {
	wrong := map[string]bool{}
	keys := make([]string, 0, len(s.Values))
	for k := range s.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	declared := s.Declared.Keys()
	secret := map[string]bool{}
	for _, k := range s.Secret {
		secret[k] = true
	}
	// shown is a value as a problem may print it: never a secret's.
	shown := func(key string) string {
		if secret[key] {
			return "[secret]"
		}
		return s.Values[key]
	}
	for _, key := range keys {
		ns, name, _ := strings.Cut(key, ":")
		switch {
		case ns == Namespace && !s.Partial:
			if _, ok := s.Declared[key]; ok {
				continue
			}
			want := "is not a key edstack reads; see the configuration reference in README.md"
			if c := closest(key, declared); c != "" {
				want = fmt.Sprintf("is not a key edstack reads; did you mean %s?", c)
			}
			ps.add(key, shown(key), "%s", want)
			wrong[key] = true
		case ns != Namespace && distance(ns, Namespace) <= 2:
			// edstak:cockroachNodes: a namespace typo reads as another package's key.
			want := fmt.Sprintf("is in namespace %q, not %s", ns, Namespace)
			if c := closest(Namespace+":"+name, declared); c != "" {
				want += fmt.Sprintf("; did you mean %s?", c)
			}
			ps.add(key, shown(key), "%s", want)
			wrong[key] = true
		}
	}
	for _, key := range s.Secret {
		if secret, ok := s.Declared[key]; ok && !secret {
			ps.add(key, "[secret]", "is stored encrypted (secure:), but it is not a secret and the offline plan must read it; store it in plain text (pulumi config set %s VALUE), or pass --config %s=VALUE to the plan", key, key)
			wrong[key] = true
		}
	}
	return wrong
}

// checkShapes records a list or a map given to a key that takes one value
// (the offline plan hands such values on as JSON; the Pulumi CLI refuses
// them by type): it is reported as such, not as a malformed value.
func (s Source) checkShapes(ps *problems, wrong map[string]bool) {
	for _, set := range Settings() {
		v, ok := s.Values[set.Key]
		if !ok || wrong[set.Key] || set.Type == setting.Strings || set.Type == setting.Integers {
			continue
		}
		var shape any
		if json.Unmarshal([]byte(v), &shape) != nil {
			continue
		}
		what := map[bool]string{true: "a list"}[isList(shape)]
		if _, isMap := shape.(map[string]any); isMap {
			what = "a map"
		}
		if what == "" {
			continue
		}
		ps.add(set.Key, v, "is %s, but the key takes one %s; use %s", what, set.Type, set.Want())
		wrong[set.Key] = true
	}
}

func isList(v any) bool { _, ok := v.([]any); return ok }
