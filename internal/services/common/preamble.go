package common

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TimeoutOf is one operation's getter of a timeouts block (timeouts.Value's Create, Read, Update or Delete).
type TimeoutOf func(ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// Operation is a started Create, Read, Update or Delete: its timeout and its deadline on the provider's clock.
type Operation struct {
	Timeout  time.Duration
	Deadline time.Time
	cancel   context.CancelFunc
}

// End releases the operation's context; call it once the operation returns.
func (o Operation) End() {
	if o.cancel != nil {
		o.cancel()
	}
}

// Begin is the preamble of every operation that calls Graph: it reports false (with the diagnostics in diags) when
// the provider is not configured or the timeout is invalid; else it returns a context bounded by the timeout and
// the operation, whose Deadline (the same instant on the provider's clock) is where waits stop. Call End when done.
//
// There is no grace period after the timeout: Graph's retries take their budget from the context's deadline, so a
// context that outlived the timeout would send requests after it (a stream of throttled answers under timeouts.create = "3m" was
// sent again for 3m20s with a 30-second grace) and the diagnostic would not match what happened.
func Begin(ctx context.Context, c *clients.Client, diags *diag.Diagnostics, timeout TimeoutOf, def time.Duration) (context.Context, Operation, bool) {
	if !clients.Require(c, diags) {
		return ctx, Operation{}, false
	}
	t, d := timeout(ctx, def)
	diags.Append(d...)
	if d.HasError() {
		return ctx, Operation{}, false
	}
	now := time.Now()
	if c.Clock != nil {
		now = c.Clock.Now()
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	return ctx, Operation{Timeout: t, Deadline: now.Add(t), cancel: cancel}, true
}
