package graphemu

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	// defaultPageSize is how many items a list answers without $top.
	defaultPageSize = 100
	maxPageSize     = 999
)

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

// listing is one list request being answered: its $filter, $top and $skiptoken, and the items listed so far.
type listing struct {
	c         *call
	match     func(string) bool
	top, skip int
	items     []any
}

// startList reads $filter, $top and $skiptoken; it answers 400 itself and returns ok=false on a bad value.
func (c *call) startList() (*listing, bool) {
	q := c.r.URL.Query()
	match, err := displayNameFilter(q.Get("$filter"))
	if err != nil {
		c.badRequest("%v", err)
		return nil, false
	}
	l := &listing{c: c, match: match, top: defaultPageSize}
	if c.pageSize > 0 {
		l.top = c.pageSize
	}
	if t := q.Get("$top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > maxPageSize {
			c.badRequest("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", t, maxPageSize)
			return nil, false
		}
		l.top = n
	}
	if st := q.Get("$skiptoken"); st != "" {
		n, err := decodeSkipToken(st)
		if err != nil {
			c.badRequest("Invalid $skiptoken.")
			return nil, false
		}
		l.skip = n
	}
	return l, true
}

// add lists the object called name when the $filter matches it; view renders it, and runs only then.
func (l *listing) add(name string, view func() any) {
	if l.match(name) {
		l.items = append(l.items, view())
	}
}

// answer answers one page of the items, with @odata.nextLink when more remain.
func (l *listing) answer(contextFragment string) {
	c, items := l.c, l.items
	skip := min(l.skip, len(items))
	end := min(skip+l.top, len(items))
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
