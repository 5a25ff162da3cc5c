package cockroach_test

import (
	"testing"

	"edstack/internal/nodetest"
)

// TestGateHandler runs the roll gate's own tests, so that `go test ./...`
// covers the code the function runs.
func TestGateHandler(t *testing.T) {
	nodetest.Run(t, "gate/index.test.mjs")
}
