package setting

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSetting(t *testing.T) {
	tests := []struct {
		name              string
		s                 Setting
		defaultText, want string
		problems          int
	}{
		{"integer range", Setting{Key: "ns:n", Type: Integer, Default: 12, Min: 3, Max: 99, What: "a count", Summary: "s", Doc: "d"}, "12", "3 to 99", 0},
		{"accepts wins", Setting{Key: "ns:n", Type: Integer, Default: 0, Min: 0, Max: 9, What: "a count", Accepts: "`0` (auto) or 3 to 9", Summary: "s", Doc: "d"}, "0", "0 (auto) or 3 to 9", 0},
		{"empty string", Setting{Key: "ns:s", Type: String, Default: "", Accepts: "x", Summary: "s", Doc: "d"}, `""`, "x", 0},
		{"list", Setting{Key: "ns:l", Type: Integers, Default: []int{}, Accepts: "x", Summary: "s", Doc: "d"}, "[]", "x", 0},
		{"boolean", Setting{Key: "ns:b", Type: Boolean, Default: true, Summary: "s", Doc: "d"}, "true", "true or false", 0},
		{"required", Setting{Key: "ns:r", Type: String, Accepts: "x", Summary: "s", Doc: "d"}, "", "x", 0},
		{"default outside range", Setting{Key: "ns:n", Type: Integer, Default: 1, Min: 3, Max: 99, What: "a count", Summary: "s", Doc: "d"}, "1", "3 to 99", 1},
		{"default of another type", Setting{Key: "ns:n", Type: Integer, Default: "12", Min: 3, Max: 99, What: "a count", Summary: "s", Doc: "d"}, "12", "3 to 99", 1},
		{"no namespace, no docs, no what", Setting{Key: "n", Type: Integer, Default: 5, Min: 3, Max: 9}, "5", "3 to 9", 3},
		{"says nothing of what it accepts", Setting{Key: "ns:s", Type: String, Default: "a", Summary: "s", Doc: "d"}, "a", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.defaultText, tt.s.DefaultText())
			if tt.s.Default == "" {
				assert.Equal(t, "", tt.s.DefaultValue())
			} else {
				assert.Equal(t, tt.defaultText, tt.s.DefaultValue())
			}
			assert.Equal(t, tt.want, tt.s.Want())
			assert.Len(t, tt.s.Check(), tt.problems, "%v", tt.s.Check())
		})
	}
}
