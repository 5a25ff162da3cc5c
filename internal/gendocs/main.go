// Command gendocs brings the generated parts of Pulumi.yaml (its config
// block) and README.md (the tables of settings, countries, regions and
// alarms, and the new-country runbook) up to date from the code that owns
// them. Run it with `go generate ./stacks`.
package main

import (
	"fmt"
	"os"

	"edstack/newcountry"
	"edstack/stacks"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	changed, err := stacks.UpdateDocs(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	runbook, err := newcountry.UpdateRunbook(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	if changed || runbook {
		fmt.Println("gendocs: updated Pulumi.yaml and README.md")
	}
}
