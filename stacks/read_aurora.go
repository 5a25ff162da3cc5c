package stacks

// Reading the Aurora keys, checked with the component's own rules.

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"edstack/components/aurora"
)

// auroraFields maps the fields aurora.Args.Validate names to the config keys
// they come from, longest first so that no name replaces part of another.
var auroraFields = []struct{ field, key string }{
	{"Writer.MinACU/MaxACU", KeyAuroraMinACU + "/" + KeyAuroraMaxACU},
	{"Writer.InstanceClass", KeyAuroraWriterClass},
	{"BackupRetentionDays", KeyAuroraBackupRetention},
	{"PeakMinReaders", KeyAuroraPeakMinReaders},
	{"LogRetentionDays", KeyLogRetentionDays},
	{"Writer.MinACU", KeyAuroraMinACU},
	{"Writer.MaxACU", KeyAuroraMaxACU},
	{"EngineVersion", KeyAuroraEngineVersion},
	{"Schedule.Start", KeySchoolDayStart},
	{"Schedule.End", KeySchoolDayEnd},
	{"MinReaders", KeyAuroraMinReaders},
	{"MaxReaders", KeyAuroraMaxReaders},
	{"TargetCPU", KeyAuroraTargetCPU},
	{"Schedule", KeySchoolDayStart + "-" + KeySchoolDayEnd},
}

// aurora reads the Aurora keys when the cluster is on, and checks them with
// the component's own rules, reported under the config keys. The rules run
// even when other keys are wrong (placed is false when the country or the
// region is): each wrong value is then checked as its default, and a
// problem already reported is not reported again, so one group's mistakes
// never hide another's.
func (r reader) aurora(cfg Config, placed bool) *aurora.Args {
	if !r.boolean(KeyAuroraEnabled) {
		return nil
	}
	before := len(*r.ps)
	a := r.auroraArgs(cfg)
	reported := map[string]bool{}
	for _, p := range *r.ps {
		reported[p.Key] = true
	}
	check := *a
	if len(*r.ps) > before {
		// Rebuild with the default of every key found wrong, for the rules.
		var scratch problems
		fallback := reader{ps: &scratch, root: r.root, get: func(key string) (string, bool) {
			if reported[key] {
				return settingOf(key).DefaultValue(), true
			}
			return r.get(key)
		}}
		check = *fallback.auroraArgs(cfg)
	}
	// What other groups got wrong stands in as something sound.
	if !placed || reported[KeyStackName] || reported[KeyAZs] || reported[KeyLogRetentionDays] {
		check.Prefix, check.AZs = "edstack", []string{"a", "b", "c"}
		check.LogRetentionDays = settingOf(KeyLogRetentionDays).Default.(int)
	}
	if check.Schedule.TimeZone == "" {
		check.Schedule.TimeZone = "UTC" // the country is wrong, and reported
	}
	if err := check.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			r.auroraProblem(strings.TrimPrefix(line, "aurora: "), reported)
		}
	}
	return a
}

// auroraArgs reads the Aurora keys into the component's arguments.
func (r reader) auroraArgs(cfg Config) *aurora.Args {
	a := &aurora.Args{
		Prefix: cfg.Prefix(),
		AZs:    cfg.Network.AZs,
		// Placeholders: the resources come later, and are not config.
		VpcID: pulumi.String(""), SubnetIDs: pulumi.StringArray{}, AppSecurityGroupID: pulumi.String(""),
		Writer:           aurora.Writer{},
		Protect:          cfg.ProtectData,
		Database:         aurora.DefaultDatabase,
		LogRetentionDays: cfg.LogRetentionDays,
		Schedule:         aurora.SchoolDay{TimeZone: cfg.Country.TimeZone, Days: aurora.DefaultDays},
	}
	a.EngineVersion, _ = r.declared(KeyAuroraEngineVersion)
	a.Writer.InstanceClass, _ = r.declared(KeyAuroraWriterClass)
	a.Writer.MinACU, _ = r.number(KeyAuroraMinACU)
	a.Writer.MaxACU, _ = r.number(KeyAuroraMaxACU)
	if !a.Writer.Serverless() {
		a.Writer.MinACU, a.Writer.MaxACU = 0, 0 // the class is the size
	}
	a.MinReaders, _ = r.integer(KeyAuroraMinReaders)
	a.MaxReaders, _ = r.integer(KeyAuroraMaxReaders)
	if peak, ok := r.integer(KeyAuroraPeakMinReaders); ok && peak != aurora.AutoPeakMinReaders {
		a.PeakMinReaders = &peak // 0 included: honoured
	}
	a.TargetCPU, _ = r.integer(KeyAuroraTargetCPU)
	a.BackupRetentionDays, _ = r.integer(KeyAuroraBackupRetention)
	a.Schedule.Start, _ = r.declared(KeySchoolDayStart)
	a.Schedule.End, _ = r.declared(KeySchoolDayEnd)
	return a
}

// auroraProblem records one of the component's messages under the key it
// is about, with the component's field names replaced by config keys.
// A message that names a key already reported is dropped.
func (r reader) auroraProblem(msg string, reported map[string]bool) {
	key, at := KeyAuroraEnabled, len(msg)
	pairs := make([]string, 0, 2*len(auroraFields))
	for _, f := range auroraFields {
		pairs = append(pairs, f.field, f.key)
		if i := strings.Index(msg, f.field); i >= 0 && i < at {
			key, at = f.key, i
		}
	}
	// A message that involves a key already reported would be about the
	// default standing in for it, not about anything the user wrote.
	for _, f := range auroraFields {
		if strings.Contains(msg, f.field) && reported[f.key] {
			return
		}
	}
	// One pass, so that a key put in is never matched again.
	msg = strings.NewReplacer(pairs...).Replace(msg)
	*r.ps = append(*r.ps, Problem{Key: key, Set: true, Message: msg})
}
