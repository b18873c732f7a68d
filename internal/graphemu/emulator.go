// Package graphemu emulates the Microsoft Graph v1.0 endpoints this provider manages (API connectors and
// certificate-based-authentication PKIs) as documented, for acceptance tests, the demo and users' own CI.
//
// Choices where Graph's documentation is silent (each is repeated where it is implemented):
//   - @odata.context uses the request's own scheme and host (real Graph uses its own host per cloud).
//     Connectors carry no top-level @odata.type (as in the documented examples); PKIs and CAs do.
//   - Uploading a client certificate whose thumbprint is already in certificateList keeps one entry and
//     moves it to most recently uploaded. Expired and not-yet-valid certificates are accepted, listed, inactive.
//     Uploading onto a basic-auth connector switches it to clientCertificateAuthentication (RefuseUploadsOnBasicAuth
//     refuses it instead). PBES2 (AES) PFX files are accepted unless RejectPBES2 is set.
//   - A new PKI reports status "succeeded" and statusDetails null before any upload; a failed job ends "failed".
//   - Deleting a PKI is immediate (no delete job), even while an upload job runs; the PKI (with its CAs) and a CA
//     deleted on its own go to the deleted items, restorable for 30 days (deleted_items.go).
//   - 404 codes: Request_ResourceNotFound for PKIs and CAs (directory objects), ResourceNotFound for connectors.
//     Unknown segments under /v1.0 answer 400 "Resource not found for the segment", as Graph does; 405 answers
//     MethodNotAllowed with an Allow header. innerError.date has no zone, as Graph writes it.
//   - Unknown body properties answer 400, as Graph does. A CA's facts come from its certificate; a caller's
//     certificateAuthorityType, CRL URLs and displayName override the derived ones.
//   - $filter (displayName eq / startswith) compares case-insensitively. Lists page at 100 items (or $top)
//     with an @odata.nextLink carrying an opaque $skiptoken.
//   - Read-after-write lag hides new objects from GETs and lists (writes reach them at once); isActive is
//     computed over the certificates a lagging read shows.
//   - With DeferUploadValidation, malformed requests (missing parameters, a non-http URL) and "in progress"
//     still answer 400 at once; only download, hash, parse, limit and duplicate problems are deferred.
package graphemu

import (
	"math/rand"
	"net/http"
	"sync"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// Options configures an Emulator. The zero value is usable.
type Options struct {
	// Token is the bearer token every request must carry; "" accepts any non-empty bearer token.
	Token string
	// UploadDuration is how long a PKI upload job stays "running" (default 3s).
	UploadDuration time.Duration
	// Clock is the emulator's time (job progress, read-after-write lag, notBefore/notAfter checks). Default real.
	Clock clock.Clock
	// AllowRemoteDownloads lets PKI uploads fetch non-loopback URLs (default: loopback hosts only).
	AllowRemoteDownloads bool
	// DeferUploadValidation accepts every PKI upload with 204 and reports hash, download, parse and duplicate
	// problems as the job's final status ("failed") with statusDetails, instead of answering 400 at once.
	DeferUploadValidation bool
	// Files, when set, is served without authentication under /files/ (so uploads can fetch a .p7b from here).
	Files http.FileSystem
	// HTTPClient downloads uploadUrl (default: a client with a 30s timeout).
	HTTPClient *http.Client
	// FaultSeed seeds the random source behind Fault.Probability (0 = 1), so storms are reproducible.
	FaultSeed int64
	// RejectPBES2 answers a PFX encrypted with PBES2 (AES, OpenSSL 3's default) on uploadClientCertificate and in a
	// pkcs12Certificate as Azure AD B2C does: 400 AADB2C90213 "The certificate password provided in request is
	// incorrect." (default: accepted, as before).
	RejectPBES2 bool
	// RefuseUploadsOnBasicAuth answers uploadClientCertificate onto a connector on basic authentication with 400,
	// so only PATCH authenticationConfiguration (pkcs12Certificate) switches it (default: the upload switches it).
	RefuseUploadsOnBasicAuth bool
}

// DefaultUploadDuration is how long a PKI upload job runs when Options.UploadDuration is 0.
const DefaultUploadDuration = 3 * time.Second

// Emulator is an http.Handler with in-memory state, safe for concurrent use.
type Emulator struct {
	token          string
	clk            clock.Clock
	allowRemote    bool
	deferUploads   bool
	files          http.Handler
	downloadClient *http.Client

	mu             sync.Mutex
	rng            *rand.Rand
	connectors     map[string]*connector
	connectorOrder []string
	pkis           map[string]*pki
	pkiOrder       []string
	faults         []*activeFault
	latency        time.Duration
	lag            time.Duration
	uploadDuration time.Duration
	rejectPBES2    bool
	refuseBasic    bool
	pkiSwitches    PKISwitches
	journal        []JournalEntry
	deleted        *recycleBin // deleted_items.go
	certSeq        uint64
	pageSize       int             // page_size.go
	policy         *cbaPolicyState // policy.go
	userDir        *userDirectory  // users.go
}

// New returns an emulator with no objects.
func New(opts Options) *Emulator {
	e := &Emulator{
		token:          opts.Token,
		clk:            opts.Clock,
		allowRemote:    opts.AllowRemoteDownloads,
		deferUploads:   opts.DeferUploadValidation,
		connectors:     map[string]*connector{},
		pkis:           map[string]*pki{},
		uploadDuration: opts.UploadDuration,
		rejectPBES2:    opts.RejectPBES2,
		refuseBasic:    opts.RefuseUploadsOnBasicAuth,
	}
	if e.clk == nil {
		e.clk = clock.Real{}
	}
	if e.uploadDuration <= 0 {
		e.uploadDuration = DefaultUploadDuration
	}
	seed := opts.FaultSeed
	if seed == 0 {
		seed = 1
	}
	e.rng = rand.New(rand.NewSource(seed))
	if opts.Files != nil {
		e.files = http.StripPrefix("/files", http.FileServer(opts.Files))
	}
	e.downloadClient = opts.HTTPClient
	if e.downloadClient == nil {
		e.downloadClient = &http.Client{
			Timeout: 30 * time.Second,
			// Redirects are held to the same host policy as uploadUrl itself.
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 10 {
					return errTooManyRedirects
				}
				return e.checkDownloadURL(req.URL)
			},
		}
	}
	return e
}

