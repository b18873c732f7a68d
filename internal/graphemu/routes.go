package graphemu

import "strings"

const (
	segIdentity      = "identity"
	segAPIConnectors = "apiconnectors"
	segDirectory     = "directory"
	segPKIRoot       = "publickeyinfrastructure"
	segPKIs          = "certificatebasedauthconfigurations"
	segCAs           = "certificateauthorities"
	segDeletedItems  = "deleteditems"
)

// route dispatches a request below /v1.0 to the collection mounted at its first segments. Fixed segments are
// case-insensitive, as in Graph.
func (e *Emulator) route(c *call) {
	s := c.segs
	if len(s) == 1 && strings.EqualFold(s[0], "$batch") {
		e.batch(c) // batch.go
		return
	}
	mounts := []struct {
		prefix []string
		route  func(c *call, rest []string)
	}{
		{[]string{segIdentity, segAPIConnectors}, e.connectorRoutes().route},
		{[]string{segDirectory, segPKIRoot, segPKIs}, e.pkiRoutes().route},
		{cbaPolicyPrefix, e.routeCBAPolicy},                            // policy.go
		{[]string{segDirectory, segDeletedItems}, e.routeDeletedItems}, // deleted_items.go
		{[]string{segUsers}, e.userRoutes().route},                     // users.go
	}
	known := make([][]string, 0, len(mounts))
	for _, m := range mounts {
		if len(s) >= len(m.prefix) && segsEqual(s[:len(m.prefix)], m.prefix) {
			m.route(c, s[len(m.prefix):])
			return
		}
		known = append(known, m.prefix)
	}
	// Graph answers 400 for a path it cannot resolve, naming the first segment it did not recognise.
	c.unknownSegment(firstUnknown(s, known))
}

func segsEqual(a, b []string) bool {
	for i := range b {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func firstUnknown(s []string, known [][]string) string {
	best := 0
	for _, k := range known {
		n := 0
		for n < len(s) && n < len(k) && strings.EqualFold(s[n], k[n]) {
			n++
		}
		best = max(best, n)
	}
	if best < len(s) {
		return s[best]
	}
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func (c *call) unknownSegment(seg string) {
	c.badRequest("Resource not found for the segment '%s'.", seg)
}

// isAction matches an action segment, bare or namespace-qualified (both are valid in Graph).
func isAction(seg, name string) bool {
	seg = strings.ToLower(seg)
	name = strings.ToLower(name)
	return seg == name || seg == "microsoft.graph."+name
}

func (e *Emulator) connectorRoutes() collection {
	return collection{list: e.listConnectors, create: e.createConnector,
		get: e.getConnector, patch: e.patchConnector, del: e.deleteConnector,
		actions: map[string]func(*call, string){"uploadClientCertificate": e.uploadClientCertificate}}
}

func (e *Emulator) pkiRoutes() collection {
	return collection{list: e.listPKIs, create: e.createPKI,
		get: e.getPKI, patch: e.patchPKI, del: e.deletePKI,
		actions: map[string]func(*call, string){"upload": e.uploadPKI},
		nested:  map[string]func(string) collection{segCAs: e.caRoutes}}
}

// caRoutes are the certificate authorities of one PKI.
func (e *Emulator) caRoutes(pkiID string) collection {
	return collection{
		list:   func(c *call) { e.listCAs(c, pkiID) },
		create: func(c *call) { e.createCA(c, pkiID) },
		get:    func(c *call, id string) { e.getCA(c, pkiID, id) },
		patch:  func(c *call, id string) { e.patchCA(c, pkiID, id) },
		del:    func(c *call, id string) { e.deleteCA(c, pkiID, id) },
	}
}
