package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"
)

// CBAPolicyID is the id of the tenant's X.509 certificate authentication method configuration (always this).
const CBAPolicyID = "X509Certificate"

const (
	cbaPolicyPath      = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/" + CBAPolicyID
	cbaPolicyODataType = "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration"
	// Graph returns evolvable enum members (e.g. the rule type issuerSubjectAndPolicyOID) only when asked;
	// without this header they read as unknownFutureValue.
	preferUnknownEnumMembers = "include-unknown-enum-members"
)

// CBAPolicy is the tenant's x509CertificateAuthenticationMethodConfiguration. Enum values are Graph's strings as
// they are, including values this provider does not know. A nil object or collection means Graph sent none.
type CBAPolicy struct {
	ID                         string
	State                      string
	IncludeTargets             []CBAIncludeTarget
	ExcludeTargets             []CBATarget
	AuthenticationMode         *CBAAuthenticationMode
	CertificateUserBindings    []CBAUserBinding
	CRLValidation              *CBACRLValidation
	IssuerHintsState           string // issuerHintsConfiguration.state; "" when Graph sent no issuerHintsConfiguration
	CertificateAuthorityScopes []CBACertificateAuthorityScope
}

// CBAIncludeTarget is an authenticationMethodTarget: a group or user (id "all_users" means everyone).
type CBAIncludeTarget struct {
	ID                     string `json:"id"`
	TargetType             string `json:"targetType"`
	IsRegistrationRequired bool   `json:"isRegistrationRequired"`
}

// CBATarget is an excludeTarget, or a target of a certificate authority scope.
type CBATarget struct {
	ID         string `json:"id"`
	TargetType string `json:"targetType"`
}

// CBAAuthenticationMode is authenticationModeConfiguration.
type CBAAuthenticationMode struct {
	DefaultMode                  string    `json:"x509CertificateAuthenticationDefaultMode,omitempty"`
	DefaultRequiredAffinityLevel string    `json:"x509CertificateDefaultRequiredAffinityLevel,omitempty"`
	Rules                        []CBARule `json:"rules"`
}

// CBARule is an x509CertificateRule. Empty strings are absent (null) values.
type CBARule struct {
	Type                    string `json:"x509CertificateRuleType,omitempty"`
	Identifier              string `json:"identifier,omitempty"`
	IssuerSubjectIdentifier string `json:"issuerSubjectIdentifier,omitempty"`
	PolicyOIDIdentifier     string `json:"policyOidIdentifier,omitempty"`
	AuthenticationMode      string `json:"x509CertificateAuthenticationMode,omitempty"`
	RequiredAffinityLevel   string `json:"x509CertificateRequiredAffinityLevel,omitempty"`
}

// CBAUserBinding is an x509CertificateUserBinding.
type CBAUserBinding struct {
	X509CertificateField string `json:"x509CertificateField"`
	UserProperty         string `json:"userProperty"`
	Priority             int32  `json:"priority"`
	TrustAffinityLevel   string `json:"trustAffinityLevel,omitempty"`
}

// CBACRLValidation is crlValidationConfiguration.
type CBACRLValidation struct {
	State                                               string   `json:"state"`
	ExemptedCertificateAuthoritiesSubjectKeyIdentifiers []string `json:"exemptedCertificateAuthoritiesSubjectKeyIdentifiers"`
}

// CBACertificateAuthorityScope is an x509CertificateAuthorityScope (v1.0; not in msgraph-sdk-go v1.89.0).
type CBACertificateAuthorityScope struct {
	SubjectKeyIdentifier              string      `json:"subjectKeyIdentifier"`
	PublicKeyInfrastructureIdentifier string      `json:"publicKeyInfrastructureIdentifier,omitempty"`
	IncludeTargets                    []CBATarget `json:"includeTargets"`
}

// CBAPolicyUpdate is one PATCH: nil fields are not sent; set fields are sent whole (collections replace Graph's).
type CBAPolicyUpdate struct {
	State                      *string
	IncludeTargets             *[]CBAIncludeTarget
	ExcludeTargets             *[]CBATarget
	AuthenticationMode         *CBAAuthenticationMode
	CertificateUserBindings    *[]CBAUserBinding
	CRLValidation              *CBACRLValidation
	IssuerHintsState           *string
	CertificateAuthorityScopes *[]CBACertificateAuthorityScope
}

