package pki

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// caExpiryWarning is how close to its expiry a CA is warned about.
const caExpiryWarning = 30 * 24 * time.Hour

func (r *caResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan caResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	facts := parsedCertificate(r.client, plan.Certificate)
	if facts == nil {
		return // unknown until apply, or already reported by the validator
	}
	creating := req.State.Raw.IsNull()
	resp.Diagnostics.Append(checkParentPKI(ctx, r.client, plan.PKIID, creating)...) // parent_pki.go
	if !creating {
		var state caResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		// Terraform plans a replacement as a create of the new object; only the same certificate reaches here.
		creating = plan.PKIID.IsUnknown() || !strings.EqualFold(plan.PKIID.ValueString(), state.PKIID.ValueString()) ||
			!sameCertificate(r.client, state.Certificate, plan.Certificate)
	}
	if creating {
		// What the certificate says is known now, so the plan shows it.
		plan.Thumbprint = types.StringValue(facts.Thumbprint)
		plan.SubjectKeyIdentifier = types.StringValue(facts.SubjectKeyIdentifier)
		plan.ExpirationDateTime = timeString(facts.NotAfter)
		if known(plan.PKIID) {
			plan.ID = types.StringValue(caResourceID(plan.PKIID.ValueString(), facts.Thumbprint))
		}
	}
	var config caResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plannedDefaults(&plan, config, facts)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if r.client != nil {
		// For the CBA policy's plan check, which runs after this plan when it references this CA (clients.PlannedCAs).
		r.client.PlannedCAs.Add(plan.PKIID.ValueString(), facts.SubjectKeyIdentifier)
		if creating || crlURLChanges(ctx, req, plan) {
			recordPlanned(r.client, plan.PKIID, []pkcs.CertificateAuthority{*facts}, plannedCRLURL(plan, facts)) // chain_check.go
		}
		if creating {
			resp.Diagnostics.Append(chainWarnings(ctx, r.client, plan.PKIID, []pkcs.CertificateAuthority{*facts}, path.Root("certificate"), "among the CAs planned so far in this run")...)
		}
	}
	planCARestore(ctx, req, resp, facts.Thumbprint) // ca_restore.go

	now := time.Now()
	if r.client != nil && r.client.Clock != nil {
		now = r.client.Clock.Now()
	}
	resp.Diagnostics.Append(certificateWarnings(facts, now)...)

	if known(plan.PKIID) {
		owner := caResourceOwner(plan.PKIID.ValueString(), facts.Thumbprint)
		if taken := declarationsOf(r.client).declare(plan.PKIID.ValueString(), owner, []string{facts.Thumbprint}); len(taken) > 0 {
			resp.Diagnostics.Append(overlapDiagnostic(path.Root("certificate"), plan.PKIID.ValueString(), owner, taken))
			return
		}
	}

	if creating && r.client != nil && known(plan.PKIID) {
		pkiID := plan.PKIID.ValueString()
		existing, err := findCAByThumbprintCached(ctx, r.client.Graph, pkiID, facts.Thumbprint)
		switch {
		case err != nil:
			// A PKI created in this apply is unknown here; a PKI that cannot be read is reported by the apply.
			resp.Diagnostics.AddWarning("Cannot check the PKI's certificate authorities",
				fmt.Sprintf("Reading the certificate authorities of PKI %s to check that %s is not there yet: %v", pkiID, facts.Thumbprint, err))
		case existing != nil && inStateOf(r.client).has(existing.ID):
			// This resource's own CA, replaced (-replace, a taint): the destroy runs first.
		case existing != nil:
			resp.Diagnostics.AddAttributeError(path.Root("certificate"), "The certificate authority is already in the PKI",
				fmt.Sprintf("PKI %s already trusts certificate %s (%s, Graph ID %s). Adding it again would fail. Bring it under "+
					"management instead: terraform import <this resource's address> %s, or an import block with id = %q.",
					pkiID, facts.Thumbprint, facts.Subject, existing.ID, caResourceID(pkiID, facts.Thumbprint), caResourceID(pkiID, facts.Thumbprint)))
		}
	}
}

// plannedDefaults plans the documented default of each setting the configuration leaves out, on create and on
// every update: a value changed in the portal then shows in the plan, and the apply sets it back.
func plannedDefaults(plan *caResourceModel, config caResourceModel, facts *pkcs.CertificateAuthority) {
	if config.CertificateAuthorityType.IsNull() {
		plan.CertificateAuthorityType = types.StringValue(defaultCAType(facts))
	}
	if config.CertificateRevocationListURL.IsNull() {
		plan.CertificateRevocationListURL = types.StringValue(facts.CRLURL) // what Graph derives from the certificate
	}
	if config.DeltaCertificateRevocationListURL.IsNull() {
		plan.DeltaCertificateRevocationListURL = types.StringValue("")
	}
	if config.IsIssuerHintEnabled.IsNull() {
		plan.IsIssuerHintEnabled = types.BoolValue(false)
	}
}

