package version

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for _, s := range []string{"8.4.0", "8.13.2", "9.3.0", "10.0.0", "0.0.0", "8.19.120"} {
		v, err := Parse(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, v.String())
	}
	for _, s := range []string{"", "8", "8.13", "8.13.0.1", "v8.13.0", "8.13.x", "08.13.0", "8.013.0", "8.13.0-SNAPSHOT",
		" 8.13.0", "8.13.0 ", "8..0", "-8.13.0", "8.13.+1", "99999999999999999999.0.0"} {
		_, err := Parse(s)
		require.Error(t, err, "%q", s)
		assert.True(t, errors.Is(err, ErrMalformed), "%q: %v", s, err)
		assert.Contains(t, err.Error(), `"8.13.0"`, "the error shows the form wanted")
	}
}

func TestCheckNamesTheSupportedRange(t *testing.T) {
	for _, s := range []string{"8.4.0", "8.4.3", "8.12.99", "8.19.7", "9.0.0", "9.3.0", "9.3.12"} {
		v, err := Check(s)
		require.NoError(t, err, s)
		assert.True(t, v.Supported())
	}
	for _, s := range []string{"8.3.3", "8.20.0", "9.4.0", "7.17.28", "10.0.0", "8.0.0"} {
		_, err := Check(s)
		require.Error(t, err, s)
		assert.True(t, errors.Is(err, ErrUnsupported), "%s: %v", s, err)
		assert.Equal(t, "unsupported Elasticsearch release "+s+"; the supported releases are 8.4.0 to 9.3.x", err.Error())
	}
	_, err := Check("8.13")
	require.ErrorIs(t, err, ErrMalformed)
	assert.True(t, strings.HasSuffix(err.Error(), "; the supported releases are 8.4.0 to 9.3.x"), err.Error())
	assert.Panics(t, func() { MustCheck("9.4.0") })
}

func TestCompare(t *testing.T) {
	ordered := []string{"8.4.0", "8.4.3", "8.5.0", "8.9.2", "8.10.0", "8.12.1", "8.13.0", "8.13.2", "8.19.0", "9.0.0", "9.2.2", "9.3.0"}
	for i, a := range ordered {
		for j, b := range ordered {
			va, vb := MustCheck(a), MustCheck(b)
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			assert.Equal(t, want, va.Compare(vb), "%s vs %s", a, b)
			assert.Equal(t, i < j, va.Before(vb), "%s before %s", a, b)
			assert.Equal(t, i >= j, va.AtLeast(vb), "%s at least %s", a, b)
		}
	}
}

func TestPreviousMinor(t *testing.T) {
	assert.Equal(t, Version{}, rel(8, 4, 2).previousMinor())
	assert.Equal(t, rel(8, 4, 0), rel(8, 5, 3).previousMinor())
	assert.Equal(t, rel(8, 19, 0), rel(9, 0, 1).previousMinor(), "8.19 is the minor line before 9.0")
	assert.Equal(t, rel(9, 2, 0), Newest.previousMinor())
}
