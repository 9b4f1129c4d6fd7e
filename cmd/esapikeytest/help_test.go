package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain runs main itself when asked to, so that a test can check the
// exit status of the program.
func TestMain(m *testing.M) {
	if args := os.Getenv("ESAPIKEYTEST_RUN_MAIN"); args != "" {
		os.Args = append([]string{"esapikeytest"}, args)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runMain(t *testing.T, arg string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ESAPIKEYTEST_RUN_MAIN="+arg)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	require.NoError(t, err)
	return 0, stdout.String(), stderr.String()
}

func TestHelpExitsZero(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		code, stdout, stderr := runMain(t, arg)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "Usage:\n  esapikeytest [flags]")
		assert.Contains(t, stdout, "-addr string")
		assert.Contains(t, stdout, "-version string")
		assert.NotContains(t, stderr, "help requested")
	}
}

// A release the server does not imitate is a usage error, reported before anything listens.
func TestUnsupportedVersionExitsTwo(t *testing.T) {
	code, stdout, stderr := runMain(t, "-version=9.4.0")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "esapikeytest: usage: -version 9.4.0: unsupported Elasticsearch release 9.4.0; the supported releases are 8.4.0 to 9.3.x\n"+
		"Run 'esapikeytest -h' for usage.\n", stderr)
}

func TestBadFlagExitsTwo(t *testing.T) {
	code, stdout, stderr := runMain(t, "-no-such-flag")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "flag provided but not defined: -no-such-flag")
	assert.Contains(t, stderr, "Run 'esapikeytest -h' for usage.")
}
