package cockroach

import _ "embed"

// StartScript is the node container's command: it writes the TLS material,
// finds the node's zone and name, starts cockroach with this deployment's
// flags, forwards SIGTERM so the node drains, and on node 0 initializes and
// bootstraps the cluster. See start.sh.
//
//go:embed start.sh
var StartScript string
