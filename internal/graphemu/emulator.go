// Package graphemu emulates the Microsoft Graph v1.0 endpoints this provider manages (API connectors and
// certificate-based-authentication PKIs) as documented, for acceptance tests, the demo and users' own CI.
package graphemu

import (
	"net/http"
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
}

// Emulator is an http.Handler with in-memory state, safe for concurrent use.
type Emulator struct{}

// New returns an emulator with no objects.
func New(opts Options) *Emulator { panic("TODO") }

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { panic("TODO") }

// Fault scripts an answer for matching requests.
type Fault struct {
	// Method ("" = any) and Path, a pattern below /v1.0 where * matches one path segment,
	// e.g. "/identity/apiConnectors/*/uploadClientCertificate".
	Method, Path string
	// Count is how many matching requests get the fault (0 = 1).
	Count int
	// Status and Code are answered in Graph's error shape (Code defaults per status); RetryAfter sets the header.
	Status     int
	Code       string
	RetryAfter string
	// DropAfterProcessing processes the request normally, then closes the connection without answering
	// (the lost-response case). Status is ignored then.
	DropAfterProcessing bool
	// Probability, when > 0, answers each matching request with the fault at this rate (0..1) instead of
	// counting; used for throttling storms. Count is ignored then.
	Probability float64
}

// AddFault adds a scripted fault.
func (e *Emulator) AddFault(f Fault) { panic("TODO") }

// ClearFaults removes every scripted fault.
func (e *Emulator) ClearFaults() { panic("TODO") }

// SetLatency delays every answer by d.
func (e *Emulator) SetLatency(d time.Duration) { panic("TODO") }

// SetReadAfterWriteLag makes newly created objects (connectors, PKIs) and newly uploaded certificates
// invisible to reads (404, or missing from certificateList) for d after the write.
func (e *Emulator) SetReadAfterWriteLag(d time.Duration) { panic("TODO") }

// JournalEntry is one handled request. Bodies are never recorded.
type JournalEntry struct {
	Time     time.Time
	Method   string
	Path     string // below /v1.0, without query, e.g. "/identity/apiConnectors/ID/uploadClientCertificate"
	Query    string
	Status   int // 0 when the connection was dropped
	Duration time.Duration
}

// Journal returns a copy of every request handled so far.
func (e *Emulator) Journal() []JournalEntry { panic("TODO") }

// Count returns how many journal entries match method ("" = any) and a Fault-style path pattern.
func (e *Emulator) Count(method, pathPattern string) int { panic("TODO") }

// ResetJournal empties the journal.
func (e *Emulator) ResetJournal() { panic("TODO") }

// FailNextJob makes the next upload job of the PKI end with status (e.g. "failed") and statusDetails.
func (e *Emulator) FailNextJob(pkiID, status, statusDetails string) { panic("TODO") }

// StartExternalJob marks the PKI as running for d, as if another actor had started an upload.
func (e *Emulator) StartExternalJob(pkiID string, d time.Duration) { panic("TODO") }

// SetUploadDuration changes how long later PKI upload jobs run.
func (e *Emulator) SetUploadDuration(d time.Duration) { panic("TODO") }
