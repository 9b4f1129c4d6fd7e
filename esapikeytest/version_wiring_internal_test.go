package esapikeytest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// notConsulted are the features of the release table the server has no part to consult for, and why.
var notConsulted = map[version.Feature]string{
	version.AnswerProfileUID:            "the server keeps no user profiles, so no key has a profile_uid to render",
	version.UserPrivilegesRemoteIndices: "GET /_security/user/_privileges renders no remote privileges at any release",
	version.UserPrivilegesRemoteCluster: "GET /_security/user/_privileges renders no remote privileges at any release",
}

// Every feature of the release table is consulted by the server's code, or is listed above with the
// reason it is not: a row added to the table without a part of the server that follows it fails here.
func TestEveryFeatureOfTheTableIsConsulted(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var src strings.Builder
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		src.Write(b)
	}
	code := src.String()
	n := 0
	for f := version.Feature(1); f.String() != "Feature(?)"; f++ {
		n++
		used := regexp.MustCompile(`\bversion\.` + f.String() + `\b`).MatchString(code)
		if why, ok := notConsulted[f]; ok {
			assert.False(t, used, "%s is consulted now; drop it from notConsulted (%s)", f, why)
			continue
		}
		assert.True(t, used, "no part of the server consults %s", f)
	}
	assert.Greater(t, n, 40, "the features of the table are numbered from 1 without gaps")
}
