// Package acctest is the acceptance-test harness shared by the services: it starts the Graph emulator
// in-process on 127.0.0.1 (or targets real Graph when ENTRACERT_ACC_LIVE=1 and ARM_* credentials are set),
// and gives tests provider factories, a provider block, a Graph client for out-of-band changes and file hosting.
package acctest

import (
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
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
}

// New fails the test when TF_ACC is unset or terraform is missing (with how to install it), then starts an
// emulator with opts (unless live). Everything stops at the end of the test.
func New(t *testing.T, opts graphemu.Options) *Env { panic("TODO") }

// Live reports whether acceptance tests target real Graph.
func Live() bool { panic("TODO") }

// ProviderConfig is the provider block for test configurations.
func (e *Env) ProviderConfig() string { panic("TODO") }

// RequireEmulator skips (with a logged reason) a test that needs the emulator's controls when running live.
func (e *Env) RequireEmulator(t *testing.T) { panic("TODO") }

// ServeFile serves data over http on 127.0.0.1 (emulator mode) and returns its URL.
func (e *Env) ServeFile(t *testing.T, name string, data []byte) string { panic("TODO") }

// CreateAPIConnector creates a basic-auth API connector out of band and deletes it after the test.
func (e *Env) CreateAPIConnector(t *testing.T, displayName string) *graph.APIConnector { panic("TODO") }

// CreatePKI creates a PKI out of band and deletes it after the test.
func (e *Env) CreatePKI(t *testing.T, displayName string) *graph.PKI { panic("TODO") }
