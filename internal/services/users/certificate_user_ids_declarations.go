package users

import (
	"slices"
	"strings"
	"sync"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
)

// One user, one list.
//
// An entracert_user_certificate_user_ids resource owns a user's whole certificateUserIds list. Two resources naming
// the same user (by object ID and by UPN, say) with different lists would overwrite each other at every apply: each
// refresh finds the other's list and plans it back, and between the two writes the user's bindings are whichever
// came last. Terraform plans every resource instance of the configuration on every plan, so each one declares its
// user and list here (even when it plans no change), and a second, different list for the same user fails the plan
// before any write. Two resources with the same list do not fight and are left alone. (-target plans only some
// resources and can bypass the check.) A provider instance serves one Terraform command; the registry lives on
// clients.Client and never outlives it.
type userDeclarations struct {
	mu    sync.Mutex
	lists map[string][]string // lower-case object ID -> the declared list, sorted
}

func declarationsOf(c *clients.Client) *userDeclarations {
	if c == nil {
		return nil
	}
	return clients.RegistryOf(&c.Registries, "users/certificate-user-ids-declarations", func() *userDeclarations {
		return &userDeclarations{lists: map[string][]string{}}
	})
}

// declare records values as userID's list. When another list was declared for that user already, it returns that
// list and ok false (and records nothing).
func (d *userDeclarations) declare(userID string, values []string) (other []string, ok bool) {
	if d == nil || userID == "" {
		return nil, true
	}
	list := slices.Clone(values)
	slices.Sort(list)
	list = slices.Compact(list)
	key := strings.ToLower(userID)
	d.mu.Lock()
	defer d.mu.Unlock()
	if prev, found := d.lists[key]; found && !slices.Equal(prev, list) {
		return prev, false
	}
	d.lists[key] = list
	return nil, true
}
