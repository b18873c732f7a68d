// Package clients holds what the provider hands to every resource and data source after Configure.
package clients

import (
	"fmt"
	"sync"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
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

// SupportsAPIConnectors reports whether API connectors exist in the configured cloud (global and China only).
func (c *Client) SupportsAPIConnectors() bool {
	return c.Environment != CloudUSGovernmentL4 && c.Environment != CloudUSGovernmentL5
}

// KeyedMutex is a set of mutexes addressed by key, created on first use.
type KeyedMutex struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// Lock locks the mutex for key and returns its unlock function.
func (k *KeyedMutex) Lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*sync.Mutex{}
	}
	m, ok := k.locks[key]
	if !ok {
		m = &sync.Mutex{}
		k.locks[key] = m
	}
	k.mu.Unlock()
	m.Lock()
	return m.Unlock
}
