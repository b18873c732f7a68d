package pki

import (
	"context"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*pkisDataSource)(nil)

// NewPKIsDataSource is the entracert_certificate_based_auth_pkis data source: every PKI of the tenant with its CAs.
func NewPKIsDataSource() datasource.DataSource { return &pkisDataSource{} }

type pkisDataSource struct {
	client *clients.Client
}

type pkisDataModel struct {
	DisplayName types.String       `tfsdk:"display_name"`
	PKIs        []pkisElementModel `tfsdk:"pkis"`
}

type pkisElementModel struct {
	ID                     types.String         `tfsdk:"id"`
	DisplayName            types.String         `tfsdk:"display_name"`
	Status                 types.String         `tfsdk:"status"`
	CertificateAuthorities []pkisCAElementModel `tfsdk:"certificate_authorities"`
}

type pkisCAElementModel struct {
	ID                                types.String `tfsdk:"id"`
	Thumbprint                        types.String `tfsdk:"thumbprint"`
	SubjectKeyIdentifier              types.String `tfsdk:"subject_key_identifier"`
	DisplayName                       types.String `tfsdk:"display_name"`
	CertificateAuthorityType          types.String `tfsdk:"certificate_authority_type"`
	ExpirationDateTime                types.String `tfsdk:"expiration_date_time"`
	CertificateRevocationListURL      types.String `tfsdk:"certificate_revocation_list_url"`
	DeltaCertificateRevocationListURL types.String `tfsdk:"delta_certificate_revocation_list_url"`
	IsIssuerHintEnabled               types.Bool   `tfsdk:"is_issuer_hint_enabled"`
	Certificate                       types.String `tfsdk:"certificate"`
}

func (d *pkisDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pkis"
}

func (d *pkisDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant's certificate-based-authentication PKIs and every trusted certificate authority of each: " +
			"what `import { for_each = ... }` blocks adopt and what `check` blocks watch for expiry. Graph is asked one request per " +
			"page of PKIs and of each PKI's CAs; the PKIs it lists also answer the reads of the rest of the operation.",
		Attributes: map[string]schema.Attribute{
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Only the PKIs with exactly this display name (letter case included). Left out, every PKI.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"pkis": schema.ListNestedAttribute{
				MarkdownDescription: "The PKIs, in Graph's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           str("ID of the PKI: `pki_id` of its CAs, the import ID of `entracert_certificate_based_auth_pki`."),
					"display_name": str("Display name of the PKI."),
					"status":       str("Status of the PKI's last job: `running` while an upload or deletion runs, `succeeded` after."),
					"certificate_authorities": schema.ListNestedAttribute{
						MarkdownDescription: "Every certificate authority of the PKI, in Graph's order.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":                                    str("Graph's ID of the certificate authority."),
							"thumbprint":                            str("Uppercase hex SHA-1 of the certificate; with the PKI's `id`, the CA's import ID `{pki_id}/{thumbprint}`."),
							"subject_key_identifier":                str("The CA's own subject key identifier (uppercase hex), read from the certificate; what CBA policies name a CA by. Empty when the certificate has none."),
							"display_name":                          str("Graph's display name of the CA (by default its subject)."),
							"certificate_authority_type":            str("`root`, `intermediate` or `unknownFutureValue`."),
							"expiration_date_time":                  str("When the certificate expires (RFC 3339, UTC): compare it with `timecmp` and `timeadd(plantimestamp(), ...)`."),
							"certificate_revocation_list_url":       str("URL of the CA's certificate revocation list; empty when it has none."),
							"delta_certificate_revocation_list_url": str("URL of the delta certificate revocation list; empty when there is none."),
							"is_issuer_hint_enabled":                schema.BoolAttribute{MarkdownDescription: isIssuerHintDescription, Computed: true},
							"certificate":                           str("The certificate, PEM-encoded: what `certificate` of `entracert_certificate_based_auth_certificate_authority` takes."),
						}},
					},
				}},
			},
		},
	}
}

func (d *pkisDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *pkisDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg pkisDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !clients.Require(d.client, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultPKIReadTimeout)
	defer cancel()
	name := cfg.DisplayName.ValueString()
	list, err := d.client.Graph.ListPKIsWithCAs(ctx, name)
	if err != nil {
		what := "the PKIs"
		if name != "" {
			what = fmt.Sprintf("the PKIs named %q", name)
		}
		resp.Diagnostics.AddError("Cannot list the PKIs", fmt.Sprintf("Listing %s and their certificate authorities: %v", what, err))
		return
	}
	cfg.PKIs = make([]pkisElementModel, 0, len(list))
	for _, p := range list {
		el := pkisElementModel{
			ID:                     types.StringValue(p.ID),
			DisplayName:            types.StringValue(p.DisplayName),
			Status:                 types.StringValue(p.Status),
			CertificateAuthorities: make([]pkisCAElementModel, 0, len(p.CertificateAuthorities)),
		}
		for _, ca := range p.CertificateAuthorities {
			el.CertificateAuthorities = append(el.CertificateAuthorities, pkisCAElement(ca))
		}
		cfg.PKIs = append(cfg.PKIs, el)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// pkisCAElement describes one CA as Graph holds it; the SKI and the PEM come from the certificate's own bytes.
func pkisCAElement(ca graph.CertificateAuthority) pkisCAElementModel {
	certificate, ski := types.StringValue(""), types.StringValue("")
	if len(ca.Certificate) > 0 {
		text := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate}))
		certificate = types.StringValue(text)
		if facts, err := pkcs.ParseCertificate([]byte(text)); err == nil {
			ski = types.StringValue(facts.SubjectKeyIdentifier)
		}
	}
	return pkisCAElementModel{
		ID:                                types.StringValue(ca.ID),
		Thumbprint:                        types.StringValue(strings.ToUpper(ca.Thumbprint)),
		SubjectKeyIdentifier:              ski,
		DisplayName:                       types.StringValue(ca.DisplayName),
		CertificateAuthorityType:          types.StringValue(ca.Type),
		ExpirationDateTime:                timeString(ca.ExpirationDateTime),
		CertificateRevocationListURL:      types.StringValue(ca.CertificateRevocationListURL),
		DeltaCertificateRevocationListURL: types.StringValue(ca.DeltaCertificateRevocationListURL),
		IsIssuerHintEnabled:               types.BoolValue(ca.IsIssuerHintEnabled),
		Certificate:                       certificate,
	}
}
