package pki

import (
	"context"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = (*caListResource)(nil)
	_ list.ListResourceWithConfigure = (*caListResource)(nil)
)

// NewCAListResource lists entracert_certificate_based_auth_certificate_authority (Terraform 1.14+ `terraform query`).
func NewCAListResource() list.ListResource { return &caListResource{} }

type caListResource struct {
	client *clients.Client
}

type caListConfig struct {
	PKIID types.String `tfsdk:"pki_id"`
}

func (r *caListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_certificate_authority"
}

func (r *caListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the trusted certificate authorities of the tenant's certificate-based-authentication PKIs " +
			"(Terraform 1.14 or later, `terraform query`), whether they came from a `.p7b` upload or were added one by one. Each " +
			"result is named by the CA's subject, its expiry and its PKI, and carries its identity (`pki_id`, `thumbprint`); with " +
			"`include_resource = true` it carries the whole resource, the certificate as PEM included, and " +
			"`terraform query -generate-config-out=FILE` writes a resource and an `import` block for each CA that plan as imports only.",
		Attributes: map[string]listschema.Attribute{
			"pki_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the CAs of this PKI (its ID, a GUID). Left out, the CAs of every PKI of the tenant. " +
					"A PKI that Graph does not have fails the query.",
				Validators: []validator.String{pkiIDValidator{}},
			},
		},
	}
}

func (r *caListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *caListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg caListConfig
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() || !clients.Require(r.client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	g := r.client.Graph
	var pkis []graph.PKI
	if known(cfg.PKIID) {
		id := normalPKIID(cfg.PKIID.ValueString())
		p, err := g.GetPKICached(ctx, id)
		if graph.IsNotFound(err) {
			diags.AddAttributeError(path.Root("pki_id"), "No such PKI",
				fmt.Sprintf("Graph has no PKI with ID %s (%v). Set pki_id to the ID of an existing PKI (list them with "+
					"list \"entracert_certificate_based_auth_pki\"), or leave it out to list the CAs of every PKI.", id, err))
		} else if err != nil {
			diags.AddError("Cannot list the certificate authorities", listProblem("Reading PKI "+id, err))
		}
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
		pkis = []graph.PKI{*p}
	} else {
		var err error
		if pkis, err = g.ListPKIsShared(ctx, ""); err != nil {
			diags.AddError("Cannot list the certificate authorities", listProblem("Listing the tenant's PKIs", err))
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	// Each PKI's CAs are read when the stream reaches it, so a query whose limit is reached reads no further PKI.
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for i := range pkis {
			p := &pkis[i]
			cas, err := g.ListCertificateAuthorities(ctx, p.ID)
			if graph.IsNotFound(err) && !known(cfg.PKIID) {
				continue // deleted since the PKIs were listed
			}
			if err != nil {
				var d diag.Diagnostics
				d.AddError("Cannot list the certificate authorities",
					listProblem(fmt.Sprintf("Listing the certificate authorities of PKI %q (%s)", p.DisplayName, p.ID), err))
				push(list.ListResult{Diagnostics: d})
				return
			}
			for j := range cas {
				if req.Limit > 0 && n >= req.Limit {
					return
				}
				n++
				if !push(caListResult(ctx, req, p, &cas[j])) {
					return
				}
			}
		}
	}
}

// caListResult is one CA as a list result: its subject and expiry, its identity and, when asked, the state an import
// of it reads (the certificate as PEM, as Read fills it after an import).
func caListResult(ctx context.Context, req list.ListRequest, p *graph.PKI, ca *graph.CertificateAuthority) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = caDisplayName(p, ca)
	result.Diagnostics.Append(common.SetIdentity(ctx, result.Identity, caIdentityOf(p.ID, ca.Thumbprint))...)
	if req.IncludeResource {
		var m caResourceModel
		if len(ca.Certificate) > 0 {
			m.Certificate = types.StringValue(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate})))
		} else {
			m.Certificate = types.StringNull()
		}
		caToModel(nil, ca, normalPKIID(p.ID), &m)
		var d diag.Diagnostics
		m.Timeouts, d = nullTimeouts(ctx, req)
		result.Diagnostics.Append(d...)
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}

// caDisplayName is what a person recognises a CA by: its subject (read from the certificate, else Graph's display
// name), when it expires, and its PKI.
func caDisplayName(p *graph.PKI, ca *graph.CertificateAuthority) string {
	subject := ca.DisplayName
	if facts, err := pkcs.ParseCertificate(ca.Certificate); err == nil && facts.Subject != "" {
		subject = facts.Subject
	}
	if subject == "" {
		subject = ca.Thumbprint
	}
	expiry := "expiry unknown"
	if !ca.ExpirationDateTime.IsZero() {
		expiry = "expires " + ca.ExpirationDateTime.UTC().Format(time.DateOnly)
	}
	return fmt.Sprintf("%s (%s) in PKI %s", subject, expiry, p.DisplayName)
}
