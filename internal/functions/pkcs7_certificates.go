package functions

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var pkcs7CertificateAttrTypes = map[string]attr.Type{
	"thumbprint":                 types.StringType,
	"subject":                    types.StringType,
	"issuer":                     types.StringType,
	"is_ca":                      types.BoolType,
	"certificate_authority_type": types.StringType,
	"subject_key_identifier":     types.StringType,
	"crl_distribution_point":     types.StringType,
	"not_after":                  types.StringType,
	"missing_issuer":             types.StringType,
}

type pkcs7Certificates struct{}

// NewPKCS7Certificates is the pkcs7_certificates function.
func NewPKCS7Certificates() function.Function { return pkcs7Certificates{} }

func (pkcs7Certificates) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "pkcs7_certificates"
}

func (pkcs7Certificates) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The certificates of a PKCS#7 (.p7b) bundle, as a CBA PKI upload records them",
		MarkdownDescription: "Parses a PKCS#7 certificate bundle (DER or PEM-armoured, with Graph's limits of 2 MB, 250 " +
			"certificates and 8 KB per certificate) and returns one object per certificate, in file order:\n\n" +
			"- `thumbprint`: uppercase hex SHA-1 of the certificate;\n" +
			"- `subject`, `issuer`: the distinguished names in RFC 2253 form;\n" +
			"- `is_ca`: whether BasicConstraints says CA:TRUE (a leaf in a CA bundle is a mistake);\n" +
			"- `certificate_authority_type`: `root` when self-signed, else `intermediate`, as Graph's `isRootAuthority`;\n" +
			"- `subject_key_identifier`: uppercase hex of the certificate's own Subject Key Identifier (`\"\"` if absent), " +
			"what CBA policies name a CA by;\n" +
			"- `crl_distribution_point`: the first http(s) CRL distribution point, `null` when there is none;\n" +
			"- `not_after`: RFC 3339 timestamp in UTC;\n" +
			"- `missing_issuer`: the subject of the certificate's issuer when the file does not hold it (found by authority key " +
			"identifier against subject key identifiers, else by issuer name), `null` for a root or an issuer in the file. Entra " +
			"needs every CA up to the root in the trust store, so such an issuer must already be in the PKI. A function cannot " +
			"warn: test it in a `precondition` or a `check` block.\n\n" +
			"Needs Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "content_base64",
				MarkdownDescription: "The .p7b file in standard base64, as `filebase64(\"pki.p7b\")` gives it (DER or PEM file).",
			},
		},
		Return: function.ListReturn{ElementType: types.ObjectType{AttrTypes: pkcs7CertificateAttrTypes}},
	}
}

func (pkcs7Certificates) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var content string
	resp.Error = req.Arguments.Get(ctx, &content)
	if resp.Error != nil {
		return
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(content))
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "The bundle is not base64: content_base64 must be the .p7b file in "+
			"standard base64, as filebase64(\"pki.p7b\") gives it. Pass the file with filebase64() rather than file()")
		return
	}
	cas, err := pkcs.ParseCertificateBundle(data)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, bundleError(err))
		return
	}
	missing := map[string]string{}
	for _, m := range pkcs.MissingIssuers(cas, nil) {
		missing[m.CA.Thumbprint] = m.IssuerName
	}
	elemType := types.ObjectType{AttrTypes: pkcs7CertificateAttrTypes}
	elems := make([]attr.Value, 0, len(cas))
	for _, ca := range cas {
		kind := "intermediate"
		if ca.IsRoot {
			kind = "root"
		}
		crl := types.StringNull()
		if ca.CRLURL != "" {
			crl = types.StringValue(ca.CRLURL)
		}
		missingIssuer := types.StringNull()
		if name, ok := missing[ca.Thumbprint]; ok {
			missingIssuer = types.StringValue(name)
		}
		obj, diags := types.ObjectValue(pkcs7CertificateAttrTypes, map[string]attr.Value{
			"thumbprint":                 types.StringValue(ca.Thumbprint),
			"subject":                    types.StringValue(ca.Subject),
			"issuer":                     types.StringValue(ca.Issuer),
			"is_ca":                      types.BoolValue(ca.IsCA),
			"certificate_authority_type": types.StringValue(kind),
			"subject_key_identifier":     types.StringValue(ca.SubjectKeyIdentifier),
			"crl_distribution_point":     crl,
			"not_after":                  types.StringValue(ca.NotAfter.UTC().Format(time.RFC3339)),
			"missing_issuer":             missingIssuer,
		})
		if diags.HasError() {
			resp.Error = function.FuncErrorFromDiags(ctx, diags)
			return
		}
		elems = append(elems, obj)
	}
	list, diags := types.ListValue(elemType, elems)
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, list)
}

// bundleError words a .p7b problem as the PKI upload resource does.
func bundleError(err error) string {
	return fmt.Sprintf("The file in content_base64 %s (%v)", pkcs.BundleAdvice(err), err)
}
