package api_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHandlers runs the default handlers' own tests (Node's built-in test
// runner), so that `go test ./...` covers the code the functions run.
func TestHandlers(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the handler tests need it")
	}
	out, err := exec.Command("bash", "handlers/test.sh").CombinedOutput()
	require.NoError(t, err, "handler tests failed:\n%s", out)
	require.Contains(t, string(out), "# fail 0")
}
