package newcountry

import (
	"fmt"
	"os"
	"path/filepath"

	"edstack/components/cockroach"
	"edstack/stacks"
)

// The README's runbook lies between these markers.
const (
	runbookBegin = "<!-- runbook:begin: generated from newcountry/checklist.go by `go generate ./stacks`; do not edit -->\n"
	runbookEnd   = "<!-- runbook:end -->\n"
)

// Runbook is the README's runbook: the checklist new-country prints, for a
// country not yet chosen.
func Runbook() string {
	code := "<code>"
	f := Facts{
		Code: code, Region: "<region>", Domain: "<domain>",
		ZoneURN: "urn:pulumi:" + code + "::edstack::edstack:index:CountryStack$edstack:edge:Edge$aws:route53/zone:Zone::" + code + "-edge-zone",
		DNSSEC:  true,
	}
	f.SpotVCPU, f.OnDemandVCPU = fargateVCPUs(cockroach.DefaultNodes, 0, cockroach.DefaultCPU)
	return Markdown(Steps(f)) + "\n"
}

// UpdateRunbook rewrites the runbook in dir's README.md; it reports
// whether anything changed.
func UpdateRunbook(dir string) (bool, error) {
	path := filepath.Join(dir, "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	text, err := stacks.Between(string(b), runbookBegin, runbookEnd, Runbook())
	if err != nil {
		return false, fmt.Errorf("runbook: %w", err)
	}
	if text == string(b) {
		return false, nil
	}
	return true, os.WriteFile(path, []byte(text), 0o644)
}
