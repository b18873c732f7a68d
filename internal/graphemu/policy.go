package graphemu

// The tenant's X.509 certificate authentication method configuration (CBA policy):
// GET, PATCH (204) and DELETE (204, back to the default) at
// /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate.
//
// Choices where Graph's documentation is silent:
//   - Every top-level property a PATCH names replaces the stored one whole (collections and nested objects alike).
//   - A binding without trustAffinityLevel gets the field's documented affinity (high for SubjectKeyIdentifier,
//     SHA1PublicKey and IssuerAndSerialNumber, low otherwise). A rule without an affinity level stays null.
//   - The rule type issuerSubjectAndPolicyOID is an evolvable enum member: it is accepted and returned only with
//     "Prefer: include-unknown-enum-members"; otherwise PATCH answers 400 and GET shows unknownFutureValue.
//   - Binding fields are Graph's documented four (PrincipalName, RFC822Name, SubjectKeyIdentifier, SHA1PublicKey) and
//     Entra's issuer/subject/serial bindings (IssuerAndSubject, Subject, IssuerAndSerialNumber); others answer 400.
//   - Fields other than PrincipalName and RFC822Name bind only to certificateUserIds; a CA (SKI) may be scoped
//     to one group; at most 30 CA scopes: each violation answers 400.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

const (
	cbaPolicyID        = "X509Certificate"
	cbaPolicyODataType = "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration"
	maxCAScopes        = 30
)

var cbaPolicyPrefix = []string{"policies", "authenticationmethodspolicy", "authenticationmethodconfigurations"}

type cbaPolicyState struct {
	doc       map[string]json.RawMessage // top-level properties, as GET answers them (before enum masking)
	lastPatch []byte
}

// policyState returns the emulator's policy, made on first use; the caller holds e.mu.
func (e *Emulator) policyState() *cbaPolicyState {
	if e.policy == nil {
		e.policy = &cbaPolicyState{doc: defaultCBAPolicy()}
	}
	return e.policy
}

// defaultCBAPolicy is the configuration of a tenant nobody configured, as Graph's get page shows it.
func defaultCBAPolicy() map[string]json.RawMessage {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	return map[string]json.RawMessage{
		"state":          raw(`"disabled"`),
		"includeTargets": raw(`[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]`),
		"excludeTargets": raw(`[]`),
		"certificateUserBindings": raw(`[{"x509CertificateField":"PrincipalName","userProperty":"onPremisesUserPrincipalName","priority":1,"trustAffinityLevel":"low"},` +
			`{"x509CertificateField":"RFC822Name","userProperty":"userPrincipalName","priority":2,"trustAffinityLevel":"low"}]`),
		"authenticationModeConfiguration": raw(`{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","x509CertificateDefaultRequiredAffinityLevel":"low","rules":[]}`),
		"crlValidationConfiguration":      raw(`{"state":"disabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":[]}`),
		"issuerHintsConfiguration":        raw(`{"state":"disabled"}`),
		"certificateAuthorityScopes":      raw(`[]`),
	}
}

// LastCBAPolicyPatch returns the decompressed body of the last PATCH of the CBA policy that was accepted (nil if none).
func (e *Emulator) LastCBAPolicyPatch() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]byte(nil), e.policyState().lastPatch...)
}

// SetCBAPolicyProperty stores a top-level property of the CBA policy as raw JSON without validation, as a change
// from another tool (or a value newer than this emulator) would appear.
func (e *Emulator) SetCBAPolicyProperty(name, rawJSON string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.policyState().doc[name] = json.RawMessage(rawJSON)
}

func (e *Emulator) routeCBAPolicy(c *call, rest []string) {
	if len(rest) != 1 {
		if len(rest) == 0 {
			c.unknownSegment(c.segs[len(c.segs)-1])
		} else {
			c.unknownSegment(rest[1])
		}
		return
	}
	if !strings.EqualFold(rest[0], cbaPolicyID) {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "Only the %s authentication method configuration is emulated, not %s.", cbaPolicyID, rest[0])
		return
	}
	c.dispatch(handler{http.MethodGet, e.getCBAPolicy}, handler{http.MethodPatch, e.patchCBAPolicy},
		handler{http.MethodDelete, e.resetCBAPolicy})
}

// resetCBAPolicy puts the policy back to the default of a tenant nobody configured.
func (e *Emulator) resetCBAPolicy(c *call) {
	e.mu.Lock()
	e.policyState().doc = defaultCBAPolicy()
	e.mu.Unlock()
	c.noContent()
}

