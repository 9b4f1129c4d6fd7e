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

func (o *optString) Set(v string) error {
	o.value, o.set = v, true
	return nil
}

// once wraps a flag so that a second use is refused, whatever the flag:
// with "last one wins", --url a --url b would silently drop a, and a
// repeated switch would hide a mistake just as well.
type once struct {
	flag.Value
	name     string
	set      bool
	repeated *string // where the name of a repeated flag is left
}

func (o *once) Set(v string) error {
	if o.set {
		*o.repeated = o.name
		return errRepeated
	}
	o.set = true
	return o.Value.Set(v)
}

// IsBoolFlag keeps a switch a switch.
func (o *once) IsBoolFlag() bool {
	b, ok := o.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

var errRepeated = errors.New("given more than once")

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
	var repeated string
	fs.VisitAll(func(f *flag.Flag) { f.Value = &once{Value: f.Value, name: f.Name, repeated: &repeated} })
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			switch {
			case err == flag.ErrHelp:
				printUsage(a.stdout, cmd, fs)
				return nil, errHelp
			case repeated != "":
				// The value is not repeated: it may be a secret.
				return nil, usagef(cmd.name, "flag --%s given more than once", repeated)
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
// whole argument, which may hold a secret. The values of --password and
// --token are never refused, so never quoted.
func flagError(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "bad flag syntax") {
		return `bad flag syntax: an argument starts with "---" or "-="`
	}
	msg = strings.Replace(msg, "flag provided but not defined: -", "unknown flag --", 1)
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
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
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
