package graphemu

import (
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// PKISwitches turn on real-Graph behaviours of PKIs that the emulator leaves off by default (see graph-api.md
// §3a). The zero value is today's documented default: new PKIs visible at once, fresh reads, every CA of a job
// added at its end.
type PKISwitches struct {
	// ReplicaLag makes a new PKI answer 404 on GET, on its CA list, on lists and on upload for this long after it
	// was created (Entra's replication window). It adds to SetReadAfterWriteLag, which spares writes.
	ReplicaLag time.Duration
	// StaleReads makes GETs and lists of a PKI show the PKI as it was before an accepted upload for this long
	// (the old final status and lastModifiedDateTime), as a lagging replica does.
	StaleReads time.Duration
	// ProgressiveJobs adds an upload job's CAs one by one, evenly over the job, instead of all at its end.
	ProgressiveJobs bool
	// FailUploadJobs makes the next n upload jobs (on any PKI) fail after adding FailAfterCAs of their CAs.
	FailUploadJobs int
	FailAfterCAs   int
}

// SetPKISwitches replaces the PKI switches; they apply to PKIs created and uploads accepted from now on.
func (e *Emulator) SetPKISwitches(s PKISwitches) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pkiSwitches = s
}

// FailNextJobAfter makes the next upload job of the PKI add the first k CAs of its file, then end with status
// (e.g. "failed") and statusDetails: the partial job Graph documents ("as each CA is uploaded, it's available").
func (e *Emulator) FailNextJobAfter(pkiID string, k int, status, statusDetails string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.pkis[normID(pkiID)]; p != nil {
		p.failNext = &jobOutcome{status: status, details: statusDetails, addFirst: k}
	}
}

type job struct {
	start, end time.Time
	// pending are the file's CAs; the first `land` of them reach the PKI (all on success, addFirst on a
	// failure), one by one when progressive, else at the end. landed counts those added so far.
	pending      []pkcs.CertificateAuthority
	land, landed int
	progressive  bool
	outcome      jobOutcome
}

type jobOutcome struct {
	status, details string
	// addFirst is how many CAs of the file a failing job adds before it fails.
	addFirst int
}

// newUploadJob is the job an accepted upload starts (cas nil when the file is unusable). Callers hold e.mu.
func (e *Emulator) newUploadJob(p *pki, now time.Time, cas []pkcs.CertificateAuthority, problem *uploadProblem) *job {
	j := &job{start: now, end: now.Add(e.uploadDuration), pending: cas, outcome: jobOutcome{status: StatusSucceeded},
		progressive: e.pkiSwitches.ProgressiveJobs}
	switch {
	case problem != nil:
		j.outcome = jobOutcome{status: StatusFailed, details: problem.msg}
	case p.failNext != nil:
		j.outcome = *p.failNext
		p.failNext = nil
	case e.pkiSwitches.FailUploadJobs > 0:
		e.pkiSwitches.FailUploadJobs--
		j.outcome = jobOutcome{status: StatusFailed, addFirst: e.pkiSwitches.FailAfterCAs,
			details: "The upload failed after some certificate authorities were added (emulated partial job)."}
	}
	j.land = len(cas)
	if j.outcome.status != StatusSucceeded {
		j.land = min(max(j.outcome.addFirst, 0), len(cas))
	}
	return j
}

// settle brings a job up to the clock: job progress is computed lazily, no goroutines. Callers hold e.mu.
func (e *Emulator) settle(p *pki, now time.Time) {
	j := p.job
	if j == nil {
		return
	}
	due := j.land
	if now.Before(j.end) {
		if !j.progressive {
			return
		}
		// CA i lands at start + (i+1)/(land+1) of the job, so the last lands before the job ends.
		due = int(int64(j.land+1) * int64(now.Sub(j.start)) / int64(j.end.Sub(j.start)))
		due = min(due, j.land)
	}
	for ; j.landed < due; j.landed++ {
		if a := j.pending[j.landed]; p.caByThumbprint(a.Thumbprint) == nil {
			p.cas = append(p.cas, newCA(a, now))
		}
	}
	if now.Before(j.end) {
		return
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

// staleView is what a lagging replica shows of the PKI (ok false: the current state). Callers hold e.mu.
func (p *pki) staleView(now time.Time) (pkiJSON, bool) {
	if p.stale == nil || !now.Before(p.staleUntil) {
		return pkiJSON{}, false
	}
	return *p.stale, true
}

// readView is the PKI as a read sees it: settled, or as a stale replica shows it. Callers hold e.mu.
func (e *Emulator) readView(p *pki, now time.Time) pkiJSON {
	e.settle(p, now)
	if v, ok := p.staleView(now); ok {
		return v
	}
	return p.view()
}

// replicating reports whether a new PKI is still inside the replica lag, where even writes answer 404.
// Callers hold e.mu.
func (p *pki) replicating(now time.Time) bool { return now.Before(p.replicatedAt) }