func preferUnknownEnums(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "include-unknown-enum-members") {
				return true
			}
		}
	}
	return false
}

func (e *Emulator) getCBAPolicy(c *call) {
	e.mu.Lock()
	out := map[string]json.RawMessage{}
	for k, v := range e.policyState().doc {
		out[k] = append(json.RawMessage(nil), v...)
	}
	e.mu.Unlock()
	if !preferUnknownEnums(c.r) {
		out["authenticationModeConfiguration"] = maskEvolvableRuleTypes(out["authenticationModeConfiguration"])
	}
	ctx, _ := json.Marshal(c.context("policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"))
	out["@odata.context"] = ctx
	out["@odata.type"] = json.RawMessage(`"` + cbaPolicyODataType + `"`)
	out["id"] = json.RawMessage(`"` + cbaPolicyID + `"`)
	c.json(http.StatusOK, out)
}

// maskEvolvableRuleTypes shows issuerSubjectAndPolicyOID as unknownFutureValue, as Graph does without the Prefer header.
func maskEvolvableRuleTypes(raw json.RawMessage) json.RawMessage {
	var am map[string]json.RawMessage
	if json.Unmarshal(raw, &am) != nil || am == nil {
		return raw
	}
	var rules []map[string]any
	if json.Unmarshal(am["rules"], &rules) != nil {
		return raw
	}
	for _, r := range rules {
		if r["x509CertificateRuleType"] == "issuerSubjectAndPolicyOID" {
			r["x509CertificateRuleType"] = "unknownFutureValue"
		}
	}
	am["rules"], _ = json.Marshal(rules)
	b, _ := json.Marshal(am)
	return b
}

func (e *Emulator) patchCBAPolicy(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	var o map[string]json.RawMessage
	if err := json.Unmarshal(body, &o); err != nil || o == nil {
		c.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return
	}
	var typ string
	if json.Unmarshal(o["@odata.type"], &typ) != nil || typ != cbaPolicyODataType {
		c.badRequest("A type named '%s' could not be resolved by the model. The request must name @odata.type %s.", typ, cbaPolicyODataType)
		return
	}
	if !c.checkProperties(jsonObject(o), "microsoft.graph.x509CertificateAuthenticationMethodConfiguration",
		"id", "state", "includeTargets", "excludeTargets", "authenticationModeConfiguration", "certificateUserBindings",
		"crlValidationConfiguration", "issuerHintsConfiguration", "certificateAuthorityScopes") {
		return
	}
	updates, err := validateCBAPolicyPatch(o, preferUnknownEnums(c.r))
	if err != nil {
		c.badRequest("%v", err)
		return
	}
	e.mu.Lock()
	s := e.policyState()
	for k, v := range updates {
		s.doc[k] = v
	}
	s.lastPatch = body
	e.mu.Unlock()
	c.noContent()
}

// ---- validation: each property is decoded strictly, checked, and re-encoded as GET will answer it ----

type emuTarget struct {
	ODataType              string `json:"@odata.type,omitempty"`
	ID                     string `json:"id"`
	TargetType             string `json:"targetType"`
	IsRegistrationRequired *bool  `json:"isRegistrationRequired,omitempty"`
}

type emuRule struct {
	Type                  string  `json:"x509CertificateRuleType"`
	Identifier            *string `json:"identifier"`
	IssuerSubject         *string `json:"issuerSubjectIdentifier"`
	PolicyOID             *string `json:"policyOidIdentifier"`
	AuthenticationMode    string  `json:"x509CertificateAuthenticationMode"`
	RequiredAffinityLevel *string `json:"x509CertificateRequiredAffinityLevel"`
}

type emuAuthMode struct {
	DefaultMode     string    `json:"x509CertificateAuthenticationDefaultMode"`
	DefaultAffinity string    `json:"x509CertificateDefaultRequiredAffinityLevel"`
	Rules           []emuRule `json:"rules"`
}

type emuBinding struct {
	Field              string `json:"x509CertificateField"`
	UserProperty       string `json:"userProperty"`
	Priority           *int32 `json:"priority"`
	TrustAffinityLevel string `json:"trustAffinityLevel"`
}

type emuCRL struct {
	State    string   `json:"state"`
	Exempted []string `json:"exemptedCertificateAuthoritiesSubjectKeyIdentifiers"`
}

