package graphemu

// Users, as far as certificate-based authentication needs them: GET and PATCH /users/{id | userPrincipalName}
// with authorizationInfo.certificateUserIds, and GET /users?$filter=authorizationInfo/certificateUserIds/any(...).
// Tests and the standalone emulator create users with AddUser (Graph's POST /users is not emulated).
//
// Choices where Graph's documentation is silent:
//   - A PATCH body may hold only authorizationInfo (other user properties answer 400 naming the property: they are
//     not emulated). certificateUserIds replaces the user's list whole; null or [] empties it.
//   - More than 10 values, a value over 1024 characters, or the same value twice in one list answer 400 BadRequest
//     (Graph's codes and texts for these are not documented). A value another user holds answers 400
//     Request_BadRequest "Another object with the same value for property certificateUserIds already exists.", the
//     text users report; the emulator compares values case-insensitively for this. A refused PATCH changes nothing.
//   - GET without $select answers id, displayName and userPrincipalName; authorizationInfo only when $select names
//     it (as Graph returns it only on $select). $select names are case-insensitive.
//   - UPNs are matched case-insensitively, ids (GUIDs) too. 404 is Request_ResourceNotFound, as for directory objects.
//   - Read-after-write lag (SetReadAfterWriteLag): for that long after a PATCH, reads show the previous list.
//   - $filter on certificateUserIds needs $count=true and ConsistencyLevel: eventual (as Graph's advanced queries do),
//     and matches exactly (eq) or by prefix (startswith).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	segUsers                       = "users"
	maxUserCertificateUserIDs      = 10
	maxUserCertificateUserIDLength = 1024
	// ConflictCertificateUserIDsMessage is what Graph answers for a value another user already holds.
	ConflictCertificateUserIDsMessage = "Another object with the same value for property certificateUserIds already exists."
)

type userDirectory struct {
	byID  map[string]*emuUser // normID(id) ->
	order []string
}

type emuUser struct {
	id, upn, displayName string
	certificateUserIDs   []string
	// previous is what reads show until staleUntil (read-after-write lag after a PATCH).
	previous   []string
	staleUntil time.Time
}

// UserSnapshot is a user as the emulator holds it (writes applied, lag ignored).
type UserSnapshot struct {
	ID                 string
	UserPrincipalName  string
	CertificateUserIDs []string
}

// users returns the emulator's users, made on first use; the caller holds e.mu.
func (e *Emulator) users() *userDirectory {
	if e.userDir == nil {
		e.userDir = &userDirectory{byID: map[string]*emuUser{}}
	}
	return e.userDir
}

// AddUser creates a cloud-only user with the given UPN and certificateUserIds (not validated) and returns its id.
func (e *Emulator) AddUser(upn string, certificateUserIDs ...string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.users()
	u := &emuUser{id: newGUID(), upn: upn, displayName: strings.Split(upn, "@")[0],
		certificateUserIDs: append([]string{}, certificateUserIDs...)}
	d.byID[u.id] = u
	d.order = append(d.order, u.id)
	return u.id
}

// User returns a user by id or UPN as the emulator holds it.
func (e *Emulator) User(idOrUPN string) (UserSnapshot, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users().find(idOrUPN)
	if u == nil {
		return UserSnapshot{}, false
	}
	return UserSnapshot{ID: u.id, UserPrincipalName: u.upn, CertificateUserIDs: append([]string{}, u.certificateUserIDs...)}, true
}

// SetUserCertificateUserIDs changes a user's list out of band (as the portal would), without validation or lag.
func (e *Emulator) SetUserCertificateUserIDs(idOrUPN string, values ...string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users().find(idOrUPN)
	if u == nil {
		return false
	}
	u.certificateUserIDs, u.previous, u.staleUntil = append([]string{}, values...), nil, time.Time{}
	return true
}

// DeleteUser removes a user out of band.
func (e *Emulator) DeleteUser(idOrUPN string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.users()
	u := d.find(idOrUPN)
	if u == nil {
		return false
	}
	delete(d.byID, normID(u.id))
	for i, id := range d.order {
		if id == u.id {
			d.order = append(d.order[:i:i], d.order[i+1:]...)
			break
		}
	}
	return true
}

