package policy

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Attribute descriptions, shared by the resource and the data source.
var descriptions = map[string]string{
	"id":                                   "Always `X509Certificate`: one configuration per tenant.",
	"state":                                "`enabled` or `disabled`: whether users in `include_targets` can sign in with certificates.",
	"include_targets":                      "Groups (or users) allowed to use CBA. `all_users` (with `target_type = \"group\"`) is everyone: Entra advises against it.",
	"exclude_targets":                      "Groups (or users) excluded from CBA.",
	"target_id":                            "Object id (GUID) of the group or user. In `include_targets` only, `all_users` (a group target) is everyone. Each id at most once per set.",
	"target_type":                          "`group` (default) or `user`.",
	"is_registration_required":             "Whether the target must register (default `false`).",
	"authentication_mode":                  "Which certificates count as single- or multi-factor (`authenticationModeConfiguration`).",
	"default_mode":                         "`x509CertificateSingleFactor` or `x509CertificateMultiFactor`: the protection level of certificates no rule matches.",
	"default_required_affinity_level":      "`low` or `high`: the binding affinity required by default.",
	"rules":                                "Rules by issuer or policy OID (precedence: issuer and OID > OID > issuer).",
	"rule_type":                            "`issuerSubject`, `policyOID` or `issuerSubjectAndPolicyOID`.",
	"identifier":                           "What the rule matches: the issuer subject (e.g. `CN=ContosoCA,DC=Contoso,DC=org`) or, for `policyOID` rules, the policy OID in dotted-decimal form (e.g. `1.2.3.4`). Required by Graph.",
	"issuer_subject_identifier":            "Issuer subject, for `issuerSubjectAndPolicyOID` rules.",
	"policy_oid_identifier":                "Policy OID in dotted-decimal form, for `issuerSubjectAndPolicyOID` rules.",
	"rule_authentication_mode":             "`x509CertificateSingleFactor` or `x509CertificateMultiFactor`.",
	"required_affinity_level":              "`low` or `high` (unset: none sent; Graph documents no default).",
	"certificate_user_bindings":            "How a certificate field binds to a user property; the lowest `priority` is tried first.",
	"x509_certificate_field":               "Certificate field: `PrincipalName`, `RFC822Name`, `SubjectKeyIdentifier`, `SHA1PublicKey` (Graph's documented values), or `IssuerAndSubject`, `Subject`, `IssuerAndSerialNumber` (Entra's issuer/subject/serial bindings). Only `PrincipalName` and `RFC822Name` may bind to a UPN property.",
	"user_property":                        "`userPrincipalName`, `onPremisesUserPrincipalName` or `certificateUserIds`.",
	"priority":                             "Unique, 0 or more; the lowest number wins.",
	"trust_affinity_level":                 "`low` or `high`. Unset: the field's documented affinity (`high` for `SubjectKeyIdentifier`, `SHA1PublicKey`, `IssuerAndSerialNumber`; `low` otherwise).",
	"crl_validation":                       "Whether a CRL distribution point is required from CAs (`crlValidationConfiguration`).",
	"crl_state":                            "`enabled` or `disabled`. Enabling fails every sign-in with certificates of a CA that has no CRL, unless the CA is exempted: the plan checks this.",
	"exempted":                             "Subject key identifiers (hex, compared case-insensitively) of CAs exempt from CRL validation, e.g. a CA resource's `subject_key_identifier`.",
	"issuer_hints_state":                   "`enabled` or `disabled`: whether Entra sends the trusted CAs as hints to the client (`issuerHintsConfiguration.state`).",
	"certificate_authority_scopes":         "CAs whose certificates only the given group may use (at most 30; one group per CA).",
	"subject_key_identifier":               "Subject key identifier of the CA (hex), e.g. the CA resource's `subject_key_identifier`.",
	"public_key_infrastructure_identifier": "The PKI of the CA. Graph does not document whether this is the PKI's id or display name (its example uses a name).",
	"scope_include_targets":                "The group allowed to use this CA's certificates.",
}

var (
	targetTypes = []string{"group", "user"}
	enabledOr   = []string{"enabled", "disabled"}
)

// targetAttributes: target_type and is_registration_required default through targetDefaults on the set, since
// attribute defaults inside set elements are applied to the wrong elements by the framework.
func targetAttributes(include bool) map[string]schema.Attribute {
	a := map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: descriptions["target_id"], Required: true,
			Validators: targetIDValidators(include)},
		"target_type": schema.StringAttribute{MarkdownDescription: descriptions["target_type"], Optional: true, Computed: true,
			Validators: []validator.String{stringvalidator.OneOf(targetTypes...)}},
	}
	if include {
		a["is_registration_required"] = schema.BoolAttribute{MarkdownDescription: descriptions["is_registration_required"],
			Optional: true, Computed: true}
	}
	return a
}

// targetDefaults plans a configured set of targets with target_type "group" and is_registration_required false
// where they are not set.
type targetDefaults struct{}

