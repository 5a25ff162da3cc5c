package aurora

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCron(t *testing.T) {
	tests := []struct{ hhmm, days, want string }{
		{"07:00", "MON-FRI", "cron(0 7 ? * MON-FRI *)"},
		{"18:00", "MON-FRI", "cron(0 18 ? * MON-FRI *)"},
		{"08:30", "mon-thu", "cron(30 8 ? * MON-THU *)"},
		{"00:05", "SUN,SAT", "cron(5 0 ? * SUN,SAT *)"},
		{"23:59", "MON-WED,FRI", "cron(59 23 ? * MON-WED,FRI *)"},
	}
	for _, tt := range tests {
		got, err := Cron(tt.hhmm, tt.days)
		require.NoError(t, err, tt.hhmm)
		assert.Equal(t, tt.want, got)
	}
	for _, bad := range [][2]string{{"7am", "MON-FRI"}, {"7:00", "MON-FRI"}, {"24:00", "MON-FRI"}, {"07:60", "MON-FRI"},
		{"07:00", "WEEKDAYS"}, {"07:00", ""}, {"07:00", "FRI-MON"}, {"07:00", "1-5"}} {
		_, err := Cron(bad[0], bad[1])
		assert.Error(t, err, "%v", bad)
	}
}

func TestParseDays(t *testing.T) {
	days, err := ParseDays("MON-FRI")
	require.NoError(t, err)
	assert.Equal(t, map[time.Weekday]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}, days)
	days, err = ParseDays("sun,tue-wed")
	require.NoError(t, err)
	assert.Equal(t, map[time.Weekday]bool{time.Sunday: true, time.Tuesday: true, time.Wednesday: true}, days)
	_, err = ParseDays("MON-")
	assert.ErrorContains(t, err, `"MON-"`)
}

func TestMinutes(t *testing.T) {
	for hhmm, want := range map[string]int{"00:00": 0, "07:00": 420, "18:30": 1110, "23:59": 1439} {
		got, err := Minutes(hhmm)
		require.NoError(t, err)
		assert.Equal(t, want, got, hhmm)
	}
	for _, bad := range []string{"", "7am", "7:00", "07:00:00", "24:00", "12:60", " 07:00"} {
		_, err := Minutes(bad)
		assert.ErrorContains(t, err, fmt.Sprintf("%q", bad), bad)
	}
}

func TestSchoolDayUTC(t *testing.T) {
	tests := []struct {
		zone                     string
		date                     time.Time
		start, end, abbreviation string
	}{
		// Auckland is on daylight time in January (UTC+13), standard in July (UTC+12).
		{"Pacific/Auckland", January, "18:00", "05:00", "NZDT"},
		{"Pacific/Auckland", July, "19:00", "06:00", "NZST"},
		// London the other way round: GMT in January, BST (UTC+1) in July.
		{"Europe/London", January, "07:00", "18:00", "GMT"},
		{"Europe/London", July, "06:00", "17:00", "BST"},
		// No daylight saving.
		{"Asia/Singapore", January, "23:00", "10:00", "+08"},
		{"Asia/Kolkata", July, "01:30", "12:30", "IST"},
	}
	for _, tt := range tests {
		s := SchoolDay{TimeZone: tt.zone, Start: "07:00", End: "18:00"}
		start, end, zone, err := s.UTC(tt.date)
		require.NoError(t, err)
		assert.Equal(t, [3]string{tt.start, tt.end, tt.abbreviation}, [3]string{start, end, zone}, "%s %s", tt.zone, tt.date.Month())
	}
	_, _, _, err := SchoolDay{TimeZone: "Nowhere/Atlantis", Start: "07:00", End: "18:00"}.UTC(January)
	assert.ErrorContains(t, err, `Schedule.TimeZone "Nowhere/Atlantis"`)
}

