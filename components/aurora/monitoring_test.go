package aurora

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidMonitoringInterval(t *testing.T) {
	for _, ok := range []int{0, 1, 5, 10, 15, 30, 60} {
		assert.True(t, validMonitoringInterval(ok), ok)
	}
	for _, bad := range []int{-1, 2, 3, 20, 45, 61, 120, 300} {
		assert.False(t, validMonitoringInterval(bad), bad)
	}
	assert.Equal(t, "0, 1, 5, 10, 15, 30, 60", intervalChoices())
}

func TestMonitoringDocuments(t *testing.T) {
	tests := []struct{ region, account string }{
		{"ap-southeast-2", "123456789012"},
		{"eu-west-2", "210987654321"},
	}
	for _, tt := range tests {
		trust := monitoringTrust(tt.account)
		assert.Equal(t, map[string]map[string]any{"StringEquals": {"aws:SourceAccount": tt.account}}, trust.Statement[0].Condition)
		assert.Equal(t, map[string]any{"Service": "monitoring.rds.amazonaws.com"}, trust.Statement[0].Principal)

		doc := monitoringPolicy(tt.region, tt.account)
		groups := "arn:aws:logs:" + tt.region + ":" + tt.account + ":log-group:RDS*"
		assert.Equal(t, []string{groups}, doc.Statement[0].Resource)
		assert.Equal(t, []string{groups + ":log-stream:*"}, doc.Statement[1].Resource)
		for _, st := range doc.Statement {
			assert.Equal(t, "Allow", st.Effect)
			for _, r := range st.Resource {
				assert.NotContains(t, r, "*:*", "scoped to the region and account")
			}
		}
	}
}
