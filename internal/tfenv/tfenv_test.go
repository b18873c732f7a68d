package tfenv

import (
	"slices"
	"testing"
)

func TestLeanGCTurnsTheCollectorOffUnderALimit(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if got, want := LeanGC(), []string{"GOGC=off", "GOMEMLIMIT=256MiB"}; !slices.Equal(got, want) {
		t.Fatalf("LeanGC() = %q, want %q", got, want)
	}
}

func TestLeanGCLeavesTheCallersSettingAlone(t *testing.T) {
	for _, kv := range [][2]string{{"GOGC", "200"}, {"GOMEMLIMIT", "1GiB"}} {
		t.Run(kv[0], func(t *testing.T) {
			t.Setenv("GOGC", "")
			t.Setenv("GOMEMLIMIT", "")
			t.Setenv(kv[0], kv[1])
			if got := LeanGC(); got != nil {
				t.Fatalf("with %s=%s set, LeanGC() = %q, want nothing", kv[0], kv[1], got)
			}
		})
	}
}
