package common

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Grace is how long an operation's context outlives its deadline: waits stop at the deadline (on the provider's
// clock), and the last look at Graph, the diagnostic saying why and the state save still get to run.
const Grace = 30 * time.Second

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
// the provider is not configured or the timeout is invalid; else it returns a context bounded by the timeout
// (plus Grace) and the operation, whose Deadline is where waits stop. Call End when done.
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
	ctx, cancel := context.WithTimeout(ctx, t+Grace)
	return ctx, Operation{Timeout: t, Deadline: now.Add(t), cancel: cancel}, true
}
