// Package nodetest runs JavaScript tests under Node's built-in test runner
// from a Go test, so that `go test ./...` covers the code the Lambda
// functions run.
package nodetest

import (
	"os/exec"
	"strings"
	"testing"
)

// Run runs node --test over files (relative to the calling test's package),
// skipping when Node.js is not installed, and fails t unless every test
// passed.
func Run(t *testing.T, files ...string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the JavaScript tests need it")
	}
	out, err := exec.Command("node", append([]string{"--test"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("JavaScript tests failed: %v\n%s", err, out)
	}
	if !strings.Contains("\n"+string(out), "\n# fail 0\n") {
		t.Fatalf("JavaScript tests did not report zero failures:\n%s", out)
	}
}