func (d *userDirectory) find(idOrUPN string) *emuUser {
	if u, ok := d.byID[normID(idOrUPN)]; ok {
		return u
	}
	for _, id := range d.order {
		if u := d.byID[id]; strings.EqualFold(u.upn, idOrUPN) {
			return u
		}
	}
	return nil
}

// holder returns the user other than self holding value, compared case-insensitively.
func (d *userDirectory) holder(value string, self *emuUser) *emuUser {
	for _, id := range d.order {
		u := d.byID[id]
		if u == self {
			continue
		}
		for _, v := range u.certificateUserIDs {
			if strings.EqualFold(v, value) {
				return u
			}
		}
	}
	return nil
}

// visibleIDs is the list a read shows at now.
func (u *emuUser) visibleIDs(now time.Time) []string {
	if now.Before(u.staleUntil) {
		return u.previous
	}
	return u.certificateUserIDs
}

func (e *Emulator) userRoutes() collection {
	return collection{list: e.listUsers, get: e.getUser, patch: e.patchUser}
}

// userView renders the properties $select asks for (id, displayName and userPrincipalName without $select).
func userView(c *call, u *emuUser, now time.Time) (map[string]any, bool) {
	sel := []string{"id", "displayName", "userPrincipalName"}
	if s := c.r.URL.Query().Get("$select"); s != "" {
		sel = strings.Split(s, ",")
	}
	out := map[string]any{}
	for _, p := range sel {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "id":
			out["id"] = u.id
		case "displayname":
			out["displayName"] = u.displayName
		case "userprincipalname":
			out["userPrincipalName"] = u.upn
		case "authorizationinfo":
			ids := append([]string{}, u.visibleIDs(now)...)
			out["authorizationInfo"] = map[string]any{"certificateUserIds": ids}
		default:
			c.badRequest("Could not find a property named '%s' on type 'microsoft.graph.user'.", strings.TrimSpace(p))
			return nil, false
		}
	}
	return out, true
}

func (e *Emulator) getUser(c *call, id string) {
	e.mu.Lock()
	u := e.users().find(id)
	var view map[string]any
	ok := u != nil
	if ok {
		view, ok = userView(c, u, e.clk.Now())
		if !ok {
			e.mu.Unlock()
			return // answered 400
		}
	}
	e.mu.Unlock()
	if u == nil {
		c.objectNotFound(id)
		return
	}
	view["@odata.context"] = c.context("users/$entity")
	c.json(http.StatusOK, view)
}

