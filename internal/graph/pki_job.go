package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PKIStatusFailed is the final status the emulator gives a failed job. Graph documents only running and
// succeeded; any other value is final and reported as it is.
const PKIStatusFailed = "failed"

// PKIVisibleWindow bounds how long a PKI this provider just wrote may answer 404 (Entra's replication window)
// before the 404 is believed.
const PKIVisibleWindow = 2 * time.Minute

// PKIRunning reports whether status is the running state (Graph's strings compared case-insensitively).
func PKIRunning(status string) bool {
	return strings.EqualFold(strings.TrimSpace(status), PKIStatusRunning)
}

// PKISucceeded reports whether status is the documented success state.
func PKISucceeded(status string) bool {
	return strings.EqualFold(strings.TrimSpace(status), PKIStatusSucceeded)
}

// PKIStatusKnown reports whether status is one this provider understands (running, succeeded, failed). An
// unknown one is final but reported as unknown, never read as success.
func PKIStatusKnown(status string) bool {
	return PKIRunning(status) || PKISucceeded(status) || strings.EqualFold(strings.TrimSpace(status), PKIStatusFailed)
}

// WaitForPKI reads the PKI until it answers, tolerating 404 until `until` (a PKI this provider created or wrote
// a moment ago may not be replicated yet). A 404 that lasts past until is returned as it is (IsNotFound).
func (c *Client) WaitForPKI(ctx context.Context, id string, until time.Time) (*PKI, error) {
	p, _, err := WaitFound(ctx, c.clock, WaitOptions{What: "PKI " + id + " to become visible", Deadline: until,
		LogFields: map[string]any{"pki_id": id}}, notFoundIsAbsent(func(ctx context.Context) (*PKI, error) { return c.GetPKI(ctx, id) }))
	return p, err
}

// WaitForPKIJob waits until the PKI's job is over and returns the PKI as it ended.
//
// since is when this provider's upload was accepted (zero when waiting for a job someone else started). After an
// upload, replicas may still show the previous final status for a while, so a final status counts only once the
// job has been seen running, or when lastModifiedDateTime is not older than since. A 404 is tolerated for
// PKIVisibleWindow (a just-created PKI). Statuses are compared case-insensitively; the caller reports a final
// status that is neither succeeded nor failed as unknown (see PKIStatusKnown). The wait ends at deadline with a
// *PKIJobTimeoutError (which unwraps to the *WaitTimeoutError) whose LastSeen is the PKI as last seen, nil if never.
func (c *Client) WaitForPKIJob(ctx context.Context, pkiID string, since, deadline time.Time) (*PKI, error) {
	start := c.clock.Now()
	seenRunning := since.IsZero()
	var last *PKI
	err := Wait(ctx, c.clock, WaitOptions{What: "job of PKI " + pkiID, Deadline: deadline, FirstLook: time.Second,
		LogFields: map[string]any{"pki_id": pkiID}}, func(ctx context.Context) (bool, error) {
		p, err := c.GetPKI(ctx, pkiID)
		if IsNotFound(err) && c.clock.Now().Sub(start) < PKIVisibleWindow {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		last = p
		if PKIRunning(p.Status) {
			seenRunning = true
			return false, nil
		}
		// A final status from before this upload is a stale replica, unless the job was seen running since.
		return seenRunning || !p.LastModifiedDateTime.Before(since.Truncate(time.Second)), nil
	})
	if err != nil {
		var we *WaitTimeoutError
		if errors.As(err, &we) {
			return last, &PKIJobTimeoutError{WaitTimeoutError: we, LastSeen: last}
		}
		return last, err
	}
	return last, nil
}

// PKIJobTimeoutError is a PKI job wait that ran out of time or was cancelled while the job (as far as this
// provider knows) still ran.
type PKIJobTimeoutError struct {
	*WaitTimeoutError
	// LastSeen is the last answer about the PKI, or nil.
	LastSeen *PKI
}

func (e *PKIJobTimeoutError) Error() string {
	msg := e.WaitTimeoutError.Error()
	if e.LastSeen != nil {
		msg += fmt.Sprintf(" (last status %q)", e.LastSeen.Status)
	}
	return msg
}

func (e *PKIJobTimeoutError) Unwrap() error { return e.WaitTimeoutError }