func (targetDefaults) Description(context.Context) string {
	return "target_type defaults to group, is_registration_required to false."
}

func (m targetDefaults) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (targetDefaults) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := make([]attr.Value, 0, len(req.ConfigValue.Elements()))
	for _, e := range req.ConfigValue.Elements() {
		obj, ok := e.(types.Object)
		if !ok || obj.IsUnknown() || obj.IsNull() {
			elems = append(elems, e)
			continue
		}
		attrs := map[string]attr.Value{}
		for k, v := range obj.Attributes() {
			attrs[k] = v
		}
		if v, ok := attrs["target_type"]; ok && v.IsNull() {
			attrs["target_type"] = types.StringValue("group")
		}
		if v, ok := attrs["is_registration_required"]; ok && v.IsNull() {
			attrs["is_registration_required"] = types.BoolValue(false)
		}
		filled, d := types.ObjectValue(obj.AttributeTypes(ctx), attrs)
		resp.Diagnostics.Append(d...)
		elems = append(elems, filled)
	}
	v, d := types.SetValue(req.ConfigValue.ElementType(ctx), elems)
	resp.Diagnostics.Append(d...)
	if !resp.Diagnostics.HasError() {
		resp.PlanValue = v
	}
}

// The timeouts' defaults, said in the schema's descriptions: a write is a read, a PATCH and a read back.
const (
	defaultWriteTimeout = 10 * time.Minute
	defaultReadTimeout  = 5 * time.Minute
)

