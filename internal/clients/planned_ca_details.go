package clients

import (
	"sort"
	"strings"
	"sync"
)

// PlannedCA is a certificate authority that a resource of this run plans to put in a PKI (a CA resource or an
// upload, in its ModifyPlan), with what the CBA policy's CRL pre-flight and the chain check need: its certificate and
// the CRL URL Graph will record for it.
type PlannedCA struct {
	PKIID      string // "" while unknown
	Subject    string
	Issuer     string
	Thumbprint string
	SKI        string
	AKI        string
	CRLURL     string // "" when none
	DER        []byte
}

// PlannedCADetails is the registry of PlannedCA of one provider instance, by thumbprint. It complements PlannedCAs
// (subject key identifiers only). Safe for concurrent use.
type PlannedCADetails struct {
	mu sync.Mutex
	m  map[string]PlannedCA
}

// PlannedCADetailsOf is c's registry (nil for a nil client, which Add and All accept).
func PlannedCADetailsOf(c *Client) *PlannedCADetails {
	if c == nil {
		return nil
	}
	return RegistryOf(&c.Registries, "clients/planned-ca-details", func() *PlannedCADetails { return &PlannedCADetails{m: map[string]PlannedCA{}} })
}

// Add records ca; a later plan of the same thumbprint replaces it, keeping a known PKI id.
func (p *PlannedCADetails) Add(ca PlannedCA) {
	if p == nil || ca.Thumbprint == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	key := strings.ToUpper(ca.Thumbprint)
	if prev, ok := p.m[key]; ok && ca.PKIID == "" {
		ca.PKIID = prev.PKIID
	}
	p.m[key] = ca
}

// All is every planned CA, by thumbprint.
func (p *PlannedCADetails) All() []PlannedCA {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PlannedCA, 0, len(p.m))
	for _, ca := range p.m {
		out = append(out, ca)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Thumbprint < out[j].Thumbprint })
	return out
}