func (c *Client) cbaPolicy() *policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilder {
	return policies.NewAuthenticationMethodsPolicyAuthenticationMethodConfigurationsRequestBuilderInternal(map[string]string{}, c.adapter).
		ByAuthenticationMethodConfigurationId(CBAPolicyID)
}

func preferHeaders() *abs.RequestHeaders {
	h := abs.NewRequestHeaders()
	h.Add("Prefer", preferUnknownEnumMembers)
	return h
}

// GetCBAPolicy reads the tenant's CBA policy. The body is decoded here rather than by msgraph-sdk-go, whose model
// turns enum strings it does not know into nil: this keeps every value Graph sends, so unknown ones can be reported.
func (c *Client) GetCBAPolicy(ctx context.Context) (*CBAPolicy, error) {
	body, err := call(ctx, http.MethodGet, cbaPolicyPath, func(ctx context.Context) ([]byte, error) {
		info, err := c.cbaPolicy().ToGetRequestInformation(ctx,
			&policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilderGetRequestConfiguration{Headers: preferHeaders()})
		if err != nil {
			return nil, err
		}
		v, err := c.adapter.SendPrimitive(ctx, info, "[]byte", abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
		if err != nil {
			return nil, err
		}
		b, _ := v.([]byte)
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, errEmptyAnswer(http.MethodGet, cbaPolicyPath)
	}
	return DecodeCBAPolicy(body)
}

// wirePolicy is the JSON of x509CertificateAuthenticationMethodConfiguration.
type wirePolicy struct {
	ODataType                       string                         `json:"@odata.type"`
	ID                              string                         `json:"id"`
	State                           string                         `json:"state"`
	IncludeTargets                  []CBAIncludeTarget             `json:"includeTargets"`
	ExcludeTargets                  []CBATarget                    `json:"excludeTargets"`
	AuthenticationModeConfiguration *CBAAuthenticationMode         `json:"authenticationModeConfiguration"`
	CertificateUserBindings         []CBAUserBinding               `json:"certificateUserBindings"`
	CRLValidationConfiguration      *CBACRLValidation              `json:"crlValidationConfiguration"`
	IssuerHintsConfiguration        *issuerHints                   `json:"issuerHintsConfiguration"`
	CertificateAuthorityScopes      []CBACertificateAuthorityScope `json:"certificateAuthorityScopes"`
}

type issuerHints struct {
	State string `json:"state"`
}

// DecodeCBAPolicy decodes Graph's JSON of the configuration. An object without id, or of another @odata.type,
// is an error rather than an empty policy.
func DecodeCBAPolicy(body []byte) (*CBAPolicy, error) {
	var w wirePolicy
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("graph: GET %s: the answer is not the configuration's JSON: %w", cbaPolicyPath, err)
	}
	if w.ODataType != "" && w.ODataType != cbaPolicyODataType {
		return nil, fmt.Errorf("graph: GET %s: Graph answered an object of type %q, not %s", cbaPolicyPath, w.ODataType, cbaPolicyODataType)
	}
	if w.ID == "" {
		return nil, fmt.Errorf("graph: GET %s: Graph answered an object without id", cbaPolicyPath)
	}
	p := &CBAPolicy{
		ID:                         w.ID,
		State:                      w.State,
		IncludeTargets:             w.IncludeTargets,
		ExcludeTargets:             w.ExcludeTargets,
		AuthenticationMode:         w.AuthenticationModeConfiguration,
		CertificateUserBindings:    w.CertificateUserBindings,
		CRLValidation:              w.CRLValidationConfiguration,
		CertificateAuthorityScopes: w.CertificateAuthorityScopes,
	}
	if w.IssuerHintsConfiguration != nil {
		p.IssuerHintsState = w.IssuerHintsConfiguration.State
	}
	return p, nil
}

// UpdateCBAPolicy PATCHes the configuration (204). Properties msgraph-sdk-go v1.89.0 lacks
// (issuerHintsConfiguration, certificateAuthorityScopes) go through the model's additional data.
func (c *Client) UpdateCBAPolicy(ctx context.Context, u CBAPolicyUpdate) error {
	body, err := cbaPolicyPatchBody(u)
	if err != nil {
		return err
	}
	_, err = call(ctx, http.MethodPatch, cbaPolicyPath, func(ctx context.Context) (models.AuthenticationMethodConfigurationable, error) {
		return c.cbaPolicy().Patch(ctx, body,
			&policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilderPatchRequestConfiguration{Headers: preferHeaders()})
	})
	return err
}

// DeleteCBAPolicy restores the tenant's default configuration (204).
func (c *Client) DeleteCBAPolicy(ctx context.Context) error {
	_, err := call(ctx, http.MethodDelete, cbaPolicyPath, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.cbaPolicy().Delete(ctx, nil)
	})
	return err
}

