package pki

import (
	"context"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure        = (*pkiDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*pkiDataSource)(nil)
)

// NewPKIDataSource is the entracert_certificate_based_auth_pki data source.
func NewPKIDataSource() datasource.DataSource { return &pkiDataSource{} }

type pkiDataSource struct {
	client *clients.Client
}

type pkiDataModel struct {
	ID                     types.String `tfsdk:"id"`
	DisplayName            types.String `tfsdk:"display_name"`
	Status                 types.String `tfsdk:"status"`
	StatusDetails          types.String `tfsdk:"status_details"`
	LastModifiedDateTime   types.String `tfsdk:"last_modified_date_time"`
	CertificateAuthorities types.List   `tfsdk:"certificate_authorities"`
}

func (d *pkiDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pki"
}

func (d *pkiDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	caAttrs := map[string]schema.Attribute{}
	for name, desc := range certificateAuthorityDescriptions {
		caAttrs[name] = schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	caAttrs["is_issuer_hint_enabled"] = schema.BoolAttribute{MarkdownDescription: isIssuerHintDescription, Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an Entra certificate-based-authentication PKI and its trusted certificate authorities, by `id` or by `display_name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the PKI. Set exactly one of `id` and `display_name`.",
				Optional:            true,
				Computed:            true,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Exact display name of the PKI; exactly one PKI must have it. Set exactly one of `id` and `display_name`.",
				Optional:            true,
				Computed:            true,
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the PKI's last job: `running` while an upload or deletion runs, `succeeded` after.",
				Computed:            true,
			},
			"status_details": schema.StringAttribute{
				MarkdownDescription: "Details Graph gives about the status.",
				Computed:            true,
			},
			"last_modified_date_time": schema.StringAttribute{
				MarkdownDescription: "When the PKI last changed (RFC 3339).",
				Computed:            true,
			},
			"certificate_authorities": schema.ListNestedAttribute{
				MarkdownDescription: "Every certificate authority of the PKI, in Graph's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: caAttrs},
			},
		},
	}
}

func (d *pkiDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *pkiDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *pkiDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg pkiDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !clients.Require(d.client, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultPKIReadTimeout)
	defer cancel()
	p, diags := d.find(ctx, cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cas, err := d.client.Graph.ListCertificateAuthorities(ctx, p.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the PKI's certificate authorities", fmt.Sprintf("Listing the certificate authorities of PKI %s: %v", p.ID, err))
		return
	}
	list, diags := caListValue(ctx, d.client, cas)
	resp.Diagnostics.Append(diags...)
	out := pkiDataModel{
		ID:                     types.StringValue(p.ID),
		DisplayName:            types.StringValue(p.DisplayName),
		Status:                 types.StringValue(p.Status),
		StatusDetails:          types.StringValue(p.StatusDetails),
		LastModifiedDateTime:   timeString(p.LastModifiedDateTime),
		CertificateAuthorities: list,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

func (d *pkiDataSource) find(ctx context.Context, cfg pkiDataModel) (*graph.PKI, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !cfg.ID.IsNull() {
		id := cfg.ID.ValueString()
		p, err := d.client.Graph.GetPKICached(ctx, id)
		if graph.IsNotFound(err) {
			diags.AddAttributeError(path.Root("id"), "PKI not found",
				fmt.Sprintf("No certificate-based-authentication PKI has the ID %q. Check the ID, or look the PKI up by display_name.", id))
			return nil, diags
		}
		if err != nil {
			diags.AddError("Cannot read the PKI", fmt.Sprintf("Reading PKI %s: %v", id, err))
			return nil, diags
		}
		return p, diags
	}
	name := cfg.DisplayName.ValueString()
	pkis, err := d.client.Graph.ListPKIs(ctx, name)
	if err != nil {
		diags.AddError("Cannot list PKIs", fmt.Sprintf("Listing PKIs named %q: %v", name, err))
		return nil, diags
	}
	var matches []graph.PKI
	for _, p := range pkis {
		if p.DisplayName == name {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return &matches[0], diags
	case 0:
		diags.AddAttributeError(path.Root("display_name"), "PKI not found",
			fmt.Sprintf("No certificate-based-authentication PKI is named %q (the name must match exactly, case included). "+
				"Check display_name, or look the PKI up by id.", name))
	default:
		ids := make([]string, 0, len(matches))
		for _, p := range matches {
			ids = append(ids, p.ID)
		}
		diags.AddAttributeError(path.Root("display_name"), "Several PKIs have this name",
			fmt.Sprintf("%d PKIs are named %q: %s. Look the one you mean up by id instead.", len(matches), name, strings.Join(ids, ", ")))
	}
	return nil, diags
}
