package clients

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// PrivateState is the part of the framework's private state (req.Private, resp.Private) the resources use.
type PrivateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type timeMark struct {
	At time.Time `json:"at"`
}

// SetTimeMark records at under key, e.g. when this provider wrote an object, so a later Read can tell Graph's
// read-after-write lag from an object removed out of band.
func SetTimeMark(ctx context.Context, p PrivateState, key string, at time.Time) diag.Diagnostics {
	b, _ := json.Marshal(timeMark{At: at.UTC()})
	return p.SetKey(ctx, key, b)
}

// ClearTimeMark removes the mark under key.
func ClearTimeMark(ctx context.Context, p PrivateState, key string) diag.Diagnostics {
	return p.SetKey(ctx, key, nil)
}

// TimeMark is the time recorded under key, if any (and if readable).
func TimeMark(ctx context.Context, p PrivateState, key string) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	b, diags := p.GetKey(ctx, key)
	if diags.HasError() || len(b) == 0 {
		return time.Time{}, false
	}
	var v timeMark
	if err := json.Unmarshal(b, &v); err != nil || v.At.IsZero() {
		return time.Time{}, false
	}
	return v.At, true
}
