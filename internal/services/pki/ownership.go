package pki

import (
	"strings"
	"sync"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
)

// Ownership of certificate authorities within one run of the provider.
//
// An upload object owns the CAs of its file in its PKI. Two ways could make two objects hold the same CA, and a
// Delete of one would then empty the other's trust: create_before_destroy (the new object adopts the CAs, then
// Terraform deletes the deposed object, which recorded the same CAs), and two upload resources whose files share a
// CA. Terraform runs both halves of a create_before_destroy replacement in one provider process, so a claim made by
// a Create or Update in this run tells Delete that a CA is still declared: Delete skips it. A second object that
// would claim a CA already claimed in this run by another upload object is refused instead of adopting it twice.
type claimRegistry struct {
	mu     sync.Mutex
	owners map[string]string // "pki/thumbprint" -> upload ID that claimed it in this run
}

var (
	registriesMu sync.Mutex
	registries   = map[*clients.Client]*claimRegistry{}
)

// claimsOf is the registry of one configured provider instance.
func claimsOf(c *clients.Client) *claimRegistry {
	registriesMu.Lock()
	defer registriesMu.Unlock()
	r := registries[c]
	if r == nil {
		r = &claimRegistry{owners: map[string]string{}}
		registries[c] = r
	}
	return r
}

func claimKey(pkiID, thumbprint string) string {
	return strings.ToLower(pkiID) + "/" + strings.ToUpper(thumbprint)
}

// claim records owner's CAs; it returns the thumbprints another owner claimed already in this run (and claims
// none of them then).
func (r *claimRegistry) claim(pkiID, owner string, thumbprints []string) (taken []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range thumbprints {
		if o, ok := r.owners[claimKey(pkiID, t)]; ok && o != owner {
			taken = append(taken, strings.ToUpper(t))
		}
	}
	if len(taken) > 0 {
		return taken
	}
	for _, t := range thumbprints {
		r.owners[claimKey(pkiID, t)] = owner
	}
	return nil
}

// claimed reports whether some object declared the CA in this run.
func (r *claimRegistry) claimed(pkiID, thumbprint string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.owners[claimKey(pkiID, thumbprint)]
	return ok
}
