package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets a test run the command as a process of its own, on a
// terminal of its own, where Ctrl-C is a real SIGINT.
func TestMain(m *testing.M) {
	if os.Getenv("ESAPIKEY_TEST_RUN_COMMAND") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// onTerminal is the command running as its own process, in a session whose
// controlling terminal is a pseudo-terminal: stdin and stderr are that
// terminal, stdout a buffer.
type onTerminal struct {
	controller *os.File
	cmd        *exec.Cmd
	stdout     bytes.Buffer
	mu         sync.Mutex
	seen       bytes.Buffer // what the terminal showed
	exited     chan struct{}
}

func startOnTerminal(t *testing.T, args ...string) *onTerminal {
	t.Helper()
	controller, tty := openPTY(t)
	p := &onTerminal{controller: controller, exited: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(os.Environ(), "ESAPIKEY_TEST_RUN_COMMAND=1")
	p.cmd.Stdin, p.cmd.Stderr, p.cmd.Stdout = tty, tty, &p.stdout
	// A session of its own, with the terminal as its controlling terminal:
	// what the terminal's Ctrl-C interrupts.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := controller.Read(buf)
			p.mu.Lock()
			p.seen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return p
}

// waitFor waits until the terminal shows text; the timeout only detects a
// hang.
func (p *onTerminal) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(p.shown(), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %q; it showed:\n%s", text, p.shown())
}

func (p *onTerminal) shown() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen.String()
}

// exit waits for the command to end, and returns its exit code.
func (p *onTerminal) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("the command did not stop; the terminal showed:\n%s", p.shown())
	}
	return p.cmd.ProcessState.ExitCode() // -1 when a signal ended it
}

// Ctrl-C while the command reads a JSON value from the terminal stops it at
// once, and it says that nothing was sent.
func TestCtrlCWhileReadingFromTheTerminal(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)
	p := startOnTerminal(t, "update", "--metadata", "-", "--", id)
	p.waitFor(t, "Ctrl-D")

	_, err := p.controller.Write([]byte(`{"half":` + "\x03")) // Ctrl-C as the terminal sends it

	assert.Equal(t, exitFailure, p.exit(t))
	p.waitFor(t, "esapikey update: interrupted: nothing was sent") // the terminal may show it after the exit
	assert.NotContains(t, p.shown(), "may already have been applied")
	require.NoError(t, err)
	assert.Empty(t, p.stdout.String())
	assert.Empty(t, es.rec.requests(), "nothing reached the cluster")
}

// Ctrl-C, or SIGTERM, at the confirmation prompt stops the command at once:
// the key was read, the update was not sent, and it says so.
func TestInterruptAtThePrompt(t *testing.T) {
	for name, interrupt := range map[string]func(p *onTerminal) error{
		"Ctrl-C":  func(p *onTerminal) error { _, err := p.controller.Write([]byte("\x03")); return err },
		"SIGTERM": func(p *onTerminal) error { return p.cmd.Process.Signal(syscall.SIGTERM) },
	} {
		t.Run(name, func(t *testing.T) {
			es := newCluster(t)
			id := es.key(t, documentedKey)
			p := startOnTerminal(t, "update", "--clear-metadata", "--", id)
			p.waitFor(t, "[y/N]")

			require.NoError(t, interrupt(p))

			assert.Equal(t, exitFailure, p.exit(t))
			p.waitFor(t, "esapikey update: interrupted: nothing was sent") // the terminal may show it after the exit
			assert.NotContains(t, p.shown(), "may already have been applied")
			assert.Empty(t, p.stdout.String())
			for _, r := range es.rec.requests() {
				assert.Equal(t, "GET", r.Method, "only the key was read")
			}
			assert.NotEmpty(t, es.stored(t, id).Metadata, "the key keeps its metadata")
		})
	}
}
