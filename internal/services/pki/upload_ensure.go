package pki

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

type ensureArgs struct {
	PKIID, UploadURL, SHA256 string
	URLAttr                  string                      // the attribute that gives UploadURL, which diagnostics name ("upload_url" when empty)
	Expected                 []pkcs.CertificateAuthority // from the verified file, in file order
	Deadline                 time.Time
}

func (a ensureArgs) urlAttr() string {
	if a.URLAttr == "" {
		return "upload_url"
	}
	return a.URLAttr
}

type ensureResult struct {
	// Uploaded is set once Graph accepted the upload (or may have: the answer was lost).
	Uploaded              bool
	Status, StatusDetails string
	CAs                   []graph.CertificateAuthority // in file order
	// Found are the file's CAs that were in the PKI before this apply wrote anything, when no job was running or
	// had failed there (such a job may be this upload's own earlier attempt, whose CAs it added): candidates for
	// adoption, by uppercase thumbprint.
	Found map[string]bool
}

// ensure makes the file's certificate authorities present in the PKI. It waits out the replication lag of a PKI
// created a moment ago and any job running in the PKI; adopts the CAs when all are there; adds the missing ones
// one by one when some are (after a partial job, or a CA deleted out of band); and otherwise uploads the file once
// and waits for the job. Uploads to one PKI are serialized within the provider.
func (r *uploadResource) ensure(ctx context.Context, a ensureArgs) (ensureResult, error) {
	var res ensureResult
	g, clk := r.client.Graph, r.client.Clock
	unlock, err := lockPKI(ctx, r.client.Locks, a.PKIID)
	if err != nil {
		return res, err
	}
	defer unlock()

	visibleBy := minTime(clk.Now().Add(graph.PKIVisibleWindow), a.Deadline)
	p, err := g.WaitForPKI(ctx, a.PKIID, visibleBy)
	if graph.IsNotFound(err) {
		return res, errPKINotFound(a.PKIID)
	}
	if err != nil {
		return res, fmt.Errorf("reading PKI %s: %w", a.PKIID, err)
	}
	res.Status, res.StatusDetails = p.Status, p.StatusDetails
	lastJobDone := strings.TrimSpace(p.Status) == "" || graph.PKISucceeded(p.Status)
	if graph.PKIRunning(p.Status) {
		if err := r.waitForOthersJob(ctx, a, &res); err != nil {
			return res, err
		}
	}

	// A look at the PKI: its CAs classified against the file's, and whether a job is running there.
	type look struct {
		present []graph.CertificateAuthority
		missing []pkcs.CertificateAuthority
		running bool
	}
	lookCAs := func(ctx context.Context) (look, bool, error) {
		cas, err := g.ListCertificateAuthorities(ctx, a.PKIID)
		if err != nil {
			return look{}, false, fmt.Errorf("listing the certificate authorities of PKI %s: %w", a.PKIID, err)
		}
		present, missing := classify(a.Expected, cas)
		if res.Found == nil {
			res.Found = map[string]bool{}
			for _, ca := range present {
				if lastJobDone {
					res.Found[strings.ToUpper(ca.Thumbprint)] = true
				}
			}
		}
		return look{present: present, missing: missing}, len(present) > 0, nil
	}
	var sentAt time.Time
	out, err := graph.WriteOnce[look]{
		What:      "upload to PKI " + a.PKIID,
		LogFields: map[string]any{"pki_id": a.PKIID, "sha256": a.SHA256},
		First:     lookCAs,
		Send: func(ctx context.Context) (look, error) {
			sentAt = clk.Now()
			tflog.Info(ctx, "Uploading the .p7b to the PKI", map[string]any{"upload_url": safeURLString(a.UploadURL), "sha256": a.SHA256})
			err := g.UploadPKI(ctx, a.PKIID, a.UploadURL, a.SHA256)
			if err == nil || graph.IsOutcomeUnknown(err) {
				res.Uploaded = true // or may have been
			}
			return look{}, err
		},
		// After a lost answer or a refusal: a running job (perhaps the upload's own) or the file's CAs in the PKI.
		Look: func(ctx context.Context) (look, bool, error) {
			p, err := g.GetPKI(ctx, a.PKIID)
			if err != nil {
				return look{}, false, err
			}
			if graph.PKIRunning(p.Status) {
				return look{running: true}, true, nil
			}
			return lookCAs(ctx)
		},
		// A PKI created a moment ago may not have reached the replica that takes uploads yet.
		ParentVisibleUntil: visibleBy,
		Refused: func(ctx context.Context, err error) (bool, error) {
			switch {
			case graph.IsNotFound(err):
				return false, errPKINotFound(a.PKIID)
			case !graph.IsBadRequest(err):
				return false, fmt.Errorf("uploading %s to PKI %s: %w", safeURLString(a.UploadURL), a.PKIID, err)
			}
			// Either another actor's job is running ("in progress": wait, look and try again) or a certificate
			// arrived meanwhile ("duplicate": the look adopts or completes). Decide on state, not message.
			p, gerr := g.GetPKI(ctx, a.PKIID)
			if gerr == nil && graph.PKIRunning(p.Status) {
				tflog.Info(ctx, "Another upload to the PKI is in progress; waiting for it, then trying again", map[string]any{"error": err.Error()})
				if err := r.waitForOthersJob(ctx, a, &res); err != nil {
					return false, err
				}
				return true, nil
			}
			if cas, lerr := g.ListCertificateAuthorities(ctx, a.PKIID); lerr == nil {
				if present, _ := classify(a.Expected, cas); len(present) > 0 {
					return true, nil
				}
			}
			return false, &detailedError{path.Root(a.urlAttr()), "Graph rejected the upload",
				fmt.Sprintf("Uploading %s to PKI %s: %v", safeURLString(a.UploadURL), a.PKIID, err)}
		},
		Deadline: a.Deadline,
	}.Run(ctx, clk)
	if err != nil {
		if graph.IsWriteLost(err) {
			return res, fmt.Errorf("uploading to PKI %s: %w", a.PKIID, err)
		}
		return res, err
	}
	switch l := out.Value; {
	case out.Outcome == graph.WriteAnswered:
		return r.finishUpload(ctx, a, sentAt, res)
	case l.running:
		return r.finishUpload(ctx, a, time.Time{}, res)
	case len(l.missing) == 0:
		if !res.Uploaded {
			tflog.Info(ctx, "Every certificate authority of the file is already in the PKI; adopting them without an upload",
				map[string]any{"count": len(l.present)})
		}
		res.CAs = l.present
		return res, nil
	default:
		// Graph refuses a .p7b with a certificate already present, so complete the set one CA at a time.
		res.CAs, err = r.addMissing(ctx, a, l.present, l.missing)
		return res, err
	}
}

