package graphemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// ---- upload ----

const msgInProgress = "Another upload or delete operation is in progress for this PKI. Only one operation can run at a time; wait until its status is no longer 'running'."

// uploadProblem is a reason an upload cannot succeed; with DeferUploadValidation it becomes the job's statusDetails.
type uploadProblem struct{ msg string }

func (e *Emulator) uploadPKI(c *call, id string) {
	if !e.requirePKI(c, id) {
		return
	}
	o, ok := c.typedObject("microsoft.graph.certificateBasedAuthPki.upload", "uploadUrl", "sha256FileHash")
	if !ok {
		return
	}
	vals, ok := c.requiredStrings(o, "parameter", "uploadUrl", "sha256FileHash")
	if !ok {
		return
	}
	rawURL, hash := vals[0], vals[1]
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL is not repeated: it may carry a SAS token.
		c.badRequest("The uploadUrl is not an absolute http or https URL.")
		return
	}

	// Reserve the PKI, then download without holding the lock: the URL may point back at this emulator.
	e.mu.Lock()
	p := e.writablePKI(id, e.clk.Now())
	switch {
	case p == nil || p.replicating(e.clk.Now()):
		e.mu.Unlock()
		c.objectNotFound(id)
		return
	case p.job != nil || p.downloading:
		e.mu.Unlock()
		c.badRequest(msgInProgress)
		return
	}
	p.downloading = true
	e.mu.Unlock()

	cas, problem := e.fetchBundle(c.r.Context(), u, hash)

	e.mu.Lock()
	now := e.clk.Now()
	p.downloading = false
	if e.pkis[p.id] != p {
		e.mu.Unlock()
		c.objectNotFound(id)
		return
	}
	// StartExternalJob may have begun another operation while the file downloaded.
	e.settle(p, now)
	if p.job != nil {
		e.mu.Unlock()
		c.badRequest(msgInProgress)
		return
	}
	if problem == nil {
		for _, a := range cas {
			if p.caByThumbprint(a.Thumbprint) != nil {
				problem = &uploadProblem{fmt.Sprintf("Duplicate Certificate exists: the certificate %s is already in this PKI.", strings.ToUpper(a.Thumbprint))}
				break
			}
		}
	}
	if problem != nil && !e.deferUploads {
		e.mu.Unlock()
		c.badRequest("%s", problem.msg)
		return
	}
	j := e.newUploadJob(p, now, cas, problem)
	if d := e.pkiSwitches.StaleReads; d > 0 {
		v := p.view()
		p.stale, p.staleUntil = &v, now.Add(d)
	}
	p.job = j
	p.status, p.statusDetails = StatusRunning, nil
	p.lastModified = now
	e.mu.Unlock()
	c.noContent()
}

// fetchBundle downloads uploadUrl and checks it the way the service does: size, hash, PKCS#7, limits.
func (e *Emulator) fetchBundle(ctx context.Context, u *url.URL, wantHash string) ([]pkcs.CertificateAuthority, *uploadProblem) {
	data, err := e.download(ctx, u)
	if err != nil {
		return nil, &uploadProblem{fmt.Sprintf("The file at uploadUrl could not be downloaded: %v", err)}
	}
	if len(data) > pkcs.MaxBundleSize {
		return nil, &uploadProblem{"The PKI file is larger than the 2 MB limit."}
	}
	got := pkcs.SHA256Hex(data)
	if !strings.EqualFold(got, strings.TrimSpace(wantHash)) {
		return nil, &uploadProblem{fmt.Sprintf("The sha256FileHash %s does not match the SHA-256 hash of the downloaded file (%s).", strings.TrimSpace(wantHash), got)}
	}
	cas, err := pkcs.ParseCertificateBundle(data)
	if err != nil {
		switch {
		case errors.Is(err, pkcs.ErrTooManyCAs):
			return nil, &uploadProblem{"The PKI file holds more than the limit of 250 certificate authorities."}
		case errors.Is(err, pkcs.ErrCATooLarge):
			return nil, &uploadProblem{"A certificate authority in the PKI file is larger than the 8 KB limit."}
		case errors.Is(err, pkcs.ErrFileTooLarge):
			return nil, &uploadProblem{"The PKI file is larger than the 2 MB limit."}
		case errors.Is(err, pkcs.ErrNoCertificates):
			return nil, &uploadProblem{"The PKI file holds no certificates."}
		default:
			return nil, &uploadProblem{fmt.Sprintf("The file is not a valid PKCS#7 (.p7b) certificate file: %v", err)}
		}
	}
	// A bundle listing one certificate twice is one CA, not a duplicate of an existing one.
	seen := map[string]bool{}
	out := cas[:0]
	for _, a := range cas {
		t := strings.ToUpper(a.Thumbprint)
		if !seen[t] {
			seen[t] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// checkDownloadURL enforces http/https and, unless remote downloads are allowed, loopback hosts only,
// so tests never leave the machine.
func (e *Emulator) checkDownloadURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("only http and https URLs can be downloaded, not %q", u.Scheme)
	}
	if e.allowRemote {
		return nil
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("the emulator only downloads from loopback hosts, not %q (enable remote downloads to allow it)", host)
}

func (e *Emulator) download(ctx context.Context, u *url.URL) ([]byte, error) {
	if err := e.checkDownloadURL(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.downloadClient.Do(req)
	if err != nil {
		// The URL may embed credentials (a SAS token); report only scheme, host and path.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("GET %s://%s%s: %w", u.Scheme, u.Host, u.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("GET %s://%s%s answered %d %s", u.Scheme, u.Host, u.Path, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	// One byte past the limit is enough to know the file is too large.
	return io.ReadAll(io.LimitReader(resp.Body, pkcs.MaxBundleSize+1))
}
