package api_test

import (
	"testing"

	"edstack/internal/nodetest"
)

// TestHandlers runs the default handlers' own tests, so that `go test ./...`
// covers the code the functions run.
func TestHandlers(t *testing.T) {
	nodetest.Run(t, "handlers/api/index.test.mjs", "handlers/worker/index.test.mjs", "handlers/origin/index.test.mjs")
}
