package pki

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// readPKIAfterWrite reads the PKI for a Read. Within graph.PKIVisibleWindow of this provider's last write
// (clients.WrittenAt) "not found" is waited out (graph.ReadAfterWrite); after it, or with no mark, it is returned as it
// is. The first read is the operation's shared one (GetPKICached).
func readPKIAfterWrite(ctx context.Context, c *clients.Client, p clients.PrivateState, id string) (*graph.PKI, error) {
	got, err := c.Graph.GetPKICached(ctx, id)
	if !graph.IsNotFound(err) {
		return got, err
	}
	at, _ := clients.WrittenAt(ctx, p)
	if !c.Clock.Now().Before(at.Add(graph.PKIVisibleWindow)) {
		return nil, err
	}
	got, _, err = graph.ReadAfterWrite(ctx, c.Clock, graph.WaitOptions{What: "PKI " + id + " to become visible",
		LogFields: map[string]any{"pki_id": id}}, at, graph.PKIVisibleWindow,
		func(ctx context.Context) (*graph.PKI, bool, error) {
			p, err := c.Graph.GetPKI(ctx, id)
			return p, err == nil, err
		})
	return got, err
}

// Default timeouts of the operations that only read or make one write.
const (
	defaultPKIReadTimeout  = 5 * time.Minute
	defaultPKIWriteTimeout = 10 * time.Minute
)
