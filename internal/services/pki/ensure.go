package pki

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

type ensureArgs struct {
	PKIID, UploadURL, SHA256 string
	Expected                 []pkcs.CertificateAuthority // from the verified file, in file order
	Deadline                 time.Time
}

type ensureResult struct {
	// Uploaded is set once Graph accepted the upload (or may have: the answer was lost).
	Uploaded              bool
	Status, StatusDetails string
	CAs                   []graph.CertificateAuthority // in file order
}

// ensure makes the file's certificate authorities present in the PKI: it waits for a running job, adopts
// them when all are there, refuses when only some are, and otherwise uploads once and waits for the job.
// Uploads to one PKI are serialized within the provider.
func (r *uploadResource) ensure(ctx context.Context, a ensureArgs) (ensureResult, error) {
	var res ensureResult
	g, clk := r.client.Graph, r.client.Clock
	unlock, err := lockPKI(ctx, r.client.Locks, a.PKIID)
	if err != nil {
		return res, err
	}
	defer unlock()

	accepted := false   // Graph answered the upload with 204
	var rejection error // Graph answered 400 while no job ran
	uploads := 0
	for {
		p, err := g.GetPKI(ctx, a.PKIID)
		if graph.IsNotFound(err) {
			return res, &detailedError{path.Root("pki_id"), "The PKI does not exist",
				fmt.Sprintf("No certificate-based-authentication PKI has the ID %s (or it was deleted). Check pki_id.", a.PKIID)}
		}
		if err != nil {
			return res, fmt.Errorf("reading PKI %s: %w", a.PKIID, err)
		}
		res.Status, res.StatusDetails = p.Status, p.StatusDetails
		if p.Status == graph.PKIStatusRunning {
			what := "job already running in PKI " + a.PKIID
			if res.Uploaded {
				what = "upload job of PKI " + a.PKIID
			}
			tflog.Info(ctx, "Waiting for the "+what)
			st, err := WaitForJob(ctx, clk, pkiStatusSource(g, a.PKIID), PollOptions{What: what, Deadline: a.Deadline,
				LogFields: map[string]any{"pki_id": a.PKIID}})
			if err != nil {
				return res, err
			}
			res.Status, res.StatusDetails = st.Status, st.StatusDetails
		}
		if accepted && res.Status != graph.PKIStatusSucceeded {
			return res, &detailedError{path.Root("upload_url"), "The PKI upload job failed",
				fmt.Sprintf("The upload job of PKI %s ended with status %q: %s\n\nNothing was recorded. Fix the cause "+
					"(Microsoft Graph must be able to download upload_url, and the file must match sha256_file_hash) and apply again.",
					a.PKIID, res.Status, orNone(res.StatusDetails))}
		}

		cas, err := g.ListCertificateAuthorities(ctx, a.PKIID)
		if err != nil {
			return res, fmt.Errorf("listing the certificate authorities of PKI %s: %w", a.PKIID, err)
		}
		present, missing := classify(a.Expected, cas)
		if accepted && len(missing) > 0 {
			// The job succeeded; its certificate authorities may take a moment to be listed.
			present, missing, err = waitForCAs(ctx, r.client, a, caVisibleWait)
			if err != nil {
				return res, err
			}
			if len(missing) > 0 {
				return res, &detailedError{path.Root("upload_url"), "Certificate authorities missing after the upload",
					fmt.Sprintf("The upload job of PKI %s succeeded, but these certificate authorities of the file are not in the PKI: %s. "+
						"Check the PKI in the Entra admin center, then apply again.", a.PKIID, describe(missingCAs(missing)))}
			}
		}
		if len(missing) == 0 {
			if !res.Uploaded {
				tflog.Info(ctx, "Every certificate authority of the file is already in the PKI; adopting them without an upload",
					map[string]any{"count": len(present)})
			}
			res.CAs = present
			return res, nil
		}
		if len(present) > 0 {
			return res, &detailedError{path.Root("upload_url"), "Some certificate authorities of the file are already in the PKI",
				fmt.Sprintf("PKI %s already holds %s, but not %s. Graph refuses a .p7b with a certificate that is already "+
					"present (\"Duplicate Certificate exists\"), so nothing was uploaded.\n\nEither delete the certificate "+
					"authorities already present from the PKI (Entra admin center, Security > Public key infrastructure; or "+
					"import them with their own entracert_certificate_based_auth_pki_upload) and apply again, or upload a .p7b "+
					"that holds only the missing ones.", a.PKIID, describe(present), describe(missingCAs(missing)))}
		}
		if rejection != nil {
			return res, &detailedError{path.Root("upload_url"), "Graph rejected the upload",
				fmt.Sprintf("Uploading %s to PKI %s: %v", safeURLString(a.UploadURL), a.PKIID, rejection)}
		}
		if uploads >= maxUploadAttempts {
			return res, fmt.Errorf("uploading to PKI %s: gave up after %d attempts (their answers were lost or another job kept the PKI busy)", a.PKIID, uploads)
		}

		uploads++
		tflog.Info(ctx, "Uploading the .p7b to the PKI", map[string]any{"upload_url": safeURLString(a.UploadURL), "sha256": a.SHA256})
		err = g.UploadPKI(ctx, a.PKIID, a.UploadURL, a.SHA256)
		switch {
		case err == nil:
			accepted, res.Uploaded = true, true
		case graph.IsOutcomeUnknown(err):
			// It may have started a job: look before deciding to send it again.
			tflog.Warn(ctx, "The upload's answer was lost; checking the PKI before trying again", map[string]any{"error": err.Error()})
			res.Uploaded = true
		case graph.StatusCode(err) == http.StatusBadRequest:
			// Either another actor's job is running ("in progress": wait and try again) or a certificate
			// arrived meanwhile ("duplicate": the next look adopts or names them). Decide on state, not message.
			p, gerr := g.GetPKI(ctx, a.PKIID)
			if gerr == nil && p.Status == graph.PKIStatusRunning {
				tflog.Info(ctx, "Another upload to the PKI is in progress; waiting for it, then trying again", map[string]any{"error": err.Error()})
				continue
			}
			rejection = err
		default:
			return res, fmt.Errorf("uploading %s to PKI %s: %w", safeURLString(a.UploadURL), a.PKIID, err)
		}
	}
}

