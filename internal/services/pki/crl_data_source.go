package pki

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/crlcheck"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*crlDataSource)(nil)

// NewCRLDataSource is the entracert_certificate_revocation_list data source.
func NewCRLDataSource() datasource.DataSource { return &crlDataSource{} }

type crlDataSource struct {
	client *clients.Client
}

type crlDataModel struct {
	URL                    types.String `tfsdk:"url"`
	IssuerCertificate      types.String `tfsdk:"issuer_certificate"`
	ThisUpdate             types.String `tfsdk:"this_update"`
	NextUpdate             types.String `tfsdk:"next_update"`
	CRLNumber              types.String `tfsdk:"crl_number"`
	RevokedCount           types.Int64  `tfsdk:"revoked_count"`
	SizeBytes              types.Int64  `tfsdk:"size_bytes"`
	SignatureValid         types.Bool   `tfsdk:"signature_valid"`
	AuthorityKeyIdentifier types.String `tfsdk:"authority_key_identifier"`
}

func (d *crlDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_revocation_list"
}

func (d *crlDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Downloads a certificate revocation list as Microsoft Entra does when CRL validation is enabled, and " +
			"reports what Entra looks at: when it was issued and when it expires, its number, its authority key identifier and, " +
			"given the CA's certificate, whether the CA signed it. Meant for `check` blocks that a scheduled `terraform plan` " +
			"runs, so an expiring or broken CRL is seen before Entra fails sign-ins.\n\n" +
			"The download keeps to Entra's limits: 10 seconds, and 20 MB (45 MB when the provider's `environment` is a US " +
			"Government cloud). Like a PKI upload's `upload_url`, it connects only to addresses Entra could reach from the " +
			"internet: a URL whose host is (or resolves to, or redirects to) a private, link-local, metadata or loopback address " +
			"is refused without a request. DER and PEM CRLs are read. A CRL that cannot be downloaded or read is an error (in " +
			"a `check` block, a warning).\n\n" +
			"Guide: [Rolling out certificate-based authentication](../guides/cba-rollout.md).",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{Required: true,
				MarkdownDescription: "The CRL's URL, e.g. a CA's `certificate_revocation_list_url`. Entra downloads CRLs over http."},
			"issuer_certificate": schema.StringAttribute{Optional: true,
				MarkdownDescription: "The certificate of the CA that should have signed the CRL, as PEM (`file(\"issuing-ca.pem\")`) or " +
					"base64 of its DER. Without it `signature_valid` is null.",
				Validators: []validator.String{issuerCertificateValidator{}}},
			"this_update": computed("When the CRL was issued (RFC 3339, UTC)."),
			"next_update": computed("When the CRL expires: Entra fails sign-ins with the CA's certificates after this (RFC 3339, " +
				"UTC; null when the CRL has no nextUpdate)."),
			"crl_number": computed("The CRL number, in decimal (null when the CRL has none). Entra expects it to keep increasing."),
			"revoked_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many certificates the CRL revokes."},
			"size_bytes": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "The size of the downloaded file, in bytes."},
			"signature_valid": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether `issuer_certificate`'s key signed the CRL; null without `issuer_certificate`."},
			"authority_key_identifier": computed("The CRL's authority key identifier, uppercase hex (null when it has none, which " +
				"Entra rejects). Entra matches it against the CA's subject key identifier."),
		},
	}
}

func (d *crlDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *crlDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m crlDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var issuer *pkcs.CertificateAuthority
	if !m.IssuerCertificate.IsNull() {
		ca, err := pkcs.ParseCertificate([]byte(m.IssuerCertificate.ValueString()))
		if err != nil { // the validator reports it at plan time; a value known only now lands here
			resp.Diagnostics.AddAttributeError(path.Root("issuer_certificate"), "issuer_certificate is not a usable certificate", certificateProblem(err))
			return
		}
		issuer = &ca
	}
	limit := int64(crlcheck.MaxSize)
	if d.client != nil {
		limit = crlcheck.MaxSizeFor(d.client.Environment)
	}
	rawURL := m.URL.ValueString()
	f, err := crlcheck.Fetch(ctx, d.client.DownloadPolicy(), rawURL, limit)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Cannot read the certificate revocation list", crlFetchProblem(rawURL, limit, err))
		return
	}
	crl := f.CRL
	m.ThisUpdate = types.StringValue(crl.ThisUpdate.UTC().Format(time.RFC3339))
	m.NextUpdate = types.StringNull()
	if !crl.NextUpdate.IsZero() {
		m.NextUpdate = types.StringValue(crl.NextUpdate.UTC().Format(time.RFC3339))
	}
	m.CRLNumber = nullIfEmpty(crl.Number)
	m.RevokedCount = types.Int64Value(int64(crl.RevokedCount))
	m.SizeBytes = types.Int64Value(int64(f.Size))
	m.AuthorityKeyIdentifier = nullIfEmpty(crl.AuthorityKeyIdentifier)
	m.SignatureValid = types.BoolNull()
	if issuer != nil {
		m.SignatureValid = types.BoolValue(crl.SignedBy(issuer.DER) == nil)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// crlFetchProblem words why the CRL at rawURL could not be read, and what Entra would do.
func crlFetchProblem(rawURL string, limit int64, err error) string {
	where := download.SafeURLString(rawURL)
	var refused *download.RefusedAddressError
	var tooLarge *download.TooLargeError
	switch {
	case errors.As(err, &refused):
		return fmt.Sprintf("url %s leads to %s: %s. Entra downloads CRLs from the internet and can never reach such an address, "+
			"so the provider does not connect to it either (no request was sent to it). Publish the CRL at a public http URL.",
			where, refused.Addr, refused.Reason)
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("%s is larger than %s, Entra's limit for a CRL in this cloud: Entra would not use it, and with CRL "+
			"validation every sign-in with the CA's certificates would fail. Partition the CRL or publish a delta CRL.", where, crlcheck.SizeText(limit))
	case errors.Is(err, pkcs.ErrNotCRL):
		return fmt.Sprintf("%s does not hold a CRL: %v. Check the URL.", where, err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not download within %s, Entra's limit: Entra would not get it either.", where, crlcheck.Timeout)
	}
	return fmt.Sprintf("GET %s: %v. Entra could not download it either: check that the CRL is published there and reachable "+
		"from the internet over http.", where, err)
}

// issuerCertificateValidator checks that issuer_certificate holds one readable X.509 certificate.
type issuerCertificateValidator struct{}

func (issuerCertificateValidator) Description(context.Context) string {
	return "must be one X.509 certificate, PEM or base64 of its DER"
}
func (v issuerCertificateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (issuerCertificateValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := pkcs.ParseCertificate([]byte(req.ConfigValue.ValueString())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "issuer_certificate is not a usable certificate", certificateProblem(err))
	}
}
