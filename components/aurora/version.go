package aurora

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Engine is the RDS engine of the cluster.
const Engine = "aurora-postgresql"

// SupportedMajors are the PostgreSQL majors a cluster may run: older majors
// reach the end of standard support and fall into paid RDS Extended Support.
var SupportedMajors = []int{16, 17}

// LifecycleSupport opts the cluster out of RDS Extended Support, so that a
// major that reaches the end of standard support is upgraded instead of
// billed extra.
const LifecycleSupport = "open-source-rds-extended-support-disabled"

var versionPattern = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]+))?$`)

// MajorVersion is the major of an Aurora PostgreSQL engine version: 16 for
// "16.6" or "16". It checks the shape only; see CheckEngineVersion for the
// majors edstack accepts.
func MajorVersion(version string) (int, error) {
	m := versionPattern.FindStringSubmatch(version)
	if m == nil {
		return 0, fmt.Errorf("EngineVersion %q is not an Aurora PostgreSQL version; use MAJOR.MINOR, e.g. \"16.6\"", version)
	}
	return strconv.Atoi(m[1])
}

// minorVersion is the minor of version, or -1 when version names a major only.
func minorVersion(version string) int {
	m := versionPattern.FindStringSubmatch(version)
	if m == nil || m[2] == "" {
		return -1
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// CheckEngineVersion says what is wrong with an engine version, or nil when
// its major is one of SupportedMajors.
func CheckEngineVersion(version string) error {
	major, err := MajorVersion(version)
	if err != nil {
		return err
	}
	for _, ok := range SupportedMajors {
		if major == ok {
			return nil
		}
	}
	lo, hi := SupportedMajors[0], SupportedMajors[len(SupportedMajors)-1]
	why := "older majors fall into paid RDS Extended Support"
	if major > hi {
		why = fmt.Sprintf("newer than edstack's parameter groups and settings, which are verified with %d and %d", lo, hi)
	}
	return fmt.Errorf("EngineVersion %q: major %d is not accepted (%s); use major %d or %d, e.g. \"16.6\"", version, major, why, lo, hi)
}

// Family is the cluster parameter group family of an engine version:
// "aurora-postgresql16" for "16.6".
func Family(version string) (string, error) {
	major, err := MajorVersion(version)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%d", Engine, major), nil
}

// ServerlessClass is the instance class of an Aurora Serverless v2 instance.
const ServerlessClass = "db.serverless"

// Serverless v2 capacity limits, in Aurora capacity units (ACU).
const (
	MinACULimit = 0.5 // the least capacity that does not pause
	MaxACULimit = 256
	ACUStep     = 0.5
)

// Default Serverless v2 capacity of the writer (and of the readers, which
// share the cluster's range).
const (
	DefaultMinACU = 0.5
	DefaultMaxACU = 16
)

// ProvisionedClasses are the provisioned instance classes of Aurora
// PostgreSQL 16 and 17 that edstack accepts, each family with the sizes it
// comes in (Aurora User Guide, "Supported DB engines for DB instance
// classes"). The burstable families come only in medium and large
// (db.t3.micro and the other small sizes are RDS-only); the Optimized Reads
// families (db.r6gd, db.r6id, db.r8gd) are left out until edstack sizes
// their local storage.
var ProvisionedClasses = map[string][]string{
	"db.r5":  sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"),
	"db.r6g": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"),
	"db.r6i": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"),
	"db.r7g": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"),
	"db.r7i": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"),
	"db.r8g": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"),
	"db.x2g": sizes("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"),
	"db.t3":  sizes("medium", "large"),
	"db.t4g": sizes("medium", "large"),
}

func sizes(s ...string) []string { return s }

// CheckInstanceClass says whether Aurora PostgreSQL offers class.
func CheckInstanceClass(class string) error {
	if class == ServerlessClass {
		return nil
	}
	family, size, _ := strings.Cut(strings.TrimPrefix(class, "db."), ".")
	if sizes, ok := ProvisionedClasses["db."+family]; ok && strings.HasPrefix(class, "db.") {
		if slices.Contains(sizes, size) {
			return nil
		}
		return fmt.Errorf("Aurora PostgreSQL does not offer db.%s in size %q; use one of %s", family, size, strings.Join(sizes, ", "))
	}
	families := make([]string, 0, len(ProvisionedClasses))
	for f := range ProvisionedClasses {
		families = append(families, f)
	}
	sort.Strings(families)
	return fmt.Errorf("Aurora PostgreSQL does not offer it; use %q (Serverless v2) or a provisioned class of %s, e.g. db.r7g.large",
		ServerlessClass, strings.Join(families, ", "))
}

// Serverless reports whether the writer is an Aurora Serverless v2 instance.
func (w Writer) Serverless() bool { return w.InstanceClass == ServerlessClass }

// Check says what is wrong with the writer, or nil. A provisioned class takes
// no capacity range: its size is the class.
func (w Writer) Check() error {
	if w.Serverless() {
		return CheckACU(w.MinACU, w.MaxACU)
	}
	if err := CheckInstanceClass(w.InstanceClass); err != nil {
		return fmt.Errorf("Writer.InstanceClass %q: %w", w.InstanceClass, err)
	}
	if w.MinACU != 0 || w.MaxACU != 0 {
		return fmt.Errorf("Writer.MinACU/MaxACU %g/%g: a capacity range applies only to %q, not to %q; leave them 0", w.MinACU, w.MaxACU, ServerlessClass, w.InstanceClass)
	}
	return nil
}

// CheckACU says what is wrong with a Serverless v2 capacity range, or nil:
// MinACU is 0 (the instance pauses when idle) or 0.5 to 256, MaxACU is 1 to
// 256, both in steps of 0.5, and MinACU <= MaxACU.
func CheckACU(minACU, maxACU float64) error {
	onStep := func(v float64) bool { return math.Mod(v, ACUStep) == 0 }
	switch {
	case !(minACU == 0 || (minACU >= MinACULimit && minACU <= MaxACULimit)) || !onStep(minACU):
		return fmt.Errorf("Writer.MinACU %g: use 0 (pause when idle) or %g to %d in steps of %g", minACU, MinACULimit, MaxACULimit, ACUStep)
	case maxACU < 1 || maxACU > MaxACULimit || !onStep(maxACU):
		return fmt.Errorf("Writer.MaxACU %g: use 1 to %d in steps of %g", maxACU, MaxACULimit, ACUStep)
	case minACU > maxACU:
		return fmt.Errorf("Writer.MinACU %g is above Writer.MaxACU %g: the minimum must not exceed the maximum", minACU, maxACU)
	}
	return nil
}
