package acctest

import (
	"context"
	"testing"
	"time"
)

// MinuteContext is the context of a test's own Graph calls (setup, out-of-band changes, assertions): it ends after a
// minute of real time, or when the test's cleanup runs. It does not derive from t.Context(), so cleanups may use it.
func MinuteContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) //nolint:usetesting // cleanups use it after t.Context() ends
	t.Cleanup(cancel)
	return ctx
}
