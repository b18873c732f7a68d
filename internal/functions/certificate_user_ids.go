package functions

import (
	"context"
	"errors"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var certificateUserIDsAttrTypes = map[string]attr.Type{
	"principal_name":           types.StringType,
	"rfc822_name":              types.StringType,
	"issuer_and_subject":       types.StringType,
	"subject":                  types.StringType,
	"subject_key_identifier":   types.StringType,
	"sha1_public_key":          types.StringType,
	"issuer_and_serial_number": types.StringType,
}

type certificateUserIDs struct{}

// NewCertificateUserIDs is the certificate_user_ids function.
func NewCertificateUserIDs() function.Function { return certificateUserIDs{} }

func (certificateUserIDs) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "certificate_user_ids"
}

func (certificateUserIDs) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The certificateUserIds values a user certificate can be bound by in Entra certificate-based authentication",
		MarkdownDescription: "Reads a user certificate and returns every `certificateUserIds` value Entra's certificate-based " +
			"authentication defines, built as Microsoft's `Get-EntraUserCertificateUserIdsFromCertificate` cmdlet " +
			"(entra-powershell) builds them. Each attribute is `null` when the certificate lacks what it needs:\n\n" +
			"- `principal_name`: `X509:<PN>{UPN}`, from the SAN otherName user principal name (1.3.6.1.4.1.311.20.2.3);\n" +
			"- `rfc822_name`: `X509:<RFC822>{e-mail}`, from the first SAN rfc822Name;\n" +
			"- `issuer_and_subject`: `X509:<I>{issuer}<S>{subject}`;\n" +
			"- `subject`: `X509:<S>{subject}`;\n" +
			"- `subject_key_identifier`: `X509:<SKI>{hex}`, the Subject Key Identifier extension in uppercase hex;\n" +
			"- `sha1_public_key`: `X509:<SHA1-PUKEY>{hex}`: despite its name, the SHA-1 thumbprint of the whole " +
			"certificate in uppercase hex, as Entra and the cmdlet use it (not a hash of the public key);\n" +
			"- `issuer_and_serial_number`: `X509:<I>{issuer}<SR>{serial}`.\n\n" +
			"Distinguished names list their attributes in the order the certificate encodes them (for an Active Directory " +
			"certificate root-most first, e.g. `DC=com,DC=contoso,OU=UserAccounts,CN=Contoso User`), joined by `,` with " +
			"no space, with Windows' attribute names (`CN`, `OU`, `O`, `L`, `S`, `C`, `E`, `DC`, ...). This is not the " +
			"reversed RFC 2253 order other tools print.\n\n" +
			"The serial number is lowercase hex in big-endian order, as the cmdlet writes it. Microsoft's how-to page " +
			"shows it byte-reversed instead; the two sources conflict, and this function follows the cmdlet. If your " +
			"tenant's bindings use the reversed form, reverse the byte pairs.\n\n" +
			"Set the result's values in a user's `authorizationInfo.certificateUserIds` (at most 10 per user) with the " +
			"`entracert_user_certificate_user_ids` resource, which accepts every value this function returns. " +
			"Needs Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "certificate",
				MarkdownDescription: "One user certificate: PEM (`file(\"user.pem\")`) or base64 of its DER " +
					"(`filebase64(\"user.cer\")`).",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: certificateUserIDsAttrTypes},
	}
}

func (certificateUserIDs) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var certificate string
	resp.Error = req.Arguments.Get(ctx, &certificate)
	if resp.Error != nil {
		return
	}
	ids, err := pkcs.ParseCertificateUserIDs([]byte(certificate))
	if err != nil {
		msg := "Cannot read the certificate: " + err.Error() + ". Give one certificate as PEM (file(\"user.pem\")) or as " +
			"base64 of its DER (filebase64(\"user.cer\"))"
		if errors.Is(err, pkcs.ErrCATooLarge) {
			msg = "Cannot read the certificate: " + err.Error()
		}
		resp.Error = function.NewArgumentFuncError(0, msg)
		return
	}
	orNull := func(s string) attr.Value {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	obj, diags := types.ObjectValue(certificateUserIDsAttrTypes, map[string]attr.Value{
		"principal_name":           orNull(ids.PrincipalName),
		"rfc822_name":              orNull(ids.RFC822Name),
		"issuer_and_subject":       orNull(ids.IssuerAndSubject),
		"subject":                  orNull(ids.Subject),
		"subject_key_identifier":   orNull(ids.SubjectKeyIdentifier),
		"sha1_public_key":          orNull(ids.SHA1PublicKey),
		"issuer_and_serial_number": orNull(ids.IssuerAndSerialNumber),
	})
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, obj)
}
