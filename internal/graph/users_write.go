package graph

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// UserVisibleWindow bounds how long reads of a user may lag behind a PATCH this provider made (Entra's
// replication window), when the caller's deadline is later.
const UserVisibleWindow = 2 * time.Minute

// maxCertificateUserIDsSends bounds how often one SetCertificateUserIDs sends its PATCH when the outcome of the
// previous one is unknown (a 5xx, or answers lost beyond the middleware's retries) and a read shows it did not land.
const maxCertificateUserIDsSends = 3

// SetCertificateUserIDs makes the user's certificateUserIds exactly values and returns the user once a read shows
// them. The PATCH is idempotent, so when its outcome is unknown it reads first and sends it again only if the read
// does not show the values yet. A read right after the PATCH may still show the old list (read-after-write lag):
// it waits, until deadline or UserVisibleWindow, for a read to agree.
func (c *Client) SetCertificateUserIDs(ctx context.Context, id string, values []string, deadline time.Time) (*User, error) {
	if values == nil {
		values = []string{}
	}
	var last *User
	for sends := 1; ; sends++ {
		err := c.PatchCertificateUserIDs(ctx, id, values)
		if err == nil {
			break
		}
		if !IsOutcomeUnknown(err) || sends >= maxCertificateUserIDsSends {
			return nil, err
		}
		u, rerr := c.GetUser(ctx, id)
		if rerr == nil && SameCertificateUserIDs(u.CertificateUserIDs, values) {
			return u, nil
		}
		if rerr != nil && !IsTransient(rerr) {
			return nil, fmt.Errorf("%w (and reading the user to learn whether it landed failed: %w)", err, rerr)
		}
	}
	window := c.clock.Now().Add(UserVisibleWindow)
	if deadline.IsZero() || deadline.After(window) {
		deadline = window
	}
	err := Wait(ctx, c.clock, WaitOptions{What: "certificateUserIds of user " + id, Deadline: deadline,
		LogFields: map[string]any{"user_id": id}}, func(ctx context.Context) (bool, error) {
		u, err := c.GetUser(ctx, id)
		if err != nil {
			return false, err
		}
		last = u
		return SameCertificateUserIDs(u.CertificateUserIDs, values), nil
	})
	if err != nil {
		return last, err
	}
	return last, nil
}

// SameCertificateUserIDs reports whether a and b hold the same values, in any order.
func SameCertificateUserIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
