package pki

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// expiringSoon is how close to its expiry a CA of the file draws a plan-time warning.
const expiringSoon = 30 * 24 * time.Hour

// privateImported marks an upload that was imported and not yet applied: its plan checks that the file's CAs are
// all in the PKI (an import adopts what is there, it never uploads).
const privateImported = "imported"

// uploadURLOf is the URL the configuration gives, from upload_url or the write-only upload_url_wo.
func uploadURLOf(config uploadModel) types.String {
	if !config.UploadURLWO.IsNull() {
		return config.UploadURLWO
	}
	return config.UploadURL
}

// uploadURLAttr names the URL attribute the configuration sets, for diagnostics.
func uploadURLAttr(config uploadModel) string {
	if !config.UploadURLWO.IsNull() {
		return "upload_url_wo"
	}
	return "upload_url"
}

// loadBundle reads the file the configuration names: from content_base64 when set (checked against the hash,
// nothing downloaded), else downloaded from the URL.
func loadBundle(ctx context.Context, c *clients.Client, policy download.Policy, config uploadModel, hash string) (*bundle, error) {
	if known(config.ContentBase64) {
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(config.ContentBase64.ValueString()))
		if err != nil {
			return nil, &detailedError{path.Root("content_base64"), "content_base64 is not base64",
				fmt.Sprintf("content_base64 must be the file's bytes in standard base64, e.g. filebase64(\"contoso.p7b\"): %v.", err)}
		}
		if got := pkcs.SHA256Hex(data); !strings.EqualFold(got, hash) {
			return nil, &detailedError{path.Root("sha256_file_hash"), "sha256_file_hash does not match content_base64",
				fmt.Sprintf("sha256_file_hash:             %s\nSHA-256 of content_base64: %s\n\nSet sha256_file_hash to "+
					"filesha256() of the same file as content_base64.", strings.ToUpper(hash), got)}
		}
		cas, err := c.ParseCertificateBundle(data) // once per process and file: the plan and the apply both ask
		if err != nil {
			return nil, &detailedError{path.Root("content_base64"), "content_base64 is not a usable .p7b", bundleProblem("content_base64", err)}
		}
		return checkDuplicates("content_base64", &bundle{SHA256: strings.ToUpper(hash), CAs: cas})
	}
	b, err := fetchBundleFrom(ctx, c, policy, uploadURLAttr(config), uploadURLOf(config).ValueString(), hash)
	if err != nil {
		return nil, err
	}
	return checkDuplicates(uploadURLAttr(config), b)
}

// checkDuplicates refuses a file that holds one certificate authority twice. Graph keeps one CA per thumbprint,
// so the state would list it twice and a destroy would delete it twice; the fix belongs in the file, which the
// user can see, rather than in a silent dedupe of what Graph is asked to upload.
func checkDuplicates(attr string, b *bundle) (*bundle, error) {
	seen := map[string]bool{}
	var dups []string
	for _, ca := range b.CAs {
		thumb := strings.ToUpper(ca.Thumbprint)
		if seen[thumb] {
			dups = append(dups, fmt.Sprintf("%s (%s)", thumb, ca.Subject))
		}
		seen[thumb] = true
	}
	if len(dups) == 0 {
		return b, nil
	}
	return nil, &detailedError{path.Root(attr), "The file holds a certificate authority twice",
		fmt.Sprintf("The .p7b of %s holds these certificates more than once: %s. Entra keeps each certificate authority "+
			"once; remove the duplicates from the file (and update sha256_file_hash).", attr, strings.Join(dups, ", "))}
}