// AddFault adds a scripted fault.
func (e *Emulator) AddFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := f.Count
	if n <= 0 {
		n = 1
	}
	e.faults = append(e.faults, &activeFault{Fault: f, remaining: n})
}

// ClearFaults removes every scripted fault.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = nil
}

// SetLatency delays every answer by d.
func (e *Emulator) SetLatency(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.latency = d
}

// SetReadAfterWriteLag makes newly created objects (connectors, PKIs) and newly uploaded certificates
// invisible to reads (404, or missing from certificateList) for d after the write.
func (e *Emulator) SetReadAfterWriteLag(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lag = d
}

// JournalEntry is one handled request. Bodies are never recorded.
type JournalEntry struct {
	Time     time.Time
	Method   string
	Path     string // below /v1.0, without query, e.g. "/identity/apiConnectors/ID/uploadClientCertificate"
	Query    string
	Status   int // 0 when the connection was dropped
	Duration time.Duration
	// InBatch marks an item of a $batch request (the $batch itself has its own entry): not a request on the wire.
	InBatch bool
}

// Journal returns a copy of every request handled so far.
func (e *Emulator) Journal() []JournalEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]JournalEntry(nil), e.journal...)
}

// Count returns how many journal entries match method ("" = any) and a Fault-style path pattern.
func (e *Emulator) Count(method, pathPattern string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, j := range e.journal {
		if methodMatches(method, j.Method) && pathMatches(pathPattern, j.Path) {
			n++
		}
	}
	return n
}

// ResetJournal empties the journal.
func (e *Emulator) ResetJournal() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.journal = nil
}

// FailNextJob makes the next upload job of the PKI end with status (e.g. "failed") and statusDetails.
func (e *Emulator) FailNextJob(pkiID, status, statusDetails string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.pkis[normID(pkiID)]; p != nil {
		p.failNext = &jobOutcome{status: status, details: statusDetails}
	}
}

// StartExternalJob marks the PKI as running for d, as if another actor had started an upload.
func (e *Emulator) StartExternalJob(pkiID string, d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.pkis[normID(pkiID)]
	if p == nil {
		return
	}
	now := e.clk.Now()
	e.settle(p, now)
	p.job = &job{end: now.Add(d), outcome: jobOutcome{status: StatusSucceeded}}
	p.status, p.statusDetails = StatusRunning, nil
	p.lastModified = now
}

// SetUploadDuration changes how long later PKI upload jobs run.
func (e *Emulator) SetUploadDuration(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if d < 0 {
		d = 0
	}
	e.uploadDuration = d
}