func TestSchoolDayDescribe(t *testing.T) {
	tests := []struct {
		day  SchoolDay
		want string
	}{
		{SchoolDay{TimeZone: "Pacific/Auckland"},
			"weekdays 07:00-18:00 Pacific/Auckland = 18:00-05:00 UTC (NZDT) / 19:00-06:00 UTC (NZST)"},
		{SchoolDay{TimeZone: "Europe/London"},
			"weekdays 07:00-18:00 Europe/London = 07:00-18:00 UTC (GMT) / 06:00-17:00 UTC (BST)"},
		{SchoolDay{TimeZone: "America/Toronto", Start: "08:00", End: "16:30", Days: "MON-THU"},
			"MON-THU 08:00-16:30 America/Toronto = 13:00-21:30 UTC (EST) / 12:00-20:30 UTC (EDT)"},
		{SchoolDay{TimeZone: "Asia/Singapore"},
			"weekdays 07:00-18:00 Asia/Singapore = 23:00-10:00 UTC (+08)"},
	}
	for _, tt := range tests {
		got, err := tt.day.Describe()
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}

func TestSchoolDayValidate(t *testing.T) {
	assert.NoError(t, SchoolDay{TimeZone: "Pacific/Auckland", Start: "07:00", End: "18:00", Days: "MON-FRI"}.Validate())
	tests := []struct {
		day  SchoolDay
		want []string
	}{
		{SchoolDay{TimeZone: "Pacific/Auckland", Start: "7am", End: "18:00", Days: "MON-FRI"}, []string{`Schedule.Start: "7am"`}},
		{SchoolDay{TimeZone: "Pacific/Auckland", Start: "18:00", End: "07:00", Days: "MON-FRI"}, []string{`Schedule.Start "18:00"`, "not before"}},
		{SchoolDay{TimeZone: "Pacific/Nowhere", Start: "07:00", End: "18:00", Days: "MON-FRI"}, []string{`Schedule.TimeZone "Pacific/Nowhere"`}},
		{SchoolDay{TimeZone: "Pacific/Auckland", Start: "07:00", End: "18:00", Days: "Monday"}, []string{`Schedule.Days: "Monday"`}},
		{SchoolDay{Start: "", End: "", Days: ""}, []string{"Schedule.TimeZone is empty", "Schedule.Start", "Schedule.End", "Schedule.Days"}},
	}
	for _, tt := range tests {
		err := tt.day.Validate()
		require.Error(t, err, "%+v", tt.day)
		for _, w := range tt.want {
			assert.ErrorContains(t, err, w)
		}
	}
}

var (
	backupPattern      = regexp.MustCompile(`^([0-2][0-9]):([0-5][0-9])-([0-2][0-9]):([0-5][0-9])$`)
	maintenancePattern = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([0-2][0-9]):([0-5][0-9])-(mon|tue|wed|thu|fri|sat|sun):([0-2][0-9]):([0-5][0-9])$`)
)

// span is a window as instants: a backup window on date, a maintenance
// window in the week of date.
type span struct{ from, to time.Time }

func parseBackup(t *testing.T, w string, date time.Time) span {
	t.Helper()
	m := backupPattern.FindStringSubmatch(w)
	require.NotNil(t, m, "backup window %q", w)
	at := func(h, mm string) time.Time {
		hi, _ := strconv.Atoi(h) // "09": fmt.Sscan would read octal
		mi, _ := strconv.Atoi(mm)
		return time.Date(date.Year(), date.Month(), date.Day(), hi, mi, 0, 0, time.UTC)
	}
	s := span{at(m[1], m[2]), at(m[3], m[4])}
	require.True(t, s.to.After(s.from), "backup window %q does not cross midnight", w)
	return s
}

func parseMaintenance(t *testing.T, w string, date time.Time) span {
	t.Helper()
	m := maintenancePattern.FindStringSubmatch(w)
	require.NotNil(t, m, "maintenance window %q", w)
	at := func(day, h, mm string) time.Time {
		hi, _ := strconv.Atoi(h) // "09": fmt.Sscan would read octal
		mi, _ := strconv.Atoi(mm)
		d := time.Date(date.Year(), date.Month(), date.Day(), hi, mi, 0, 0, time.UTC)
		for strings.ToLower(d.Format("Mon")) != day {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	s := span{at(m[1], m[2], m[3]), at(m[4], m[5], m[6])}
	if !s.to.After(s.from) {
		s.to = s.to.AddDate(0, 0, 7)
	}
	return s
}

// inSchoolDay reports whether any minute of s falls in the school day,
// seen in the school day's zone.
func inSchoolDay(t *testing.T, s span, day SchoolDay, loc *time.Location) bool {
	start, err := Minutes(day.Start)
	require.NoError(t, err)
	end, err := Minutes(day.End)
	require.NoError(t, err)
	for at := s.from; at.Before(s.to); at = at.Add(time.Minute) {
		l := at.In(loc)
		if m := l.Hour()*60 + l.Minute(); m >= start && m < end {
			return true
		}
	}
	return false
}

func TestWindowsOutsideSchoolDay(t *testing.T) {
	zones := []string{"Pacific/Auckland", "Australia/Sydney", "Europe/London", "America/Toronto", "America/New_York",
		"Asia/Singapore", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "America/Los_Angeles", "UTC"}
	schedules := []SchoolDay{
		{},
		{Start: "06:00", End: "22:00"},
		{Start: "08:30", End: "15:15", Days: "MON-THU"},
		{Start: "07:00", End: "18:00", Days: "MON-SAT"},
		{Start: "07:00", End: "18:00", Days: "SUN-SAT"},
		{Start: "00:00", End: "12:00"},
		{Start: "12:00", End: "23:59"},
	}
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		for _, sd := range schedules {
			sd.TimeZone = zone
			sd.withDefaults()
			w, err := sd.Windows()
			require.NoError(t, err, "%+v", sd)
			schoolDays, err := ParseDays(sd.Days)
			require.NoError(t, err)
			// Every day of a January week and of a July week: both offsets.
			for _, ref := range []time.Time{January, July} {
				for i := range 7 {
					date := ref.AddDate(0, 0, i)
					b := parseBackup(t, w.Backup, date)
					assert.Equal(t, 30*time.Minute, b.to.Sub(b.from), w.Backup)
					assert.False(t, inSchoolDay(t, b, sd, loc), "%s %s-%s %s: backup %s on %s", zone, sd.Start, sd.End, sd.Days, w.Backup, date.Format("Jan 2"))
				}
				m := parseMaintenance(t, w.Maintenance, ref)
				assert.Equal(t, time.Hour, m.to.Sub(m.from), w.Maintenance)
				assert.False(t, inSchoolDay(t, m, sd, loc), "%s %+v: maintenance %s", zone, sd, w.Maintenance)
				// Maintenance is in the night before a day without school,
				// when there is one.
				if len(schoolDays) < 7 {
					morning := m.from.In(loc)
					if morning.Hour()*60+morning.Minute() >= 12*60 {
						morning = morning.AddDate(0, 0, 1)
					}
					assert.False(t, schoolDays[morning.Weekday()], "%s %+v: maintenance %s ends the night before %s", zone, sd, w.Maintenance, morning.Weekday())
				}
				// The windows do not overlap on the maintenance day.
				b := parseBackup(t, w.Backup, m.from)
				assert.False(t, b.from.Before(m.to) && m.from.Before(b.to), "%s %+v: %s and %s overlap", zone, sd, w.Backup, w.Maintenance)
			}
		}
	}
}

func TestWindows(t *testing.T) {
	tests := []struct {
		zone                string
		backup, maintenance string
	}{
		// The middle of the night (00:30 local) is 11:30 UTC in January
		// (NZDT) and 12:30 in July (NZST); Sunday's early hours are Saturday UTC.
		{"Pacific/Auckland", "11:00-11:30", "sat:12:00-sat:13:00"},
		{"Europe/London", "00:00-00:30", "sun:01:00-sun:02:00"},
		// 00:30 Eastern is 05:30 UTC in January.
		{"America/New_York", "05:00-05:30", "sun:06:00-sun:07:00"},
	}
	for _, tt := range tests {
		w, err := SchoolDay{TimeZone: tt.zone}.Windows()
		require.NoError(t, err)
		assert.Equal(t, Windows{Backup: tt.backup, Maintenance: tt.maintenance}, w, tt.zone)
	}
	// A school day from 23:30 local in UTC+0 puts the middle of the night
	// at 00:00 UTC; the backup window moves back rather than cross midnight.
	w, err := SchoolDay{TimeZone: "UTC", Start: "00:30", End: "19:30"}.Windows()
	require.NoError(t, err)
	assert.Equal(t, "21:30-22:00", w.Backup)

	_, err = SchoolDay{TimeZone: "Europe/London", Start: "01:00", End: "23:30"}.Windows()
	assert.ErrorContains(t, err, "too short")
}