// bundleWarnings are the plan-time warnings about what the file would make Entra trust.
func bundleWarnings(cas []pkcs.CertificateAuthority, now time.Time) diag.Diagnostics {
	var diags diag.Diagnostics
	attr := path.Root("sha256_file_hash")
	for _, ca := range cas {
		name := fmt.Sprintf("%s (%s)", ca.Thumbprint, ca.Subject)
		switch {
		case !ca.IsCA:
			diags.AddAttributeWarning(attr, "A certificate of the file is not a certificate authority",
				fmt.Sprintf("%s has no BasicConstraints CA:TRUE, so it is a leaf certificate, yet Entra would trust it as an "+
					"intermediate authority. Remove it from the .p7b unless that is really meant.", name))
		case !now.Before(ca.NotAfter):
			diags.AddAttributeWarning(attr, "A certificate authority of the file has expired",
				fmt.Sprintf("%s expired on %s; certificates it issued no longer sign anyone in. Replace it in the .p7b.",
					name, ca.NotAfter.UTC().Format(time.RFC3339)))
		case ca.NotAfter.Sub(now) < expiringSoon:
			diags.AddAttributeWarning(attr, "A certificate authority of the file expires soon",
				fmt.Sprintf("%s expires on %s, within 30 days. Plan its successor and add it to the .p7b.",
					name, ca.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	return diags
}

// plannedCAs is certificate_authorities as the plan can know it from the verified file, in file order: each CA's
// thumbprint, subject and own subject key identifier (read from its certificate, the bytes Graph stores). A CA the
// state already holds keeps what is recorded; a CA new to the PKI gets the type, expiration and CRL URL Graph derives
// from its certificate (root when self-signed; notAfter; the first HTTP CRL distribution point), no delta CRL and no
// issuer hint, each overridden by certificate_authority_settings. Graph's ID, display name, issuer and issuer key
// identifier stay unknown until apply.
func plannedCAs(ctx context.Context, cas []pkcs.CertificateAuthority, recorded []certificateAuthorityModel, settings map[string]caSettingsModel) (types.List, diag.Diagnostics) {
	byThumb := map[string]certificateAuthorityModel{}
	for _, m := range recorded {
		if m.ID.ValueString() != "" {
			byThumb[strings.ToUpper(m.Thumbprint.ValueString())] = m
		}
	}
	out := make([]certificateAuthorityModel, 0, len(cas))
	for _, ca := range cas {
		thumb := strings.ToUpper(ca.Thumbprint)
		m, held := byThumb[thumb]
		if !held {
			kind := "intermediate"
			if ca.IsRoot {
				kind = "root"
			}
			m = certificateAuthorityModel{
				ID: types.StringUnknown(), CertificateAuthorityType: types.StringValue(kind),
				DisplayName: types.StringUnknown(), Issuer: types.StringUnknown(), IssuerSubjectKeyIdentifier: types.StringUnknown(),
				ExpirationDateTime:           types.StringValue(ca.NotAfter.UTC().Format(time.RFC3339)),
				CertificateRevocationListURL: types.StringValue(ca.CRLURL), DeltaCRLURL: types.StringValue(""),
				IsIssuerHintEnabled: types.BoolValue(false),
			}
		}
		m.Thumbprint = types.StringValue(thumb)
		m.Subject, m.SubjectKeyIdentifier = types.StringValue(ca.Subject), types.StringValue(ca.SubjectKeyIdentifier)
		if st, ok := settings[thumb]; ok {
			if !st.CRLURL.IsNull() {
				m.CertificateRevocationListURL = st.CRLURL
			}
			if !st.DeltaCRLURL.IsNull() {
				m.DeltaCRLURL = st.DeltaCRLURL
			}
			if !st.IssuerHint.IsNull() {
				m.IsIssuerHintEnabled = st.IssuerHint
			}
		}
		out = append(out, m)
	}
	return types.ListValueFrom(ctx, certificateAuthorityObjectType, out)
}

// leftTheFile are the recorded CAs whose thumbprint is not in the new file.
func leftTheFile(recorded []certificateAuthorityModel, cas []pkcs.CertificateAuthority) []certificateAuthorityModel {
	in := map[string]bool{}
	for _, ca := range cas {
		in[strings.ToUpper(ca.Thumbprint)] = true
	}
	var out []certificateAuthorityModel
	for _, m := range recorded {
		if !in[strings.ToUpper(m.Thumbprint.ValueString())] {
			out = append(out, m)
		}
	}
	return out
}

func (r *uploadResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	resp.Diagnostics.Append(checkParentPKI(ctx, r.client, plan.PKIID, creating)...) // parent_pki.go
	var state uploadModel
	var recorded []certificateAuthorityModel
	work, check, imported := creating, creating, false
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !strings.EqualFold(plan.PKIID.ValueString(), state.PKIID.ValueString()) || plan.PKIID.IsUnknown() {
			return // replaced: Terraform plans the new object as a create, which checks the file then
		}
		recorded, _ = caListModels(ctx, state.CertificateAuthorities)
		hashChanged := plan.SHA256FileHash.IsUnknown() || !strings.EqualFold(plan.SHA256FileHash.ValueString(), state.SHA256FileHash.ValueString())
		work = hashChanged || needsWork(ctx, state) || !plan.CASettings.Equal(state.CASettings)
		urlChanged := !plan.UploadURL.Equal(state.UploadURL) || !plan.ContentBase64.Equal(state.ContentBase64)
		check = work || urlChanged
		if b, _ := req.Private.GetKey(ctx, privateImported); len(b) > 0 {
			imported = true
		}
		if work {
			plan.Status = types.StringUnknown()
			plan.StatusDetails = types.StringUnknown()
			plan.CertificateAuthorities = types.ListUnknown(certificateAuthorityObjectType)
		}
	}
	hashOK := known(plan.SHA256FileHash) && common.SHA256Pattern.MatchString(plan.SHA256FileHash.ValueString())
	if known(plan.PKIID) && hashOK {
		plan.ID = types.StringValue(uploadID(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString()))
	}

	// Check the file now, so a mistake shows in the plan and nothing is written to Graph; and show its CAs.
	var declared []string // the CAs this upload declares, for the ownership check
	url := uploadURLOf(config)
	sourceKnown := known(config.ContentBase64) || (config.ContentBase64.IsNull() && known(url))
	if check && hashOK && sourceKnown {
		b, err := loadBundle(ctx, r.client, r.client.DownloadPolicy(), config, plan.SHA256FileHash.ValueString())
		if err != nil {
			addError(&resp.Diagnostics, err, common.Failure{Summary: "Cannot check the file", Access: common.PKIRead,
				Doing: "Reading the file of sha256_file_hash " + plan.SHA256FileHash.ValueString()})
		} else {
			if r.client != nil {
				resp.Diagnostics.Append(bundleWarnings(b.CAs, r.client.Clock.Now())...)
				for _, ca := range b.CAs {
					// For the CBA policy's plan check, which runs after this plan when it references these CAs (clients.PlannedCAs).
					r.client.PlannedCAs.Add(plan.PKIID.ValueString(), ca.SubjectKeyIdentifier)
				}
				recordPlanned(r.client, plan.PKIID, b.CAs, crlURLsOf(ctx, plan.CASettings))                                                // chain_check.go
				resp.Diagnostics.Append(chainWarnings(ctx, r.client, plan.PKIID, b.CAs, path.Root("sha256_file_hash"), "in this file")...) // chain_check.go
			}
			resp.Diagnostics.Append(checkSettings(ctx, plan.CASettings, b.CAs)...)
			if work {
				settings, d := settingsOf(ctx, plan.CASettings)
				resp.Diagnostics.Append(d...)
				list, d := plannedCAs(ctx, b.CAs, recorded, settings)
				resp.Diagnostics.Append(d...)
				plan.CertificateAuthorities = list
			}
			if imported && r.client != nil {
				resp.Diagnostics.Append(r.checkImported(ctx, plan.PKIID.ValueString(), b.CAs)...)
			}
			declared = thumbprintsOf(b.CAs)
		}
	} else if !creating {
		for _, m := range recorded {
			declared = append(declared, m.Thumbprint.ValueString())
		}
	}
	if creating && known(plan.PKIID) && r.client != nil && r.client.Graph != nil {
		resp.Diagnostics.Append(r.runningJobNotice(ctx, plan.PKIID.ValueString())...)
	}
	if known(plan.PKIID) && hashOK && len(declared) > 0 {
		owner := uploadOwner(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString())
		if taken := declarationsOf(r.client).declare(plan.PKIID.ValueString(), owner, declared); len(taken) > 0 {
			resp.Diagnostics.Append(overlapDiagnostic(path.Root("sha256_file_hash"), plan.PKIID.ValueString(), owner, taken))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func thumbprintsOf(cas []pkcs.CertificateAuthority) []string {
	out := make([]string, 0, len(cas))
	for _, ca := range cas {
		out = append(out, ca.Thumbprint)
	}
	return out
}

// checkImported refuses an imported upload whose file's CAs are not all in the PKI: an import adopts, it never
// uploads, and the next apply would otherwise make a real upload shown as an update.
func (r *uploadResource) checkImported(ctx context.Context, pkiID string, cas []pkcs.CertificateAuthority) diag.Diagnostics {
	var diags diag.Diagnostics
	p, err := r.client.Graph.GetPKI(ctx, pkiID)
	if err != nil || strings.EqualFold(p.Status, "running") {
		return nil // the apply reads again (and waits for a running job's CAs)
	}
	have, err := r.client.Graph.ListCertificateAuthorities(ctx, pkiID)
	if err != nil {
		return nil
	}
	_, missing := classify(cas, have)
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("sha256_file_hash"), "The imported upload's certificate authorities are not in the PKI",
			fmt.Sprintf("PKI %s does not hold %s of this file, so there is no upload to import. Import the certificate "+
				"authorities that are there one by one (entracert_certificate_based_auth_certificate_authority), or remove "+
				"this upload from the state (terraform state rm) and apply it to upload the file.", pkiID, describe(missingCAs(missing))))
	}
	return diags
}

// runningJobNotice says what a create does when a job runs in the PKI: typically the replacement of an upload whose
// apply was interrupted (Terraform shows it as tainted, "must be replaced"). It uploads nothing then.
func (r *uploadResource) runningJobNotice(ctx context.Context, pkiID string) diag.Diagnostics {
	var diags diag.Diagnostics
	p, err := r.client.Graph.GetPKICached(ctx, pkiID)
	if err != nil || !graph.PKIRunning(p.Status) {
		return nil
	}
	diags.AddAttributeWarning(path.Root("sha256_file_hash"), "A job is running in the PKI: this apply waits for it",
		fmt.Sprintf("PKI %s is running a job, such as the upload of an apply that was interrupted (Terraform then shows "+
			"this upload as tainted, to be replaced). The apply waits for that job and records the certificate authorities "+
			"it brings; it uploads the file again only if the job brings none of them.", pkiID))
	return diags
}