// finishUpload waits for the job of an accepted upload (since: when it was sent; zero when the job was seen
// running already), then for its CAs, which keep appearing after the job's status until the deadline.
func (r *uploadResource) finishUpload(ctx context.Context, a ensureArgs, since time.Time, res ensureResult) (ensureResult, error) {
	g := r.client.Graph
	tflog.Info(ctx, "Waiting for the upload job of the PKI")
	p, err := g.WaitForPKIJob(ctx, a.PKIID, since, a.Deadline)
	if err != nil {
		return res, err
	}
	res.Status, res.StatusDetails = p.Status, p.StatusDetails
	if !graph.PKISucceeded(p.Status) {
		landed := "None of them reached the PKI."
		if cas, lerr := g.ListCertificateAuthorities(ctx, a.PKIID); lerr == nil {
			if present, _ := classify(a.Expected, cas); len(present) > 0 {
				landed = fmt.Sprintf("These certificate authorities of the file reached the PKI before the job ended: %s. "+
					"The next apply adopts them and adds the rest one by one.", describe(present))
			}
		}
		what := fmt.Sprintf("ended with status %q", p.Status)
		if !graph.PKIStatusKnown(p.Status) {
			what = fmt.Sprintf("ended with a status this provider does not know, %q (it is treated as a failure)", p.Status)
		}
		return res, &detailedError{path.Root(a.urlAttr()), "The PKI upload job failed",
			fmt.Sprintf("The upload job of PKI %s %s: %s\n\n%s Fix the cause (Microsoft Graph must be able to "+
				"download "+a.urlAttr()+", and the file must match sha256_file_hash) and apply again.",
				a.PKIID, what, orNone(p.StatusDetails), landed)}
	}
	var present []graph.CertificateAuthority
	var missing []pkcs.CertificateAuthority
	werr := graph.Wait(ctx, r.client.Clock, graph.WaitOptions{What: "certificate authorities of the upload to PKI " + a.PKIID,
		Deadline: a.Deadline, LogFields: map[string]any{"pki_id": a.PKIID}}, func(ctx context.Context) (bool, error) {
		cas, err := g.ListCertificateAuthorities(ctx, a.PKIID)
		if err != nil {
			return false, err
		}
		present, missing = classify(a.Expected, cas)
		return len(missing) == 0, nil
	})
	if werr != nil && !graph.IsWaitTimeout(werr) {
		return res, fmt.Errorf("listing the certificate authorities of PKI %s: %w", a.PKIID, werr)
	}
	if len(missing) > 0 {
		return res, &detailedError{path.Root(a.urlAttr()), "Certificate authorities missing after the upload",
			fmt.Sprintf("The upload job of PKI %s succeeded, but these certificate authorities of the file are still not "+
				"in the PKI: %s. Check the PKI in the Entra admin center, then apply again (the next apply adds the missing "+
				"ones one by one).", a.PKIID, describe(missingCAs(missing)))}
	}
	res.CAs = present
	return res, nil
}

