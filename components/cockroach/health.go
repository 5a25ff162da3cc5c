package cockroach

import (
	"fmt"
	"time"
)

// HealthCheck is the load balancer's readiness check of a node: HTTPS on the
// node's HTTP port, CockroachDB's /health?ready=1, which answers 503 while
// the node drains, is not live, or cannot reach a majority. It steers SQL
// traffic and nothing else (see HealthCheckGracePeriod).
type HealthCheck struct {
	Interval, Timeout           time.Duration
	HealthyThreshold, Unhealthy int
	Path                        string
}

// ReadinessCheck is the check every node's target carries. AWS requires the
// timeout to be below the interval; an HTTPS check defaults to a 10 s
// timeout, which a 5 s interval makes AWS refuse at create time, so both are
// set.
var ReadinessCheck = HealthCheck{
	Interval:         5 * time.Second,
	Timeout:          3 * time.Second,
	HealthyThreshold: 2,
	Unhealthy:        2,
	Path:             "/health?ready=1",
}

// Validate checks the limits AWS enforces on a target group's health check:
// interval 5-300 s, timeout 2-120 s and below the interval, thresholds 2-10.
func (h HealthCheck) Validate() error {
	switch {
	case h.Interval < 5*time.Second || h.Interval > 300*time.Second:
		return fmt.Errorf("health check interval %s: AWS takes 5s to 300s", h.Interval)
	case h.Timeout < 2*time.Second || h.Timeout > 120*time.Second:
		return fmt.Errorf("health check timeout %s: AWS takes 2s to 120s", h.Timeout)
	case h.Timeout >= h.Interval:
		return fmt.Errorf("health check timeout %s must be below its interval %s", h.Timeout, h.Interval)
	case h.HealthyThreshold < 2 || h.HealthyThreshold > 10 || h.Unhealthy < 2 || h.Unhealthy > 10:
		return fmt.Errorf("health check thresholds %d/%d: AWS takes 2 to 10", h.HealthyThreshold, h.Unhealthy)
	}
	return nil
}

// TimeToUnhealthy is the longest the load balancer keeps sending new
// connections to a node that has turned unready: the checks that must fail,
// one interval apart, the last of which may wait for its timeout.
func (h HealthCheck) TimeToUnhealthy() time.Duration {
	return time.Duration(h.Unhealthy)*h.Interval + h.Timeout
}

// HealthCheckGracePeriod is the node services' healthCheckGracePeriodSeconds:
// the largest ECS accepts (2^31-1 s, about 68 years). An ECS service behind a
// target group stops every task the group reports unhealthy once the grace
// period has passed, and stopping a node on Fargate destroys its store. A
// node is unready while it joins, while it drains and whenever its cluster
// lacks a majority, none of which a new, empty node would improve, so
// readiness steers traffic only. A node whose process dies is the start
// script's to restart, in the same task, with the same store; only when that
// fails does the task end (see start.sh).
const HealthCheckGracePeriod = 1<<31 - 1
