package iam

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssumeRole(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(AssumeRole("lambda.amazonaws.com").JSON()), &doc))
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Action":    []any{"sts:AssumeRole"},
		}},
	}, doc)
}

func TestPolicyRoundTrip(t *testing.T) {
	in := Policy(Allow("Read", []string{"s3:GetObject"}, "arn:aws:s3:::b/*"))
	out, err := Parse(in.JSON())
	require.NoError(t, err)
	assert.Equal(t, in, out)
	_, err = Parse("{")
	assert.ErrorContains(t, err, "iam: parse policy document")
}
