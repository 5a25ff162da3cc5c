package engine

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Collector gathers output values from inside a program so that they can be
// read once the run is over. An output built from plain values (not from a
// resource) is not tracked by the run, so its value may arrive after the
// run returns: Wait is what makes reading it safe.
type Collector struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	values map[string]any
	names  []string
}

// Collect records the value of o under name, once it resolves.
func (c *Collector) Collect(name string, o pulumi.Output) {
	c.mu.Lock()
	if c.values == nil {
		c.values = map[string]any{}
	}
	c.names = append(c.names, name)
	c.mu.Unlock()
	c.wg.Add(1)
	o.ApplyT(func(v any) any {
		c.mu.Lock()
		c.values[name] = v
		c.mu.Unlock()
		c.wg.Done()
		return nil
	})
}

// Wait returns the collected values once every one has resolved, or an
// error naming those that did not resolve within timeout.
func (c *Collector) Wait(timeout time.Duration) (map[string]any, error) {
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		c.mu.Lock()
		defer c.mu.Unlock()
		var missing []string
		for _, n := range c.names {
			if _, ok := c.values[n]; !ok {
				missing = append(missing, n)
			}
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("engine: outputs never resolved: %v", missing)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]any, len(c.values))
	for k, v := range c.values {
		out[k] = v
	}
	return out, nil
}
