package graphemu

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// @odata.type discriminators of an API connector's authenticationConfiguration.
const (
	TypeBasicAuthentication             = "#microsoft.graph.basicAuthentication"
	TypePkcs12Certificate               = "#microsoft.graph.pkcs12Certificate"
	TypeClientCertificateAuthentication = "#microsoft.graph.clientCertificateAuthentication"

	// MaskedPassword is what Graph returns in place of a basic-authentication password.
	MaskedPassword = "******"
)

// Kinds of authentication configuration a connector holds.
const (
	authNone      = ""
	authBasicKind = "basic"
	authCert      = "certificate"
)

type connector struct {
	id, displayName, targetURL string
	// visibleAt is when reads start seeing the connector (read-after-write lag).
	visibleAt time.Time
	auth      string // authNone, authBasicKind or authCert
	username  string
	password  string
	certs     []*clientCert // in upload order, oldest first
}

type clientCert struct {
	thumbprint          string
	notBefore, notAfter time.Time
	seq                 uint64
	visibleAt           time.Time
}

// ---- JSON shapes, field order as in Graph's documentation ----

// A connector carries no top-level @odata.type: Graph's documented answers (uploadClientCertificate, get, list)
// have none, since identityApiConnector is the declared type; only authenticationConfiguration has one.

type connectorJSON struct {
	Context                     string `json:"@odata.context,omitempty"`
	ID                          string `json:"id"`
	DisplayName                 string `json:"displayName"`
	TargetURL                   string `json:"targetUrl"`
	AuthenticationConfiguration any    `json:"authenticationConfiguration"`
}

func (v *connectorJSON) setContext(s string) { v.Context = s }

type basicAuthJSON struct {
	Type     string `json:"@odata.type"`
	Username string `json:"username"`
	Password string `json:"password"`
}

type certAuthJSON struct {
	Type            string         `json:"@odata.type"`
	CertificateList []certInfoJSON `json:"certificateList"`
}

type certInfoJSON struct {
	Thumbprint string `json:"thumbprint"`
	NotAfter   int64  `json:"notAfter"`
	NotBefore  int64  `json:"notBefore"`
	IsActive   bool   `json:"isActive"`
}

// view renders a connector. Unless all is set, certificates still inside the read-after-write lag are left
// out, and isActive is computed over what is shown, as a lagging replica would.
func (con *connector) view(now time.Time, all bool) connectorJSON {
	out := connectorJSON{ID: con.id, DisplayName: con.displayName, TargetURL: con.targetURL}
	switch con.auth {
	case authBasicKind:
		out.AuthenticationConfiguration = basicAuthJSON{Type: TypeBasicAuthentication, Username: con.username, Password: MaskedPassword}
	case authCert:
		shown := make([]*clientCert, 0, len(con.certs))
		for _, cc := range con.certs {
			if all || !now.Before(cc.visibleAt) {
				shown = append(shown, cc)
			}
		}
		active := activeCert(shown, now)
		list := make([]certInfoJSON, 0, len(shown))
		for _, cc := range shown {
			list = append(list, certInfoJSON{
				Thumbprint: cc.thumbprint,
				NotAfter:   cc.notAfter.Unix(),
				NotBefore:  cc.notBefore.Unix(),
				IsActive:   cc == active,
			})
		}
		out.AuthenticationConfiguration = certAuthJSON{Type: TypeClientCertificateAuthentication, CertificateList: list}
	}
	return out
}

// activeCert is Graph's documented rule: the most recently uploaded certificate that has started and not expired.
func activeCert(certs []*clientCert, now time.Time) *clientCert {
	var best *clientCert
	for _, cc := range certs {
		if now.Before(cc.notBefore) || now.After(cc.notAfter) {
			continue
		}
		if best == nil || cc.seq > best.seq {
			best = cc
		}
	}
	return best
}

const connectorContext = "identity/apiConnectors"

var connectorProperties = []string{"id", "displayName", "targetUrl", "authenticationConfiguration"}

// ---- handlers ----

func (e *Emulator) listConnectors(c *call) {
	l, ok := c.startList()
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	for _, id := range e.connectorOrder {
		if con := e.connectors[id]; !now.Before(con.visibleAt) {
			l.add(con.displayName, func() any { return con.view(now, false) })
		}
	}
	e.mu.Unlock()
	l.answer(connectorContext)
}

func (e *Emulator) getConnector(c *call, id string) {
	con, now := e.lockConnector(c, id, false)
	if con == nil {
		return
	}
	v := con.view(now, false)
	e.mu.Unlock()
	c.entity(http.StatusOK, connectorContext+"/$entity", &v)
}

// lockConnector takes e.mu and finds the connector: for a read, only once the read-after-write lag is over; for a
// write, at once (writes reach the primary). When there is none it lets go of e.mu, answers 404 and returns nil;
// otherwise the caller holds e.mu.
func (e *Emulator) lockConnector(c *call, id string, write bool) (*connector, time.Time) {
	e.mu.Lock()
	now := e.clk.Now()
	con := e.connectors[normID(id)]
	if con != nil && !write && now.Before(con.visibleAt) {
		con = nil
	}
	if con == nil {
		e.mu.Unlock()
		c.connectorNotFound(id)
	}
	return con, now
}

