package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// optString is a string flag that knows whether it was given, so that an
// explicit empty value can be refused instead of meaning "unchanged".
type optString struct {
	value string
	set   bool
}

func (o *optString) String() string { return o.value }

// Set refuses a second value: "last one wins" would silently drop the
// first, such as one of two --metadata objects.
func (o *optString) Set(v string) error {
	if o.set {
		return errors.New("given more than once")
	}
	o.value, o.set = v, true
	return nil
}

// newFlagSet makes the flag set of cmd with the connection flags every
// command shares; cmd.run adds its own flags.
func newFlagSet(cmd *command) (*flag.FlagSet, *connFlags) {
	fs := flag.NewFlagSet("esapikey "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed by the caller
	conn := &connFlags{}
	conn.register(fs)
	return fs, conn
}

// parseArgs parses the flags wherever they appear among the positional
// arguments ("update ID --metadata ..."). After "--" every argument is
// positional, for an id that starts with "-".
func (a *app) parseArgs(cmd *command, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				printUsage(a.stdout, cmd, fs)
				return nil, errHelp
			}
			return nil, usagef(cmd.name, "%s%s", flagError(err), dashIDHint(cmd, err, args))
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagError rewrites the flag package's messages for a user who types
// "--name": it names flags with one dash, and one of its messages quotes the
// whole argument, which may hold a secret.
func flagError(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "bad flag syntax") {
		return `bad flag syntax: an argument starts with "---" or "-="`
	}
	msg = strings.Replace(msg, "flag provided but not defined: -", "unknown flag --", 1)
	// "invalid value %q for flag -%s: %v": the value of a secret's flag is
	// not repeated.
	if strings.HasPrefix(msg, "invalid value ") {
		for _, secret := range []string{"password", "token"} {
			if i := strings.Index(msg, " for flag -"+secret+":"); i > 0 {
				msg = "invalid value" + msg[i:]
			}
		}
	}
	return strings.Replace(msg, " for flag -", " for flag --", 1)
}

// printUsage prints the help of cmd, then its own flags, then the
// connection flags.
func printUsage(w io.Writer, cmd *command, fs *flag.FlagSet) {
	var b strings.Builder
	b.WriteString(strings.TrimLeft(cmd.help, "\n"))
	b.WriteString("\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if !connFlagNames[f.Name] {
			writeFlag(&b, f)
		}
	})
	b.WriteString("\nConnection flags (every command):\n")
	fs.VisitAll(func(f *flag.Flag) {
		if connFlagNames[f.Name] {
			writeFlag(&b, f)
		}
	})
	b.WriteString("\nExit codes:\n" + exitCodeHelp)
	io.WriteString(w, b.String())
}

func writeFlag(b *strings.Builder, f *flag.Flag) {
	arg, usage := flag.UnquoteUsage(f)
	if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
		arg = ""
	}
	fmt.Fprintf(b, "  --%s", f.Name)
	if arg != "" {
		fmt.Fprintf(b, " %s", arg)
	}
	fmt.Fprintf(b, "\n        %s", strings.ReplaceAll(usage, "\n", "\n        "))
	if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" {
		fmt.Fprintf(b, " (default %s)", d)
	}
	b.WriteString("\n")
}

// dashIDHint explains "unknown flag" for an API key id that starts with "-",
// as Elasticsearch's ids may.
func dashIDHint(cmd *command, err error, args []string) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	for _, arg := range args {
		if arg == "-"+name {
			return fmt.Sprintf(`; if it is an API key id, put it after "--": esapikey %s [flags] -- %s`, cmd.name, arg)
		}
	}
	return ""
}