func (e *Emulator) patchUser(c *call, id string) {
	o, ok := c.typedObject("microsoft.graph.user", "authorizationInfo")
	if !ok {
		return
	}
	var values []string
	set := false
	if ai, present, err := o.object("authorizationInfo"); err != nil {
		c.badRequest("%v", err)
		return
	} else if present {
		if !c.checkProperties(ai, "microsoft.graph.authorizationInfo", "certificateUserIds") {
			return
		}
		if raw, ok := ai["certificateUserIds"]; ok {
			set = true
			if strings.TrimSpace(string(raw)) != "null" {
				if err := json.Unmarshal(raw, &values); err != nil {
					c.badRequest("Cannot convert the literal '%s' to the expected type 'Collection(Edm.String)'.", truncate(string(raw), 40))
					return
				}
			}
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.users()
	u := d.find(id)
	if u == nil {
		c.objectNotFound(id)
		return
	}
	if !set {
		c.noContent()
		return
	}
	if problem := certificateUserIDsProblem(values); problem != "" {
		c.badRequest("%s", problem)
		return
	}
	for _, v := range values {
		if d.holder(v, u) != nil {
			c.errorf(http.StatusBadRequest, "Request_BadRequest", "%s", ConflictCertificateUserIDsMessage)
			return
		}
	}
	now := e.clk.Now()
	if e.lag > 0 {
		u.previous, u.staleUntil = u.visibleIDs(now), now.Add(e.lag)
	}
	u.certificateUserIDs = append([]string{}, values...)
	if u.certificateUserIDs == nil {
		u.certificateUserIDs = []string{}
	}
	c.noContent()
}

func certificateUserIDsProblem(values []string) string {
	if len(values) > maxUserCertificateUserIDs {
		return fmt.Sprintf("Invalid value specified for property 'certificateUserIds' of resource 'User': at most %d values are allowed, got %d.", maxUserCertificateUserIDs, len(values))
	}
	seen := map[string]bool{}
	for _, v := range values {
		if n := utf8.RuneCountInString(v); n > maxUserCertificateUserIDLength || n == 0 {
			return fmt.Sprintf("Invalid value specified for property 'certificateUserIds' of resource 'User': each value must be 1 to %d characters long.", maxUserCertificateUserIDLength)
		}
		if seen[strings.ToLower(v)] {
			return "Invalid value specified for property 'certificateUserIds' of resource 'User': the values must be unique."
		}
		seen[strings.ToLower(v)] = true
	}
	return ""
}

// listUsers answers only the certificateUserIds filter this provider uses to find who holds a value.
func (e *Emulator) listUsers(c *call) {
	q := c.r.URL.Query()
	f := strings.TrimSpace(q.Get("$filter"))
	match, err := certificateUserIDsFilter(f)
	if err != nil {
		c.badRequest("%v", err)
		return
	}
	if !strings.EqualFold(q.Get("$count"), "true") || !strings.EqualFold(c.r.Header.Get("ConsistencyLevel"), "eventual") {
		c.badRequest("Unsupported Query. Filtering on authorizationInfo/certificateUserIds needs $count=true and the header ConsistencyLevel: eventual.")
		return
	}
	e.mu.Lock()
	d := e.users()
	now := e.clk.Now()
	var items []any
	for _, id := range d.order {
		u := d.byID[id]
		hit := false
		for _, v := range u.visibleIDs(now) {
			hit = hit || match(v)
		}
		if !hit {
			continue
		}
		view, ok := userView(c, u, now)
		if !ok {
			e.mu.Unlock()
			return
		}
		items = append(items, view)
	}
	e.mu.Unlock()
	if items == nil {
		items = []any{}
	}
	c.json(http.StatusOK, map[string]any{"@odata.context": c.context("users"), "@odata.count": len(items), "value": items})
}

// certificateUserIDsFilter parses authorizationInfo/certificateUserIds/any(x:x eq '...') and
// any(x:startswith(x,'...')).
func certificateUserIDsFilter(f string) (func(string) bool, error) {
	const prefix = "authorizationinfo/certificateuserids/any("
	lower := strings.ToLower(f)
	if !strings.HasPrefix(lower, prefix) || !strings.HasSuffix(f, ")") {
		return nil, fmt.Errorf("Unsupported Query. Only $filter=authorizationInfo/certificateUserIds/any(x:x eq '...') is emulated on /users.")
	}
	inner := f[len(prefix) : len(f)-1]
	v, rest, ok := strings.Cut(inner, ":")
	if !ok {
		return nil, fmt.Errorf("Invalid filter clause: syntax error in '%s'.", f)
	}
	v = strings.TrimSpace(v)
	rest = strings.TrimSpace(rest)
	if lit, ok := strings.CutPrefix(rest, v+" eq "); ok {
		s, err := odataString(strings.TrimSpace(lit))
		if err != nil {
			return nil, err
		}
		return func(x string) bool { return strings.EqualFold(x, s) }, nil
	}
	if args, ok := strings.CutPrefix(strings.ToLower(rest), "startswith("); ok && strings.HasSuffix(args, ")") {
		argsOrig := rest[len("startswith(") : len(rest)-1]
		name, lit, ok := strings.Cut(argsOrig, ",")
		if !ok || strings.TrimSpace(name) != v {
			return nil, fmt.Errorf("Invalid filter clause: syntax error in '%s'.", f)
		}
		s, err := odataString(strings.TrimSpace(lit))
		if err != nil {
			return nil, err
		}
		s = strings.ToLower(s)
		return func(x string) bool { return strings.HasPrefix(strings.ToLower(x), s) }, nil
	}
	return nil, fmt.Errorf("Invalid filter clause: syntax error in '%s'.", f)
}

// Users lists every user the emulator holds, sorted by UPN.
func (e *Emulator) Users() []UserSnapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.users()
	out := make([]UserSnapshot, 0, len(d.order))
	for _, id := range d.order {
		u := d.byID[id]
		out = append(out, UserSnapshot{ID: u.id, UserPrincipalName: u.upn, CertificateUserIDs: append([]string{}, u.certificateUserIDs...)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserPrincipalName < out[j].UserPrincipalName })
	return out
}
