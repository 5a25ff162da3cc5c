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
// the component's own rules, reported under the config keys.
func (r reader) aurora(cfg Config, placed bool) *aurora.Args {
	if !r.boolean(KeyAuroraEnabled) {
		return nil
	}
	a := &aurora.Args{
		Prefix: cfg.Prefix(),
		AZs:    cfg.Network.AZs,
		// Placeholders: the resources come later, and are not config.
		VpcID: pulumi.String(""), SubnetIDs: pulumi.StringArray{}, AppSecurityGroupID: pulumi.String(""),
		Writer:           aurora.Writer{},
		Protect:          cfg.ProtectData,
		Database:         "app",
		LogRetentionDays: cfg.LogRetentionDays,
		Schedule:         aurora.SchoolDay{TimeZone: cfg.Country.TimeZone, Days: "MON-FRI"},
	}
	before := len(*r.ps)
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
	if !placed || len(*r.ps) > before {
		return a // the component's rules need the values above to be sound
	}
	if err := a.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			r.auroraProblem(strings.TrimPrefix(line, "aurora: "))
		}
	}
	return a
}

// auroraProblem records one of the component's messages under the key it
// is about, with the component's field names replaced by config keys.
func (r reader) auroraProblem(msg string) {
	key, at := KeyAuroraEnabled, len(msg)
	pairs := make([]string, 0, 2*len(auroraFields))
	for _, f := range auroraFields {
		pairs = append(pairs, f.field, f.key)
		if i := strings.Index(msg, f.field); i >= 0 && i < at {
			key, at = f.key, i
		}
	}
	// One pass, so that a key put in is never matched again.
	msg = strings.NewReplacer(pairs...).Replace(msg)
	*r.ps = append(*r.ps, Problem{Key: key, Set: true, Message: msg})
}
