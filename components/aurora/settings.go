package aurora

import (
	"fmt"
	"sort"
	"strings"

	"edstack/components/setting"
)

// The config keys the Aurora fallback owns.
const (
	KeyEnabled             = "edstack:auroraEnabled"
	KeyEngineVersion       = "edstack:auroraEngineVersion"
	KeyWriterClass         = "edstack:auroraWriterClass"
	KeyMinACU              = "edstack:auroraMinAcu"
	KeyMaxACU              = "edstack:auroraMaxAcu"
	KeyMinReaders          = "edstack:auroraMinReaders"
	KeyMaxReaders          = "edstack:auroraMaxReaders"
	KeyPeakMinReaders      = "edstack:auroraPeakMinReaders"
	KeyTargetCPU           = "edstack:auroraTargetCpu"
	KeyBackupRetentionDays = "edstack:auroraBackupRetentionDays"
	KeySchoolDayStart      = "edstack:schoolDayStart"
	KeySchoolDayEnd        = "edstack:schoolDayEnd"
)

// DefaultEngineVersion is the Aurora PostgreSQL version new clusters are
// created at.
const DefaultEngineVersion = "16.6"

// ClassChoices lists the provisioned classes, family by family with its
// sizes, in Markdown.
func ClassChoices() string {
	families := make([]string, 0, len(ProvisionedClasses))
	for f := range ProvisionedClasses {
		families = append(families, f)
	}
	sort.Strings(families)
	parts := make([]string, len(families))
	for i, f := range families {
		s := ProvisionedClasses[f]
		parts[i] = fmt.Sprintf("`%s` (%s to %s)", f, s[0], s[len(s)-1])
	}
	return strings.Join(parts, ", ")
}

// majors lists SupportedMajors: "16 or 17".
func majors() string {
	s := make([]string, len(SupportedMajors))
	for i, m := range SupportedMajors {
		s[i] = fmt.Sprint(m)
	}
	return strings.Join(s, " or ")
}

// Settings are the Aurora fallback's config keys.
var Settings = []setting.Setting{
	{
		Key: KeyEnabled, Type: setting.Boolean, Default: false,
		Summary: "Build the Aurora PostgreSQL fallback cluster.",
		Doc:     "Build the Aurora PostgreSQL fallback cluster.",
	},
	{
		Key: KeyEngineVersion, Type: setting.String, Default: DefaultEngineVersion,
		Accepts: "`MAJOR.MINOR` of major " + majors(),
		Summary: "Aurora PostgreSQL version the cluster is created at; older majors fall into paid Extended Support.",
		Doc:     "Aurora PostgreSQL version the cluster is created at (older majors fall into paid Extended Support). Minor upgrades then come from AWS in the maintenance window.",
	},
	{
		Key: KeyWriterClass, Type: setting.String, Default: ServerlessClass,
		Accepts: fmt.Sprintf("`%s` (Serverless v2), or a provisioned class: %s, e.g. `db.r7g.large`", ServerlessClass, ClassChoices()),
		Summary: "The writer's instance class; db.serverless for Serverless v2, or a provisioned class such as db.r7g.large. Readers are of the same kind.",
		Doc:     "The writer's class. Readers are of the same kind. The Optimized Reads classes (`db.r6gd`, `db.r6id`, `db.r8gd`) are not offered yet.",
	},
	{
		Key: KeyMinACU, Type: setting.String, Default: fmt.Sprint(DefaultMinACU),
		Accepts: fmt.Sprintf("`0` (pause when idle, 16.3 or newer) or %g to %d in steps of %g", MinACULimit, MaxACULimit, ACUStep),
		Summary: "Serverless v2 minimum capacity in ACU (a string: Pulumi config has no decimal type).",
		Doc:     "Serverless v2 minimum capacity (ACU). A string because Pulumi config has no decimal type.",
	},
	{
		Key: KeyMaxACU, Type: setting.String, Default: fmt.Sprint(DefaultMaxACU),
		Accepts: fmt.Sprintf("1 to %d in steps of %g, at least the minimum", MaxACULimit, ACUStep),
		Summary: "Serverless v2 maximum capacity in ACU.",
		Doc:     "Serverless v2 maximum capacity (ACU).",
	},
	{
		Key: KeyMinReaders, Type: setting.Integer, Default: DefaultMinReaders, Min: 0, Max: MaxReplicas, What: "a reader count",
		Summary: "Fewest readers, outside the school day.",
		Doc:     "Fewest readers outside the school day.",
	},
	{
		Key: KeyMaxReaders, Type: setting.Integer, Default: DefaultMaxReaders, Min: 1, Max: MaxReplicas, What: "a reader count",
		Accepts: fmt.Sprintf("1 to %d, at least `auroraMinReaders`", MaxReplicas),
		Summary: "Most readers Auto Scaling adds under load.",
		Doc:     "Most readers Auto Scaling adds under load.",
	},
	{
		Key: KeyPeakMinReaders, Type: setting.Integer, Default: AutoPeakMinReaders, DefaultNote: "auto", Min: AutoPeakMinReaders, Max: MaxReplicas, What: "a reader count",
		Accepts: fmt.Sprintf("`%d` (auto), or `auroraMinReaders` to `auroraMaxReaders`", AutoPeakMinReaders),
		Summary: fmt.Sprintf("Fewest readers during the school day; %d picks max(auroraMinReaders, %d), capped at auroraMaxReaders.", AutoPeakMinReaders, DefaultPeakReaders),
		Doc: fmt.Sprintf("Fewest readers during the school day (0 is honoured: no school-day minimum). `%d` picks `max(auroraMinReaders, %d)`, capped at `auroraMaxReaders`.",
			AutoPeakMinReaders, DefaultPeakReaders),
	},
	{
		Key: KeyTargetCPU, Type: setting.Integer, Default: DefaultTargetCPU, Min: MinTargetCPU, Max: MaxTargetCPU, What: "a reader CPU target in percent",
		Summary: "Average reader CPU (percent) the readers scale to hold.",
		Doc:     "Average reader CPU (percent) that Auto Scaling holds by adding and removing readers.",
	},
	{
		Key: KeyBackupRetentionDays, Type: setting.Integer, Default: DefaultBackupRetentionDays, Min: 1, Max: MaxBackupRetentionDays, What: "days of automated backups Aurora keeps",
		Summary: "Days of automated Aurora backups.",
		Doc:     "Days of automated Aurora backups (point-in-time recovery within them).",
	},
	{
		Key: KeySchoolDayStart, Type: setting.String, Default: DefaultStart,
		Accepts: "`HH:MM`, before the end",
		Summary: "When the school day starts on weekdays, HH:MM in the country's time zone; Aurora raises its readers then.",
		Doc:     "When the school day starts on weekdays, in the country's time zone (the catalog's): Aurora raises its minimum readers then.",
	},
	{
		Key: KeySchoolDayEnd, Type: setting.String, Default: DefaultEnd,
		Accepts: "`HH:MM`, after the start",
		Summary: "When the school day ends on weekdays, HH:MM in the country's time zone; Aurora lowers its readers then.",
		Doc:     "When the school day ends on weekdays, in the country's time zone: Aurora lowers its minimum readers then.",
	},
}
