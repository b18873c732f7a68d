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

// privateWrittenAt is the one private-state key of the read-after-write wait: when this provider last wrote the
// object (created it, uploaded it), kept until a read has shown the object. Within graph's visibility window of that
// time a Read waits out a 404 or a missing entry (graph.ReadAfterWrite) instead of dropping the object, which would
// plan a second create of an object that exists.
const privateWrittenAt = "written_at"

type timeMark struct {
	At time.Time `json:"at"`
}

// MarkWritten records that this provider wrote the object at at.
func MarkWritten(ctx context.Context, p PrivateState, at time.Time) diag.Diagnostics {
	b, _ := json.Marshal(timeMark{At: at.UTC()})
	return p.SetKey(ctx, privateWrittenAt, b)
}

// ClearWritten removes the mark, once a read has shown the object.
func ClearWritten(ctx context.Context, p PrivateState) diag.Diagnostics {
	return p.SetKey(ctx, privateWrittenAt, nil)
}

// WrittenAt is when this provider last wrote the object, if the mark is there (and readable).
func WrittenAt(ctx context.Context, p PrivateState) (time.Time, bool) {
	if p == nil {
		return time.Time{}, false
	}
	b, diags := p.GetKey(ctx, privateWrittenAt)
	if diags.HasError() || len(b) == 0 {
		return time.Time{}, false
	}
	var v timeMark
	if err := json.Unmarshal(b, &v); err != nil || v.At.IsZero() {
		return time.Time{}, false
	}
	return v.At, true
}
