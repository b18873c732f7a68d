package pki

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateWrittenAt is the private-state key recording when this provider last wrote the object (created the PKI,
// uploaded to it), until a read has shown it: Read believes a 404 only after graph.PKIVisibleWindow, so Entra's
// replication lag never drops a PKI or an upload from state (and the next plan never creates a second one).
const privateWrittenAt = "written_at"

func setWrittenAt(ctx context.Context, p clients.PrivateState, at time.Time) diag.Diagnostics {
	return clients.SetTimeMark(ctx, p, privateWrittenAt, at)
}

func clearWrittenAt(ctx context.Context, p clients.PrivateState) diag.Diagnostics {
	return clients.ClearTimeMark(ctx, p, privateWrittenAt)
}

func writtenAt(ctx context.Context, p clients.PrivateState) (time.Time, bool) {
	return clients.TimeMark(ctx, p, privateWrittenAt)
}

// readPKIAfterWrite reads the PKI for a Read. Within graph.PKIVisibleWindow of this provider's last write
// (recorded in private state) a 404 is waited out; after it, or with no mark, a 404 is returned as it is.
func readPKIAfterWrite(ctx context.Context, c *clients.Client, p clients.PrivateState, id string) (*graph.PKI, error) {
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
