package clients

import (
	"strings"
	"sync"
)

// IDSet is a set of Graph object ids (GUIDs, compared case-insensitively), safe for concurrent use. The zero
// value is empty and usable.
//
// PKIsOfThisRun holds the PKIs that a managed entracert_certificate_based_auth_pki creates in this run, or found in
// Graph's deleted items and plans to restore. Terraform plans and applies a PKI before the resources that reference
// it, so an upload or CA resource under such a PKI learns here that it exists or comes back (its CAs with it),
// even while Graph's reads do not show it yet.
type IDSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

// Add records id.
func (s *IDSet) Add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	s.ids[strings.ToLower(id)] = true
}

// Has reports whether id was recorded.
func (s *IDSet) Has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[strings.ToLower(id)]
}