func resourceSchema(ctx context.Context) schema.Schema {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return schema.Schema{
		MarkdownDescription: "The tenant's certificate-based-authentication policy: the X.509 certificate authentication method " +
			"configuration (`x509CertificateAuthenticationMethodConfiguration`, id `X509Certificate`). One per tenant.\n\n" +
			"Optional attributes left out keep the values Graph has, so adopting a customised tenant with a partial configuration " +
			"plans no change for what it leaves out. Destroying the resource restores Graph's default configuration (CBA disabled).\n\n" +
			"The plan checks the configuration against the tenant's trust store (Graph reads only) before anything is written: CRL " +
			"validation with a CA that has no CRL, exempted or scoped subject key identifiers that are no CA of the tenant. A CA resource " +
			"or upload planned in the same run counts as a CA of the tenant, so a policy that references its `subject_key_identifier` " +
			"plans and applies in one go. The checks run when the policy changes, for what the configuration asks: a value the policy " +
			"already holds whose check fails because the trust store changed since (a CA or PKI deleted outside Terraform) is a warning, " +
			"so the repair of drift, `plan -refresh-only`, apply and destroy go on. Values unknown at plan time are not checked.\n\n" +
			"With CRL validation enabled, the plan also downloads, as Entra would, the CRL of every CA it does not exempt (the " +
			"trust store's, and those of CA resources and uploads planned in the same run) and warns about each CA whose CRL Entra " +
			"could not use: unreachable, expired, not signed by the CA, over Entra's size limit, without an authority key " +
			"identifier, or on a host Entra cannot reach (https, or a private or link-local address, which is never downloaded). " +
			"The provider's `skip_crl_preflight` turns these downloads off.\n\n" +
			"A `create_before_destroy` replacement keeps the policy as the new object wrote it (the old object's destroy changes nothing). " +
			"Import with the ID `X509Certificate` (any letter case).\n\n" +
			"Guide: [Rolling out certificate-based authentication](../guides/cba-rollout.md).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: descriptions["id"], Computed: true, PlanModifiers: keep},
			"state": schema.StringAttribute{MarkdownDescription: descriptions["state"], Required: true,
				Validators: []validator.String{stringvalidator.OneOf(enabledOr...)}},
			"include_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["include_targets"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown(), targetDefaults{}},
				NestedObject:  schema.NestedAttributeObject{Attributes: targetAttributes(true)}},
			"exclude_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["exclude_targets"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown(), targetDefaults{}},
				NestedObject:  schema.NestedAttributeObject{Attributes: targetAttributes(false)}},
			"authentication_mode": schema.SingleNestedAttribute{MarkdownDescription: descriptions["authentication_mode"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"default_mode": schema.StringAttribute{MarkdownDescription: descriptions["default_mode"], Optional: true, Computed: true,
						PlanModifiers: keep, Validators: []validator.String{stringvalidator.OneOf(authModes...)}},
					"default_required_affinity_level": schema.StringAttribute{MarkdownDescription: descriptions["default_required_affinity_level"],
						Optional: true, Computed: true, PlanModifiers: keep, Validators: []validator.String{stringvalidator.OneOf(affinityLevels...)}},
					"rules": schema.ListNestedAttribute{MarkdownDescription: descriptions["rules"], Optional: true, Computed: true,
						PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"type": schema.StringAttribute{MarkdownDescription: descriptions["rule_type"], Required: true,
								Validators: []validator.String{stringvalidator.OneOf(ruleTypes...)}},
							"identifier":                schema.StringAttribute{MarkdownDescription: descriptions["identifier"], Optional: true},
							"issuer_subject_identifier": schema.StringAttribute{MarkdownDescription: descriptions["issuer_subject_identifier"], Optional: true},
							"policy_oid_identifier": schema.StringAttribute{MarkdownDescription: descriptions["policy_oid_identifier"], Optional: true,
								Validators: oidValidators()},
							"authentication_mode": schema.StringAttribute{MarkdownDescription: descriptions["rule_authentication_mode"], Required: true,
								Validators: []validator.String{stringvalidator.OneOf(authModes...)}},
							"required_affinity_level": schema.StringAttribute{MarkdownDescription: descriptions["required_affinity_level"], Optional: true,
								Validators: []validator.String{stringvalidator.OneOf(affinityLevels...)}},
						}}},
				}},
			"certificate_user_bindings": schema.ListNestedAttribute{MarkdownDescription: descriptions["certificate_user_bindings"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"x509_certificate_field": schema.StringAttribute{MarkdownDescription: descriptions["x509_certificate_field"], Required: true,
						Validators: []validator.String{stringvalidator.OneOf(x509CertificateFields...)}},
					"user_property": schema.StringAttribute{MarkdownDescription: descriptions["user_property"], Required: true,
						Validators: []validator.String{stringvalidator.OneOf(userProperties...)}},
					"priority": schema.Int64Attribute{MarkdownDescription: descriptions["priority"], Required: true,
						Validators: []validator.Int64{int64validator.AtMost(1<<31 - 1)}},
					"trust_affinity_level": schema.StringAttribute{MarkdownDescription: descriptions["trust_affinity_level"], Optional: true, Computed: true,
						PlanModifiers: []planmodifier.String{documentedAffinityModifier{}},
						Validators:    []validator.String{stringvalidator.OneOf(affinityLevels...)}},
				}}},
			"crl_validation": schema.SingleNestedAttribute{MarkdownDescription: descriptions["crl_validation"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"state": schema.StringAttribute{MarkdownDescription: descriptions["crl_state"], Optional: true, Computed: true,
						PlanModifiers: keep, Validators: []validator.String{stringvalidator.OneOf(enabledOr...)}},
					"exempted_certificate_authority_subject_key_identifiers": schema.SetAttribute{MarkdownDescription: descriptions["exempted"],
						ElementType: types.StringType, Optional: true, Computed: true,
						PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
						Validators:    []validator.Set{setvalidator.ValueStringsAre(skiValidators()...)}},
				}},
			"issuer_hints_state": schema.StringAttribute{MarkdownDescription: descriptions["issuer_hints_state"], Optional: true, Computed: true,
				PlanModifiers: keep, Validators: []validator.String{stringvalidator.OneOf(enabledOr...)}},
			"certificate_authority_scopes": schema.ListNestedAttribute{MarkdownDescription: descriptions["certificate_authority_scopes"], Optional: true, Computed: true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"subject_key_identifier": schema.StringAttribute{MarkdownDescription: descriptions["subject_key_identifier"], Required: true,
						Validators: skiValidators()},
					"public_key_infrastructure_identifier": schema.StringAttribute{MarkdownDescription: descriptions["public_key_infrastructure_identifier"], Optional: true},
					"include_targets": schema.SetNestedAttribute{MarkdownDescription: descriptions["scope_include_targets"], Required: true,
						PlanModifiers: []planmodifier.Set{targetDefaults{}},
						NestedObject:  schema.NestedAttributeObject{Attributes: targetAttributes(false)}},
				}}},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long writing the configuration may take, including waiting for other changes to it in this run (default 10m).",
				ReadDescription:   "How long reading the configuration may take (default 5m).",
				UpdateDescription: "How long changing the configuration may take, including waiting for other changes to it in this run (default 10m).",
				DeleteDescription: "How long restoring Graph's default configuration may take (default 10m).",
			}),
		},
	}
}

// documentedAffinityModifier plans a binding's trust_affinity_level, when it is not configured, as Entra documents
// it for the binding's certificate field, so the plan is known and the PATCH sends it explicitly.
type documentedAffinityModifier struct{}

func (documentedAffinityModifier) Description(context.Context) string {
	return "Unset: the documented affinity of the certificate field."
}

func (m documentedAffinityModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (documentedAffinityModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	var field types.String
	if d := req.Plan.GetAttribute(ctx, req.Path.ParentPath().AtName("x509_certificate_field"), &field); d.HasError() || field.IsUnknown() || field.IsNull() {
		return
	}
	resp.PlanValue = types.StringValue(documentedAffinity(field.ValueString()))
}

// documentedAffinity is Entra's affinity of a binding field: high for SKI, SHA1PublicKey and issuer+serial, low otherwise.
func documentedAffinity(field string) string {
	switch field {
	case "SubjectKeyIdentifier", "SHA1PublicKey", "IssuerAndSerialNumber":
		return "high"
	}
	return "low"
}
