package cost

import (
	"fmt"
	"math"
	"strings"
)

// Dollars writes an amount in dollars to the cent, with thousands
// separators: "$1,234.50", "-$93.44".
func Dollars(v float64) string {
	sign := ""
	if v < 0 {
		sign = "-"
	}
	s := fmt.Sprintf("%.2f", math.Abs(v))
	dot := strings.IndexByte(s, '.')
	for i := dot - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + "$" + s
}

// Change writes a change of an amount: "+$313.06", "-$45.00", "±$0".
func Change(v float64) string {
	switch {
	case v > 0:
		return "+" + Dollars(v)
	case v < 0:
		return Dollars(v)
	}
	return "±$0"
}
