package apiconnector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Tunables of the upload protocol. Variables so that tests can shorten them.
var (
	// uncertainUploadSettle is how long reads are repeated after an upload whose outcome is unknown before the
	// provider concludes that it did not happen and uploads again: long enough to ride out Graph's read-after-write
	// lag, since uploading the same certificate twice may duplicate it.
	uncertainUploadSettle = 20 * time.Second
	// maxUploadAttempts bounds the uploads of one certificate (throttled or lost answers included).
	maxUploadAttempts = 3
	// pollInterval and pollIntervalMax shape the back-off of reads that wait for a certificate to show up.
	pollInterval    = 500 * time.Millisecond
	pollIntervalMax = 8 * time.Second
	// visibilityGrace is how long after an upload a read that does not list the certificate yet is taken for
	// Graph's read-after-write lag (and waited out) rather than for the certificate having been removed.
	visibilityGrace = time.Minute
	// throttleRetries is how many times a read answered with 429/503 is retried on top of the Graph client's own retries.
	throttleRetries = 6
)

// lockKey serializes uploads to one connector: each upload changes the same certificate list.
func lockKey(connectorID string) string {
	return "apiconnector/" + strings.ToLower(connectorID)
}

// isThrottled reports whether Graph asked to slow down (429), or was briefly unavailable (503/504) on a read.
func isThrottled(err error) bool {
	switch graph.StatusCode(err) {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is the n-th (from 0) wait of an exponential back-off between pollInterval and pollIntervalMax.
func backoff(n int) time.Duration {
	d := pollInterval
	for i := 0; i < n && d < pollIntervalMax; i++ {
		d *= 2
	}
	if d > pollIntervalMax {
		d = pollIntervalMax
	}
	return d
}

// getConnector reads a connector, riding out throttling storms the Graph client's own retries gave up on.
func getConnector(ctx context.Context, c *clients.Client, id string) (*graph.APIConnector, error) {
	for attempt := 0; ; attempt++ {
		conn, err := c.Graph.GetAPIConnectorCached(ctx, id)
		if err == nil || !isThrottled(err) || attempt >= throttleRetries {
			return conn, err
		}
		tflog.Debug(ctx, "API connector read throttled; retrying", map[string]any{"api_connector_id": id, "attempt": attempt + 1})
		if serr := c.Clock.Sleep(ctx, backoff(attempt+1)); serr != nil {
			return nil, err
		}
	}
}

// listConnectors is ListAPIConnectors with the same throttling tolerance as getConnector.
func listConnectors(ctx context.Context, c *clients.Client, displayName string) ([]graph.APIConnector, error) {
	for attempt := 0; ; attempt++ {
		list, err := c.Graph.ListAPIConnectors(ctx, displayName)
		if err == nil || !isThrottled(err) || attempt >= throttleRetries {
			return list, err
		}
		if serr := c.Clock.Sleep(ctx, backoff(attempt+1)); serr != nil {
			return nil, err
		}
	}
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

// errCertificateNotVisible says a wait for a certificate ran out of time.
var errCertificateNotVisible = errors.New("certificate not listed on the connector")

// awaitCertificate reads the connector (bypassing the read cache) until its certificateList shows
// thumbprint, for at most window (0: until ctx ends). Transient read errors are waited out; a connector
// that disappears (404) ends the wait with that error.
func awaitCertificate(ctx context.Context, c *clients.Client, connectorID, thumbprint string, window time.Duration) (*graph.ClientCertificateInfo, error) {
	start := c.Clock.Now()
	var lastErr error
	for n := 0; ; n++ {
		conn, err := c.Graph.GetAPIConnector(ctx, connectorID)
		switch {
		case err == nil:
			if info := findCertificate(conn, thumbprint); info != nil {
				return info, nil
			}
			lastErr = nil
		case graph.IsNotFound(err):
			return nil, err
		default:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			lastErr = err
			tflog.Debug(ctx, "API connector read failed while waiting for a certificate; retrying",
				map[string]any{"api_connector_id": connectorID, "error": err.Error()})
		}
		wait := backoff(n)
		if window > 0 && c.Clock.Now().Add(wait).Sub(start) > window {
			if lastErr != nil {
				return nil, fmt.Errorf("%w (last read error: %w)", errCertificateNotVisible, lastErr)
			}
			return nil, errCertificateNotVisible
		}
		if err := c.Clock.Sleep(ctx, wait); err != nil {
			if lastErr != nil {
				return nil, fmt.Errorf("%w (last read error: %w)", err, lastErr)
			}
			return nil, err
		}
	}
}

// uploadOutcome says how a certificate got onto the connector.
type uploadOutcome int

const (
	outcomeAdopted  uploadOutcome = iota // already listed: nothing uploaded
	outcomeUploaded                      // uploaded by this call
)

// ensureCertificate makes sure the connector lists the certificate, uploading it at most once per certainty:
// an upload whose answer was lost is followed by reads before any new attempt, so the same certificate is
// never knowingly uploaded twice. Uploads to one connector are serialized within the provider.
func ensureCertificate(ctx context.Context, c *clients.Client, connectorID, pkcs12Base64, password, thumbprint string) (*graph.ClientCertificateInfo, uploadOutcome, error) {
	unlock, err := c.Locks.Lock(ctx, lockKey(connectorID))
	if err != nil {
		return nil, 0, fmt.Errorf("stopped while waiting for another upload to the same API connector in this run: %w", err)
	}
	defer unlock()

	logFields := map[string]any{"api_connector_id": connectorID, "thumbprint": thumbprint}

	// Not Fresh: concurrent creates on one connector share this read, and after an upload the client holds the
	// connector as the upload's answer left it, so queued creates look at the certificate list for free.
	conn, err := getConnector(ctx, c, connectorID)
	if err != nil {
		return nil, 0, err
	}
	if info := findCertificate(conn, thumbprint); info != nil {
		tflog.Info(ctx, "certificate already on the API connector; adopting it without uploading", logFields)
		return info, outcomeAdopted, nil
	}

	for attempt := 1; ; attempt++ {
		tflog.Info(ctx, "uploading client certificate to the API connector", logFields)
		conn, err := c.Graph.UploadClientCertificate(ctx, connectorID, pkcs12Base64, password)
		if err == nil {
			// Graph answers with the connector as the upload left it. Readers may lag behind that answer; the
			// resource's Read waits them out (see visibilityGrace) instead of every create paying a read here.
			if info := findCertificate(conn, thumbprint); info != nil {
				return info, outcomeUploaded, nil
			}
			break
		}
		throttled := graph.StatusCode(err) == http.StatusTooManyRequests
		switch {
		case throttled && attempt < maxUploadAttempts:
			// 429: Graph did not take the request; upload again after backing off.
			tflog.Debug(ctx, "upload throttled; retrying", logFields)
			if serr := c.Clock.Sleep(ctx, backoff(attempt+1)); serr != nil {
				return nil, 0, err
			}
			continue
		case graph.IsOutcomeUnknown(err):
			// The upload may or may not have happened: look before uploading again.
			tflog.Warn(ctx, "upload answer lost; reading the connector before deciding to retry",
				map[string]any{"api_connector_id": connectorID, "thumbprint": thumbprint, "error": err.Error()})
			info, rerr := awaitCertificate(ctx, c, connectorID, thumbprint, uncertainUploadSettle)
			if rerr == nil {
				return info, outcomeUploaded, nil
			}
			if !errors.Is(rerr, errCertificateNotVisible) {
				return nil, 0, rerr
			}
			if attempt >= maxUploadAttempts {
				return nil, 0, fmt.Errorf("upload failed %d times and the connector does not list the certificate: %w", attempt, err)
			}
			continue
		default:
			return nil, 0, err
		}
	}

	// The answer did not list the certificate: wait for the read side to show it.
	info, err := awaitCertificate(ctx, c, connectorID, thumbprint, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("the upload succeeded but the connector did not list the certificate in time: %w", err)
	}
	return info, outcomeUploaded, nil
}