// connectorNotFound is Graph's 404 for a connector: not a directory object, its code is ResourceNotFound.
func (c *call) connectorNotFound(id string) { c.notFound("ResourceNotFound", id) }

// authConfig is a parsed authenticationConfiguration from a create or PATCH body.
type authConfig struct {
	kind               string
	username, password string
	cert               *pkcs.ClientCertificate
}

// parseAuthConfig reads authenticationConfiguration; it answers 400 itself and returns ok=false on error.
// The PFX of a pkcs12Certificate is decoded here, outside the emulator's lock.
func (c *call) parseAuthConfig(o jsonObject) (cfg *authConfig, ok bool) {
	ac, present, err := o.object("authenticationConfiguration")
	if err != nil {
		c.badRequest("%v", err)
		return nil, false
	}
	if !present {
		return nil, true
	}
	typ, _, err := ac.str("@odata.type")
	if err != nil {
		c.badRequest("%v", err)
		return nil, false
	}
	switch normType(typ) {
	case "":
		c.badRequest("Cannot create an abstract type 'microsoft.graph.apiAuthenticationConfigurationBase'; authenticationConfiguration needs an @odata.type.")
		return nil, false
	case normType(TypeBasicAuthentication):
		if !c.checkProperties(ac, "microsoft.graph.basicAuthentication", "username", "password") {
			return nil, false
		}
		u, _, err1 := ac.str("username")
		p, _, err2 := ac.str("password")
		if err := errors.Join(err1, err2); err != nil {
			c.badRequest("%v", err)
			return nil, false
		}
		if u == "" || p == "" {
			c.badRequest("basicAuthentication requires a username and a password.")
			return nil, false
		}
		return &authConfig{kind: authBasicKind, username: u, password: p}, true
	case normType(TypePkcs12Certificate):
		if !c.checkProperties(ac, "microsoft.graph.pkcs12Certificate", "pkcs12Value", "password") {
			return nil, false
		}
		cert, ok := c.decodePFX(ac)
		if !ok {
			return nil, false
		}
		return &authConfig{kind: authCert, cert: cert}, true
	case normType(TypeClientCertificateAuthentication):
		c.badRequest("clientCertificateAuthentication is read-only; send a pkcs12Certificate or call uploadClientCertificate.")
		return nil, false
	default:
		c.badRequest("A type named '%s' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", strings.TrimPrefix(typ, "#"))
		return nil, false
	}
}

// normType accepts a type name with or without '#', in any case, as OData does.
func normType(t string) string { return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#")) }

// decodePFX reads pkcs12Value and password (both required; password may be "") and decodes the PFX.
func (c *call) decodePFX(o jsonObject) (*pkcs.ClientCertificate, bool) {
	v, vPresent, err1 := o.str("pkcs12Value")
	pw, pwPresent, err2 := o.str("password")
	if err := errors.Join(err1, err2); err != nil {
		c.badRequest("%v", err)
		return nil, false
	}
	if !vPresent || strings.TrimSpace(v) == "" {
		c.badRequest("The parameter 'pkcs12Value' is required and must be a base64-encoded PKCS#12 (.pfx) file.")
		return nil, false
	}
	if !pwPresent {
		c.badRequest("The parameter 'password' is required; send \"\" when the PFX has no password.")
		return nil, false
	}
	if c.rejectPBES2 {
		if der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v)); err == nil && usesPBES2(der) {
			c.errorf(http.StatusBadRequest, CodePBES2Rejected, "%s", MessagePBES2Rejected)
			return nil, false
		}
	}
	cert, err := pkcs.DecodeClientCertificate(v, pw)
	if err != nil {
		// pkcs's messages never contain the PFX or the password.
		switch {
		case errors.Is(err, pkcs.ErrNotBase64):
			c.badRequest("The pkcs12Value is not valid base64: %v", err)
		case errors.Is(err, pkcs.ErrWrongPassword):
			c.badRequest("The certificate could not be decrypted: the password is incorrect (%v).", err)
		case errors.Is(err, pkcs.ErrNoPrivateKey), errors.Is(err, pkcs.ErrNoCertificate):
			c.badRequest("The PKCS#12 file must contain a private key and its certificate: %v", err)
		default:
			c.badRequest("The pkcs12Value is not a valid PKCS#12 (.pfx) file: %v", err)
		}
		return nil, false
	}
	return cert, true
}

