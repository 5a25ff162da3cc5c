package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// secretName matches environment variable names that would hold secrets.
var secretName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET_KEY|PRIVATE_KEY|TOKEN|CREDENTIAL|API_KEY)`)

func computeRules() []Rule {
	return []Rule{{
		ID: "EDS-ECS-1", Severity: High, Level: Mandatory,
		Title:     "Containers run unprivileged in awsvpc network mode",
		Rationale: "A privileged container or the host's network breaks the isolation between tasks.",
		Fix:       "Leave privileged unset and use networkMode awsvpc (Fargate's only mode).",
		Peers:     []string{"Checkov CKV_AWS_334", "Security Hub ECS.4", "Security Hub ECS.1"},
		Types:     []string{tTaskDef},
		Check: func(ix *Index) []Violation {
			return each(ix, tTaskDef, func(t *R) string {
				if m := t.Str("networkMode"); m != "awsvpc" {
					return fmt.Sprintf("%s uses network mode %q", t.Name, m)
				}
				for _, c := range containers(t) {
					if c["privileged"] == true {
						return fmt.Sprintf("%s: container %v is privileged", t.Name, c["name"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ECS-2", Severity: Medium, Level: Advisory,
		Title:     "Containers have a read-only root filesystem",
		Rationale: "An attacker in the container cannot alter its binaries; only the mounted data paths can be written.",
		Fix:       "Set readonlyRootFilesystem true and mount a task volume at each path the container writes.",
		Peers:     []string{"Checkov CKV_AWS_336", "Security Hub ECS.5"},
		Types:     []string{tTaskDef},
		Check: func(ix *Index) []Violation {
			return each(ix, tTaskDef, func(t *R) string {
				for _, c := range containers(t) {
					if c["readonlyRootFilesystem"] != true {
						return fmt.Sprintf("%s: container %v can write its root filesystem", t.Name, c["name"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ECS-3", Severity: Low, Level: Advisory,
		Title:     "ECS clusters have Container Insights on",
		Rationale: "Per-task CPU, memory and restarts are what tells a Spot interruption from a sick node.",
		Fix:       "Set the cluster setting containerInsights to enabled.",
		Peers:     []string{"Checkov CKV_AWS_65", "cdk-nag AwsSolutions-ECS4", "Security Hub ECS.12"},
		Types:     []string{tECSCluster},
		Check: func(ix *Index) []Violation {
			return each(ix, tECSCluster, func(c *R) string {
				for _, s := range c.List("settings") {
					if m, _ := s.(map[string]any); m["name"] == "containerInsights" && m["value"] != "disabled" {
						return ""
					}
				}
				return c.Name + " has no Container Insights"
			})
		},
	}, {
		ID: "EDS-ECS-4", Severity: High, Level: Mandatory,
		Title:     "ECS services get no public IP address",
		Rationale: "Database nodes must never be addressable from the internet.",
		Fix:       "Set networkConfiguration.assignPublicIp false and use private subnets.",
		Peers:     []string{"Checkov CKV_AWS_333", "Security Hub ECS.2"},
		Types:     []string{tECSService},
		Check: func(ix *Index) []Violation {
			return each(ix, tECSService, func(s *R) string {
				if s.Bool("networkConfiguration", "assignPublicIp") {
					return s.Name + " assigns a public IP"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ECS-5", Severity: High, Level: Mandatory,
		Title:     "Containers take secrets from Secrets Manager, not from plain environment variables",
		Rationale: "Environment values are readable by anyone who can describe the task definition.",
		Fix:       "Move the value to Secrets Manager and reference it in the container's secrets.",
		Peers:     []string{"cdk-nag AwsSolutions-ECS2", "Security Hub ECS.8"},
		Types:     []string{tTaskDef},
		Check: func(ix *Index) []Violation {
			return each(ix, tTaskDef, func(t *R) string {
				for _, c := range containers(t) {
					for _, e := range asList(c["environment"]) {
						m, _ := e.(map[string]any)
						if name := fmt.Sprint(m["name"]); secretName.MatchString(name) {
							return fmt.Sprintf("%s: container %v has %s in its environment", t.Name, c["name"], name)
						}
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ECS-6", Severity: Medium, Level: Advisory,
		Title:     "Containers log to CloudWatch Logs",
		Rationale: "A Fargate task's disk is gone when it stops; its logs must already be elsewhere.",
		Fix:       "Give each container a logConfiguration with the awslogs driver.",
		Peers:     []string{"cdk-nag AwsSolutions-ECS7", "Security Hub ECS.9"},
		Types:     []string{tTaskDef},
		Check: func(ix *Index) []Violation {
			return each(ix, tTaskDef, func(t *R) string {
				for _, c := range containers(t) {
					lc, _ := c["logConfiguration"].(map[string]any)
					if lc["logDriver"] != "awslogs" && lc["logDriver"] != "awsfirelens" {
						return fmt.Sprintf("%s: container %v does not log to CloudWatch", t.Name, c["name"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ECS-7", Severity: Medium, Level: Advisory,
		Title:     "Fargate services pin platform version 1.4.0 or LATEST",
		Rationale: "Older platform versions lack ephemeral storage sizing and security fixes.",
		Fix:       "Set platformVersion to 1.4.0 or LATEST.",
		Peers:     []string{"Checkov CKV_AWS_332", "Security Hub ECS.10"},
		Types:     []string{tECSService},
		Check: func(ix *Index) []Violation {
			return each(ix, tECSService, func(s *R) string {
				if v := s.Str("platformVersion"); v != "" && v != "1.4.0" && v != "LATEST" {
					return fmt.Sprintf("%s runs platform %s", s.Name, v)
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CRDB-1", Severity: High, Level: Mandatory,
		Title:     "CockroachDB nodes are spread evenly over at least three availability zones",
		Rationale: "With replicas over three zones a range keeps its majority through a zone outage or a zone's Spot reclaim.",
		Fix:       "Place node i in zone i mod 3 (edstack:availabilityZones with three zones).",
		Types:     []string{tECSService, tDiscovery, tNamespace},
		Check: func(ix *Index) []Violation {
			perZone := map[string]int{}
			var first *R
			for _, s := range ix.Of(tECSService) {
				if first == nil {
					first = s
				}
				for _, sub := range s.List("networkConfiguration", "subnets") {
					if subnet := ix.Ref(sub); subnet != nil {
						perZone[subnet.Str("availabilityZone")]++
					}
				}
			}
			if first == nil {
				return nil
			}
			lo, hi := -1, 0
			for _, n := range perZone {
				if lo < 0 || n < lo {
					lo = n
				}
				hi = max(hi, n)
			}
			if len(perZone) < 3 || hi-lo > 1 {
				return []Violation{{URN: first.URN, Message: fmt.Sprintf("nodes per zone %v: use three zones, evenly", perZone)}}
			}
			return nil
		},
	}, {
		ID: "EDS-CRDB-2", Severity: Medium, Level: Mandatory,
		Title:     "Nodes on Fargate Spot get the whole two-minute notice to drain",
		Rationale: "Spot sends SIGTERM two minutes before the stop; a shorter stopTimeout kills a node mid-drain.",
		Fix:       "Set the container's stopTimeout to 120 s.",
		Types:     []string{tTaskDef, tCapacity},
		Check: func(ix *Index) []Violation {
			spot := false
			for _, c := range ix.Of(tCapacity) {
				spot = spot || has(c.List("capacityProviders"), "FARGATE_SPOT")
			}
			if !spot {
				return nil
			}
			return each(ix, tTaskDef, func(t *R) string {
				for _, c := range containers(t) {
					if n, _ := c["stopTimeout"].(float64); n < 120 {
						return fmt.Sprintf("%s: container %v stops %v s after SIGTERM", t.Name, c["name"], c["stopTimeout"])
					}
				}
				return ""
			})
		},
	}, {
		ID: "EDS-CRDB-3", Severity: High, Level: Mandatory,
		Title:     "Node services roll one node at a time, each behind its gate",
		Rationale: "Replacing two nodes at once can take two replicas of a range; the gate waits until no range is under-replicated.",
		Fix:       "One task per service (desiredCount 1, deploymentMaximumPercent 100) and a dependency on the node's gate invocation.",
		Types:     []string{tECSService, tInvocation},
		Check: func(ix *Index) []Violation {
			gates := map[string]bool{}
			for _, g := range ix.Of(tInvocation) {
				gates[g.URN] = true
			}
			return each(ix, tECSService, func(s *R) string {
				if n, _ := s.Num("desiredCount"); n != 1 {
					return fmt.Sprintf("%s runs %v tasks", s.Name, n)
				}
				if n, _ := s.Num("deploymentMaximumPercent"); n > 100 {
					return fmt.Sprintf("%s starts a second task during a deployment (maximum %v%%)", s.Name, n)
				}
				for _, d := range s.Dependencies {
					if gates[d] {
						return ""
					}
				}
				return s.Name + " does not wait for a roll gate"
			})
		},
	}, {
		ID: "EDS-CRDB-4", Severity: Critical, Level: Mandatory,
		Title:     "CockroachDB runs in secure mode",
		Rationale: "--insecure turns off TLS and authentication for every client.",
		Fix:       "Never pass --insecure; nodes take their certificates from Secrets Manager.",
		Types:     []string{tTaskDef},
		Check: func(ix *Index) []Violation {
			return each(ix, tTaskDef, func(t *R) string {
				if strings.Contains(t.Str("containerDefinitions"), "--insecure") {
					return t.Name + " starts CockroachDB with --insecure"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ELB-1", Severity: High, Level: Mandatory,
		Title:     "Load balancers are internal",
		Rationale: "The SQL load balancer fronts the student database; only the VPC may reach it.",
		Fix:       "Set internal true.",
		Types:     []string{tLB},
		Check: func(ix *Index) []Violation {
			return each(ix, tLB, func(lb *R) string {
				if !lb.Bool("internal") {
					return lb.Name + " faces the internet"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ELB-2", Severity: Medium, Level: Advisory,
		Title:     "Load balancers have deletion protection",
		Rationale: "Deleting the SQL load balancer cuts every function off the database.",
		Fix:       "Set enableDeletionProtection (edstack:protectData does).",
		Peers:     []string{"Checkov CKV_AWS_150", "Security Hub ELB.6"},
		Types:     []string{tLB},
		Check: func(ix *Index) []Violation {
			return each(ix, tLB, func(lb *R) string {
				if !lb.Bool("enableDeletionProtection") {
					return lb.Name + " can be deleted"
				}
				return ""
			})
		},
	}, {
		ID: "EDS-ELB-3", Severity: Medium, Level: Mandatory,
		Title:     "Target group health checks time out before their interval, and listeners forward to them",
		Rationale: "AWS refuses a health check whose timeout is not below its interval, at create time.",
		Fix:       "Keep healthCheck.timeout below healthCheck.interval; forward each listener to a target group of this stack.",
		Peers:     []string{"Checkov CKV_AWS_152"},
		Types:     []string{tTargetGroup, tListener},
		Check: func(ix *Index) []Violation {
			out := each(ix, tTargetGroup, func(tg *R) string {
				timeout, ok1 := tg.Num("healthCheck", "timeout")
				interval, ok2 := tg.Num("healthCheck", "interval")
				if ok1 && ok2 && timeout >= interval {
					return fmt.Sprintf("%s: health check timeout %v s is not below its interval %v s", tg.Name, timeout, interval)
				}
				return ""
			})
			return append(out, each(ix, tListener, func(l *R) string {
				for _, a := range l.List("defaultActions") {
					m, _ := a.(map[string]any)
					if ix.Ref(m["targetGroupArn"]) != nil {
						return ""
					}
				}
				return l.Name + " forwards to no target group of this stack"
			})...)
		},
	}}
}