type emuIssuerHints struct {
	State string `json:"state"`
}

type emuScope struct {
	SubjectKeyIdentifier string      `json:"subjectKeyIdentifier"`
	PKIIdentifier        *string     `json:"publicKeyInfrastructureIdentifier"`
	IncludeTargets       []emuTarget `json:"includeTargets"`
}

func strictDecode(raw json.RawMessage, v any, property string) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("Invalid value for property '%s': %w", property, err)
	}
	return nil
}

// decodeSwitch decodes a configuration whose state (pointing into v) is enabled or disabled.
func decodeSwitch(raw json.RawMessage, v any, property string, state *string) error {
	if err := strictDecode(raw, v, property); err != nil {
		return err
	}
	return oneOf(property+".state", *state, "enabled", "disabled")
}

func oneOf(property, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("Requested value '%s' was not found for property '%s'. Allowed: %s.", v, property, strings.Join(allowed, ", "))
}

// documentedAffinity is Entra's affinity of a binding field: high for SKI, SHA1PublicKey and issuer+serial.
func documentedAffinity(field string) string {
	switch field {
	case "SubjectKeyIdentifier", "SHA1PublicKey", "IssuerAndSerialNumber":
		return "high"
	}
	return "low"
}

func validateTargets(raw json.RawMessage, property string, include bool) ([]emuTarget, error) {
	var ts []emuTarget
	if err := strictDecode(raw, &ts, property); err != nil {
		return nil, err
	}
	if ts == nil {
		ts = []emuTarget{}
	}
	for i := range ts {
		t := &ts[i]
		t.ODataType = ""
		if t.ID == "" {
			return nil, fmt.Errorf("Property 'id' of %s is required.", property)
		}
		if err := oneOf(property+".targetType", t.TargetType, "group", "user"); err != nil {
			return nil, err
		}
		if include && t.IsRegistrationRequired == nil {
			f := false
			t.IsRegistrationRequired = &f
		}
		if !include {
			t.IsRegistrationRequired = nil
		}
	}
	return ts, nil
}

func validateCBAPolicyPatch(o map[string]json.RawMessage, evolvable bool) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	put := func(k string, v any) { out[k], _ = json.Marshal(v) }
	if raw, ok := o["id"]; ok {
		var id string
		if json.Unmarshal(raw, &id) != nil || !strings.EqualFold(id, cbaPolicyID) {
			return nil, fmt.Errorf("The id of this configuration is %s and cannot be changed.", cbaPolicyID)
		}
	}
	if raw, ok := o["state"]; ok {
		var s string
		if err := strictDecode(raw, &s, "state"); err != nil {
			return nil, err
		}
		if err := oneOf("state", s, "enabled", "disabled"); err != nil {
			return nil, err
		}
		put("state", s)
	}
	for _, k := range []string{"includeTargets", "excludeTargets"} {
		if raw, ok := o[k]; ok {
			ts, err := validateTargets(raw, k, k == "includeTargets")
			if err != nil {
				return nil, err
			}
			put(k, ts)
		}
	}
	if raw, ok := o["authenticationModeConfiguration"]; ok {
		var am emuAuthMode
		if err := strictDecode(raw, &am, "authenticationModeConfiguration"); err != nil {
			return nil, err
		}
		if err := validateAuthMode(&am, evolvable); err != nil {
			return nil, err
		}
		put("authenticationModeConfiguration", am)
	}
	if raw, ok := o["certificateUserBindings"]; ok {
		var bs []emuBinding
		if err := strictDecode(raw, &bs, "certificateUserBindings"); err != nil {
			return nil, err
		}
		if err := validateBindings(bs); err != nil {
			return nil, err
		}
		if bs == nil {
			bs = []emuBinding{}
		}
		put("certificateUserBindings", bs)
	}
	if raw, ok := o["crlValidationConfiguration"]; ok {
		var cv emuCRL
		if err := decodeSwitch(raw, &cv, "crlValidationConfiguration", &cv.State); err != nil {
			return nil, err
		}
		if cv.Exempted == nil {
			cv.Exempted = []string{}
		}
		put("crlValidationConfiguration", cv)
	}
	if raw, ok := o["issuerHintsConfiguration"]; ok {
		var ih emuIssuerHints
		if err := decodeSwitch(raw, &ih, "issuerHintsConfiguration", &ih.State); err != nil {
			return nil, err
		}
		put("issuerHintsConfiguration", ih)
	}
	if raw, ok := o["certificateAuthorityScopes"]; ok {
		scopes, err := validateScopes(raw)
		if err != nil {
			return nil, err
		}
		put("certificateAuthorityScopes", scopes)
	}
	return out, nil
}

