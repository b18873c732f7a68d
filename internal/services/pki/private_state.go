package pki

import (
	"context"
	"encoding/json"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateWrittenAt is the private-state key recording when this provider last wrote the object (created the PKI,
// uploaded to it), until a read has shown it: Read believes a 404 only after graph.PKIVisibleWindow, so Entra's
// replication lag never drops a PKI or an upload from state (and the next plan never creates a second one).
const privateWrittenAt = "written_at"

// privateState is the part of the framework's private state that these resources use.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type writtenAtValue struct {
	At time.Time `json:"at"`
}

func setWrittenAt(ctx context.Context, p privateState, at time.Time) diag.Diagnostics {
	b, _ := json.Marshal(writtenAtValue{At: at.UTC()})
	return p.SetKey(ctx, privateWrittenAt, b)
}

func clearWrittenAt(ctx context.Context, p privateState) diag.Diagnostics {
	return p.SetKey(ctx, privateWrittenAt, nil)
}

func writtenAt(ctx context.Context, p privateState) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	b, diags := p.GetKey(ctx, privateWrittenAt)
	if diags.HasError() || len(b) == 0 {
		return time.Time{}, false
	}
	var v writtenAtValue
	if err := json.Unmarshal(b, &v); err != nil || v.At.IsZero() {
		return time.Time{}, false
	}
	return v.At, true
}

// readPKIAfterWrite reads the PKI for a Read. Within graph.PKIVisibleWindow of this provider's last write
// (recorded in private state) a 404 is waited out; after it, or with no mark, a 404 is returned as it is.
func readPKIAfterWrite(ctx context.Context, c *clients.Client, p privateState, id string) (*graph.PKI, error) {
	got, err := c.Graph.GetPKICached(ctx, id)
	if !graph.IsNotFound(err) {
		return got, err
	}
	at, ok := writtenAt(ctx, p)
	if !ok {
		return nil, err
	}
	until := at.Add(graph.PKIVisibleWindow)
	if !c.Clock.Now().Before(until) {
		return nil, err
	}
	return c.Graph.WaitForPKI(ctx, id, until)
}

// Default timeouts of the operations that only read or make one write.
const (
	defaultPKIReadTimeout  = 5 * time.Minute
	defaultPKIWriteTimeout = 10 * time.Minute
)

// configured reports whether the provider handed over a client; otherwise it adds the one diagnostic for a
// resource or data source used before the provider was configured.
func configured(c *clients.Client, diags *diag.Diagnostics) bool {
	if c != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"The provider has no Microsoft Graph client. This is a bug in the provider; please report it.")
	return false
}
