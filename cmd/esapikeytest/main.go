// Command esapikeytest serves the in-memory Elasticsearch security API of package esapikeytest,
// for trying a client by hand or from another language:
//
//	go run ./cmd/esapikeytest -addr 127.0.0.1:9200 -user elastic -password changeme -version 8.13.0
//
// It prints the URL it serves on and stops on SIGINT or SIGTERM. -version names the Elasticsearch
// release it imitates (8.4.0 to 9.3.x; 9.3.0 by default).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/esapikey/esapikey/esapikeytest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "esapikeytest:", err)
		if errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "Run 'esapikeytest -h' for usage.")
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errUsage marks a bad command line.
var errUsage = errors.New("usage")

func run(args []string) error {
	return runTo(args, os.Stdout)
}

// runTo runs the command; help goes to stdout, and is a success.
func runTo(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("esapikeytest", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help is printed below
	addr := fs.String("addr", "127.0.0.1:9200", "address to listen on")
	name := fs.String("user", "elastic", "superuser name (realm reserved)")
	password := fs.String("password", "changeme", "superuser password")
	release := fs.String("version", esapikeytest.Version, "Elasticsearch release to imitate, 8.4.0 to 9.3.x")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, "esapikeytest serves the in-memory Elasticsearch security API of package esapikeytest,\n"+
				"for trying a client by hand or from another language. It prints the URL it serves on\n"+
				"and stops on SIGINT or SIGTERM.\n\nUsage:\n  esapikeytest [flags]\n\nFlags:\n")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	srv, err := newServer(*release, esapikeytest.WithSuperuser(*name, *password))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, ln, os.Stdout, srv)
}

// newServer makes the server that imitates release; the panic NewUnstartedServer gives for a
// release it does not imitate is a usage error here, with the reason it gives.
func newServer(release string, opts ...esapikeytest.Option) (srv *esapikeytest.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			reason := strings.TrimPrefix(fmt.Sprint(r), fmt.Sprintf("esapikeytest: WithVersion(%q): ", release))
			err = fmt.Errorf("%w: -version %s: %s", errUsage, release, reason)
		}
	}()
	return esapikeytest.NewUnstartedServer(append(opts, esapikeytest.WithVersion(release))...), nil
}

// serve prints the URL and serves srv on ln until ctx is done.
func serve(ctx context.Context, ln net.Listener, out io.Writer, srv *esapikeytest.Server) error {
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "esapikeytest %s serving on http://%s\n", srv.Version(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
