package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPTY opens a pseudo-terminal pair through /dev/ptmx, with nothing but
// the standard library: the controller (what a terminal emulator holds) and
// the terminal a program sees.
func openPTY(t *testing.T) (controller, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		t.Skipf("unlockpt: %v", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Skipf("ptsname: %v", errno)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { pts.Close() })
	return ptmx, pts
}

func TestIsTerminal(t *testing.T) {
	_, tty := openPTY(t)
	assert.True(t, isTerminal(tty), "a pseudo-terminal")

	devNull, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer devNull.Close()
	fi, err := devNull.Stat()
	require.NoError(t, err)
	require.NotZero(t, fi.Mode()&os.ModeCharDevice, "/dev/null is a character device")
	assert.False(t, isTerminal(devNull), "but not a terminal")

	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(r), "a pipe")

	f, err := os.Create(t.TempDir() + "/file")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a file")
	assert.False(t, isTerminal(nil))
	assert.False(t, isTerminal((*os.File)(nil)))
}

// A person at a real terminal is asked, and answers on it.
func TestPromptOnARealTerminal(t *testing.T) {
	controller, tty := openPTY(t)
	es := newCluster(t)
	id := es.key(t, documentedKey)

	code, seen, stdout := runOnTerminal(t, controller, tty, "y\n", "update", "--clear-metadata", "--", id)

	require.Equal(t, exitOK, code, seen)
	assert.Contains(t, seen, `It REMOVES the metadata keys "application", "environment".`)
	assert.Contains(t, seen, "Update the key? [y/N]")
	assertJSON(t, `{"updated":true}`, stdout)
	assert.Empty(t, es.stored(t, id).Metadata)
}

// bulk-update asks before it removes every role of the keys, or replaces
// their metadata, as update does: it cannot read thousands of keys to show
// what each loses, so it says what the request does to all of them.
func TestBulkPromptOnARealTerminal(t *testing.T) {
	for _, tc := range []struct {
		answer string
		code   int
	}{{"n\n", exitFailure}, {"yes\n", exitOK}} {
		t.Run(strings.TrimSpace(tc.answer), func(t *testing.T) {
			controller, tty := openPTY(t)
			es := newCluster(t)
			a1, a2 := es.key(t, documentedKey), es.key(t, documentedKey)
			code, seen, _ := runOnTerminal(t, controller, tty, tc.answer, "bulk-update", "--remove-privileges", "--", a1, a2)

			require.Equal(t, tc.code, code, seen)
			assert.Contains(t, seen, "the update of 2 API keys:")
			assert.Contains(t, seen, "It removes every role of the keys: each gets its OWNER'S FULL PERMISSIONS.")
			assert.Contains(t, seen, "Update the keys? [y/N]")
			if tc.code == exitOK {
				assert.Empty(t, es.stored(t, a1).RoleDescriptors)
				return
			}
			assert.Contains(t, seen, "not confirmed: nothing was sent")
			assert.NotEmpty(t, es.stored(t, a1).RoleDescriptors)
			assert.Empty(t, es.rec.requests(), "nothing was sent")
		})
	}
}

// runOnTerminal runs the command with the terminal tty as its stdin and
// stderr, answering its first [y/N] prompt with answer from the controller
// side, and returns its exit code, everything the terminal showed and its
// stdout.
func runOnTerminal(t *testing.T, controller, tty *os.File, answer string, args ...string) (code int, seen, stdout string) {
	t.Helper()
	var (
		mu    sync.Mutex
		shown bytes.Buffer
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		answered := false
		for {
			n, err := controller.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			ask := !answered && strings.Contains(shown.String(), "[y/N]")
			mu.Unlock()
			if ask {
				answered = true
				_, _ = controller.Write([]byte(answer))
			}
			if err != nil {
				return // the terminal was closed
			}
		}
	}()
	var out bytes.Buffer
	a := &app{ctx: context.Background(), stdin: tty, stdout: &out, stderr: tty, getenv: os.Getenv, isTerminal: isTerminal}
	code = a.run(args)
	tty.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal reader did not stop")
	}
	mu.Lock()
	defer mu.Unlock()
	return code, shown.String(), out.String()
}
