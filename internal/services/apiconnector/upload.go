package apiconnector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The certificate-upload write protocol. Retries of throttled requests (429 after Retry-After) are the Graph
// client's; this file decides only what Graph's answers mean: adopt, upload, look before uploading again.
var (
	// uncertainUploadSettle is how long reads are repeated after an upload whose outcome is unknown before the
	// provider concludes that it did not happen and uploads again: long enough to ride out Graph's read-after-write
	// lag, since uploading the same certificate twice may duplicate it.
	uncertainUploadSettle = 20 * time.Second
	// maxUploadAttempts bounds the uploads of one certificate whose answers were lost.
	maxUploadAttempts = 3
	// visibilityGrace is how long after an upload a read that does not list the certificate yet is taken for
	// Graph's read-after-write lag (and waited out) rather than for the certificate having been removed.
	visibilityGrace = time.Minute
)

// lockKey serializes uploads to one connector: each upload changes the same certificate list.
func lockKey(connectorID string) string {
	return "apiconnector/" + strings.ToLower(connectorID)
}

// findCertificate returns the certificateList entry with thumbprint, or nil; nil too when the connector
// no longer uses client-certificate authentication.
func findCertificate(conn *graph.APIConnector, thumbprint string) *graph.ClientCertificateInfo {
	if conn == nil || conn.AuthenticationType != graph.AuthenticationCertificate {
		return nil
	}
	for i := range conn.Certificates {
		if strings.EqualFold(conn.Certificates[i].Thumbprint, thumbprint) {
			return &conn.Certificates[i]
		}
	}
	return nil
}

// activeCertificate is the connector's active certificate, or nil.
func activeCertificate(conn *graph.APIConnector) *graph.ClientCertificateInfo {
	if conn == nil || conn.AuthenticationType != graph.AuthenticationCertificate {
		return nil
	}
	for i := range conn.Certificates {
		if conn.Certificates[i].IsActive {
			return &conn.Certificates[i]
		}
	}
	return nil
}

// awaitCertificate reads the connector fresh (never from the cache) on graph.Wait's schedule until its
// certificateList shows thumbprint, until deadline (clock time). Transient read errors are waited out; a
// connector that disappears (404) ends the wait with that error; running out of time is a *graph.WaitTimeoutError.
func awaitCertificate(ctx context.Context, c *clients.Client, connectorID, thumbprint string, deadline time.Time) (*graph.ClientCertificateInfo, error) {
	var info *graph.ClientCertificateInfo
	err := graph.Wait(ctx, c.Clock, graph.WaitOptions{
		What:      fmt.Sprintf("certificate %s on API connector %s", thumbprint, connectorID),
		Deadline:  deadline,
		LogFields: map[string]any{"api_connector_id": connectorID, "thumbprint": thumbprint},
	}, func(ctx context.Context) (bool, error) {
		conn, err := c.Graph.GetAPIConnector(ctx, connectorID)
		if err != nil {
			return false, err
		}
		info = findCertificate(conn, thumbprint)
		return info != nil, nil
	})
	if err != nil {
		return nil, err
	}
	return info, nil
}

// uploadOutcome says how a certificate got onto the connector.
type uploadOutcome int

const (
	outcomeAdopted  uploadOutcome = iota // already listed: nothing uploaded
	outcomeUploaded                      // uploaded by this call
	outcomeSwitched                      // the connector was on basic authentication: PATCHed to this certificate
)

// upload is one certificate to put on a connector. PKCS12Base64 is the PFX as Graph gets it (re-encoded).
type upload struct {
	ConnectorID, PKCS12Base64, Password, Thumbprint string
	// Deadline (clock time) ends every wait of the protocol.
	Deadline time.Time
}

// errUploadsLost says every upload's answer was lost and the connector still does not list the certificate.
var errUploadsLost = errors.New("the answers of the uploads were lost and the connector does not list the certificate")

