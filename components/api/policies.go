package api

import policy "edstack/components/iam"

// APIPolicy lets the API function enqueue jobs, read the database
// connections and read and write user content, and with a customer managed
// key (keyArn, "" for none) make the data keys that sending to the queue
// and putting objects take: nothing else.
func APIPolicy(queueArn, bucketArn, keyArn string, secretArns []string) policy.Document {
	return policy.Policy(append([]policy.Statement{
		policy.Allow("EnqueueJobs", []string{"sqs:SendMessage"}, queueArn),
		policy.Allow("ReadDatabaseConnection", []string{"secretsmanager:GetSecretValue"}, secretArns...),
		policy.Allow("ListUserContent", []string{"s3:ListBucket"}, bucketArn),
		policy.Allow("ReadWriteUserContent", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, bucketArn+"/*"),
	}, policy.KeyStatements(keyArn, true)...)...)
}

// WorkerPolicy lets the worker consume the work queue and read the database
// connections.
func WorkerPolicy(queueArn string, secretArns []string) policy.Document {
	return policy.Policy(
		policy.Allow("ConsumeJobs", []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
			"sqs:ChangeMessageVisibility"}, queueArn),
		policy.Allow("ReadDatabaseConnection", []string{"secretsmanager:GetSecretValue"}, secretArns...),
	)
}

// DenyInsecureQueueAccess refuses every request to a queue that does not use TLS.
func DenyInsecureQueueAccess(queueArn string) policy.Document {
	return policy.Policy(policy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"sqs:*"},
		Resource:  []string{queueArn},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}