// classify splits the expected certificate authorities into those the PKI holds (as Graph shows them,
// in file order) and those it does not.
func classify(expected []pkcs.CertificateAuthority, cas []graph.CertificateAuthority) ([]graph.CertificateAuthority, []pkcs.CertificateAuthority) {
	byThumb := map[string]graph.CertificateAuthority{}
	for _, ca := range cas {
		byThumb[strings.ToUpper(ca.Thumbprint)] = ca
	}
	var present []graph.CertificateAuthority
	var missing []pkcs.CertificateAuthority
	for _, e := range expected {
		if ca, ok := byThumb[strings.ToUpper(e.Thumbprint)]; ok {
			present = append(present, ca)
		} else {
			missing = append(missing, e)
		}
	}
	return present, missing
}

func waitForCAs(ctx context.Context, c *clients.Client, a ensureArgs, limit time.Duration) ([]graph.CertificateAuthority, []pkcs.CertificateAuthority, error) {
	end := c.Clock.Now().Add(limit)
	wait := time.Second
	for {
		if err := c.Clock.Sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
		cas, err := c.Graph.ListCertificateAuthorities(ctx, a.PKIID)
		if err != nil {
			return nil, nil, fmt.Errorf("listing the certificate authorities of PKI %s: %w", a.PKIID, err)
		}
		present, missing := classify(a.Expected, cas)
		if len(missing) == 0 || !c.Clock.Now().Before(end) {
			return present, missing, nil
		}
		wait = min(2*wait, 8*time.Second)
	}
}

// deleteCertificateAuthorities deletes the recorded certificate authorities (missing ones ignored), then
// waits until the PKI no longer runs a job.
func (r *uploadResource) deleteCertificateAuthorities(ctx context.Context, pkiID string, recorded []certificateAuthorityModel, deadline time.Time) error {
	g := r.client.Graph
	unlock, err := lockPKI(ctx, r.client.Locks, pkiID)
	if err != nil {
		return err
	}
	defer unlock()

	if gone, err := r.waitIdle(ctx, pkiID, deadline); gone || err != nil {
		return err
	}
	for _, m := range recorded {
		caID := m.ID.ValueString()
		for attempt := 1; ; attempt++ {
			err := g.DeleteCertificateAuthority(ctx, pkiID, caID)
			if err == nil || graph.IsNotFound(err) {
				break
			}
			if graph.StatusCode(err) == http.StatusBadRequest && attempt < 3 {
				// Probably a job started meanwhile: wait for it and try again.
				if gone, werr := r.waitIdle(ctx, pkiID, deadline); gone || werr != nil {
					return werr
				}
				continue
			}
			return fmt.Errorf("deleting certificate authority %s (%s) from PKI %s: %w", caID, m.Thumbprint.ValueString(), pkiID, err)
		}
		tflog.Info(ctx, "Deleted certificate authority", map[string]any{"thumbprint": m.Thumbprint.ValueString()})
	}
	_, err = r.waitIdle(ctx, pkiID, deadline)
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
	if p.Status != graph.PKIStatusRunning {
		return false, nil
	}
	_, err = WaitForJob(ctx, r.client.Clock, pkiStatusSource(r.client.Graph, pkiID),
		PollOptions{What: "job of PKI " + pkiID, Deadline: deadline, LogFields: map[string]any{"pki_id": pkiID}})
	if graph.IsNotFound(err) {
		return true, nil
	}
	return false, err
}

// lockPKI serializes writes to one PKI within the provider; it gives up when ctx ends.
func lockPKI(ctx context.Context, locks *clients.KeyedMutex, pkiID string) (func(), error) {
	if locks == nil {
		return func() {}, nil
	}
	unlock, err := locks.Lock(ctx, "pki/"+strings.ToLower(pkiID))
	if err != nil {
		return nil, errors.New("stopped while waiting for another upload to the same PKI in this run: " + err.Error())
	}
	return unlock, nil
}

func missingCAs(m []pkcs.CertificateAuthority) []graph.CertificateAuthority {
	out := make([]graph.CertificateAuthority, 0, len(m))
	for _, ca := range m {
		out = append(out, graph.CertificateAuthority{Thumbprint: ca.Thumbprint, DisplayName: ca.Subject})
	}
	return out
}

func describe(cas []graph.CertificateAuthority) string {
	parts := make([]string, 0, len(cas))
	for _, ca := range cas {
		if ca.DisplayName != "" {
			parts = append(parts, fmt.Sprintf("%s (%s)", strings.ToUpper(ca.Thumbprint), ca.DisplayName))
		} else {
			parts = append(parts, strings.ToUpper(ca.Thumbprint))
		}
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(no details)"
	}
	return s
}
