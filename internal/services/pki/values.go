package pki

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func minTime(a, b time.Time) time.Time {
	if b.IsZero() || a.Before(b) {
		return a
	}
	return b
}

func orNone(s string) string {
	if s == "" {
		return "(no details)"
	}
	return s
}

func timeString(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
