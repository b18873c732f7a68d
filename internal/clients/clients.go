// Package clients holds what the provider hands to every resource and data source after Configure.
package clients

import (
	"context"
	"fmt"
	"sync"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Canonical cloud names, as the provider's `environment` attribute resolves them.
const (
	CloudPublic         = "public"
	CloudUSGovernmentL4 = "usgovernmentl4"
	CloudUSGovernmentL5 = "usgovernmentl5"
	CloudChina          = "china"
)

// Client is the provider data: one per configured provider instance, shared by all resources
// and called concurrently by Terraform.
type Client struct {
	Graph *graph.Client
	// Environment is the canonical cloud name (one of the Cloud* constants).
	Environment string
	Clock       clock.Clock
	// Locks serializes writes that change one Graph object (an API connector's certificate list, a PKI).
	Locks *KeyedMutex
	// PKIsOfThisRun are the PKIs a managed PKI resource creates or restores in this run (idset.go).
	PKIsOfThisRun IDSet
	// Downloads is the address policy of plan-time downloads (upload_url, CRLs): this instance's own, made from its
	// graph_endpoint (download.ForGraphEndpoint), so only a loopback emulator's address is a loopback address allowed.
	Downloads download.Policy
	// PlannedCAs: the CAs this run plans to add (planned_cas.go), for the CBA policy's plan check.
	PlannedCAs PlannedCAs
	// WrittenThisRun: singletons written in this run (run_marks.go), so a deposed object's destroy leaves them be.
	WrittenThisRun RunMarks
	// Registries are the per-instance registries of the services (e.g. which object declares which CA).
	Registries Registries
	// GoneParents: parent objects (API connectors) a refresh in this run found deleted under managed objects
	// (run_marks.go), so the plan of the same walk only warns about them and terraform destroy still works.
	GoneParents RunMarks
	// SkipCRLPreflight: the provider's skip_crl_preflight; the CBA policy's plan then downloads no CRL.
	SkipCRLPreflight bool
	// Certificates parses each distinct certificate and .p7b once per provider process, however many of a
	// resource's validation, plan, apply and state steps need its facts (ParseCertificate below).
	Certificates pkcs.CertificateCache
}

// ParseCertificate is pkcs.ParseCertificate through c's cache (every time when c is nil: a provider not configured
// yet, as while Terraform validates the configuration).
func (c *Client) ParseCertificate(data []byte) (pkcs.CertificateAuthority, error) {
	if c == nil {
		return pkcs.ParseCertificate(data)
	}
	return c.Certificates.ParseCertificate(data)
}

// ParseCertificateBundle is pkcs.ParseCertificateBundle through c's cache (every time when c is nil).
func (c *Client) ParseCertificateBundle(data []byte) ([]pkcs.CertificateAuthority, error) {
	if c == nil {
		return pkcs.ParseCertificateBundle(data)
	}
	return c.Certificates.ParseCertificateBundle(data)
}

// FromProviderData is what Configure does in every resource and data source: nil before the provider is
// configured (Terraform validates first), the *Client after, and an error for anything else.
func FromProviderData(data any, diags *diag.Diagnostics) *Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *clients.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

// DownloadPolicy is c.Downloads, and the strictest policy when the provider is not configured yet (nil c).
func (c *Client) DownloadPolicy() download.Policy {
	if c == nil {
		return download.Policy{}
	}
	return c.Downloads
}

// SupportsAPIConnectors reports whether API connectors exist in the configured cloud (global and China only).
func (c *Client) SupportsAPIConnectors() bool {
	return c.Environment != CloudUSGovernmentL4 && c.Environment != CloudUSGovernmentL5
}

// KeyedMutex is a set of context-aware locks addressed by key (one per Graph object), created on first use.
// The zero value is ready to use and it is safe for concurrent use.
type KeyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

// keyLock is a one-slot semaphore: holding the token is holding the lock. users counts holders and waiters,
// so the entry is dropped when nobody needs it (a long run over many objects does not grow the map).
type keyLock struct {
	token chan struct{}
	users int
}

// Lock takes the lock for key, waiting until it is free or ctx ends. On success it returns the unlock function
// (call it exactly once); when ctx ends first it returns ctx's error and holds nothing.
func (k *KeyedMutex) Lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l, ok := k.locks[key]
	if !ok {
		l = &keyLock{token: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()

	select {
	case l.token <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-l.token
				k.release(key, l)
			})
		}, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

func (k *KeyedMutex) release(key string, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.users--
	if l.users == 0 {
		delete(k.locks, key)
	}
}

// Held reports how many keys have holders or waiters (for tests).
func (k *KeyedMutex) Held() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.locks)
}

// Require is the one guard of every operation that calls Graph: it reports whether c is configured, and adds the
// one "provider not configured" error to diags when it is not (Terraform configures the provider before any
// read, create, update or delete, so this is a bug or a provider configuration that was unknown while planning).
func Require(c *Client, diags *diag.Diagnostics) bool {
	if c != nil && c.Graph != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"The provider has no Microsoft Graph client: its configuration was not known yet (it depends on values known "+
			"only after apply) or was not applied. Make the provider block depend only on values known while planning; "+
			"if it does, this is a bug in the provider, please report it.")
	return false
}
