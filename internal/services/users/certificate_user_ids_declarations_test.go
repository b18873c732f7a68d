package users

import (
	"slices"
	"sync"
	"testing"
)

func TestDeclarationsOneListPerUser(t *testing.T) {
	d := &userDeclarations{lists: map[string][]string{}}
	const bob = "6f1c0a2e-0000-4000-8000-0000000000b0"
	if _, ok := d.declare(bob, []string{"b", "a"}); !ok {
		t.Fatal("the first list for a user was refused")
	}
	// The same list, in another order and another letter case of the object ID: the same resource planned again, or a
	// second resource that does not fight.
	if _, ok := d.declare("6F1C0A2E-0000-4000-8000-0000000000B0", []string{"a", "b", "a"}); !ok {
		t.Fatal("the same list, declared again, was refused")
	}
	other, ok := d.declare(bob, []string{"a"})
	if ok || !slices.Equal(other, []string{"a", "b"}) {
		t.Fatalf("a different list for the same user: got (%q, %v), want ([a b], false)", other, ok)
	}
	if _, ok := d.declare("another-user", []string{"a"}); !ok {
		t.Fatal("another user's list was refused")
	}
	var nilRegistry *userDeclarations
	if _, ok := nilRegistry.declare(bob, []string{"x"}); !ok {
		t.Fatal("an unconfigured provider (no registry) refused a list")
	}
}

// Terraform plans resources concurrently: exactly one of two different lists for one user is accepted.
func TestDeclarationsConcurrentListsOneWins(t *testing.T) {
	for range 50 {
		d := &userDeclarations{lists: map[string][]string{}}
		var wg sync.WaitGroup
		results := make([]bool, 2)
		for i, list := range [][]string{{"a"}, {"b"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = d.declare("u", list)
			}()
		}
		wg.Wait()
		if results[0] == results[1] {
			t.Fatalf("accepted %v: want exactly one of two different lists", results)
		}
	}
}