// ensureCertificate makes sure the connector lists the certificate, uploading it at most once per certainty:
// an upload whose answer was lost is followed by reads before any new attempt, so the same certificate is
// never knowingly uploaded twice. A connector on basic authentication that refuses the upload is switched to the
// certificate with PATCH authenticationConfiguration. Uploads to one connector are serialized within the provider.
func ensureCertificate(ctx context.Context, c *clients.Client, u upload) (*graph.ClientCertificateInfo, uploadOutcome, error) {
	unlock, err := c.Locks.Lock(ctx, lockKey(u.ConnectorID))
	if err != nil {
		return nil, 0, fmt.Errorf("stopped while waiting for another upload to the same API connector in this run: %w", err)
	}
	defer unlock()

	logFields := map[string]any{"api_connector_id": u.ConnectorID, "thumbprint": u.Thumbprint}

	// Cached: concurrent creates on one connector share this read, and after an upload the client holds the
	// connector as the upload's answer left it, so queued creates look at the certificate list for free.
	conn, err := c.Graph.GetAPIConnectorCached(ctx, u.ConnectorID)
	if err != nil {
		return nil, 0, err
	}
	if info := findCertificate(conn, u.Thumbprint); info != nil {
		tflog.Info(ctx, "certificate already on the API connector; adopting it without uploading", logFields)
		return info, outcomeAdopted, nil
	}

	for attempt := 1; ; attempt++ {
		tflog.Info(ctx, "uploading client certificate to the API connector", logFields)
		answer, err := c.Graph.UploadClientCertificate(ctx, u.ConnectorID, u.PKCS12Base64, u.Password)
		switch {
		case err == nil:
			// Graph answers with the connector as the upload left it. Readers may lag behind that answer; the
			// resource's Read waits them out (see visibilityGrace) instead of every create paying a read here.
			if info := findCertificate(answer, u.Thumbprint); info != nil {
				return info, outcomeUploaded, nil
			}
			info, err := awaitCertificate(ctx, c, u.ConnectorID, u.Thumbprint, u.Deadline)
			if err != nil {
				return nil, 0, fmt.Errorf("the upload succeeded but the connector did not list the certificate in time: %w", err)
			}
			return info, outcomeUploaded, nil
		case graph.IsBadRequest(err) && conn.AuthenticationType != graph.AuthenticationCertificate:
			// Graph documents PATCH authenticationConfiguration as the way from basic authentication to a
			// certificate; whether the upload action is accepted there is not documented.
			tflog.Info(ctx, "the API connector refused the upload while on basic authentication; switching it to the certificate", logFields)
			if perr := c.Graph.SetAPIConnectorCertificateAuthentication(ctx, u.ConnectorID, u.PKCS12Base64, u.Password); perr != nil {
				return nil, 0, fmt.Errorf("%w (switching the connector from basic authentication after the upload was refused: %w)", perr, err)
			}
			info, werr := awaitCertificate(ctx, c, u.ConnectorID, u.Thumbprint, u.Deadline)
			if werr != nil {
				return nil, 0, fmt.Errorf("the connector was switched to certificate authentication but did not list the certificate in time: %w", werr)
			}
			return info, outcomeSwitched, nil
		case graph.IsOutcomeUnknown(err):
			// The upload may or may not have happened: look before uploading again.
			tflog.Warn(ctx, "upload answer lost; reading the connector before deciding to upload again",
				map[string]any{"api_connector_id": u.ConnectorID, "thumbprint": u.Thumbprint, "error": err.Error()})
			settle := c.Clock.Now().Add(uncertainUploadSettle)
			if !u.Deadline.IsZero() && u.Deadline.Before(settle) {
				settle = u.Deadline
			}
			info, rerr := awaitCertificate(ctx, c, u.ConnectorID, u.Thumbprint, settle)
			if rerr == nil {
				return info, outcomeUploaded, nil
			}
			if !graph.IsWaitTimeout(rerr) {
				return nil, 0, rerr
			}
			if attempt >= maxUploadAttempts || (!u.Deadline.IsZero() && !c.Clock.Now().Before(u.Deadline)) {
				return nil, 0, fmt.Errorf("%w after %d upload(s): %w", errUploadsLost, attempt, rerr)
			}
		default:
			return nil, 0, err
		}
	}
}
