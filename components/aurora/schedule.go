package aurora

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones resolve on hosts without a zoneinfo database
)

// SchoolDay is when the school traffic comes: the hours, in the country's
// time zone, during which the cluster keeps more readers.
type SchoolDay struct {
	// TimeZone is an IANA zone, e.g. "Pacific/Auckland". Required.
	TimeZone string
	// Start and End are local "HH:MM" (24-hour) times, Start before End.
	// Defaults "07:00" and "18:00".
	Start, End string
	// Days are the school days as the day-of-week field of a cron
	// expression: names SUN to SAT, as single days or ascending ranges,
	// separated by commas, e.g. "MON-FRI" (the default) or "MON-THU,SAT".
	Days string
}

// Defaults of a SchoolDay.
const (
	DefaultStart = "07:00"
	DefaultEnd   = "18:00"
	DefaultDays  = "MON-FRI"
)

func (s *SchoolDay) withDefaults() {
	if s.Start == "" {
		s.Start = DefaultStart
	}
	if s.End == "" {
		s.End = DefaultEnd
	}
	if s.Days == "" {
		s.Days = DefaultDays
	}
}

// Validate checks the zone, both times, their order and the days, and that
// the night between End and Start leaves room for the backup and
// maintenance windows (see Windows). It reports every problem at once.
func (s SchoolDay) Validate() error {
	var errs []error
	if s.TimeZone == "" {
		errs = append(errs, errors.New("Schedule.TimeZone is empty: use an IANA zone such as \"Pacific/Auckland\""))
	} else if _, err := time.LoadLocation(s.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("Schedule.TimeZone %q is not an IANA time zone; use e.g. \"Pacific/Auckland\" or \"Europe/London\"", s.TimeZone))
	}
	start, errStart := Minutes(s.Start)
	if errStart != nil {
		errs = append(errs, fmt.Errorf("Schedule.Start: %w", errStart))
	}
	end, errEnd := Minutes(s.End)
	if errEnd != nil {
		errs = append(errs, fmt.Errorf("Schedule.End: %w", errEnd))
	}
	if errStart == nil && errEnd == nil && start >= end {
		errs = append(errs, fmt.Errorf("Schedule.Start %q is not before Schedule.End %q: the school day starts and ends on the same day, e.g. \"07:00\" to \"18:00\"", s.Start, s.End))
	}
	if _, err := ParseDays(s.Days); err != nil {
		errs = append(errs, fmt.Errorf("Schedule.Days: %w", err))
	}
	if len(errs) == 0 {
		if _, err := s.Windows(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

var hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// Minutes is the minute of the day of a 24-hour "HH:MM" time: 420 for "07:00".
func Minutes(hhmm string) (int, error) {
	m := hhmmPattern.FindStringSubmatch(hhmm)
	if m == nil {
		return 0, fmt.Errorf("%q is not a 24-hour time; use \"HH:MM\" from \"00:00\" to \"23:59\", e.g. \"07:00\"", hhmm)
	}
	h, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	return h*60 + mm, nil
}

// weekdays in the order of the cron day-of-week field (SUN is 1).
var weekdays = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

func weekdayIndex(name string) (time.Weekday, bool) {
	for i, d := range weekdays {
		if d == name {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// ParseDays reads a cron day-of-week field of day names ("MON-FRI",
// "MON,WED,FRI", "MON-THU,SAT"; any case) into the set of days it names.
func ParseDays(days string) (map[time.Weekday]bool, error) {
	set := map[time.Weekday]bool{}
	bad := func(why string) error {
		return fmt.Errorf("%q %s; use day names SUN to SAT, single or as ascending ranges, separated by commas, e.g. \"MON-FRI\"", days, why)
	}
	if days == "" {
		return nil, bad("names no day")
	}
	for _, part := range strings.Split(strings.ToUpper(days), ",") {
		from, to, isRange := strings.Cut(part, "-")
		if !isRange {
			to = from
		}
		a, okA := weekdayIndex(from)
		b, okB := weekdayIndex(to)
		if !okA || !okB {
			return nil, bad(fmt.Sprintf("has %q, which is not a day or a range of days", part))
		}
		if a > b {
			return nil, bad(fmt.Sprintf("has the descending range %q", part))
		}
		for d := a; d <= b; d++ {
			set[d] = true
		}
	}
	return set, nil
}

// Cron is the Application Auto Scaling schedule of a local time on days:
// "cron(0 7 ? * MON-FRI *)" for "07:00" and "MON-FRI". The action's
// Timezone field makes the time local.
func Cron(hhmm, days string) (string, error) {
	minutes, err := Minutes(hhmm)
	if err != nil {
		return "", err
	}
	if _, err := ParseDays(days); err != nil {
		return "", err
	}
	return fmt.Sprintf("cron(%d %d ? * %s *)", minutes%60, minutes/60, strings.ToUpper(days)), nil
}

// Reference dates: a school day in January and one in July of a fixed year,
// so that a zone with daylight saving shows both of its offsets whichever
// hemisphere it is in, and every run gives the same answer.
var (
	January = time.Date(2025, time.January, 15, 12, 0, 0, 0, time.UTC) // a Wednesday
	July    = time.Date(2025, time.July, 15, 12, 0, 0, 0, time.UTC)    // a Tuesday
)

// local is the time hh:mm on date's calendar day in loc.
func local(date time.Time, minutes int, loc *time.Location) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), 0, minutes, 0, 0, loc)
}

// UTC gives the UTC times ("HH:MM") of Start and End on date's calendar day
// in the school day's zone, and the zone's abbreviation on that day.
func (s SchoolDay) UTC(date time.Time) (start, end, zone string, err error) {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return "", "", "", fmt.Errorf("Schedule.TimeZone %q: %w", s.TimeZone, err)
	}
	a, err := Minutes(s.Start)
	if err != nil {
		return "", "", "", err
	}
	b, err := Minutes(s.End)
	if err != nil {
		return "", "", "", err
	}
	startT := local(date, a, loc)
	zone, _ = startT.Zone()
	return startT.UTC().Format("15:04"), local(date, b, loc).UTC().Format("15:04"), zone, nil
}

// Describe renders the school day and its UTC hours in January and in July,
// e.g. "weekdays 07:00-18:00 Pacific/Auckland = 18:00-05:00 UTC (NZDT) /
// 19:00-06:00 UTC (NZST)". A zone without daylight saving shows one rendering.
func (s SchoolDay) Describe() (string, error) {
	s.withDefaults()
	days := strings.ToUpper(s.Days)
	if days == "MON-FRI" {
		days = "weekdays"
	}
	var utc []string
	for _, date := range []time.Time{January, July} {
		start, end, zone, err := s.UTC(date)
		if err != nil {
			return "", err
		}
		r := fmt.Sprintf("%s-%s UTC (%s)", start, end, zone)
		if len(utc) == 0 || utc[0] != r {
			utc = append(utc, r)
		}
	}
	return fmt.Sprintf("%s %s-%s %s = %s", days, s.Start, s.End, s.TimeZone, strings.Join(utc, " / ")), nil
}

// Windows are the cluster's daily backup window and weekly maintenance
// window, in UTC as RDS takes them ("hh24:mi-hh24:mi" and
// "ddd:hh24:mi-ddd:hh24:mi").
type Windows struct {
	Backup      string
	Maintenance string
}

// Lengths of the windows: RDS takes at least 30 minutes for either.
const (
	BackupWindowMinutes      = 30
	MaintenanceWindowMinutes = 60
	windowGapMinutes         = 30 // between the backup and the maintenance window
)

// Windows places the backup and maintenance windows in the middle of the
// local night (End to the next Start), where a one-hour daylight-saving
// shift keeps them in the night: UTC does not move with the clocks, so the
// windows are fixed in UTC from the zone's January offset, and checked
// against the school day at both the January and the July offset.
//
// The backup window ends at the middle of the night (rounded down to a half
// hour in UTC); maintenance starts 30 minutes later, for an hour, in the
// night before the first day that is not a school day (Sunday, then
// Saturday, then the others), so any restart falls outside school hours and
// outside the school week where it can.
func (s SchoolDay) Windows() (Windows, error) {
	s.withDefaults()
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return Windows{}, fmt.Errorf("Schedule.TimeZone %q: %w", s.TimeZone, err)
	}
	start, err := Minutes(s.Start)
	if err != nil {
		return Windows{}, err
	}
	end, err := Minutes(s.End)
	if err != nil {
		return Windows{}, err
	}
	schoolDays, err := ParseDays(s.Days)
	if err != nil {
		return Windows{}, err
	}
	night := start + 24*60 - end

	// The middle of the night that ends on the morning of the maintenance
	// day: that day's date minus one, at End plus half the night.
	day := maintenanceDay(schoolDays)
	ref := January
	for ref.Weekday() != day {
		ref = ref.AddDate(0, 0, 1)
	}
	middle := local(ref.AddDate(0, 0, -1), end+night/2, loc).UTC()
	middle = middle.Truncate(30 * time.Minute)

	backupEnd := middle
	if backupEnd.Hour() == 0 && backupEnd.Minute() == 0 {
		// "23:30-00:00" would cross midnight in UTC: move it half an hour
		// earlier rather than rely on RDS reading a window across days.
		backupEnd = backupEnd.Add(-30 * time.Minute)
	}
	backupStart := backupEnd.Add(-BackupWindowMinutes * time.Minute)
	maintStart := middle.Add(windowGapMinutes * time.Minute)
	maintEnd := maintStart.Add(MaintenanceWindowMinutes * time.Minute)

	w := Windows{
		Backup: backupStart.Format("15:04") + "-" + backupEnd.Format("15:04"),
		Maintenance: strings.ToLower(maintStart.Format("Mon:15:04")) + "-" +
			strings.ToLower(maintEnd.Format("Mon:15:04")),
	}
	// Both windows must miss the school day at either offset of the zone.
	for _, date := range []time.Time{January, July} {
		_, offset := local(date, 12*60, loc).Zone()
		for _, win := range []struct {
			name     string
			from, to time.Time
		}{{"backup", backupStart, backupEnd}, {"maintenance", maintStart, maintEnd}} {
			for t := win.from; t.Before(win.to); t = t.Add(time.Minute) {
				m := ((t.Hour()*60+t.Minute()+offset/60)%(24*60) + 24*60) % (24 * 60)
				if m >= start && m < end {
					return Windows{}, fmt.Errorf("Schedule %s-%s %s leaves a night of %d min, too short for the %d-minute %s window outside school hours at every time of year; end the school day earlier or start it later",
						s.Start, s.End, s.TimeZone, night, int(win.to.Sub(win.from).Minutes()), win.name)
				}
			}
		}
	}
	return w, nil
}

// maintenanceDay is the day whose early morning takes the maintenance
// window: Sunday, else Saturday, else the first day that is not a school
// day, else Sunday.
func maintenanceDay(schoolDays map[time.Weekday]bool) time.Weekday {
	for _, d := range []time.Weekday{time.Sunday, time.Saturday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		if !schoolDays[d] {
			return d
		}
	}
	return time.Sunday
}
