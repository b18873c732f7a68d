package graph

import (
	"context"
	"slices"
	"strconv"
	"sync"
)

// ListPKIsShared lists PKIs as ListPKIs does (one request per page), once per operation: callers with the same
// display name share the list, in flight or done, until this client writes a PKI or a CA (pkiReads.writes
// changes) or creates one (CreatePKI bumps the count too). Each PKI it lists is offered to the read cache, so
// GetPKICached answers from it for the rest of the operation. The list resources and the plural data source of one
// operation thus read the tenant's PKIs once.
func (c *Client) ListPKIsShared(ctx context.Context, displayName string) ([]PKI, error) {
	since := c.pkiReads.writes()
	return c.pkiLists.get(ctx, listKey(displayName, since), false, func(ctx context.Context) ([]PKI, error) {
		list, err := c.ListPKIs(ctx, displayName)
		if err != nil {
			return nil, err
		}
		for i := range list {
			p := list[i]
			c.pkiReads.offer(p.ID, &p, since)
		}
		return list, nil
	})
}

// ListAPIConnectorsShared lists connectors as ListAPIConnectors does (one request per page), once per operation as
// ListPKIsShared does, and offers each to the read cache, so GetAPIConnectorCached (certificate refreshes, plans)
// answers from this list for the rest of the operation.
func (c *Client) ListAPIConnectorsShared(ctx context.Context, displayName string) ([]APIConnector, error) {
	since := c.connectorReads.writes()
	return c.connectorLists.get(ctx, listKey(displayName, since), false, func(ctx context.Context) ([]APIConnector, error) {
		list, err := c.ListAPIConnectors(ctx, displayName)
		if err != nil {
			return nil, err
		}
		for i := range list {
			a := list[i]
			c.connectorReads.offer(a.ID, &a, since)
		}
		return list, nil
	})
}

// listKey names one shared list: its filter and the count of the object cache's writes when it was asked for, so a
// write makes the next caller list again.
func listKey(displayName string, writes uint64) string {
	return strconv.FormatUint(writes, 10) + "\x00" + displayName
}

// newObjectKey is the read caches' key that creations invalidate: no object has it, but the writes count changes, so
// the shared lists made before a creation are not reused after it (or after a creation whose answer was lost).
const newObjectKey = "\x00new object"

func clonePKIs(l []PKI) []PKI { return slices.Clone(l) }

func cloneAPIConnectors(l []APIConnector) []APIConnector {
	out := slices.Clone(l)
	for i := range out {
		out[i] = *cloneAPIConnector(&out[i])
	}
	return out
}

// PKIWithCAs is one PKI and its certificate authorities.
type PKIWithCAs struct {
	PKI
	CertificateAuthorities []CertificateAuthority
}

// caListConcurrency bounds the CA lists of ListPKIsWithCAs in flight at once.
const caListConcurrency = 4

// ListPKIsWithCAs lists the PKIs (ListPKIsShared) and the certificate authorities of each, one request per page,
// a few PKIs at a time, in Graph's order of PKIs. A PKI deleted between the two lists (its CA list answers 404) is
// left out, as a list made a moment later would.
func (c *Client) ListPKIsWithCAs(ctx context.Context, displayName string) ([]PKIWithCAs, error) {
	pkis, err := c.ListPKIsShared(ctx, displayName)
	if err != nil {
		return nil, err
	}
	out := make([]PKIWithCAs, len(pkis))
	gone := make([]bool, len(pkis))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, caListConcurrency)
	for i := range pkis {
		out[i].PKI = pkis[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				return
			}
			cas, err := c.ListCertificateAuthorities(ctx, pkis[i].ID)
			switch {
			case IsNotFound(err):
				gone[i] = true
			case err != nil:
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			default:
				out[i].CertificateAuthorities = cas
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	kept := out[:0]
	for i := range out {
		if !gone[i] {
			kept = append(kept, out[i])
		}
	}
	return kept, nil
}