func (e *Emulator) createConnector(c *call) {
	o, ok := c.typedObject("microsoft.graph.identityApiConnector", connectorProperties...)
	if !ok {
		return
	}
	vals, ok := c.requiredStrings(o, "property", "displayName", "targetUrl")
	if !ok {
		return
	}
	name, target := vals[0], vals[1]
	cfg, ok := c.parseAuthConfig(o)
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	con := &connector{id: newGUID(), displayName: name, targetURL: target, visibleAt: now.Add(e.lag)}
	if cfg != nil {
		e.applyAuth(con, cfg, now)
	}
	e.connectors[con.id] = con
	e.connectorOrder = append(e.connectorOrder, con.id)
	v := con.view(now, true)
	e.mu.Unlock()
	c.entity(http.StatusCreated, connectorContext+"/$entity", &v)
}

// applyAuth replaces the whole authentication configuration, dropping every certificate (Graph's documented
// PATCH behaviour). Callers hold e.mu.
func (e *Emulator) applyAuth(con *connector, cfg *authConfig, now time.Time) {
	con.auth = cfg.kind
	con.username, con.password = "", ""
	con.certs = nil
	switch cfg.kind {
	case authBasicKind:
		con.username, con.password = cfg.username, cfg.password
	case authCert:
		e.addCert(con, cfg.cert, now)
	}
}

// addCert appends an uploaded certificate. Callers hold e.mu.
// Graph does not document re-uploading a thumbprint that is already listed; the emulator keeps a single
// entry and moves it to most recently uploaded (so it can become active again), rather than duplicating it.
func (e *Emulator) addCert(con *connector, cert *pkcs.ClientCertificate, now time.Time) {
	if con.auth != authCert {
		// Uploading onto basic authentication (or none) switches the connector to certificates.
		con.auth = authCert
		con.username, con.password = "", ""
		con.certs = nil
	}
	e.certSeq++
	cc := &clientCert{
		thumbprint: strings.ToUpper(cert.Thumbprint),
		notBefore:  cert.NotBefore,
		notAfter:   cert.NotAfter,
		seq:        e.certSeq,
		visibleAt:  now.Add(e.lag),
	}
	kept := con.certs[:0]
	for _, old := range con.certs {
		if old.thumbprint != cc.thumbprint {
			kept = append(kept, old)
		}
	}
	con.certs = append(kept, cc)
}

func (e *Emulator) patchConnector(c *call, id string) {
	if !e.requireConnector(c, id) {
		return
	}
	o, ok := c.typedObject("microsoft.graph.identityApiConnector", connectorProperties...)
	if !ok {
		return
	}
	name, namePresent, err1 := o.str("displayName")
	target, targetPresent, err2 := o.str("targetUrl")
	if err := errors.Join(err1, err2); err != nil {
		c.badRequest("%v", err)
		return
	}
	if namePresent && strings.TrimSpace(name) == "" {
		c.badRequest("The property 'displayName' cannot be empty.")
		return
	}
	if targetPresent && strings.TrimSpace(target) == "" {
		c.badRequest("The property 'targetUrl' cannot be empty.")
		return
	}
	cfg, ok := c.parseAuthConfig(o)
	if !ok {
		return
	}
	con, now := e.lockConnector(c, id, true)
	if con == nil {
		return
	}
	if namePresent {
		con.displayName = name
	}
	if targetPresent {
		con.targetURL = target
	}
	if cfg != nil {
		e.applyAuth(con, cfg, now)
	}
	e.mu.Unlock()
	c.noContent()
}

// requireConnector answers 404 and returns false when the connector is missing, so a write to it answers 404
// whatever its body holds. It ignores read-after-write lag: writes reach the primary.
func (e *Emulator) requireConnector(c *call, id string) bool {
	e.mu.Lock()
	found := e.connectors[normID(id)] != nil
	e.mu.Unlock()
	if !found {
		c.connectorNotFound(id)
	}
	return found
}

func (e *Emulator) deleteConnector(c *call, id string) {
	con, _ := e.lockConnector(c, id, true)
	if con == nil {
		return
	}
	delete(e.connectors, normID(id))
	e.connectorOrder = removeID(e.connectorOrder, normID(id))
	e.mu.Unlock()
	c.noContent()
}

func removeID(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func (e *Emulator) uploadClientCertificate(c *call, id string) {
	// The connector is looked up first so a missing one answers 404 whatever the body holds.
	if !e.requireConnector(c, id) {
		return
	}
	o, ok := c.typedObject("microsoft.graph.identityApiConnector.uploadClientCertificate", "pkcs12Value", "password")
	if !ok {
		return
	}
	cert, ok := c.decodePFX(o)
	if !ok {
		return
	}
	con, now := e.lockConnector(c, id, true)
	if con == nil {
		return
	}
	if e.refuseBasic && con.auth != authCert {
		e.mu.Unlock()
		c.badRequest("The API connector %s does not use client certificate authentication. Set its authenticationConfiguration "+
			"to a #microsoft.graph.pkcs12Certificate first; uploadClientCertificate adds certificates to one that does.", id)
		return
	}
	e.addCert(con, cert, now)
	// The upload's own answer shows every certificate, lag or not.
	v := con.view(now, true)
	e.mu.Unlock()
	c.entity(http.StatusOK, connectorContext+"/$entity", &v)
}
