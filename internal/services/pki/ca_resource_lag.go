package pki

import (
	"context"
	"encoding/json"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateCACreatedAt is the private-state key recording when this resource added its CA, until a read has shown
// it: Read waits out Graph's read-after-write lag (up to caVisibleWait) in that window instead of dropping the
// resource, which would plan a second create of a CA that exists.
const privateCACreatedAt = "ca_created_at"

type caPrivateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setCACreatedAt(ctx context.Context, p caPrivateState, at time.Time) diag.Diagnostics {
	b, _ := json.Marshal(struct {
		At time.Time `json:"at"`
	}{at.UTC()})
	return p.SetKey(ctx, privateCACreatedAt, b)
}

func caCreatedAt(ctx context.Context, p caPrivateState) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	b, diags := p.GetKey(ctx, privateCACreatedAt)
	if diags.HasError() || len(b) == 0 {
		return time.Time{}, false
	}
	var v struct {
		At time.Time `json:"at"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.At.IsZero() {
		return time.Time{}, false
	}
	return v.At, true
}

// caVisibleWait is how long a CA just added may take to show up in Graph's reads (read-after-write lag).
const caVisibleWait = 30 * time.Second

// readAfterCreate reads the CA, waiting until createdAt+caVisibleWait for it to show up when Graph answers 404.
func (r *caResource) readAfterCreate(ctx context.Context, pkiID, caID string, createdAt time.Time) (*graph.CertificateAuthority, error) {
	g, clk := r.client.Graph, r.client.Clock
	var ca *graph.CertificateAuthority
	err := graph.Wait(ctx, clk, graph.WaitOptions{
		What:      "certificate authority " + caID + " of PKI " + pkiID + " to be readable",
		Deadline:  createdAt.Add(caVisibleWait),
		LogFields: map[string]any{"pki_id": pkiID},
	}, func(ctx context.Context) (bool, error) {
		var err error
		ca, err = g.GetCertificateAuthority(ctx, pkiID, caID)
		if graph.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	if graph.IsWaitTimeout(err) && ca == nil {
		return nil, nil // still not there: gone
	}
	return ca, err
}
