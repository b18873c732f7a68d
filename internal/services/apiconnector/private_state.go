package apiconnector

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateUploadedAt is the private-state key recording when this resource uploaded its certificate, until a read
// has shown it: Read waits out Graph's read-after-write lag during that window instead of dropping the resource.
const privateUploadedAt = "uploaded_at"

func setUploadedAt(ctx context.Context, p clients.PrivateState, at time.Time) diag.Diagnostics {
	return clients.SetTimeMark(ctx, p, privateUploadedAt, at)
}

func clearUploadedAt(ctx context.Context, p clients.PrivateState) diag.Diagnostics {
	return clients.ClearTimeMark(ctx, p, privateUploadedAt)
}

func uploadedAt(ctx context.Context, p clients.PrivateState) (time.Time, bool) {
	return clients.TimeMark(ctx, p, privateUploadedAt)
}
