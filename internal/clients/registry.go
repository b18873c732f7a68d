package clients

import (
	"fmt"
	"sync"
)

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

// RegistryOf is r.Get for a registry of type T: the one stored under key, made by mk on first use. A key holding
// another type is a bug in the provider (two services chose one key), reported by a panic that names both types.
func RegistryOf[T any](r *Registries, key string, mk func() T) T {
	v := r.Get(key, func() any { return mk() })
	x, ok := v.(T)
	if !ok {
		panic(fmt.Sprintf("clients: registry %q holds a %T, not a %T", key, v, x))
	}
	return x
}
