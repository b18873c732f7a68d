package clients

import "sync"

// Registries holds what the services of one provider instance share during one Terraform command (one graph walk),
// such as which managed object declares which certificate authority. The zero value is ready to use.
type Registries struct {
	mu sync.Mutex
	m  map[string]any
}

// Get returns the registry stored under key, made by mk on first use; it is safe for concurrent use.
func (r *Registries) Get(key string, mk func() any) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]any{}
	}
	v, ok := r.m[key]
	if !ok {
		v = mk()
		r.m[key] = v
	}
	return v
}