// waitForOthersJob waits for a job this apply did not start and records the status it ended with.
func (r *uploadResource) waitForOthersJob(ctx context.Context, a ensureArgs, res *ensureResult) error {
	tflog.Info(ctx, "Waiting for the job already running in the PKI")
	p, err := r.client.Graph.WaitForPKIJob(ctx, a.PKIID, time.Time{}, a.Deadline)
	if err == nil {
		res.Status, res.StatusDetails = p.Status, p.StatusDetails
	}
	var te *graph.PKIJobTimeoutError
	if errors.As(err, &te) {
		return &detailedError{path.Root("timeouts"), "Another job of the PKI is still running",
			fmt.Sprintf("%v.\n\nNothing was uploaded. Run terraform apply again once the PKI's job ends; raise timeouts if "+
				"its jobs take longer.", err)}
	}
	return err
}

// addMissing adds the file's missing CAs one by one (POST .../certificateAuthorities, with the certificate,
// thumbprint and expiry Graph requires) and returns the file's CAs as the PKI then holds them, in file order. A
// create whose answer was lost, or that a concurrent writer beat, is settled by listing again.
func (r *uploadResource) addMissing(ctx context.Context, a ensureArgs, present []graph.CertificateAuthority, missing []pkcs.CertificateAuthority) ([]graph.CertificateAuthority, error) {
	g := r.client.Graph
	tflog.Info(ctx, "Some certificate authorities of the file are already in the PKI; adding the others one by one",
		map[string]any{"present": len(present), "missing": len(missing)})
	in := make([]graph.NewCertificateAuthority, 0, len(missing))
	for _, m := range missing {
		in = append(in, graph.NewCertificateAuthority{Certificate: m.DER, Thumbprint: strings.ToUpper(m.Thumbprint),
			ExpirationDateTime: m.NotAfter, IsRoot: m.IsRoot})
	}
	failed := map[string]error{}
	for i, res := range g.CreateCertificateAuthorities(ctx, a.PKIID, in) {
		if res.Err != nil {
			failed[strings.ToUpper(missing[i].Thumbprint)] = res.Err
		}
	}
	var have []graph.CertificateAuthority
	var still []pkcs.CertificateAuthority
	werr := graph.Wait(ctx, r.client.Clock, graph.WaitOptions{What: "certificate authorities added to PKI " + a.PKIID,
		Deadline: minTime(r.client.Clock.Now().Add(graph.PKIVisibleWindow), a.Deadline)}, func(ctx context.Context) (bool, error) {
		cas, err := g.ListCertificateAuthorities(ctx, a.PKIID)
		if err != nil {
			return false, err
		}
		have, still = classify(a.Expected, cas)
		// Stop early when every CA still missing is one whose create failed: waiting will not bring it.
		waiting := 0
		for _, m := range still {
			if failed[strings.ToUpper(m.Thumbprint)] == nil {
				waiting++
			}
		}
		return waiting == 0, nil
	})
	if werr != nil && !graph.IsWaitTimeout(werr) {
		return nil, fmt.Errorf("listing the certificate authorities of PKI %s: %w", a.PKIID, werr)
	}
	if len(still) > 0 {
		var why []string
		for _, m := range still {
			reason := "not visible yet"
			if err := failed[strings.ToUpper(m.Thumbprint)]; err != nil {
				reason = err.Error()
			}
			why = append(why, fmt.Sprintf("%s (%s): %s", strings.ToUpper(m.Thumbprint), m.Subject, reason))
		}
		return nil, &detailedError{path.Root(a.urlAttr()), "Cannot add the missing certificate authorities",
			fmt.Sprintf("PKI %s holds %s of the file; adding the others failed:\n%s\n\nFix the cause and apply again: "+
				"certificate authorities already in the PKI are kept.", a.PKIID, describe(have), strings.Join(why, "\n"))}
	}
	return have, nil
}

func errPKINotFound(id string) error {
	return &detailedError{path.Root("pki_id"), "The PKI does not exist",
		fmt.Sprintf("No certificate-based-authentication PKI has the ID %s (or it was deleted), also after waiting %s "+
			"for Entra's replication. Check pki_id.", id, graph.PKIVisibleWindow)}
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
