package cockroach_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGateHandler runs the roll gate's own tests (Node's built-in test
// runner), so that `go test ./...` covers the code the function runs.
func TestGateHandler(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the gate's tests need it")
	}
	out, err := exec.Command("node", "--test", "gate/index.test.mjs").CombinedOutput()
	require.NoError(t, err, "gate tests failed:\n%s", out)
	require.Contains(t, string(out), "# fail 0")
}
