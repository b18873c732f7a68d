// Package acctest is the acceptance-test harness shared by the services: it starts the Graph emulator
// in-process on 127.0.0.1 (or targets real Graph when ENTRACERT_ACC_LIVE=1 and ARM_* credentials are set),
// and gives tests provider factories, a provider block, a Graph client for out-of-band changes and file hosting.
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/provider"
	"github.com/entracert/terraform-provider-entracert/internal/tfenv"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Env is one test's Graph.
type Env struct {
	// Emulator is nil when the tests run against real Graph.
	Emulator *graphemu.Emulator
	// Endpoint is the graph_endpoint the provider uses ("" for real Graph, which the cloud decides).
	Endpoint string
	// Graph is a client for out-of-band changes and assertions, independent of the provider under test.
	Graph *graph.Client
	// ProtoV6ProviderFactories serves the provider in-process to the real terraform binary.
	ProtoV6ProviderFactories map[string]func() (tfprotov6.ProviderServer, error)
	// Clock is the one fake clock the provider under test, the emulator and Graph share (nil live): retries,
	// waits, PKI jobs, read-after-write lag and expiry checks move with it, so no test waits for real. It starts
	// at the real time the test began; tests move it with Clock.Advance.
	Clock *clock.Fake

	token  string
	files  *fileServer
	hosted *hosted // ServeHandler's handlers, in front of the emulator (hosted.go)
}

var setupOnce sync.Once
var setupErr error

// checkTerraform finds the terraform binary once and pins it for terraform-plugin-testing, which would
// otherwise try to download one.
func checkTerraform() error {
	setupOnce.Do(func() {
		bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if bin == "" {
			p, err := exec.LookPath("terraform")
			if err != nil {
				setupErr = fmt.Errorf("the terraform binary was not found on PATH: install Terraform 1.11 or later " +
					"(https://developer.hashicorp.com/terraform/install, e.g. `apt-get install terraform` from " +
					"HashiCorp's apt repository) or set TF_ACC_TERRAFORM_PATH to its location")
				return
			}
			bin = p
		}
		if _, err := os.Stat(bin); err != nil {
			setupErr = fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s: %w", bin, err)
			return
		}
		// Process-wide on purpose: tests run in parallel and t.Setenv forbids that.
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", bin)
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
		// terraform-plugin-testing starts terraform with this process's environment, and the Go runtime read its own
		// GOGC when the test binary started: these reach only the processes started from now on (tfenv.LeanGC).
		for _, kv := range tfenv.LeanGC() {
			k, v, _ := strings.Cut(kv, "=")
			_ = os.Setenv(k, v)
		}
	})
	return setupErr
}

// Live reports whether acceptance tests target real Graph.
func Live() bool { return os.Getenv("ENTRACERT_ACC_LIVE") == "1" }

// New fails the test when TF_ACC is unset or terraform is missing (with how to install it), then starts an
// emulator with opts (unless live). Everything stops at the end of the test.
func New(t *testing.T, opts graphemu.Options) *Env {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("acceptance test: set TF_ACC=1 to run it (make test does)")
	}
	if err := checkTerraform(); err != nil {
		t.Fatal(err)
	}
	e := &Env{}
	if Live() {
		e.ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
			"entracert": providerserver.NewProtocol6WithError(provider.New("acctest")()),
		}
		c, err := provider.NewClientFromEnvironment(t.Context(), "acctest")
		if err != nil {
			t.Fatalf("live acceptance tests need working ARM_* credentials: %v", err)
		}
		e.Graph = c.Graph
		e.Endpoint = os.Getenv("ARM_GRAPH_ENDPOINT")
		return e
	}

	if opts.Token == "" {
		opts.Token = "acctest-" + randomSuffix()
	}
	e.token = opts.Token
	e.Clock = clock.NewFake(time.Now().UTC().Truncate(time.Second))
	if opts.Clock == nil {
		opts.Clock = e.Clock
	}
	e.ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
		"entracert": providerserver.NewProtocol6WithError(provider.NewWithClock("acctest", e.Clock)()),
	}
	e.files = &fileServer{files: map[string][]byte{}}
	if opts.Files == nil {
		opts.Files = e.files
	}
	e.Emulator = graphemu.New(opts)
	e.hosted = &hosted{next: e.Emulator}
	srv := httptest.NewServer(e.hosted)
	t.Cleanup(srv.Close)
	e.Endpoint = srv.URL
	g, err := graph.New(graph.Options{
		Endpoint:   srv.URL,
		Credential: graph.StaticToken(opts.Token),
		Scopes:     []string{"https://graph.microsoft.com/.default"},
		UserAgent:  "entracert-acctest",
		Clock:      e.Clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Graph = g
	return e
}

// ProviderConfig is the terraform block naming the provider's source and the provider block, for test
// configurations. The source matters in import steps with their own Config: terraform-plugin-testing adds a
// required_providers block only to the configurations it applies, and without one OpenTofu resolves "entracert"
// to registry.opentofu.org/hashicorp/entracert instead of the provider it serves in-process.
func (e *Env) ProviderConfig() string {
	return RequiredProviders() + e.providerBlock()
}

func (e *Env) providerBlock() string {
	if e.Emulator == nil {
		return "provider \"entracert\" {}\n"
	}
	return fmt.Sprintf("provider \"entracert\" {\n  graph_endpoint = %q\n  access_token   = %q\n}\n", e.Endpoint, e.token)
}

// RequiredProviders is a terraform block whose source for "entracert" is the address terraform-plugin-testing
// serves the provider under: TF_ACC_PROVIDER_HOST (default registry.terraform.io) and TF_ACC_PROVIDER_NAMESPACE
// (default hashicorp), as in its getProviderAddr.
func RequiredProviders() string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    entracert = {\n      source = %q\n    }\n  }\n}\n\n", ProviderSource())
}

