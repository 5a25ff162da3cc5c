package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/esc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"edstack/plan/engine"
	"edstack/stacks"
)

// StackConfig is a stack's configuration as the Pulumi CLI would hand it to
// the program: Pulumi.<stack>.yaml over the defaults of Pulumi.yaml, checked
// against the types Pulumi.yaml declares.
type StackConfig struct {
	Project string
	Stack   string
	// Values holds every key, "namespace:key" -> value as the program reads
	// it; encrypted values hold engine.Secret.
	Values map[string]string
	// Secret lists the keys whose values are secret.
	Secret []string
	// Notes say what the offline plan could not read, for the user.
	Notes []string
	// Declared are the keys Pulumi.yaml declares.
	Declared stacks.Declared
	// Dir is the project folder.
	Dir string
}

// Source is the configuration as the program receives it.
func (sc *StackConfig) Source() stacks.Source {
	return stacks.Source{Values: sc.Values, Secret: sc.Secret, Declared: sc.Declared, Root: sc.Dir}
}

// Override is one --config key=value.
type Override struct{ Key, Value string }

// ParseOverride reads "key=value"; a key without a namespace is the project's.
func ParseOverride(s string) (Override, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return Override{}, fmt.Errorf("--config %q: want key=value, e.g. edstack:natGateways=single", s)
	}
	return Override{Key: k, Value: v}, nil
}

// LoadProject reads dir/Pulumi.yaml.
func LoadProject(dir string) (*workspace.Project, error) {
	path := filepath.Join(dir, "Pulumi.yaml")
	p, err := workspace.LoadProject(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return p, nil
}

// Stacks lists the stacks that have a file in dir, sorted.
func Stacks(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// LoadStackConfig reads the configuration of stack from dir, with overrides
// applied on top of the stack file.
func LoadStackConfig(dir, stack string, overrides []Override) (*StackConfig, error) {
	path := StackFile(dir, stack)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("stack %q has no file %s; stacks here: %s",
			stack, filepath.Base(path), strings.Join(Stacks(dir), ", "))
	}
	return LoadStackFile(dir, stack, path, overrides)
}

// StackFile is the path of a stack's file in dir: Pulumi.<stack>.yaml.
func StackFile(dir, stack string) string { return filepath.Join(dir, "Pulumi."+stack+".yaml") }

// LoadStackFile reads the configuration of stack from the stack file at
// path (which need not be in dir, so that a file can be checked before it
// is put in place), over the defaults of dir's Pulumi.yaml.
func LoadStackFile(dir, stack, path string, overrides []Override) (*StackConfig, error) {
	project, err := LoadProject(dir)
	if err != nil {
		return nil, err
	}
	if err := checkStackFile(path); err != nil {
		return nil, err
	}
	ps, err := workspace.LoadProjectStack(nil, project, path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	name := project.Name.String()
	for _, o := range overrides {
		key, err := parseKey(name, o.Key)
		if err != nil {
			return nil, err
		}
		if err := ps.Config.Set(key, overrideValue(project, key, o.Value), false); err != nil {
			return nil, fmt.Errorf("--config %s: %w", o.Key, err)
		}
	}
	sc := &StackConfig{Project: name, Stack: stack, Declared: stacks.DeclaredBy(project), Dir: dir}
	sc.Notes = secretNotes(ps.Config)
	if ps.Environment != nil {
		sc.Notes = append(sc.Notes, "the stack imports an ESC environment (environment:), which the offline plan does not read: "+
			"keys it sets show here as missing or at their defaults; pass them with --config to plan with them")
	}
	// Pulumi's own type check stops at the first key of the wrong type. Set
	// those keys aside so that it applies the defaults, then hand their
	// values to the program as given: its validation names each one with
	// its value and what is accepted, together with every other problem.
	mistyped := map[config.Key]string{}
	for key, v := range ps.Config {
		if t, ok := declared(project, key); ok {
			if raw, ok := wrongType(t, v); ok {
				mistyped[key] = raw
				delete(ps.Config, key)
			}
		}
	}
	// Pulumi's check of required keys (declared without a default) names
	// them but not aws:region, nor any other problem: set them aside too,
	// and let the program report them missing with everything else.
	var missing []config.Key
	for k, t := range project.Config {
		key, err := parseKey(name, k)
		if err != nil || t.Default != nil {
			continue
		}
		if _, isMistyped := mistyped[key]; isMistyped {
			// A placeholder for Pulumi's check; the value as given is
			// restored below and reported with its type problem.
			ps.Config[key] = config.NewValue("")
			continue
		}
		if _, ok := ps.Config[key]; !ok {
			missing = append(missing, key)
			ps.Config[key] = config.NewValue("")
		}
	}
	blind := config.NewBlindingDecrypter()
	err = workspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), stack, project,
		esc.Value{}, ps.Config, config.BlindingCrypter, blind)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", stack, err)
	}
	values, err := ps.Config.Decrypt(blind)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", stack, err)
	}
	sc.Values = make(map[string]string, len(values))
	for k, v := range values {
		sc.Values[k.String()] = v
	}
	for k, raw := range mistyped {
		sc.Values[k.String()] = raw
	}
	for _, k := range missing {
		delete(sc.Values, k.String())
	}
	for _, k := range ps.Config.SecureKeys() {
		sc.Secret = append(sc.Secret, k.String())
	}
	sort.Strings(sc.Secret)
	return sc, nil
}

func parseKey(project, k string) (config.Key, error) {
	if !strings.Contains(k, ":") {
		k = project + ":" + k
	}
	key, err := config.ParseKey(k)
	if err != nil {
		return config.Key{}, fmt.Errorf("--config %s: %w", k, err)
	}
	return key, nil
}

// overrideValue types a --config value the way the key is declared: a key
// declared as an array takes JSON (["a","b"]).
func overrideValue(project *workspace.Project, key config.Key, v string) config.Value {
	if t, ok := declared(project, key); ok && t.TypeName() == "array" && json.Valid([]byte(v)) {
		return config.NewObjectValue(v)
	}
	return config.NewValue(v)
}

// wrongType returns a plain value that does not have its declared type, as
// the program would read it.
func wrongType(t workspace.ProjectConfigType, v config.Value) (string, bool) {
	if v.Secure() {
		return "", false
	}
	raw, err := v.Value(config.NopDecrypter)
	if err != nil {
		return "", false
	}
	switch t.TypeName() {
	case "integer":
		_, err := strconv.ParseInt(raw, 10, 64)
		return raw, v.Object() || err != nil
	case "boolean":
		return raw, v.Object() || (raw != "true" && raw != "false")
	case "array":
		var list []any
		return raw, !v.Object() || json.Unmarshal([]byte(raw), &list) != nil
	case "string":
		return raw, v.Object()
	}
	return "", false
}

func declared(project *workspace.Project, key config.Key) (workspace.ProjectConfigType, bool) {
	if t, ok := project.Config[key.String()]; ok {
		return t, true
	}
	if key.Namespace() == project.Name.String() {
		t, ok := project.Config[key.Name()]
		return t, ok
	}
	return workspace.ProjectConfigType{}, false
}

// secretNotes say which encrypted values the plan shows as a placeholder:
// it cannot decrypt them. (An encrypted value of a key that is not a
// secret is refused by stacks.Load, under `pulumi up` as here.)
func secretNotes(m config.Map) []string {
	var notes []string
	for _, key := range m.SecureKeys() {
		notes = append(notes, fmt.Sprintf("%s is encrypted (secure:); the plan shows it as %s", key, engine.Secret))
	}
	sort.Strings(notes)
	return notes
}
