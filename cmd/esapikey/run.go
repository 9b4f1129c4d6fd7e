package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/esapikey/esapikey"
)

// run is the whole program; main turns its result into the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// SIGINT (Ctrl-C) and SIGTERM stop the run at once, wherever it is: in
	// a request, or in a read of the terminal, which a signal does not end.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal}
	if isTerminal(stderr) {
		a.progress = stderr
	}
	return a.run(args)
}

// app is one run of the program: its streams and environment, and the
// secrets it must never print.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal tells whether a stream is a terminal a person answers at.
	isTerminal func(any) bool
	// progress receives bulk progress; nil when stderr is not a terminal.
	progress io.Writer

	stdinUser string // the flag or argument that reads stdin, if any
	sent      bool   // an update was sent (not only a key read), so it may have been applied
	secrets   []string
	urlUser   bool   // a URL holds credentials
	anonymous bool   // no credentials were configured
	runAs     string // the --run-as user, for the hints
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	// help is the synopsis, description and examples; the flags follow it.
	help string
	run  func(a *app, cmd *command, args []string) error
}

func commands() []*command {
	return []*command{updateCommand, bulkUpdateCommand, updateCrossClusterCommand}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (a *app) run(args []string) int {
	if len(args) == 0 {
		a.mainUsage(a.stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		return a.help(args[1:])
	case "version", "--version":
		fmt.Fprintf(a.stdout, "esapikey %s (%s %s/%s)\n", esapikey.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	default:
		cmd := findCommand(name)
		if cmd == nil {
			return a.fail(usagef("", "unknown command %q", name))
		}
		return a.fail(cmd.run(a, cmd, args[1:]))
	}
}

func (a *app) help(args []string) int {
	if len(args) == 0 {
		a.mainUsage(a.stdout)
		return exitOK
	}
	cmd := findCommand(args[0])
	if cmd == nil {
		return a.fail(usagef("", "unknown command %q", args[0]))
	}
	// The command prints its help with the flags it registers.
	return a.fail(cmd.run(a, cmd, []string{"-h"}))
}

func (a *app) mainUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`esapikey updates Elasticsearch API keys.

Usage:
  esapikey <command> [arguments] [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-22s %s\n", c.name, c.summary)
	}
	b.WriteString(`  help [command]         show the help of a command
  version                print the version

Examples:
  export ELASTICSEARCH_URL=https://es.example.com:9200 ELASTICSEARCH_USERNAME=alice
  read -rs ELASTICSEARCH_PASSWORD && export ELASTICSEARCH_PASSWORD
  esapikey update VuaCfGcBCdbkQm-e5aOx --metadata '{"environment":"production"}'
  esapikey bulk-update --expiration 30d < ids.txt

Environment (the flags win over it):
  ELASTICSEARCH_URL, ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD,
  ELASTICSEARCH_TOKEN, ELASTICSEARCH_CA_CERT, ELASTICSEARCH_CERT_FINGERPRINT

Exit codes:
`)
	b.WriteString(exitCodeHelp)
	b.WriteString("\nRun 'esapikey help <command>' for the flags and examples of a command.\n")
	io.WriteString(w, b.String())
}

// errHelp is returned after -h printed the usage: not a failure.
var errHelp = errors.New("help shown")

// fail prints err and returns the exit code of its class.
func (a *app) fail(err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return exitOK
	}
	code := exitCode(err)
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		a.errorf("%s", ue.Error())
		if ue.cmd != "" {
			a.errorf("Run 'esapikey %s -h' for usage.", ue.cmd)
		} else {
			a.errorf("Run 'esapikey help' for usage.")
		}
	default:
		a.errorf("%s", message(err))
		if hint := a.hintFor(err); hint != "" {
			a.errorf("hint: %s", hint)
		}
	}
	return code
}

// errorf writes one line to stderr with every secret masked.
func (a *app) errorf(format string, args ...any) {
	fmt.Fprintln(a.stderr, a.redact(fmt.Sprintf(format, args...)))
}

// redact masks every secret of this run in s. Secrets shorter than four
// bytes are too likely to match innocent text; they are never printed by
// this program anyway, this is the second line of defence.
func (a *app) redact(s string) string {
	for _, sec := range a.secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}

// message prefixes err once with "esapikey: ".
func message(err error) string {
	msg := err.Error()
	if !strings.HasPrefix(msg, "esapikey: ") {
		msg = "esapikey: " + msg
	}
	return msg
}

// readStdin reads stdin for one user only: two flags cannot both read it.
// A person typing at a terminal is told how to end the value.
func (a *app) readStdin(cmd, user string) ([]byte, error) {
	if a.stdinUser != "" {
		return nil, fmt.Errorf("stdin is already used by %s", a.stdinUser)
	}
	a.stdinUser = user
	if a.stdin == nil {
		return nil, nil
	}
	if a.isTerminal != nil && a.isTerminal(a.stdin) {
		fmt.Fprintf(a.stderr, "esapikey %s: reading %s from the terminal: end it with Ctrl-D on a line of its own (Ctrl-C stops)\n", cmd, user)
	}
	return a.interruptible(cmd, func() ([]byte, error) { return io.ReadAll(a.stdin) })
}

// interruptedError is a run stopped by SIGINT or SIGTERM before it sent
// anything.
type interruptedError struct{ cmd string }

func (e *interruptedError) Error() string {
	return "esapikey " + e.cmd + ": interrupted: nothing was sent"
}

// interruptible runs read, a read of stdin, and returns as soon as the run
// is interrupted: a read of a terminal does not end on a signal. The read is
// then left behind, to end with the process.
func (a *app) interruptible(cmd string, read func() ([]byte, error)) ([]byte, error) {
	if a.ctx == nil {
		return read()
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := read()
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		if a.ctx.Err() != nil {
			return nil, &interruptedError{cmd}
		}
		return r.data, r.err
	case <-a.ctx.Done():
		return nil, &interruptedError{cmd}
	}
}
