package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/esc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"edstack/plan/engine"
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
	project, err := LoadProject(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("stack %q has no file %s; stacks here: %s",
			stack, filepath.Base(path), strings.Join(Stacks(dir), ", "))
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
	if err := checkKeys(project, ps.Config); err != nil {
		return nil, err
	}

	sc := &StackConfig{Project: name, Stack: stack}
	sc.Notes, err = checkSecrets(project, ps.Config)
	if err != nil {
		return nil, err
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

// checkKeys refuses keys of the project's namespace that Pulumi.yaml does not
// declare: a typo would otherwise be ignored in silence.
func checkKeys(project *workspace.Project, m config.Map) error {
	var errs []error
	for key := range m {
		if key.Namespace() != project.Name.String() {
			continue
		}
		if _, ok := declared(project, key); ok {
			continue
		}
		msg := fmt.Sprintf("%s: not a key edstack reads", key)
		if s := closest(key.String(), declaredKeys(project)); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		} else {
			msg += "; see the config reference in README.md"
		}
		errs = append(errs, errors.New(msg))
	}
	return errors.Join(errs...)
}

// checkSecrets decides what to do with encrypted values, which the offline
// plan cannot decrypt: a key declared secret, or a key of another package,
// plans with a placeholder and a note; an encrypted value of a key that
// shapes the plan is an error.
func checkSecrets(project *workspace.Project, m config.Map) ([]string, error) {
	var notes []string
	var errs []error
	for _, key := range m.SecureKeys() {
		t, ok := declared(project, key)
		if ok && !t.Secret {
			errs = append(errs, fmt.Errorf("%s: stored encrypted (secure:), which the offline plan cannot read, and the plan needs its value; store it in plain text (it is not a secret) or pass --config %s=VALUE",
				key, key))
			continue
		}
		notes = append(notes, fmt.Sprintf("%s is encrypted (secure:); the plan shows it as %s", key, engine.Secret))
	}
	sort.Strings(notes)
	return notes, errors.Join(errs...)
}

func declaredKeys(project *workspace.Project) []string {
	var keys []string
	for k := range project.Config {
		if !strings.Contains(k, ":") {
			k = project.Name.String() + ":" + k
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
