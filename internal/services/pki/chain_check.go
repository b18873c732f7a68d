package pki

import (
	"context"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Entra needs every CA up to the root in the trust store: a CA whose issuer is missing fails every sign-in with the
// certificates under it. The upload and the CA resource warn at plan time when a CA's issuer is neither in the file
// (for an upload) nor in the PKI, nor planned for it in this run.

// recordPlanned records the CAs this plan puts in the PKI, for the CBA policy's CRL pre-flight and for the chain
// check of the other CA resources and uploads of this run (clients.PlannedCADetails).
func recordPlanned(c *clients.Client, pkiID types.String, cas []pkcs.CertificateAuthority, crlURLs map[string]string) {
	reg := clients.PlannedCADetailsOf(c)
	id := ""
	if known(pkiID) {
		id = pkiID.ValueString()
	}
	for _, ca := range cas {
		url, ok := crlURLs[strings.ToUpper(ca.Thumbprint)]
		if !ok {
			url = ca.CRLURL
		}
		reg.Add(clients.PlannedCA{PKIID: id, Subject: ca.Subject, Issuer: ca.Issuer, Thumbprint: ca.Thumbprint,
			SKI: ca.SubjectKeyIdentifier, AKI: ca.IssuerSubjectKeyIdentifier, CRLURL: url, DER: ca.DER})
	}
}

// crlURLsOf are the CRL URLs certificate_authority_settings sets, by uppercase thumbprint.
func crlURLsOf(ctx context.Context, m types.Map) map[string]string {
	settings, _ := settingsOf(ctx, m)
	out := map[string]string{}
	for thumb, st := range settings {
		if known(st.CRLURL) {
			out[strings.ToUpper(thumb)] = st.CRLURL.ValueString()
		}
	}
	return out
}

// chainWarnings warns about each CA of cas whose issuer is neither in cas, nor in the PKI (read from Graph only when
// the file and this run's plans do not settle it, and only when the PKI's id is known), nor planned for it in this run.
func chainWarnings(ctx context.Context, c *clients.Client, pkiID types.String, cas []pkcs.CertificateAuthority, at path.Path, where string) diag.Diagnostics {
	var diags diag.Diagnostics
	var others []pkcs.IssuerCandidate
	for _, p := range clients.PlannedCADetailsOf(c).All() {
		if p.PKIID == "" || !known(pkiID) || strings.EqualFold(p.PKIID, pkiID.ValueString()) {
			others = append(others, pkcs.IssuerCandidate{Subject: p.Subject, SKI: p.SKI})
		}
	}
	missing := pkcs.MissingIssuers(cas, others)
	if len(missing) == 0 {
		return nil
	}
	inPKI := ""
	if c != nil && c.Graph != nil && known(pkiID) {
		have, err := c.Graph.ListCertificateAuthoritiesCached(ctx, pkiID.ValueString())
		if err != nil {
			return nil // a PKI created in this run, or unreadable: the file and this run's plans were all there was
		}
		for _, ca := range have {
			if facts, err := c.ParseCertificate(ca.Certificate); err == nil { // once per process: every CA's plan asks
				others = append(others, pkcs.CandidateOf(facts))
			}
		}
		missing = pkcs.MissingIssuers(cas, others)
		inPKI = " nor in PKI " + pkiID.ValueString()
	}
	for _, m := range missing {
		key := ""
		if m.IssuerKeyID != "" {
			key = fmt.Sprintf(" (subject key identifier %s)", m.IssuerKeyID)
		}
		diags.AddAttributeWarning(at, "The issuer of a certificate authority is not in the trust store",
			fmt.Sprintf("%s (%s) was issued by %q%s, which is neither %s%s. Entra needs every CA up to the root in the "+
				"trust store: sign-ins with certificates under %s fail until its issuer is there. Add the issuer's certificate "+
				"(to the .p7b, or as an entracert_certificate_based_auth_certificate_authority in the same PKI). Terraform plans "+
				"independent resources in parallel: if another resource of this configuration adds that issuer, this warning "+
				"goes away once it is applied.",
				m.CA.Thumbprint, m.CA.Subject, m.IssuerName, key, where, inPKI, m.CA.Subject))
	}
	return diags
}

// plannedCRLURL is the CRL URL the CA resource's plan gives its CA, by thumbprint (none while unknown).
func plannedCRLURL(plan caResourceModel, facts *pkcs.CertificateAuthority) map[string]string {
	if !known(plan.CertificateRevocationListURL) {
		return nil
	}
	return map[string]string{strings.ToUpper(facts.Thumbprint): plan.CertificateRevocationListURL.ValueString()}
}

// crlURLChanges reports whether the CA resource's plan changes the CA's CRL URL (Entra will download the new one).
func crlURLChanges(ctx context.Context, req resource.ModifyPlanRequest, plan caResourceModel) bool {
	var before types.String
	if d := req.State.GetAttribute(ctx, path.Root("certificate_revocation_list_url"), &before); d.HasError() {
		return false
	}
	return !plan.CertificateRevocationListURL.Equal(before)
}
