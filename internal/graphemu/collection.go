package graphemu

import (
	"net/http"
	"strings"
)

// collection is the route shape every emulated collection shares: GET (list) and POST (create) on the collection;
// GET, PATCH and DELETE on an item; POST actions on an item (/{id}/{action}, bare or namespace-qualified); and
// collections nested under an item (/{id}/{segment}/...). A nil handler is a method the collection does not take:
// 405 names the ones it does take.
type collection struct {
	list, create    func(c *call)
	get, patch, del func(c *call, id string)
	actions         map[string]func(c *call, id string)         // by action name
	nested          map[string]func(parentID string) collection // by lower-case segment
}

// route dispatches rest, the path below the collection. Fixed segments are case-insensitive, as in Graph.
func (col collection) route(c *call, rest []string) {
	if len(rest) == 0 {
		c.dispatch(handler{http.MethodGet, col.list}, handler{http.MethodPost, col.create})
		return
	}
	id := rest[0]
	on := func(f func(*call, string)) func(*call) {
		if f == nil {
			return nil
		}
		return func(c *call) { f(c, id) }
	}
	if len(rest) == 1 {
		c.dispatch(handler{http.MethodGet, on(col.get)}, handler{http.MethodPatch, on(col.patch)}, handler{http.MethodDelete, on(col.del)})
		return
	}
	if len(rest) == 2 {
		for name, f := range col.actions {
			if isAction(rest[1], name) {
				c.dispatch(handler{http.MethodPost, on(f)})
				return
			}
		}
	}
	if sub, ok := col.nested[strings.ToLower(rest[1])]; ok {
		sub(id).route(c, rest[2:])
		return
	}
	c.unknownSegment(rest[1])
}

// handler is one method a route takes; a nil fn is a method it does not take.
type handler struct {
	method string
	fn     func(c *call)
}

// dispatch runs the handler of the request's method, or answers 405 with an Allow header naming the methods taken.
func (c *call) dispatch(hs ...handler) {
	var allowed []string
	for _, h := range hs {
		if h.fn == nil {
			continue
		}
		if c.r.Method == h.method {
			h.fn(c)
			return
		}
		allowed = append(allowed, h.method)
	}
	c.methodNotAllowed(allowed...)
}