func defaultCAType(facts *pkcs.CertificateAuthority) string {
	if facts.IsRoot {
		return caTypeRoot
	}
	return caTypeIntermediate
}

// certificateWarnings are the plan-time warnings about a CA certificate: not a CA, expired, expiring soon.
func certificateWarnings(facts *pkcs.CertificateAuthority, now time.Time) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("certificate")
	if !facts.IsCA {
		diags.AddAttributeWarning(at, "The certificate is not a certificate authority",
			fmt.Sprintf("Certificate %s (%s) has no BasicConstraints extension with CA:TRUE, so it is a leaf certificate. Entra "+
				"would trust it as a CA all the same. Give the certificate of the CA that issues your users' certificates.",
				facts.Thumbprint, facts.Subject))
	}
	switch {
	case !now.Before(facts.NotAfter):
		diags.AddAttributeWarning(at, "The certificate authority has expired",
			fmt.Sprintf("Certificate %s (%s) expired on %s; certificates it issued no longer sign anyone in. Replace it with its renewed certificate.",
				facts.Thumbprint, facts.Subject, facts.NotAfter.UTC().Format(time.RFC3339)))
	case facts.NotAfter.Sub(now) < caExpiryWarning:
		diags.AddAttributeWarning(at, "The certificate authority expires soon",
			fmt.Sprintf("Certificate %s (%s) expires on %s, in less than 30 days. Add its renewed certificate before then.",
				facts.Thumbprint, facts.Subject, facts.NotAfter.UTC().Format(time.RFC3339)))
	}
	return diags
}

func certificateProblem(err error) string {
	msg := err.Error()
	if errors.Is(err, pkcs.ErrCATooLarge) {
		// pkcs words it for a file of certificates; here it is the one certificate of this attribute.
		return "The certificate is larger than 8 KB" + strings.TrimPrefix(msg, pkcs.ErrCATooLarge.Error()) +
			". Graph accepts CA certificates of at most 8 KB: give the CA's own certificate, without a chain or extra data."
	}
	return msg + `. Give one certificate as PEM (file("root.pem")) or as base64 of its DER (filebase64("root.cer")).`
}

// ValidateConfig checks that certificate holds one readable X.509 certificate. A resource-level check rather than an
// attribute validator, so it parses through the provider's cache of certificates (r.client; nil while Terraform
// validates before configuring the provider, which parses each certificate once then).
func (r *caResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var certificate types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("certificate"), &certificate)...)
	if resp.Diagnostics.HasError() || certificate.IsNull() || certificate.IsUnknown() {
		return
	}
	if _, err := r.client.ParseCertificate([]byte(certificate.ValueString())); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("certificate"), "certificate is not a usable certificate", certificateProblem(err))
	}
}

// crlURLValidator accepts "" (none) or an absolute http URL: Entra checks only HTTP CRL distribution points.
type crlURLValidator struct{}

func (crlURLValidator) Description(context.Context) string {
	return `must be an http URL, or "" for none`
}
func (v crlURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (crlURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if msg := checkCRLURL(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid certificate revocation list URL", msg)
	}
}

func checkCRLURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "":
		return "The value is not an absolute URL. Give the http URL of the CRL, e.g. http://crl.contoso.com/root.crl."
	case strings.EqualFold(u.Scheme, "https"):
		return "The URL uses https, but Entra checks only HTTP CRL distribution points. Publish the CRL over http " +
			"(CRLs are signed, so http is safe), e.g. http://crl.contoso.com/root.crl."
	case !strings.EqualFold(u.Scheme, "http"):
		return fmt.Sprintf("The URL's scheme is %q; Entra checks only HTTP CRL distribution points. Use an http URL, e.g. http://crl.contoso.com/root.crl.", u.Scheme)
	}
	return ""
}

// caIDsInState are the Graph IDs of the CAs that CA resources' refreshes found in this walk: a create planned for a
// CA one of them holds is that resource's replacement (-replace, taint), not a second copy of the CA.
type caIDsInState struct {
	mu  sync.Mutex
	ids map[string]bool
}

func inStateOf(c *clients.Client) *caIDsInState {
	if c == nil {
		return nil
	}
	return clients.RegistryOf(&c.Registries, "pki/ca-ids-in-state", func() *caIDsInState { return &caIDsInState{ids: map[string]bool{}} })
}

func (s *caIDsInState) add(id string) {
	if s == nil || id == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[strings.ToLower(id)] = true
}

func (s *caIDsInState) has(id string) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[strings.ToLower(id)]
}