// ProviderSource is the provider's address in the harness, e.g. registry.opentofu.org/entracert/entracert.
func ProviderSource() string {
	host, namespace := "registry.terraform.io", "hashicorp"
	if v := os.Getenv("TF_ACC_PROVIDER_HOST"); v != "" {
		host = v
	}
	if v := os.Getenv("TF_ACC_PROVIDER_NAMESPACE"); v != "" {
		namespace = v
	}
	return strings.TrimSuffix(host, "/") + "/" + strings.TrimSuffix(namespace, "/") + "/entracert"
}

// RequireEmulator skips (with a logged reason) a test that needs the emulator's controls when running live.
func (e *Env) RequireEmulator(t *testing.T) {
	t.Helper()
	if e.Emulator == nil {
		t.Skip("needs the Graph emulator's controls (faults, journal, job outcomes); not runnable against real Graph")
	}
}

// ServeFile serves data over http on 127.0.0.1 (emulator mode) and returns its URL. Live, the file must be
// published by the tester at ENTRACERT_ACC_FILES_BASE_URL (Graph downloads it from the internet).
func (e *Env) ServeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	if e.Emulator == nil {
		base := os.Getenv("ENTRACERT_ACC_FILES_BASE_URL")
		if base == "" {
			t.Skip("live PKI uploads need the test's files at a public URL: publish internal/testfixtures/testdata and set ENTRACERT_ACC_FILES_BASE_URL")
		}
		return strings.TrimRight(base, "/") + "/" + name
	}
	e.files.put(name, data)
	return e.Endpoint + "/files/" + name
}

// CreateAPIConnector creates a basic-auth API connector out of band and deletes it after the test.
func (e *Env) CreateAPIConnector(t *testing.T, displayName string) *graph.APIConnector {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c, err := e.Graph.CreateAPIConnector(ctx, graph.NewAPIConnector{
		DisplayName: displayName + " " + randomSuffix(),
		TargetURL:   "https://api.contoso.example/endpoint",
		Username:    "entracert-acctest",
		Password:    "acctest-" + randomSuffix(),
	})
	if err != nil {
		t.Fatalf("creating an API connector for the test: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) //nolint:usetesting // cleanups run after t.Context() is cancelled
		defer cancel()
		if err := e.Graph.DeleteAPIConnector(ctx, c.ID); err != nil && !graph.IsNotFound(err) {
			t.Errorf("deleting test API connector %s: %v", c.ID, err)
		}
	})
	return c
}

// CreatePKI creates a PKI out of band and deletes it after the test.
func (e *Env) CreatePKI(t *testing.T, displayName string) *graph.PKI {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	p, err := e.Graph.CreatePKI(ctx, displayName+" "+randomSuffix())
	if err != nil {
		t.Fatalf("creating a PKI for the test: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) //nolint:usetesting // cleanups run after t.Context() is cancelled
		defer cancel()
		if err := e.Graph.DeletePKI(ctx, p.ID); err != nil && !graph.IsNotFound(err) {
			t.Errorf("deleting test PKI %s: %v", p.ID, err)
		}
	})
	return p
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// fileServer is an http.FileSystem of files added by tests, served by the emulator under /files/.
type fileServer struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (f *fileServer) put(name string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[name] = data
}

func (f *fileServer) Open(name string) (http.File, error) {
	f.mu.Lock()
	data, ok := f.files[strings.TrimPrefix(name, "/")]
	f.mu.Unlock()
	if !ok {
		return nil, os.ErrNotExist
	}
	return newMemFile(name, data), nil
}
