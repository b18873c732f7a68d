package graphemu

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	segIdentity      = "identity"
	segAPIConnectors = "apiconnectors"
	segDirectory     = "directory"
	segPKIRoot       = "publickeyinfrastructure"
	segPKIs          = "certificatebasedauthconfigurations"
	segCAs           = "certificateauthorities"
	segDeletedItems  = "deleteditems"

	// defaultPageSize is how many items a list answers without $top.
	defaultPageSize = 100
	maxPageSize     = 999
)

// route dispatches a request below /v1.0. Fixed segments are case-insensitive, as in Graph.
func (e *Emulator) route(c *call) {
	s := c.segs
	if len(s) == 1 && strings.EqualFold(s[0], "$batch") {
		e.batch(c) // batch.go
		return
	}
	known := [][]string{{segIdentity, segAPIConnectors}, {segDirectory, segPKIRoot, segPKIs}, cbaPolicyPrefix, {segDirectory, segDeletedItems}, {segUsers}}
	for i, prefix := range known {
		if len(s) < len(prefix) || !segsEqual(s[:len(prefix)], prefix) {
			continue
		}
		switch i {
		case 0:
			e.routeConnectors(c, s[len(prefix):])
		case 1:
			e.routePKIs(c, s[len(prefix):])
		case 3:
			e.routeDeletedItems(c, s[len(prefix):]) // deleted_items.go
		case 4:
			e.routeUsers(c, s[len(prefix):]) // users.go
		default:
			e.routeCBAPolicy(c, s[len(prefix):])
		}
		return
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

func (e *Emulator) routeConnectors(c *call, rest []string) {
	m := c.r.Method
	switch {
	case len(rest) == 0:
		switch m {
		case http.MethodGet:
			e.listConnectors(c)
		case http.MethodPost:
			e.createConnector(c)
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPost)
		}
	case len(rest) == 1:
		switch m {
		case http.MethodGet:
			e.getConnector(c, rest[0])
		case http.MethodPatch:
			e.patchConnector(c, rest[0])
		case http.MethodDelete:
			e.deleteConnector(c, rest[0])
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPatch, http.MethodDelete)
		}
	case len(rest) == 2 && isAction(rest[1], "uploadClientCertificate"):
		if m != http.MethodPost {
			c.methodNotAllowed(http.MethodPost)
			return
		}
		e.uploadClientCertificate(c, rest[0])
	default:
		c.unknownSegment(rest[1])
	}
}

func (e *Emulator) routePKIs(c *call, rest []string) {
	m := c.r.Method
	switch {
	case len(rest) == 0:
		switch m {
		case http.MethodGet:
			e.listPKIs(c)
		case http.MethodPost:
			e.createPKI(c)
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPost)
		}
	case len(rest) == 1:
		switch m {
		case http.MethodGet:
			e.getPKI(c, rest[0])
		case http.MethodPatch:
			e.patchPKI(c, rest[0])
		case http.MethodDelete:
			e.deletePKI(c, rest[0])
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPatch, http.MethodDelete)
		}
	case len(rest) == 2 && isAction(rest[1], "upload"):
		if m != http.MethodPost {
			c.methodNotAllowed(http.MethodPost)
			return
		}
		e.uploadPKI(c, rest[0])
	case len(rest) == 2 && strings.EqualFold(rest[1], segCAs):
		switch m {
		case http.MethodGet:
			e.listCAs(c, rest[0])
		case http.MethodPost:
			e.createCA(c, rest[0])
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPost)
		}
	case len(rest) == 3 && strings.EqualFold(rest[1], segCAs):
		switch m {
		case http.MethodGet:
			e.getCA(c, rest[0], rest[2])
		case http.MethodPatch:
			e.patchCA(c, rest[0], rest[2])
		case http.MethodDelete:
			e.deleteCA(c, rest[0], rest[2])
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodPatch, http.MethodDelete)
		}
	default:
		c.unknownSegment(rest[1])
	}
}

// ---- lists ----

