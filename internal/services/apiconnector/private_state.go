package apiconnector

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateUploadedAt is the private-state key recording when this resource uploaded its certificate, until a read
// has shown it: Read waits out Graph's read-after-write lag during that window instead of dropping the resource.
const privateUploadedAt = "uploaded_at"

// privateState is the part of the framework's private state that this resource uses.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type uploadedAtValue struct {
	At time.Time `json:"at"`
}

func setUploadedAt(ctx context.Context, p privateState, at time.Time) diag.Diagnostics {
	b, _ := json.Marshal(uploadedAtValue{At: at.UTC()})
	return p.SetKey(ctx, privateUploadedAt, b)
}

func clearUploadedAt(ctx context.Context, p privateState) diag.Diagnostics {
	return p.SetKey(ctx, privateUploadedAt, nil)
}

func uploadedAt(ctx context.Context, p privateState) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	b, diags := p.GetKey(ctx, privateUploadedAt)
	if diags.HasError() || len(b) == 0 {
		return time.Time{}, false
	}
	var v uploadedAtValue
	if err := json.Unmarshal(b, &v); err != nil || v.At.IsZero() {
		return time.Time{}, false
	}
	return v.At, true
}
