package logs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidRetention(t *testing.T) {
	for _, d := range []int{1, 7, 90, 365, 3653} {
		assert.True(t, ValidRetention(d), d)
	}
	for _, d := range []int{0, -1, 2, 10, 100, 4000} {
		assert.False(t, ValidRetention(d), d)
	}
	assert.Contains(t, RetentionChoices(), "1, 3, 5, 7, 14, 30")
}