// displayNameFilter parses the $filter forms the contract documents for displayName:
// `displayName eq '...'` and `startswith(displayName,'...')`. Comparison is case-insensitive, as Graph's
// directory filters are. An empty filter matches everything.
func displayNameFilter(f string) (func(string) bool, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return func(string) bool { return true }, nil
	}
	lower := strings.ToLower(f)
	if strings.HasPrefix(lower, "startswith(") {
		if !strings.HasSuffix(f, ")") {
			return nil, fmt.Errorf("Invalid filter clause: syntax error in '%s'.", f)
		}
		inner := f[len("startswith(") : len(f)-1]
		prop, lit, ok := strings.Cut(inner, ",")
		if !ok || !strings.EqualFold(strings.TrimSpace(prop), "displayName") {
			return nil, fmt.Errorf("Invalid filter clause: only startswith(displayName,'...') is supported.")
		}
		v, err := odataString(strings.TrimSpace(lit))
		if err != nil {
			return nil, err
		}
		v = strings.ToLower(v)
		return func(name string) bool { return strings.HasPrefix(strings.ToLower(name), v) }, nil
	}
	fields := strings.SplitN(f, " ", 3)
	if len(fields) != 3 || !strings.EqualFold(fields[0], "displayName") || !strings.EqualFold(fields[1], "eq") {
		return nil, fmt.Errorf("Invalid filter clause: only displayName eq '...' and startswith(displayName,'...') are supported.")
	}
	v, err := odataString(strings.TrimSpace(fields[2]))
	if err != nil {
		return nil, err
	}
	return func(name string) bool { return strings.EqualFold(name, v) }, nil
}

// odataString decodes an OData string literal: single-quoted, a doubled quote standing for one quote.
func odataString(lit string) (string, error) {
	if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
		return "", fmt.Errorf("Invalid filter clause: %s is not a quoted string literal.", lit)
	}
	body := lit[1 : len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] == '\'' {
			if i+1 < len(body) && body[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return "", fmt.Errorf("Invalid filter clause: unescaped quote in %s.", lit)
		}
		b.WriteByte(body[i])
	}
	return b.String(), nil
}

type listPage struct {
	Context  string `json:"@odata.context"`
	NextLink string `json:"@odata.nextLink,omitempty"`
	Value    []any  `json:"value"`
}

// query reads $filter, $top and $skiptoken; it answers 400 itself and returns ok=false on a bad value.
func (c *call) listQuery() (match func(string) bool, top, skip int, ok bool) {
	q := c.r.URL.Query()
	match, err := displayNameFilter(q.Get("$filter"))
	if err != nil {
		c.badRequest("%v", err)
		return nil, 0, 0, false
	}
	top = defaultPageSize
	if c.pageSize > 0 {
		top = c.pageSize
	}
	if t := q.Get("$top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > maxPageSize {
			c.badRequest("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", t, maxPageSize)
			return nil, 0, 0, false
		}
		top = n
	}
	if st := q.Get("$skiptoken"); st != "" {
		n, err := decodeSkipToken(st)
		if err != nil {
			c.badRequest("Invalid $skiptoken.")
			return nil, 0, 0, false
		}
		skip = n
	}
	return match, top, skip, true
}

// page answers one page of items, with @odata.nextLink when more remain.
func (c *call) page(contextFragment string, items []any, top, skip int) {
	if skip > len(items) {
		skip = len(items)
	}
	end := min(skip+top, len(items))
	out := listPage{Context: c.context(contextFragment), Value: items[skip:end]}
	if out.Value == nil {
		out.Value = []any{}
	}
	if end < len(items) {
		q := c.r.URL.Query()
		q.Set("$skiptoken", encodeSkipToken(end))
		out.NextLink = c.base + apiPrefix + c.path + "?" + q.Encode()
	}
	c.json(http.StatusOK, out)
}

// Skip tokens are opaque to clients, as Graph's are; inside they hold the next offset.
func encodeSkipToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("graphemu:" + strconv.Itoa(offset)))
}

func decodeSkipToken(t string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, err
	}
	s, ok := strings.CutPrefix(string(b), "graphemu:")
	if !ok {
		return 0, fmt.Errorf("bad token")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad token")
	}
	return n, nil
}
