package apiconnector

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The certificate-upload write: what Graph's answers mean for a connector's certificate (adopt, upload, switch from
// basic authentication). Sending it exactly once under lost answers, 404s and throttling is graph.WriteOnce's job.

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

// lookCertificate looks for thumbprint on the connector, read fresh (never from the cache).
func lookCertificate(c *clients.Client, connectorID, thumbprint string) graph.Look[*graph.ClientCertificateInfo] {
	return func(ctx context.Context) (*graph.ClientCertificateInfo, bool, error) {
		conn, err := c.Graph.GetAPIConnector(ctx, connectorID)
		if err != nil {
			return nil, false, err
		}
		info := findCertificate(conn, thumbprint)
		return info, info != nil, nil
	}
}

// awaitCertificate waits (graph.WaitFound) until the connector lists thumbprint or deadline (clock time) passes.
// A connector that disappears ends the wait with its not-found error; running out of time is a *graph.WaitTimeoutError.
func awaitCertificate(ctx context.Context, c *clients.Client, connectorID, thumbprint string, deadline time.Time) (*graph.ClientCertificateInfo, error) {
	what := fmt.Sprintf("certificate %s on API connector %s", thumbprint, connectorID)
	info, found, err := graph.WaitFound(ctx, c.Clock, graph.WaitOptions{What: what, Deadline: deadline,
		LogFields: map[string]any{"api_connector_id": connectorID, "thumbprint": thumbprint}},
		lookCertificate(c, connectorID, thumbprint))
	if err == nil && !found {
		err = &graph.WaitTimeoutError{What: what, Elapsed: 0, Cause: context.DeadlineExceeded}
	}
	return info, err
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

// ensureCertificate makes sure the connector lists the certificate, through graph.WriteOnce: a certificate already
// listed is adopted; the upload is sent once, and after a lost answer sent again only when a look did not find the
// certificate, so the same certificate is never knowingly uploaded twice. A connector on basic authentication that
// refuses the upload is switched to the certificate with PATCH authenticationConfiguration. Uploads to one
// connector are serialized within the provider.
func ensureCertificate(ctx context.Context, c *clients.Client, u upload) (*graph.ClientCertificateInfo, uploadOutcome, error) {
	unlock, err := c.Locks.Lock(ctx, lockKey(u.ConnectorID))
	if err != nil {
		return nil, 0, fmt.Errorf("stopped while waiting for another upload to the same API connector in this run: %w", err)
	}
	defer unlock()

	logFields := map[string]any{"api_connector_id": u.ConnectorID, "thumbprint": u.Thumbprint}
	var conn *graph.APIConnector
	switched := false
	res, err := graph.WriteOnce[*graph.ClientCertificateInfo]{
		What:      fmt.Sprintf("certificate %s on API connector %s", u.Thumbprint, u.ConnectorID),
		LogFields: logFields,
		// Cached: concurrent creates on one connector share this read, and after an upload the client holds the
		// connector as the upload's answer left it, so queued creates look at the certificate list for free.
		First: func(ctx context.Context) (*graph.ClientCertificateInfo, bool, error) {
			var err error
			if conn, err = c.Graph.GetAPIConnectorCached(ctx, u.ConnectorID); err != nil {
				return nil, false, err
			}
			info := findCertificate(conn, u.Thumbprint)
			return info, info != nil, nil
		},
		Send: func(ctx context.Context) (*graph.ClientCertificateInfo, error) {
			tflog.Info(ctx, "uploading client certificate to the API connector", logFields)
			answer, err := c.Graph.UploadClientCertificate(ctx, u.ConnectorID, u.PKCS12Base64, u.Password)
			switch {
			case err == nil:
				// Graph answers with the connector as the upload left it. Readers may lag behind that answer; the
				// resource's Read waits them out (graph.ReadAfterWrite) instead of every create paying a read here.
				if info := findCertificate(answer, u.Thumbprint); info != nil {
					return info, nil
				}
				info, err := awaitCertificate(ctx, c, u.ConnectorID, u.Thumbprint, u.Deadline)
				if err != nil {
					return nil, fmt.Errorf("the upload succeeded but the connector did not list the certificate in time: %w", err)
				}
				return info, nil
			case graph.IsBadRequest(err) && conn != nil && conn.AuthenticationType != graph.AuthenticationCertificate:
				// Graph documents PATCH authenticationConfiguration as the way from basic authentication to a
				// certificate; whether the upload action is accepted there is not documented.
				tflog.Info(ctx, "the API connector refused the upload while on basic authentication; switching it to the certificate", logFields)
				if perr := c.Graph.SetAPIConnectorCertificateAuthentication(ctx, u.ConnectorID, u.PKCS12Base64, u.Password); perr != nil {
					return nil, fmt.Errorf("%w (switching the connector from basic authentication after the upload was refused: %w)", perr, err)
				}
				switched = true
				info, werr := awaitCertificate(ctx, c, u.ConnectorID, u.Thumbprint, u.Deadline)
				if werr != nil {
					return nil, fmt.Errorf("the connector was switched to certificate authentication but did not list the certificate in time: %w", werr)
				}
				return info, nil
			}
			return nil, err
		},
		Look:     lookCertificate(c, u.ConnectorID, u.Thumbprint),
		Deadline: u.Deadline,
	}.Run(ctx, c.Clock)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case res.Outcome == graph.WriteFound:
		return res.Value, outcomeAdopted, nil
	case switched:
		return res.Value, outcomeSwitched, nil
	default:
		return res.Value, outcomeUploaded, nil
	}
}