func validateAuthMode(am *emuAuthMode, evolvable bool) error {
	if err := oneOf("x509CertificateAuthenticationDefaultMode", am.DefaultMode, "x509CertificateSingleFactor", "x509CertificateMultiFactor"); err != nil {
		return err
	}
	if err := oneOf("x509CertificateDefaultRequiredAffinityLevel", am.DefaultAffinity, "low", "high"); err != nil {
		return err
	}
	if am.Rules == nil {
		am.Rules = []emuRule{}
	}
	types := []string{"issuerSubject", "policyOID"}
	if evolvable {
		types = append(types, "issuerSubjectAndPolicyOID")
	}
	for _, r := range am.Rules {
		if err := oneOf("x509CertificateRuleType", r.Type, types...); err != nil {
			return err
		}
		if r.Identifier == nil || *r.Identifier == "" {
			return fmt.Errorf("Property 'identifier' of an x509CertificateRule is required.")
		}
		if err := oneOf("x509CertificateAuthenticationMode", r.AuthenticationMode, "x509CertificateSingleFactor", "x509CertificateMultiFactor"); err != nil {
			return err
		}
		if r.RequiredAffinityLevel != nil {
			if err := oneOf("x509CertificateRequiredAffinityLevel", *r.RequiredAffinityLevel, "low", "high"); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateBindings(bs []emuBinding) error {
	seen := map[int32]bool{}
	for i := range bs {
		b := &bs[i]
		if b.Field == "" {
			return fmt.Errorf("Property 'x509CertificateField' of a certificate user binding is required.")
		}
		if err := oneOf("x509CertificateField", b.Field, "PrincipalName", "RFC822Name", "SubjectKeyIdentifier", "SHA1PublicKey",
			"IssuerAndSubject", "Subject", "IssuerAndSerialNumber"); err != nil {
			return err
		}
		if err := oneOf("userProperty", b.UserProperty, "userPrincipalName", "onPremisesUserPrincipalName", "certificateUserIds"); err != nil {
			return err
		}
		if b.Priority == nil || *b.Priority < 0 {
			return fmt.Errorf("Property 'priority' of a certificate user binding must be a non-negative integer.")
		}
		if seen[*b.Priority] {
			return fmt.Errorf("Certificate user binding priorities must be unique; %d is used twice.", *b.Priority)
		}
		seen[*b.Priority] = true
		if b.Field != "PrincipalName" && b.Field != "RFC822Name" && b.UserProperty != "certificateUserIds" {
			return fmt.Errorf("The certificate field %s can only be bound to certificateUserIds.", b.Field)
		}
		if b.TrustAffinityLevel == "" {
			b.TrustAffinityLevel = documentedAffinity(b.Field)
		} else if err := oneOf("trustAffinityLevel", b.TrustAffinityLevel, "low", "high"); err != nil {
			return err
		}
	}
	return nil
}

func validateScopes(raw json.RawMessage) ([]emuScope, error) {
	var scopes []emuScope
	if err := strictDecode(raw, &scopes, "certificateAuthorityScopes"); err != nil {
		return nil, err
	}
	if scopes == nil {
		scopes = []emuScope{}
	}
	if len(scopes) > maxCAScopes {
		return nil, fmt.Errorf("At most %d certificate authority scopes are allowed; the request has %d.", maxCAScopes, len(scopes))
	}
	groups := map[string]string{}
	for i := range scopes {
		s := &scopes[i]
		if s.SubjectKeyIdentifier == "" {
			return nil, fmt.Errorf("Property 'subjectKeyIdentifier' of a certificate authority scope is required.")
		}
		ts, err := validateTargets(mustJSON(s.IncludeTargets), "certificateAuthorityScopes.includeTargets", false)
		if err != nil {
			return nil, err
		}
		s.IncludeTargets = ts
		for _, t := range ts {
			key := strings.ToUpper(s.SubjectKeyIdentifier)
			if g, ok := groups[key]; ok && g != t.ID {
				return nil, fmt.Errorf("The certificate authority %s is scoped to more than one group.", s.SubjectKeyIdentifier)
			}
			groups[key] = t.ID
		}
	}
	return scopes, nil
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