// UnknownEnumError is a value the SDK's typed model cannot send (Graph reported it, or a caller passed it).
type UnknownEnumError struct {
	Property, Value string
}

func (e *UnknownEnumError) Error() string {
	return fmt.Sprintf("graph: %s %q is not a value this provider can send to Graph", e.Property, e.Value)
}

// parseEnum maps a string onto one of the SDK's enum types; "" is absent (nil).
func parseEnum[T any](property, v string, parse func(string) (any, error)) (*T, error) {
	if v == "" {
		return nil, nil
	}
	got, err := parse(v)
	if err != nil || got == nil {
		return nil, &UnknownEnumError{Property: property, Value: v}
	}
	p, ok := got.(*T)
	if !ok {
		return nil, &UnknownEnumError{Property: property, Value: v}
	}
	return p, nil
}

// cbaPolicyPatchBody builds the SDK model of one PATCH, always with @odata.type.
func cbaPolicyPatchBody(u CBAPolicyUpdate) (*models.X509CertificateAuthenticationMethodConfiguration, error) {
	m := models.NewX509CertificateAuthenticationMethodConfiguration() // sets @odata.type
	if u.State != nil {
		s, err := parseEnum[models.AuthenticationMethodState]("state", *u.State, models.ParseAuthenticationMethodState)
		if err != nil {
			return nil, err
		}
		m.SetState(s)
	}
	if u.IncludeTargets != nil {
		ts := make([]models.AuthenticationMethodTargetable, 0, len(*u.IncludeTargets))
		for _, t := range *u.IncludeTargets {
			mt := models.NewAuthenticationMethodTarget()
			typ, err := parseEnum[models.AuthenticationMethodTargetType]("includeTargets.targetType", t.TargetType, models.ParseAuthenticationMethodTargetType)
			if err != nil {
				return nil, err
			}
			id, req := t.ID, t.IsRegistrationRequired
			mt.SetId(&id)
			mt.SetTargetType(typ)
			mt.SetIsRegistrationRequired(&req)
			ts = append(ts, mt)
		}
		m.SetIncludeTargets(ts)
	}
	if u.ExcludeTargets != nil {
		ts := make([]models.ExcludeTargetable, 0, len(*u.ExcludeTargets))
		for _, t := range *u.ExcludeTargets {
			mt := models.NewExcludeTarget()
			typ, err := parseEnum[models.AuthenticationMethodTargetType]("excludeTargets.targetType", t.TargetType, models.ParseAuthenticationMethodTargetType)
			if err != nil {
				return nil, err
			}
			id := t.ID
			mt.SetId(&id)
			mt.SetTargetType(typ)
			ts = append(ts, mt)
		}
		m.SetExcludeTargets(ts)
	}
	if u.AuthenticationMode != nil {
		am, err := authModeModel(*u.AuthenticationMode)
		if err != nil {
			return nil, err
		}
		m.SetAuthenticationModeConfiguration(am)
	}
	if u.CertificateUserBindings != nil {
		bs := make([]models.X509CertificateUserBindingable, 0, len(*u.CertificateUserBindings))
		for _, b := range *u.CertificateUserBindings {
			mb := models.NewX509CertificateUserBinding()
			field, prop, prio := b.X509CertificateField, b.UserProperty, b.Priority
			aff, err := parseEnum[models.X509CertificateAffinityLevel]("certificateUserBindings.trustAffinityLevel", b.TrustAffinityLevel, models.ParseX509CertificateAffinityLevel)
			if err != nil {
				return nil, err
			}
			mb.SetX509CertificateField(&field)
			mb.SetUserProperty(&prop)
			mb.SetPriority(&prio)
			mb.SetTrustAffinityLevel(aff)
			bs = append(bs, mb)
		}
		m.SetCertificateUserBindings(bs)
	}
	if u.CRLValidation != nil {
		cv := models.NewX509CertificateCRLValidationConfiguration()
		st, err := parseEnum[models.X509CertificateCRLValidationConfigurationState]("crlValidationConfiguration.state", u.CRLValidation.State, models.ParseX509CertificateCRLValidationConfigurationState)
		if err != nil {
			return nil, err
		}
		cv.SetState(st)
		exempt := append([]string{}, u.CRLValidation.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers...)
		cv.SetExemptedCertificateAuthoritiesSubjectKeyIdentifiers(exempt)
		m.SetCrlValidationConfiguration(cv)
	}
	extra := map[string]any{}
	if u.IssuerHintsState != nil {
		if !knownIssuerHintsState(*u.IssuerHintsState) {
			return nil, &UnknownEnumError{Property: "issuerHintsConfiguration.state", Value: *u.IssuerHintsState}
		}
		extra["issuerHintsConfiguration"] = issuerHints{State: *u.IssuerHintsState}
	}
	if u.CertificateAuthorityScopes != nil {
		scopes := make([]CBACertificateAuthorityScope, 0, len(*u.CertificateAuthorityScopes))
		for _, s := range *u.CertificateAuthorityScopes {
			if s.IncludeTargets == nil {
				s.IncludeTargets = []CBATarget{}
			}
			scopes = append(scopes, s)
		}
		extra["certificateAuthorityScopes"] = scopes
	}
	if len(extra) > 0 {
		m.SetAdditionalData(extra)
	}
	return m, nil
}

