package policy

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*policyDataSource)(nil)

// NewPolicyDataSource is the entracert_certificate_based_auth_policy data source.
func NewPolicyDataSource() datasource.DataSource { return &policyDataSource{} }

type policyDataSource struct {
	client *clients.Client
}

func (d *policyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_policy"
}

func computedString(key string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: descriptions[key], Computed: true}
}

func dataTargetAttributes(include bool) map[string]schema.Attribute {
	a := map[string]schema.Attribute{"id": computedString("target_id"), "target_type": computedString("target_type")}
	if include {
		a["is_registration_required"] = schema.BoolAttribute{MarkdownDescription: descriptions["is_registration_required"], Computed: true}
	}
	return a
}

func (d *policyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the tenant's certificate-based-authentication policy (the X.509 certificate authentication method " +
			"configuration) as Graph holds it. Values Graph reports that this provider does not know are kept as they are, with a warning.",
		Attributes: map[string]schema.Attribute{
			"id":    computedString("id"),
			"state": computedString("state"),
			"include_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["include_targets"], Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: dataTargetAttributes(true)}},
			"exclude_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["exclude_targets"], Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: dataTargetAttributes(false)}},
			"authentication_mode": schema.SingleNestedAttribute{MarkdownDescription: descriptions["authentication_mode"], Computed: true,
				Attributes: map[string]schema.Attribute{
					"default_mode":                    computedString("default_mode"),
					"default_required_affinity_level": computedString("default_required_affinity_level"),
					"rules": schema.ListNestedAttribute{MarkdownDescription: descriptions["rules"], Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"type":                      computedString("rule_type"),
							"identifier":                computedString("identifier"),
							"issuer_subject_identifier": computedString("issuer_subject_identifier"),
							"policy_oid_identifier":     computedString("policy_oid_identifier"),
							"authentication_mode":       computedString("rule_authentication_mode"),
							"required_affinity_level":   computedString("required_affinity_level"),
						}}},
				}},
			"certificate_user_bindings": schema.ListNestedAttribute{MarkdownDescription: descriptions["certificate_user_bindings"], Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"x509_certificate_field": computedString("x509_certificate_field"),
					"user_property":          computedString("user_property"),
					"priority":               schema.Int64Attribute{MarkdownDescription: descriptions["priority"], Computed: true},
					"trust_affinity_level":   computedString("trust_affinity_level"),
				}}},
			"crl_validation": schema.SingleNestedAttribute{MarkdownDescription: descriptions["crl_validation"], Computed: true,
				Attributes: map[string]schema.Attribute{
					"state": computedString("crl_state"),
					"exempted_certificate_authority_subject_key_identifiers": schema.SetAttribute{MarkdownDescription: descriptions["exempted"],
						ElementType: types.StringType, Computed: true},
				}},
			"issuer_hints_state": computedString("issuer_hints_state"),
			"certificate_authority_scopes": schema.ListNestedAttribute{MarkdownDescription: descriptions["certificate_authority_scopes"], Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"subject_key_identifier":               computedString("subject_key_identifier"),
					"public_key_infrastructure_identifier": computedString("public_key_infrastructure_identifier"),
					"include_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["scope_include_targets"], Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: dataTargetAttributes(false)}},
				}}},
		},
	}
}

func (d *policyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *policyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	p, err := d.client.Graph.GetCBAPolicy(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the CBA policy", fmt.Sprintf("Reading the tenant's X.509 certificate authentication configuration: %v", err))
		return
	}
	if vs := unknownEnumValues(p); len(vs) > 0 {
		resp.Diagnostics.AddWarning(unknownEnumWarning(vs))
	}
	m, diags := policyToModel(ctx, p)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
