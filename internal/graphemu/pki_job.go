package graphemu

import (
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

type job struct {
	end     time.Time
	pending []pkcs.CertificateAuthority
	outcome jobOutcome
}

type jobOutcome struct{ status, details string }

// settle applies a job whose end has passed: job progress is computed lazily from the clock, no goroutines.
// Callers hold e.mu.
func (e *Emulator) settle(p *pki, now time.Time) {
	j := p.job
	if j == nil || now.Before(j.end) {
		return
	}
	if j.outcome.status == StatusSucceeded {
		for _, a := range j.pending {
			if p.caByThumbprint(a.Thumbprint) == nil {
				p.cas = append(p.cas, newCA(a, j.end))
			}
		}
	}
	p.status = j.outcome.status
	p.statusDetails = nil
	if j.outcome.details != "" {
		d := j.outcome.details
		p.statusDetails = &d
	}
	p.lastModified = j.end
	p.job = nil
}
