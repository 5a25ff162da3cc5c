// Command gendocs brings the generated parts of Pulumi.yaml (its config
// block) and README.md (the configuration table) up to date from the
// settings the components declare. Run it with `go generate ./stacks`.
package main

import (
	"fmt"
	"os"

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
	if changed {
		fmt.Println("gendocs: updated Pulumi.yaml and README.md from the settings")
	}
}
