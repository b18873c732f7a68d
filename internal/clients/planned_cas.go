package clients

import (
	"strings"
	"sync"
)

// PlannedCAs is the per-provider-instance registry of the certificate authorities that resources of this run plan to
// put in a PKI (the CA resource and the upload record them in their ModifyPlan). The CBA policy's plan check accepts a
// subject key identifier found here: Terraform plans a referenced CA before the policy that names it, so a CA created
// or rotated in the same run is known to the check although Graph does not hold it yet. The zero value is ready to use
// and it is safe for concurrent use.
type PlannedCAs struct {
	mu   sync.Mutex
	skis map[string]string // upper-case SKI -> PKI id ("" while unknown)
}

// Add records that a CA with subject key identifier ski is planned for the PKI pkiID ("" when not known yet).
func (p *PlannedCAs) Add(pkiID, ski string) {
	if ski == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.skis == nil {
		p.skis = map[string]string{}
	}
	key := strings.ToUpper(ski)
	if prev, ok := p.skis[key]; !ok || prev == "" {
		p.skis[key] = pkiID
	}
}

// Has reports whether a CA with subject key identifier ski (compared case-insensitively) is planned in this run.
func (p *PlannedCAs) Has(ski string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.skis[strings.ToUpper(ski)]
	return ok
}
