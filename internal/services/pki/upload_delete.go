package pki

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// deleteCertificateAuthorities deletes the given certificate authorities (missing ones ignored), after any
// running job of the PKI (Graph runs one operation at a time per PKI), and waits until it runs no job.
func (r *uploadResource) deleteCertificateAuthorities(ctx context.Context, pkiID string, doomed []certificateAuthorityModel, deadline time.Time) error {
	unlock, err := lockPKI(ctx, r.client.Locks, pkiID)
	if err != nil {
		return err
	}
	defer unlock()

	if gone, err := r.waitIdle(ctx, pkiID, deadline); gone || err != nil {
		return err
	}
	declarations := declarationsOf(r.client)
	var left []certificateAuthorityModel
	seen := map[string]bool{}
	for _, m := range doomed {
		// Under the PKI's lock: an object of this run that declares the CA (create_before_destroy, or one that took
		// it over) has planned before it could write, so its declaration is visible here.
		if declarations.declared(pkiID, m.Thumbprint.ValueString()) {
			tflog.Info(ctx, "Keeping a certificate authority that another object of this run declares",
				map[string]any{"thumbprint": strings.ToUpper(m.Thumbprint.ValueString())})
			continue
		}
		// "" is a CA already deleted out of band; a state written before duplicates were refused may list one twice.
		if id := m.ID.ValueString(); id != "" && !seen[id] {
			seen[id] = true
			left = append(left, m)
		}
	}
	if len(left) > 0 {
		if err := r.deleteOnce(ctx, pkiID, left, deadline); err != nil {
			return err
		}
	}
	_, err = r.waitIdle(ctx, pkiID, deadline)
	return err
}

// deleteOnce deletes the CAs through graph.WriteOnce: Graph refuses a delete while a job runs in the PKI (a bad
// request), so the refused ones are deleted again once the PKI is idle; a lost answer or a 5xx is settled by listing
// the PKI's CAs, never by deleting blindly again.
func (r *uploadResource) deleteOnce(ctx context.Context, pkiID string, left []certificateAuthorityModel, deadline time.Time) error {
	g := r.client.Graph
	_, err := graph.WriteOnce[struct{}]{
		What:      fmt.Sprintf("deletion of certificate authorities from PKI %s", pkiID),
		LogFields: map[string]any{"pki_id": pkiID},
		Send: func(ctx context.Context) (struct{}, error) {
			ids := make([]string, 0, len(left))
			for _, m := range left {
				ids = append(ids, m.ID.ValueString())
			}
			var again []certificateAuthorityModel
			var refused, failed error
			for i, err := range g.DeleteCertificateAuthorities(ctx, pkiID, ids) {
				switch {
				case err == nil:
					tflog.Info(ctx, "Deleted certificate authority", map[string]any{"thumbprint": left[i].Thumbprint.ValueString()})
					continue
				case graph.IsBadRequest(err):
					refused = err // probably a job started meanwhile
				case failed == nil:
					failed = fmt.Errorf("deleting certificate authority %s (%s) from PKI %s: %w", ids[i], left[i].Thumbprint.ValueString(), pkiID, err)
				}
				again = append(again, left[i])
			}
			left = again
			if failed != nil {
				return struct{}{}, failed
			}
			return struct{}{}, refused
		},
		// Which of them the PKI still lists (none when the PKI is gone).
		Look: func(ctx context.Context) (struct{}, bool, error) {
			cas, err := g.ListCertificateAuthorities(ctx, pkiID)
			if graph.IsNotFound(err) {
				left = nil
				return struct{}{}, true, nil
			}
			if err != nil {
				return struct{}{}, false, err
			}
			listed := map[string]bool{}
			for _, ca := range cas {
				listed[strings.ToLower(ca.ID)] = true
			}
			var still []certificateAuthorityModel
			for _, m := range left {
				if listed[strings.ToLower(m.ID.ValueString())] {
					still = append(still, m)
				}
			}
			left = still
			return struct{}{}, len(left) == 0, nil
		},
		Refused: func(ctx context.Context, err error) (bool, error) {
			if !graph.IsBadRequest(err) {
				return false, err
			}
			gone, werr := r.waitIdle(ctx, pkiID, deadline)
			return !gone && werr == nil, werr
		},
		Deadline: deadline,
	}.Run(ctx, r.client.Clock)
	return err
}

// waitIdle waits until the PKI runs no job; gone reports that it does not exist.
func (r *uploadResource) waitIdle(ctx context.Context, pkiID string, deadline time.Time) (gone bool, err error) {
	p, err := r.client.Graph.GetPKI(ctx, pkiID)
	if graph.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading PKI %s: %w", pkiID, err)
	}
	if !graph.PKIRunning(p.Status) {
		return false, nil
	}
	_, err = r.client.Graph.WaitForPKIJob(ctx, pkiID, time.Time{}, deadline)
	if graph.IsNotFound(err) {
		return true, nil
	}
	return false, err
}
