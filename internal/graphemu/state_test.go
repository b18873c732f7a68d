package graphemu_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// Each emulator holds its own policy and users (fields of the Emulator, made on first use under its lock): what
// one is told is not seen by another, and first uses racing from many goroutines make one state (run with -race).
func TestStateBelongsToEachEmulator(t *testing.T) {
	a, b := newEnv(t, graphemu.Options{}), newEnv(t, graphemu.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			a.emu.AddUser(fmt.Sprintf("user%d@contoso.com", i))
		}()
		go func() {
			defer wg.Done()
			a.emu.SetCBAPolicyProperty("issuerHintsConfiguration", `{"state":"enabled"}`)
		}()
	}
	wg.Wait()
	if n := len(a.emu.Users()); n != 8 {
		t.Errorf("emulator a holds %d users, want the 8 added", n)
	}
	if n := len(b.emu.Users()); n != 0 {
		t.Errorf("emulator b holds %d users, want none: users leaked between emulators", n)
	}
	jsonEqual(t, "a's issuerHintsConfiguration", a.do(http.MethodGet, policyPath, nil).obj(t)["issuerHintsConfiguration"], `{"state":"enabled"}`)
	jsonEqual(t, "b's issuerHintsConfiguration", b.do(http.MethodGet, policyPath, nil).obj(t)["issuerHintsConfiguration"], `{"state":"disabled"}`)
}
