package version

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// What GET / of these releases reports, as published.
func TestBuildOf(t *testing.T) {
	for _, c := range []struct {
		v    string
		want Build
	}{
		{"8.4.0", Build{"9.3.0", "7.17.0", "7.0.0"}},
		{"8.5.2", Build{"9.4.1", "7.17.0", "7.0.0"}},
		{"8.5.3", Build{"9.4.2", "7.17.0", "7.0.0"}},
		{"8.6.2", Build{"9.4.2", "7.17.0", "7.0.0"}},
		{"8.12.0", Build{"9.9.1", "7.17.0", "7.0.0"}},
		{"8.12.1", Build{"9.9.2", "7.17.0", "7.0.0"}},
		{"8.14.3", Build{"9.10.0", "7.17.0", "7.0.0"}},
		{"8.18.0", Build{"9.12.1", "7.17.0", "7.0.0"}},
		{"8.19.14", Build{"9.12.2", "7.17.0", "7.0.0"}},
		{"9.0.3", Build{"10.1.0", "8.18.0", "8.0.0"}},
		{"9.1.5", Build{"10.2.2", "8.19.0", "8.0.0"}},
		{"9.2.1", Build{"10.3.1", "8.19.0", "8.0.0"}},
		{"9.2.2", Build{"10.3.2", "8.19.0", "8.0.0"}},
		{"9.3.0", Build{"10.3.2", "8.19.0", "8.0.0"}},
	} {
		assert.Equal(t, c.want, BuildOf(MustCheck(c.v)), c.v)
	}
}
