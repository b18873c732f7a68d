package pki

import (
	"context"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// certificateAuthorityModel is one element of certificate_authorities.
type certificateAuthorityModel struct {
	ID                           types.String `tfsdk:"id"`
	Thumbprint                   types.String `tfsdk:"thumbprint"`
	CertificateAuthorityType     types.String `tfsdk:"certificate_authority_type"`
	DisplayName                  types.String `tfsdk:"display_name"`
	Issuer                       types.String `tfsdk:"issuer"`
	IssuerSubjectKeyIdentifier   types.String `tfsdk:"issuer_subject_key_identifier"`
	ExpirationDateTime           types.String `tfsdk:"expiration_date_time"`
	CertificateRevocationListURL types.String `tfsdk:"certificate_revocation_list_url"`
	DeltaCRLURL                  types.String `tfsdk:"delta_certificate_revocation_list_url"`
	IsIssuerHintEnabled          types.Bool   `tfsdk:"is_issuer_hint_enabled"`
	Subject                      types.String `tfsdk:"subject"`
	SubjectKeyIdentifier         types.String `tfsdk:"subject_key_identifier"`
}

var certificateAuthorityAttrTypes = map[string]attr.Type{
	"id":                                    types.StringType,
	"thumbprint":                            types.StringType,
	"certificate_authority_type":            types.StringType,
	"display_name":                          types.StringType,
	"issuer":                                types.StringType,
	"issuer_subject_key_identifier":         types.StringType,
	"expiration_date_time":                  types.StringType,
	"certificate_revocation_list_url":       types.StringType,
	"delta_certificate_revocation_list_url": types.StringType,
	"is_issuer_hint_enabled":                types.BoolType,
	"subject":                               types.StringType,
	"subject_key_identifier":                types.StringType,
}

var certificateAuthorityObjectType = types.ObjectType{AttrTypes: certificateAuthorityAttrTypes}

// Descriptions of certificate_authorities, shared by the upload resource and the data source.
var certificateAuthorityDescriptions = map[string]string{
	"id":                                    "Graph's ID of the certificate authority (certificateAuthorityDetail).",
	"thumbprint":                            "Uppercase hex SHA-1 of the certificate.",
	"certificate_authority_type":            "`root`, `intermediate` or `unknownFutureValue`.",
	"display_name":                          "Display name Graph gives the certificate authority (its subject).",
	"issuer":                                "Issuer of the certificate.",
	"issuer_subject_key_identifier":         "Subject key identifier of the issuer.",
	"expiration_date_time":                  "When the certificate expires (RFC 3339).",
	"certificate_revocation_list_url":       "URL of the certificate revocation list, from the certificate's CRL distribution point; empty when it has none.",
	"delta_certificate_revocation_list_url": "URL of the delta certificate revocation list; empty when there is none.",
	"subject": "Subject of the certificate (RFC 2253), read from the certificate itself, so the plan shows it before " +
		"anything is uploaded.",
	"subject_key_identifier": "The CA's own subject key identifier (uppercase hex), read from its certificate; empty when " +
		"the certificate has none. CBA policies (CRL exemptions, CA scopes) name CAs by it. Unlike " +
		"`issuer_subject_key_identifier`, whose meaning Graph documents ambiguously, it is known at plan time.",
}

// isIssuerHintDescription describes is_issuer_hint_enabled, the one boolean of certificate_authorities.
const isIssuerHintDescription = "Whether Entra sends this CA as an issuer hint to the client (the TLS handshake's list of " +
	"acceptable CAs). Entra's guide: enable it only for the CAs that issue user certificates."

// caModel is one element of certificate_authorities; c's cache parses each certificate once (nil c: every time).
func caModel(c *clients.Client, ca graph.CertificateAuthority) certificateAuthorityModel {
	exp := types.StringNull()
	if !ca.ExpirationDateTime.IsZero() {
		exp = types.StringValue(ca.ExpirationDateTime.UTC().Format(time.RFC3339))
	}
	// Subject and SKI come from the certificate Graph returns, the same bytes the plan read them from.
	subject, ski := types.StringNull(), types.StringNull()
	if facts, err := c.ParseCertificate(ca.Certificate); err == nil {
		subject, ski = types.StringValue(facts.Subject), types.StringValue(facts.SubjectKeyIdentifier)
	}
	return certificateAuthorityModel{
		Subject:                      subject,
		SubjectKeyIdentifier:         ski,
		ID:                           types.StringValue(ca.ID),
		Thumbprint:                   types.StringValue(strings.ToUpper(ca.Thumbprint)),
		CertificateAuthorityType:     types.StringValue(ca.Type),
		DisplayName:                  types.StringValue(ca.DisplayName),
		Issuer:                       types.StringValue(ca.Issuer),
		IssuerSubjectKeyIdentifier:   types.StringValue(ca.IssuerSubjectKeyIdentifier),
		ExpirationDateTime:           exp,
		CertificateRevocationListURL: types.StringValue(ca.CertificateRevocationListURL),
		DeltaCRLURL:                  types.StringValue(ca.DeltaCertificateRevocationListURL),
		IsIssuerHintEnabled:          types.BoolValue(ca.IsIssuerHintEnabled),
	}
}

func caListValue(ctx context.Context, c *clients.Client, cas []graph.CertificateAuthority) (types.List, diag.Diagnostics) {
	models := make([]certificateAuthorityModel, 0, len(cas))
	for _, ca := range cas {
		models = append(models, caModel(c, ca))
	}
	return types.ListValueFrom(ctx, certificateAuthorityObjectType, models)
}

func caListModels(ctx context.Context, l types.List) ([]certificateAuthorityModel, diag.Diagnostics) {
	var out []certificateAuthorityModel
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	diags := l.ElementsAs(ctx, &out, false)
	return out, diags
}
