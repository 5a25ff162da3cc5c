package observability

import (
	"encoding/json"
	"fmt"
)

// Dashboard layout: CloudWatch's grid is 24 units wide.
const (
	gridWidth    = 24
	widgetWidth  = 8
	widgetHeight = 6
)

// DashboardName is the country's dashboard: "edstack-nz".
func DashboardName(prefix string) string { return "edstack-" + prefix }

// DashboardBody is the dashboard's JSON: a title, then per group of alarms
// a heading and one graph per alarm with its threshold drawn, the same
// metric, statistic and period the alarm reads. alarms hold resolved
// dimension values (strings).
func DashboardBody(title, region string, alarms []Alarm) (string, error) {
	var widgets []map[string]any
	y := 0
	add := func(w map[string]any) { widgets = append(widgets, w) }
	add(map[string]any{"type": "text", "x": 0, "y": y, "width": gridWidth, "height": 2,
		"properties": map[string]any{"markdown": "# " + title + "\nEvery alarm of the stack, with its threshold. \"Operating a country\" in edstack's README says what each means and what to do first."}})
	y += 2
	group, x := "", 0
	for _, a := range alarms {
		if a.Group != group {
			if x > 0 {
				y += widgetHeight
			}
			group, x = a.Group, 0
			add(map[string]any{"type": "text", "x": 0, "y": y, "width": gridWidth, "height": 1,
				"properties": map[string]any{"markdown": "## " + group}})
			y++
		}
		metrics, err := widgetMetrics(a)
		if err != nil {
			return "", err
		}
		r := region
		if a.InUSEast1 {
			r = EdgeRegion
		}
		add(map[string]any{"type": "metric", "x": x, "y": y, "width": widgetWidth, "height": widgetHeight,
			"properties": map[string]any{
				"title": a.Title, "region": r, "view": "timeSeries", "period": a.Period, "metrics": metrics,
				"annotations": map[string]any{"horizontal": []any{map[string]any{
					"label": "alarm: " + a.Condition(), "value": a.Threshold}}},
			}})
		x += widgetWidth
		if x >= gridWidth {
			x, y = 0, y+widgetHeight
		}
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	return string(b), err
}

// widgetMetrics is a graph's metrics array: [namespace, name, dimension,
// value, ..., {options}] rows, and for an expression, the expression row
// then its inputs, hidden.
func widgetMetrics(a Alarm) ([]any, error) {
	row := func(m Metric, opts map[string]any) ([]any, error) {
		r := []any{m.Namespace, m.Name}
		for _, d := range m.Dimensions {
			v, ok := d.Value.(string)
			if !ok {
				return nil, fmt.Errorf("observability: alarm %s: dimension %s is not resolved", a.Name, d.Name)
			}
			r = append(r, d.Name, v)
		}
		opts["stat"] = m.Statistic
		return append(r, opts), nil
	}
	if a.Expression == "" {
		r, err := row(a.Metric, map[string]any{})
		return []any{r}, err
	}
	out := []any{[]any{map[string]any{"expression": a.Expression, "label": a.Label, "id": "e1"}}}
	for _, in := range a.Inputs {
		r, err := row(in.Metric, map[string]any{"id": in.ID, "visible": false})
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
