package aurora

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// valid is a complete, valid set of arguments with the defaults applied.
func valid() Args {
	return Args{
		Prefix:             "nz",
		AZs:                []string{"ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"},
		VpcID:              pulumi.String("vpc"),
		SubnetIDs:          pulumi.ToStringArray([]string{"a", "b", "c"}),
		AppSecurityGroupID: pulumi.String("sg"),
		EngineVersion:      "16.6",
		Schedule:           SchoolDay{TimeZone: "Pacific/Auckland"},
	}.WithDefaults()
}

func TestValidateAccepts(t *testing.T) {
	tests := map[string]func(*Args){
		"defaults":            func(*Args) {},
		"17.x":                func(a *Args) { a.EngineVersion = "17.4" },
		"major only":          func(a *Args) { a.EngineVersion = "16" },
		"provisioned writer":  func(a *Args) { a.Writer = Writer{InstanceClass: "db.r7g.large"} },
		"pause at 0 ACU":      func(a *Args) { a.Writer.MinACU = 0; a.EngineVersion = "16.3" },
		"no readers at night": func(a *Args) { a.MinReaders = 0 },
		"15 readers":          func(a *Args) { a.MinReaders, a.PeakMinReaders, a.MaxReaders = 15, new(15), 15 },
		"limits":              func(a *Args) { a.BackupRetentionDays, a.TargetCPU, a.Writer.MaxACU = 35, 90, 256 },
		"monitoring off":      func(a *Args) { a.MonitoringInterval = new(0) },
		"monitoring 1 s":      func(a *Args) { a.MonitoringInterval = new(1) },
		"monitoring 15 s":     func(a *Args) { a.MonitoringInterval = new(15) },
		"country key": func(a *Args) {
			a.KMSKeyArn = pulumi.String("arn:aws:kms:ap-southeast-2:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789")
		},
		"multi-region key": func(a *Args) {
			a.KMSKeyArn = pulumi.String("arn:aws:kms:eu-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef")
		},
		"key from a resource": func(a *Args) { a.KMSKeyArn = pulumi.String("not known yet").ToStringOutput() },
		"other schedule": func(a *Args) {
			a.Schedule = SchoolDay{TimeZone: "Europe/London", Start: "08:30", End: "15:15", Days: "mon-thu,sat"}
		},
	}
	for name, mutate := range tests {
		a := valid()
		mutate(&a)
		assert.NoError(t, a.Validate(), name)
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Args)
		want   []string // each must appear in the message
	}{
		{"version 15", func(a *Args) { a.EngineVersion = "15.4" },
			[]string{`EngineVersion "15.4"`, "major 15", "Extended Support", "16 or 17"}},
		{"version 13", func(a *Args) { a.EngineVersion = "13.9" }, []string{`EngineVersion "13.9"`, "16 or 17"}},
		{"version shape", func(a *Args) { a.EngineVersion = "v16" }, []string{`EngineVersion "v16"`, "MAJOR.MINOR"}},
		{"version empty", func(a *Args) { a.EngineVersion = "" }, []string{`EngineVersion ""`}},
		{"16 readers", func(a *Args) { a.MaxReaders = 16 }, []string{"MaxReaders 16", "0 to 15"}},
		{"negative readers", func(a *Args) { a.MinReaders = -1 }, []string{"MinReaders -1", "0 to 15"}},
		{"min above max", func(a *Args) { a.MinReaders, a.MaxReaders, a.PeakMinReaders = 5, 3, new(3) },
			[]string{"MinReaders 5", "MaxReaders 3", "must not exceed"}},
		{"peak above max", func(a *Args) { a.PeakMinReaders = new(9) }, []string{"PeakMinReaders 9", "MinReaders (1)", "MaxReaders (4)"}},
		{"peak below min", func(a *Args) { a.MinReaders, a.PeakMinReaders = 3, new(2) }, []string{"PeakMinReaders 2", "MinReaders (3)"}},
		{"ACU 0.3", func(a *Args) { a.Writer.MinACU = 0.3 }, []string{"Writer.MinACU 0.3", "0.5 to 256", "steps of 0.5"}},
		{"ACU 300", func(a *Args) { a.Writer.MaxACU = 300 }, []string{"Writer.MaxACU 300", "1 to 256"}},
		{"ACU off step", func(a *Args) { a.Writer.MaxACU = 16.25 }, []string{"Writer.MaxACU 16.25", "steps of 0.5"}},
		{"ACU min above max", func(a *Args) { a.Writer.MinACU, a.Writer.MaxACU = 8, 4 },
			[]string{"Writer.MinACU 8", "Writer.MaxACU 4", "must not exceed"}},
		{"pause needs 16.3", func(a *Args) { a.Writer.MinACU, a.EngineVersion = 0, "16.2" },
			[]string{"Writer.MinACU 0", `"16.2"`, "16.3"}},
		{"ACU with a provisioned class", func(a *Args) { a.Writer.InstanceClass = "db.r7g.large" },
			[]string{"Writer.MinACU/MaxACU 0.5/16", `"db.r7g.large"`, "leave them 0"}},
		{"instance class", func(a *Args) { a.Writer = Writer{InstanceClass: "r7g.large"} },
			[]string{`Writer.InstanceClass "r7g.large"`, `"db.serverless"`}},
		{"retention 0", func(a *Args) { a.BackupRetentionDays = 0 }, []string{"BackupRetentionDays 0", "1 to 35"}},
		{"retention 36", func(a *Args) { a.BackupRetentionDays = 36 }, []string{"BackupRetentionDays 36", "1 to 35"}},
		{"target CPU 5", func(a *Args) { a.TargetCPU = 5 }, []string{"TargetCPU 5", "10 to 90"}},
		{"target CPU 95", func(a *Args) { a.TargetCPU = 95 }, []string{"TargetCPU 95", "10 to 90"}},
		{"log retention", func(a *Args) { a.LogRetentionDays = 10 }, []string{"LogRetentionDays 10", "14, 30"}},
		{"bad time", func(a *Args) { a.Schedule.Start = "7am" }, []string{`Schedule.Start: "7am"`, `"HH:MM"`}},
		{"bad end time", func(a *Args) { a.Schedule.End = "24:00" }, []string{`Schedule.End: "24:00"`, `"23:59"`}},
		{"start after end", func(a *Args) { a.Schedule.Start, a.Schedule.End = "18:00", "07:00" },
			[]string{`Schedule.Start "18:00"`, `Schedule.End "07:00"`, "not before"}},
		{"start equals end", func(a *Args) { a.Schedule.Start, a.Schedule.End = "09:00", "09:00" },
			[]string{`Schedule.Start "09:00"`, "not before"}},
		{"bad zone", func(a *Args) { a.Schedule.TimeZone = "Mars/Olympus_Mons" },
			[]string{`Schedule.TimeZone "Mars/Olympus_Mons"`, "IANA"}},
		{"no zone", func(a *Args) { a.Schedule.TimeZone = "" }, []string{"Schedule.TimeZone is empty", "IANA"}},
		{"bad days", func(a *Args) { a.Schedule.Days = "WEEKDAYS" }, []string{`Schedule.Days: "WEEKDAYS"`, "SUN to SAT"}},
		{"descending days", func(a *Args) { a.Schedule.Days = "FRI-MON" }, []string{`Schedule.Days: "FRI-MON"`, "descending"}},
		{"no night", func(a *Args) { a.Schedule.Start, a.Schedule.End = "00:30", "23:30" },
			[]string{"Schedule 00:30-23:30 Pacific/Auckland", "too short"}},
		{"database", func(a *Args) { a.Database = "1app" }, []string{`Database "1app"`, "a letter"}},
		{"prefix", func(a *Args) { a.Prefix = "NZ" }, []string{`Prefix "NZ"`, "lowercase"}},
		{"one zone", func(a *Args) { a.AZs = a.AZs[:1] }, []string{`AZs ["ap-southeast-2a"]`, "at least 2"}},
		{"no VPC", func(a *Args) { a.VpcID = nil }, []string{"VpcID is not set"}},
		{"no subnets", func(a *Args) { a.SubnetIDs = nil }, []string{"SubnetIDs is not set"}},
		{"no app group", func(a *Args) { a.AppSecurityGroupID = nil }, []string{"AppSecurityGroupID is not set", "5432"}},
		{"monitoring 2 s", func(a *Args) { a.MonitoringInterval = new(2) },
			[]string{"MonitoringInterval 2", "0, 1, 5, 10, 15, 30, 60", "0 turns Enhanced Monitoring off"}},
		{"monitoring 120 s", func(a *Args) { a.MonitoringInterval = new(120) }, []string{"MonitoringInterval 120"}},
		{"monitoring negative", func(a *Args) { a.MonitoringInterval = new(-1) }, []string{"MonitoringInterval -1"}},
		{"key id, not ARN", func(a *Args) { a.KMSKeyArn = pulumi.String("0a1b2c3d-4e5f-6789-abcd-ef0123456789") },
			[]string{`KMSKeyArn "0a1b2c3d-4e5f-6789-abcd-ef0123456789"`, "arn:aws:kms:"}},
		{"alias", func(a *Args) { a.KMSKeyArn = pulumi.String("alias/nz") }, []string{`KMSKeyArn "alias/nz"`}},
		{"empty key", func(a *Args) { a.KMSKeyArn = pulumi.String("") }, []string{`KMSKeyArn ""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.mutate(&a)
			err := a.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "aurora: ")
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	a := valid()
	a.EngineVersion, a.MaxReaders, a.BackupRetentionDays, a.Schedule.Start = "15.4", 16, 36, "7am"
	err := a.Validate()
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 4, "one line per problem: %v", err)
	for i, w := range []string{`EngineVersion "15.4"`, "MaxReaders 16", "BackupRetentionDays 36", `Schedule.Start: "7am"`} {
		assert.True(t, strings.HasPrefix(lines[i], "aurora: "), lines[i])
		assert.Contains(t, lines[i], w)
	}
}

func TestWithDefaults(t *testing.T) {
	a := Args{}.WithDefaults()
	assert.Equal(t, Writer{InstanceClass: "db.serverless", MinACU: 0.5, MaxACU: 16}, a.Writer)
	assert.Equal(t, [3]int{1, 4, 2}, [3]int{a.MinReaders, a.MaxReaders, a.Peak()})
	assert.Equal(t, 70, a.TargetCPU)
	assert.Equal(t, 7, a.BackupRetentionDays)
	assert.Equal(t, 90, a.LogRetentionDays)
	assert.Equal(t, "app", a.Database)
	assert.Equal(t, new(60), a.MonitoringInterval)
	assert.Nil(t, a.KMSKeyArn, "AWS managed keys unless a key is given")
	assert.Equal(t, SchoolDay{Start: "07:00", End: "18:00", Days: "MON-FRI"}, a.Schedule)

	// A zero that is part of a set pair is a value, not a default.
	b := Args{MaxReaders: 3, Writer: Writer{MaxACU: 8}}.WithDefaults()
	assert.Equal(t, [3]int{0, 3, 2}, [3]int{b.MinReaders, b.MaxReaders, b.Peak()})
	assert.Equal(t, Writer{InstanceClass: "db.serverless", MinACU: 0, MaxACU: 8}, b.Writer)
	// So is a monitoring interval of 0: Enhanced Monitoring off.
	assert.Equal(t, new(0), Args{MonitoringInterval: new(0)}.WithDefaults().MonitoringInterval)
	assert.Equal(t, new(5), Args{MonitoringInterval: new(5)}.WithDefaults().MonitoringInterval)
	// A provisioned writer gets no capacity range.
	c := Args{Writer: Writer{InstanceClass: "db.r7g.large"}}.WithDefaults()
	assert.Equal(t, Writer{InstanceClass: "db.r7g.large"}, c.Writer)
}

func TestDefaultPeak(t *testing.T) {
	tests := []struct{ min, max, want int }{
		{1, 4, 2}, {3, 8, 3}, {0, 1, 1}, {0, 0, 0}, {1, 1, 1}, {2, 15, 2}, {0, 15, 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, DefaultPeak(tt.min, tt.max), "min %d max %d", tt.min, tt.max)
	}
}

func TestDescribe(t *testing.T) {
	lines, err := valid().Describe()
	require.NoError(t, err)
	assert.Equal(t, []string{
		"school day: weekdays 07:00-18:00 Pacific/Auckland = 18:00-05:00 UTC (NZDT) / 19:00-06:00 UTC (NZST)",
		"readers: 1-4, at least 2 during the school day; target reader CPU 70%",
		"writer: db.serverless 0.5-16 ACU",
		"engine: aurora-postgresql 16.6 (parameter family aurora-postgresql16), no Extended Support",
		"backups: daily 11:00-11:30 UTC, kept 7 days; maintenance: sat:12:00-sat:13:00 UTC",
	}, lines)

	a := valid()
	a.Writer = Writer{InstanceClass: "db.r7g.large"}
	lines, err = a.Describe()
	require.NoError(t, err)
	assert.Equal(t, "writer: db.r7g.large", lines[2])

	a.Schedule.TimeZone = "Nowhere/Atlantis"
	_, err = a.Describe()
	assert.ErrorContains(t, err, `Schedule.TimeZone "Nowhere/Atlantis"`)
}
