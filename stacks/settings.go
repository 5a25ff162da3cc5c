package stacks

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"edstack/components/api"
	"edstack/components/aurora"
	"edstack/components/cockroach"
	"edstack/components/edge"
	"edstack/components/keys"
	"edstack/components/logs"
	"edstack/components/network"
	"edstack/components/observability"
	"edstack/components/setting"
	"edstack/cost"
)

// The settings the country stack itself owns: where it runs, what it
// serves, and what spans every component.
var ownSettings = []setting.Setting{
	{
		Key: KeyRegion, Type: setting.String, Undeclared: true,
		Accepts: "one of the country's regions (the catalog in the README), or any region with `edstack:allowAnyRegion: true`",
		Summary: "The AWS region of the stack.",
		Doc:     "The AWS region of the stack. The AWS provider owns the key, so `Pulumi.yaml` does not declare it.",
	},
	{
		Key: KeyCountry, Type: setting.String,
		Accepts: "a country code of the catalog: " + "`" + strings.Join(CountryCodes(), "`, `") + "`",
		Summary: "ISO 3166-1 code of the country the stack serves; picks the catalog's defaults.",
		Doc:     "ISO 3166-1 code of the country the stack serves. Picks the catalog's defaults: region, time zone, VPC range, price class.",
	},
	{
		Key: KeyDomain, Type: setting.String,
		Accepts: "a lowercase domain without scheme or trailing dot, its first certificate name at most 64 characters",
		Summary: "Domain the country's site is served at, e.g. learn.example.nz.",
		Doc:     "The domain the country's site is served at, e.g. `learn.example.nz`.",
	},
	{
		Key: KeyAllowAnyRegion, Type: setting.Boolean, Default: false,
		Summary: "Allow aws:region outside the country's allowed regions (data residency); for a deliberate exception only.",
		Doc:     "Allow an `aws:region` outside the country's regions, which exist for data residency. For a deliberate exception only.",
	},
	{
		Key: KeyProtectData, Type: setting.Boolean, Default: true,
		Summary: "Protect the resources that hold data (backups, database secrets, the CA) from deletion; false only for throwaway stacks.",
		Doc: "Protect the resources that hold data (the country's KMS key, the backups bucket, the database secrets, the CA, the DNSSEC key) so that `pulumi destroy` or a change that would replace them stops instead; also turns on the NLB's and Aurora's deletion protection. " +
			"`false` only for throwaway stacks such as `dev`.",
	},
	{
		Key: KeyDatabase, Type: setting.String, Default: DatabaseCockroach,
		Accepts: "`" + strings.Join(Databases, "`, `") + "`",
		Summary: "The database the application uses: cockroach, aurora (needs edstack:auroraEnabled) or mirror (writes to both, CockroachDB primary, Aurora shadow).",
		Doc:     "The database the application uses. `aurora` and `mirror` (writes to both: CockroachDB primary, Aurora shadow) need `edstack:auroraEnabled`.",
	},
}

// Settings are every config key edstack reads, in the order the README
// documents them, each from the component that owns it.
func Settings() []setting.Setting {
	own := func(keys ...string) []setting.Setting {
		var out []setting.Setting
		for _, k := range keys {
			i := slices.IndexFunc(ownSettings, func(s setting.Setting) bool { return s.Key == k })
			out = append(out, ownSettings[i])
		}
		return out
	}
	return slices.Concat(
		own(KeyRegion, KeyCountry, KeyDomain, KeyAllowAnyRegion),
		network.Settings, logs.Settings, own(KeyProtectData), keys.Settings,
		cockroach.Settings, edge.Settings, api.Settings,
		own(KeyDatabase), aurora.Settings, observability.Settings, cost.Settings,
	)
}

var settingIndex = sync.OnceValue(func() map[string]setting.Setting {
	m := map[string]setting.Setting{}
	for _, s := range Settings() {
		m[s.Key] = s
	}
	return m
})

// settingOf is the setting of a key; it panics for a key no component
// declares, which the tests catch.
func settingOf(key string) setting.Setting {
	s, ok := settingIndex()[key]
	if !ok {
		panic(fmt.Sprintf("stacks: no setting declares %s", key))
	}
	return s
}
