// Command graphemu runs the Microsoft Graph emulator (API connectors and CBA PKIs) as a server, for the demo
// and for users' own CI:
//
//	go run ./cmd/graphemu -listen 127.0.0.1:8080 -token TOKEN [-seed | -seed-tenant] [-files DIR] [-upload-duration 3s]
//	    [-reject-pbes2] [-refuse-uploads-on-basic-auth] [-read-after-write-lag 5s] [-fault 429,retry-after=2,count=2 ...]
//
// It prints, one per line, key=value facts for scripts:
//
//	graph_endpoint=http://127.0.0.1:8080
//	files_url=http://127.0.0.1:8080/files/                     (with -files)
//	api_connector_id=<id> display_name=<name to end of line>   (with -seed, one line per connector)
//	pki_id=<id> display_name=<name to end of line>             (with -seed)
//	(with -seed-tenant: PKIs, CAs, connectors and client certificates, see seed_tenant.go)
//
// then serves until SIGINT or SIGTERM and shuts down cleanly.
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
	"syscall"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "graphemu:", err)
		os.Exit(2)
	}
}

// run serves until ctx is done; it returns once the server has shut down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("graphemu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on; 127.0.0.1:0 picks a free port (the real one is printed)")
	token := fs.String("token", "", "bearer token every request must carry (empty: any bearer token is accepted)")
	seed := fs.Bool("seed", false, "create a few basic-auth API connectors and an empty PKI, and print their IDs")
	tenant := fs.Bool("seed-tenant", false, "create a realistic existing tenant (3 PKIs with uploaded and directly added CAs, "+
		"connectors with client certificates, a customised CBA policy) and print its facts")
	pageSize := fs.Int("page-size", 0, "lists answer at most this many items a page without $top (0: Graph's 100), to see clients follow @odata.nextLink")
	files := fs.String("files", "", "serve this directory without authentication under /files/, so PKI uploads can fetch a .p7b from the emulator")
	uploadDuration := fs.Duration("upload-duration", graphemu.DefaultUploadDuration, "how long a PKI upload job stays running")
	allowRemote := fs.Bool("allow-remote-downloads", false, "let PKI uploads download from non-loopback hosts")
	deferValidation := fs.Bool("defer-upload-validation", false, "accept every PKI upload with 204 and report bad files as a failed job")
	connectorSwitches := addConnectorFlags(fs)
	applyPKIFlags := pkiFlags(fs)
	createUsers := userFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *seed && *tenant {
		return errors.New("-seed and -seed-tenant make different tenants: give one of them")
	}
	if *pageSize < 0 {
		return errors.New("-page-size must not be negative")
	}
	if *uploadDuration < 0 {
		return errors.New("-upload-duration must not be negative")
	}

	opts := graphemu.Options{
		Token:                 *token,
		UploadDuration:        *uploadDuration,
		AllowRemoteDownloads:  *allowRemote,
		DeferUploadValidation: *deferValidation,
	}
	if *files != "" {
		st, err := os.Stat(*files)
		if err != nil {
			return fmt.Errorf("-files: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("-files: %s is not a directory", *files)
		}
		opts.Files = http.Dir(*files)
	}
	connectorSwitches.options(&opts)
	emu := graphemu.New(opts)
	if err := connectorSwitches.apply(emu); err != nil {
		return err
	}
	// Options treats 0 as "default"; on the command line 0 means jobs finish at once.
	emu.SetUploadDuration(*uploadDuration)
	emu.SetPageSize(*pageSize)
	if err := applyPKIFlags(emu); err != nil {
		return err
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	endpoint := "http://" + reachableAddr(ln.Addr())
	if *token == "" {
		fmt.Fprintln(stderr, "graphemu: no -token given: any bearer token is accepted")
	}
	fmt.Fprintf(stdout, "graph_endpoint=%s\n", endpoint)
	if *files != "" {
		fmt.Fprintf(stdout, "files_url=%s/files/\n", endpoint)
	}
	if *seed {
		res := emu.Seed()
		for _, c := range res.APIConnectors {
			fmt.Fprintf(stdout, "api_connector_id=%s display_name=%s\n", c.ID, c.DisplayName)
		}
		for _, p := range res.PKIs {
			fmt.Fprintf(stdout, "pki_id=%s display_name=%s\n", p.ID, p.DisplayName)
		}
	}

	createUsers(emu, stdout)
	if *tenant {
		if err := seedTenant(emu, stdout); err != nil {
			return err
		}
	}

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "graphemu: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// reachableAddr turns a wildcard listen address into one clients can dial.
func reachableAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		// A wildcard listener (IPv4 or dual-stack) also answers on 127.0.0.1.
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