func knownIssuerHintsState(s string) bool { return s == "enabled" || s == "disabled" }

func authModeModel(a CBAAuthenticationMode) (*models.X509CertificateAuthenticationModeConfiguration, error) {
	am := models.NewX509CertificateAuthenticationModeConfiguration()
	mode, err := parseEnum[models.X509CertificateAuthenticationMode]("authenticationModeConfiguration.x509CertificateAuthenticationDefaultMode", a.DefaultMode, models.ParseX509CertificateAuthenticationMode)
	if err != nil {
		return nil, err
	}
	aff, err := parseEnum[models.X509CertificateAffinityLevel]("authenticationModeConfiguration.x509CertificateDefaultRequiredAffinityLevel", a.DefaultRequiredAffinityLevel, models.ParseX509CertificateAffinityLevel)
	if err != nil {
		return nil, err
	}
	am.SetX509CertificateAuthenticationDefaultMode(mode)
	am.SetX509CertificateDefaultRequiredAffinityLevel(aff)
	rules := make([]models.X509CertificateRuleable, 0, len(a.Rules))
	for _, r := range a.Rules {
		mr := models.NewX509CertificateRule()
		typ, err := parseEnum[models.X509CertificateRuleType]("rules.x509CertificateRuleType", r.Type, models.ParseX509CertificateRuleType)
		if err != nil {
			return nil, err
		}
		rmode, err := parseEnum[models.X509CertificateAuthenticationMode]("rules.x509CertificateAuthenticationMode", r.AuthenticationMode, models.ParseX509CertificateAuthenticationMode)
		if err != nil {
			return nil, err
		}
		raff, err := parseEnum[models.X509CertificateAffinityLevel]("rules.x509CertificateRequiredAffinityLevel", r.RequiredAffinityLevel, models.ParseX509CertificateAffinityLevel)
		if err != nil {
			return nil, err
		}
		mr.SetX509CertificateRuleType(typ)
		mr.SetIdentifier(optString(r.Identifier))
		mr.SetIssuerSubjectIdentifier(optString(r.IssuerSubjectIdentifier))
		mr.SetPolicyOidIdentifier(optString(r.PolicyOIDIdentifier))
		mr.SetX509CertificateAuthenticationMode(rmode)
		mr.SetX509CertificateRequiredAffinityLevel(raff)
		rules = append(rules, mr)
	}
	am.SetRules(rules)
	return am, nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
