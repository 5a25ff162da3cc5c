package aurora

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMajorVersionAndFamily(t *testing.T) {
	tests := []struct {
		version string
		major   int
		family  string
	}{
		{"16.6", 16, "aurora-postgresql16"},
		{"16", 16, "aurora-postgresql16"},
		{"17.4", 17, "aurora-postgresql17"},
		{"15.10", 15, "aurora-postgresql15"}, // a valid shape; CheckEngineVersion refuses it
	}
	for _, tt := range tests {
		major, err := MajorVersion(tt.version)
		require.NoError(t, err, tt.version)
		assert.Equal(t, tt.major, major, tt.version)
		family, err := Family(tt.version)
		require.NoError(t, err, tt.version)
		assert.Equal(t, tt.family, family, tt.version)
	}
	for _, bad := range []string{"", "v16", "16.6.1", "16.", "sixteen", "16.x"} {
		_, err := MajorVersion(bad)
		assert.ErrorContains(t, err, `EngineVersion "`+bad+`"`, bad)
		_, err = Family(bad)
		assert.Error(t, err, bad)
	}
}

func TestCheckEngineVersion(t *testing.T) {
	for _, ok := range []string{"16.6", "16.1", "16", "17.4", "17"} {
		assert.NoError(t, CheckEngineVersion(ok), ok)
	}
	for _, bad := range []string{"15.10", "14.13", "13.9", "18.0", "11"} {
		assert.ErrorContains(t, CheckEngineVersion(bad), "use major 16 or 17", bad)
	}
}

func TestCheckACU(t *testing.T) {
	tests := []struct {
		min, max float64
		want     string // empty: accepted
	}{
		{0.5, 16, ""},
		{0, 1, ""},
		{0.5, 0.5, "Writer.MaxACU 0.5"},
		{256, 256, ""},
		{1.5, 2.5, ""},
		{0.3, 16, "Writer.MinACU 0.3"},
		{0.25, 16, "Writer.MinACU 0.25"},
		{-1, 16, "Writer.MinACU -1"},
		{0.5, 300, "Writer.MaxACU 300"},
		{0.5, 256.5, "Writer.MaxACU 256.5"},
		{0.5, 10.2, "Writer.MaxACU 10.2"},
		{0, 0, "Writer.MaxACU 0"},
		{32, 16, "Writer.MinACU 32 is above Writer.MaxACU 16"},
	}
	for _, tt := range tests {
		err := CheckACU(tt.min, tt.max)
		if tt.want == "" {
			assert.NoError(t, err, "%g-%g", tt.min, tt.max)
		} else {
			assert.ErrorContains(t, err, tt.want, "%g-%g", tt.min, tt.max)
		}
	}
}

func TestWriterCheck(t *testing.T) {
	assert.NoError(t, Writer{InstanceClass: "db.serverless", MinACU: 0.5, MaxACU: 16}.Check())
	for _, class := range []string{"db.r7g.large", "db.t4g.medium", "db.r6i.24xlarge", "db.x2g.xlarge"} {
		assert.NoError(t, Writer{InstanceClass: class}.Check(), class)
		assert.False(t, Writer{InstanceClass: class}.Serverless(), class)
	}
	for _, class := range []string{"", "r7g.large", "db.r7g", "DB.R7G.LARGE", "serverless"} {
		assert.ErrorContains(t, Writer{InstanceClass: class}.Check(), `Writer.InstanceClass "`+class+`"`, class)
	}
}
