package functions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var pkcs12CertificateAttrTypes = map[string]attr.Type{
	"thumbprint":        types.StringType,
	"subject":           types.StringType,
	"issuer":            types.StringType,
	"serial_number":     types.StringType,
	"not_before":        types.StringType,
	"not_after":         types.StringType,
	"chain_thumbprints": types.ListType{ElemType: types.StringType},
}

type pkcs12Certificate struct{}

// NewPKCS12Certificate is the pkcs12_certificate function.
func NewPKCS12Certificate() function.Function { return pkcs12Certificate{} }

func (pkcs12Certificate) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "pkcs12_certificate"
}

func (pkcs12Certificate) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The client certificate in a PKCS#12 (PFX) file: thumbprint, names, serial number and validity",
		MarkdownDescription: "Decodes a PFX as `entracert_api_connector_client_certificate` does and returns facts about its " +
			"leaf certificate (the one matching the PFX's private key), so a thumbprint need not be computed by hand:\n\n" +
			"- `thumbprint`: uppercase hex SHA-1 of the certificate, as Entra and Windows show it;\n" +
			"- `subject`, `issuer`: the distinguished names in RFC 2253 form, as the resource's `subject` shows them;\n" +
			"- `serial_number`: uppercase hex of the encoded serial, big-endian (a leading `00` kept when encoded), as Windows shows it;\n" +
			"- `not_before`, `not_after`: RFC 3339 timestamps in UTC;\n" +
			"- `chain_thumbprints`: the thumbprints of the PFX's other certificates (the CA chain exported with it), " +
			"in file order; empty when it holds only the leaf.\n\n" +
			"The PFX must hold a private key and its certificate; a bad file or password fails with the resource's wording. " +
			"Errors never contain the PFX or the password. Pass the password from a sensitive variable: Terraform then " +
			"marks the result sensitive too. Needs Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "pkcs12_base64",
				MarkdownDescription: "The PFX (.pfx/.p12) file in standard base64, as `filebase64(\"client.pfx\")` gives it.",
			},
			function.StringParameter{
				Name:                "password",
				MarkdownDescription: "The PFX's password; `\"\"` for a PFX exported without one.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: pkcs12CertificateAttrTypes},
	}
}

func (pkcs12Certificate) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var pfx, password string
	resp.Error = req.Arguments.Get(ctx, &pfx, &password)
	if resp.Error != nil {
		return
	}
	leaf, chain, err := pkcs.DecodeClientCertificateChain(pfx, password)
	if err != nil {
		resp.Error = pkcs12Error(err, password == "")
		return
	}
	thumbprints := make([]attr.Value, 0, len(chain))
	for _, c := range chain {
		thumbprints = append(thumbprints, types.StringValue(pkcs.Thumbprint(c.Raw)))
	}
	cert := leaf.Certificate
	serial, err := pkcs.SerialNumberHex(cert)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "PFX could not be read: the serial number of its certificate: "+err.Error())
		return
	}
	obj, diags := types.ObjectValue(pkcs12CertificateAttrTypes, map[string]attr.Value{
		"thumbprint":        types.StringValue(leaf.Thumbprint),
		"subject":           types.StringValue(leaf.Subject),
		"issuer":            types.StringValue(cert.Issuer.String()),
		"serial_number":     types.StringValue(strings.ToUpper(serial)),
		"not_before":        types.StringValue(leaf.NotBefore.UTC().Format(time.RFC3339)),
		"not_after":         types.StringValue(leaf.NotAfter.UTC().Format(time.RFC3339)),
		"chain_thumbprints": types.ListValueMust(types.StringType, thumbprints),
	})
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, obj)
}

// pkcs12Error words a PFX problem as the entracert_api_connector_client_certificate resource does, naming the
// function's arguments. pkcs's messages never contain the PFX or the password.
func pkcs12Error(err error, noPassword bool) *function.FuncError {
	const pfxArg, passwordArg = 0, 1
	switch {
	case errors.Is(err, pkcs.ErrNotBase64):
		return function.NewArgumentFuncError(pfxArg, "PFX is not base64: pkcs12_base64 must be the PFX (.pfx/.p12) file "+
			"in standard base64, as filebase64(\"client.pfx\") gives it. Pass the file with filebase64() rather than file() or a PEM text")
	case errors.Is(err, pkcs.ErrNotPKCS12):
		return function.NewArgumentFuncError(pfxArg, "Not a PKCS#12 (PFX) file: pkcs12_base64 is not a PKCS#12 (PFX) file, "+
			"or the file is truncated. Export the client certificate together with its private key as .pfx/.p12 "+
			"(for example `openssl pkcs12 -export`) and pass it with filebase64()")
	case errors.Is(err, pkcs.ErrWrongPassword) && noPassword:
		return function.NewArgumentFuncError(passwordArg, "PFX needs a password: the PFX in pkcs12_base64 could not be "+
			"decrypted without a password. Set password to the password the PFX was exported with")
	case errors.Is(err, pkcs.ErrWrongPassword):
		return function.NewArgumentFuncError(passwordArg, "Wrong PFX password: the PFX in pkcs12_base64 could not be "+
			"decrypted with the password in password. Check that password holds the password the PFX was exported with")
	case errors.Is(err, pkcs.ErrNoPrivateKey):
		return function.NewArgumentFuncError(pfxArg, "PFX holds no private key: the PFX in pkcs12_base64 holds no private key. "+
			"Export the certificate together with its private key (Windows: \"Yes, export the private key\"; "+
			"OpenSSL: `openssl pkcs12 -export -inkey key.pem -in cert.pem`)")
	case errors.Is(err, pkcs.ErrNoCertificate):
		return function.NewArgumentFuncError(pfxArg, "PFX holds no matching certificate: the PFX in pkcs12_base64 holds no "+
			"certificate whose public key matches its private key. Export the client certificate together with its own private key")
	default:
		return function.NewArgumentFuncError(pfxArg, fmt.Sprintf("PFX could not be read: the PFX in pkcs12_base64 could not "+
			"be read: %s. Export the client certificate with its private key as .pfx/.p12 and pass it with filebase64()", err))
	}
}
